/* request.h - the headers of one authenticated GET: SDK-HMAC-SHA256 signature or X-Auth-Token. */
#ifndef SCM_SHIM_REQUEST_H
#define SCM_SHIM_REQUEST_H

#include "headers.h"
#include "settings.h"
#include "sign.h"

#include <time.h>

/*
 * Returns the header list for GET path (decoded; only [A-Za-z0-9._~/-] here, an endpoint's prefix
 * included) with the nquery query parameters (decoded; signed sorted and URI-encoded, as the
 * official SDKs sign them) to backend b on host at time now, freed with scm__headers_free, or NULL
 * on out of memory (or AK/SK credentials and no signer). signer, keyed with s->sk, signs (NULL with
 * a token). Host is always signed, but listed only when libcurl would send no other value itself
 * (from the URL); Accept and User-Agent are the transport's, set once per handle (http.c). The
 * credentials' scope, signed with the rest: on v3 X-Domain-Id when there is a domain ID (global
 * credentials, which the official SDKs' SCM client prefers), else X-Project-Id when there is a
 * project ID; the legacy path is project-scoped, so it always names the project of its URL in
 * X-Project-Id and never sends X-Domain-Id.
 */
scm_headers *scm__request_headers(const scm_settings *s, scm_signer *signer, scm_backend b,
                                  const char *host, const char *path, const scm_kv *query,
                                  size_t nquery, time_t now);

#endif
