/* request.h - the headers of one authenticated GET: SDK-HMAC-SHA256 signature or X-Auth-Token. */
#ifndef SCM_SHIM_REQUEST_H
#define SCM_SHIM_REQUEST_H

#include "settings.h"

#include <curl/curl.h>
#include <time.h>

/*
 * Returns the header list for GET path (decoded; only [A-Za-z0-9_/-] here)
 * on host at time now, freed with curl_slist_free_all, or NULL on out of memory.
 */
struct curl_slist *scm_request_headers(const scm_settings *s, const char *host, const char *path,
                                       time_t now);

#endif
