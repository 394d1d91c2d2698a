/*
 * auth.c - the API Gateway's side of SDK-HMAC-SHA256: the signature is recomputed with the
 * same code the library signs with (shim/sign.c) over the headers the client says it signed.
 * owns: checking a request's signature or token as the API Gateway does; must not: sign with
 * code of its own (it uses shim/sign.c) or log a credential.
 */
#include "auth.h"
#include "clock.h"
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EMU_DATE_WINDOW_S (15 * 60)
#define EMU_MAX_SIGNED_HEADERS 32

const char *emu_auth_name(enum emu_auth_result r)
{
    switch (r) {
    case EMU_AUTH_OK_AKSK:
        return "ok-aksk";
    case EMU_AUTH_OK_TOKEN:
        return "ok-token";
    case EMU_AUTH_OFF:
        return "off";
    case EMU_AUTH_MISSING:
        return "missing credentials";
    case EMU_AUTH_BAD_SIGNATURE:
        return "bad signature";
    case EMU_AUTH_EXPIRED:
        return "signature expired";
    case EMU_AUTH_UNKNOWN_AK:
        return "unknown access key";
    case EMU_AUTH_BAD_TOKEN:
        return "bad token";
    }
    return "bad signature";
}

int emu_auth_passed(enum emu_auth_result r)
{
    return r == EMU_AUTH_OK_AKSK || r == EMU_AUTH_OK_TOKEN || r == EMU_AUTH_OFF;
}

static char *trim(char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Splits "SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=.." (v is modified). */
static int parse_authorization(char *v, char **access, char **signed_headers, char **signature)
{
    char *part, *save = NULL;
    size_t alg = strlen(SCM_SIGN_ALGORITHM);

    *access = *signed_headers = *signature = NULL;
    if (strncmp(v, SCM_SIGN_ALGORITHM, alg) != 0 || (v[alg] != ' ' && v[alg] != '\t'))
        return -1;
    for (part = strtok_r(v + alg, ",", &save); part != NULL; part = strtok_r(NULL, ",", &save)) {
        char *eq;
        part = trim(part);
        eq = strchr(part, '=');
        if (eq == NULL)
            return -1;
        *eq = '\0';
        if (strcmp(part, "Access") == 0)
            *access = eq + 1;
        else if (strcmp(part, "SignedHeaders") == 0)
            *signed_headers = eq + 1;
        else if (strcmp(part, "Signature") == 0)
            *signature = eq + 1;
        else
            return -1;
    }
    return *access && *signed_headers && *signature ? 0 : -1;
}

typedef struct query_list {
    scm_kv *v;
    size_t n, cap;
} query_list;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    query_list *q = cls;
    (void)kind;
    if (q->n < q->cap) {
        q->v[q->n].name = key;
        q->v[q->n].value = value; /* NULL for "?name": signed as "name=" */
        q->n++;
    }
    return MHD_YES;
}

/*
 * Recomputes the signature over the listed headers; the request has no body.
 * X-Project-Id and X-Domain-Id, when sent, must be listed: they choose the
 * account the request acts for, so an unsigned one could be swapped.
 */
static enum emu_auth_result check_signature(const emu_auth_config *a, struct MHD_Connection *c,
                                            const char *method, const char *path, char *signed_list,
                                            const char *signature)
{
    scm_kv headers[EMU_MAX_SIGNED_HEADERS];
    size_t nh = 0;
    int has_host = 0, has_date = 0, has_project = 0, has_domain = 0;
    const char *date = NULL;
    char *name, *save = NULL, *canon, sig[65];
    query_list q = {NULL, 0, 0};
    time_t t, now;
    enum emu_auth_result r = EMU_AUTH_BAD_SIGNATURE;

    for (name = strtok_r(signed_list, ";", &save); name != NULL;
         name = strtok_r(NULL, ";", &save)) {
        const char *value = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
        if (value == NULL || nh == EMU_MAX_SIGNED_HEADERS)
            return EMU_AUTH_BAD_SIGNATURE;
        if (strcasecmp(name, "host") == 0)
            has_host = 1;
        if (strcasecmp(name, "x-sdk-date") == 0) {
            has_date = 1;
            date = value;
        }
        has_project |= strcasecmp(name, "x-project-id") == 0;
        has_domain |= strcasecmp(name, "x-domain-id") == 0;
        headers[nh].name = name;
        headers[nh].value = value;
        nh++;
    }
    if (!has_host || !has_date || scm__sign_parse_date(date, &t) != SCM_OK ||
        (!has_project && MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Project-Id") != NULL) ||
        (!has_domain && MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Domain-Id") != NULL))
        return EMU_AUTH_BAD_SIGNATURE;
    now = emu_clock_now(a->clock_offset_s);
    if (t > now + EMU_DATE_WINDOW_S || t < now - EMU_DATE_WINDOW_S)
        return EMU_AUTH_EXPIRED;

    q.cap = (size_t)MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL);
    if (q.cap) {
        q.v = calloc(q.cap, sizeof *q.v);
        if (q.v == NULL)
            return EMU_AUTH_BAD_SIGNATURE;
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
    }
    canon = scm__sign_canonical_request(method, path, q.v, q.n, headers, nh, "", 0, NULL);
    if (canon != NULL && scm__sign_signature(canon, date, a->sk, strlen(a->sk), sig) == SCM_OK &&
        scm__sign_equal(sig, signature))
        r = EMU_AUTH_OK_AKSK;
    free(canon);
    free(q.v);
    return r;
}

static enum emu_auth_result check_aksk(const emu_auth_config *a, struct MHD_Connection *c,
                                       const char *method, const char *path,
                                       const char *authorization, char *signed_headers, size_t n)
{
    char *copy, *access, *signed_list, *signature;
    enum emu_auth_result r;

    copy = strdup(authorization);
    if (copy == NULL)
        return EMU_AUTH_BAD_SIGNATURE;
    if (parse_authorization(copy, &access, &signed_list, &signature) != 0) {
        free(copy);
        return EMU_AUTH_BAD_SIGNATURE;
    }
    snprintf(signed_headers, n, "%s", signed_list); /* before check_signature cuts it up */
    if (a->ak == NULL || !scm__sign_equal(access, a->ak))
        r = EMU_AUTH_UNKNOWN_AK;
    else
        r = check_signature(a, c, method, path, signed_list, signature);
    free(copy);
    return r;
}

enum emu_auth_result emu_auth_check(const emu_auth_config *a, struct MHD_Connection *c,
                                    const char *method, const char *path, char *signed_headers,
                                    size_t n)
{
    const char *token, *authorization;

    signed_headers[0] = '\0';
    if (a->off)
        return EMU_AUTH_OFF;
    token = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Auth-Token");
    authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (token != NULL && a->token != NULL && scm__sign_equal(token, a->token))
        return EMU_AUTH_OK_TOKEN;
    /* A valid signature is enough even next to a wrong token; otherwise name what failed. */
    if (authorization != NULL)
        return check_aksk(a, c, method, path, authorization, signed_headers, n);
    return token != NULL ? EMU_AUTH_BAD_TOKEN : EMU_AUTH_MISSING;
}
