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

/*
 * 1 when host is exactly the Host value libcurl derives from the URL itself: lowercase
 * letters, digits, '-' and '.' (no trailing dot, no IPv6 brackets), and no port or one libcurl
 * prints too: neither 80 nor 443 (it leaves out its scheme's default) nor one with a leading 0.
 * Anything else is sent explicitly, as before, so the header signed is the header received.
 */
static int curl_sends_host(const char *host)
{
    const char *colon = strchr(host, ':'), *p;
    size_t name_len = colon != NULL ? (size_t)(colon - host) : strlen(host), i;

    if (name_len == 0 || host[name_len - 1] == '.')
        return 0;
    for (i = 0; i < name_len; i++)
        if (!((host[i] >= 'a' && host[i] <= 'z') || (host[i] >= '0' && host[i] <= '9') ||
              host[i] == '-' || host[i] == '.'))
            return 0;
    if (colon == NULL)
        return 1;
    p = colon + 1;
    if (*p < '1' || *p > '9' || strlen(p) > 5 || strcmp(p, "80") == 0 || strcmp(p, "443") == 0)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

scm_headers *scm__request_headers(const scm_settings *s, scm_signer *signer, scm_backend b,
                                  const char *host, const char *path, const scm_kv *query,
                                  size_t nquery, time_t now)
{
    scm_headers *list = scm__headers_new();
    char date[SCM_SIGN_DATE_LEN + 1];
    const char *scope_name, *scope_value = scope(s, b, &scope_name), *auth;
    scm_kv signed_hdrs[4];
    size_t n = 0;

    if (!curl_sends_host(host))
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
    auth = signer != NULL ? scm__signer_authorization(signer, "GET", path, query, nquery,
                                                      signed_hdrs, n, "", 0, date, s->ak)
                          : NULL;
    if (auth == NULL) {
        scm__headers_free(list);
        return NULL;
    }
    return add(list, "Authorization", auth);
}
