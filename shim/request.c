/*
 * request.c - builds the authentication headers of a request; see request.h.
 * owns: which headers are sent and signed; must not: send them, or know a
 * transport's types.
 */
#include "request.h"

#include "backend.h"
#include "sign.h"

#include <stdlib.h>
#include <string.h>

/* Appends "Name: value"; a failure frees the list and returns NULL. */
static scm_headers *add(scm_headers *list, const char *name, const char *value)
{
    if (list != NULL && scm__headers_add(list, name, value) != SCM_OK) {
        scm__headers_free(list);
        return NULL;
    }
    return list;
}

/* The value of the scope header to send (see request.h), its name in *name; NULL for none. */
static const char *scope(const scm_settings *s, scm_backend b, const char **name)
{
    if (scm__backend_ops(b)->domain_scope && s->domain_id != NULL) {
        *name = "X-Domain-Id";
        return s->domain_id;
    }
    *name = "X-Project-Id";
    return s->project_id;
}

scm_headers *scm__request_headers(const scm_settings *s, scm_signer *signer, scm_backend b,
                                  const char *host, const char *path, time_t now)
{
    /* Not signed, like every header the transport may also touch. */
    scm_headers *list = add(scm__headers_new(), "Accept", "application/json");
    char date[SCM_SIGN_DATE_LEN + 1];
    const char *scope_name, *scope_value = scope(s, b, &scope_name), *auth;
    scm_kv signed_hdrs[4];
    size_t n = 0;

    list = add(list, "Host", host);
    if (scope_value != NULL)
        list = add(list, scope_name, scope_value);
    if (s->token != NULL)
        return add(list, "X-Auth-Token", s->token);

    scm__sign_format_date(now, date);
    signed_hdrs[n++] = (scm_kv){"host", host};
    signed_hdrs[n++] = (scm_kv){"x-sdk-date", date};
    if (scope_value != NULL) /* sign.c lowercases and sorts the names */
        signed_hdrs[n++] = (scm_kv){scope_name, scope_value};
    if (s->security_token != NULL) {
        signed_hdrs[n++] = (scm_kv){"x-security-token", s->security_token};
        list = add(list, "X-Security-Token", s->security_token);
    }
    list = add(list, "X-Sdk-Date", date);
    auth = signer != NULL ? scm__signer_authorization(signer, "GET", path, NULL, 0, signed_hdrs, n,
                                                      "", 0, date, s->ak)
                          : NULL;
    if (auth == NULL) {
        scm__headers_free(list);
        return NULL;
    }
    return add(list, "Authorization", auth);
}
