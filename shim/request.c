/* request.c - builds the authentication headers of a request; see request.h. */
#include "request.h"

#include "backend.h"
#include "buf.h"
#include "sign.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* Appends "Name: value"; a failure frees the list and returns NULL. */
static struct curl_slist *add(struct curl_slist *list, const char *name, const char *value)
{
    scm_buf line;
    struct curl_slist *next;
    if (list == NULL)
        return NULL;
    scm__buf_init(&line);
    scm__buf_puts(&line, name);
    scm__buf_puts(&line, ": ");
    scm__buf_puts(&line, value);
    next = line.oom ? NULL : curl_slist_append(list, line.data);
    OPENSSL_cleanse(line.data, line.len);
    scm__buf_free(&line);
    if (next == NULL)
        curl_slist_free_all(list);
    return next;
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

struct curl_slist *scm__request_headers(const scm_settings *s, scm_backend b, const char *host,
                                        const char *path, time_t now)
{
    /* Not signed, like every header curl may also touch. */
    struct curl_slist *list = curl_slist_append(NULL, "Accept: application/json");
    char date[SCM_SIGN_DATE_LEN + 1], *auth;
    const char *scope_name, *scope_value = scope(s, b, &scope_name);
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
    auth = scm__sign_authorization("GET", path, NULL, 0, signed_hdrs, n, "", 0, date, s->ak, s->sk);
    if (auth == NULL) {
        curl_slist_free_all(list);
        return NULL;
    }
    list = add(list, "Authorization", auth);
    free(auth);
    return list;
}
