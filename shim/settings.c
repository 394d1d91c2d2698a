/* settings.c - resolves and checks a client's configuration. */
#include "settings.h"

#include "backend.h"
#include "regions.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_ID_LEN 64

int scm__valid_id(const char *id)
{
    size_t n;
    if (id == NULL)
        return 0;
    n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    return n > 0 && n <= MAX_ID_LEN && id[n] == '\0';
}

/* Header values must be one line of visible ASCII: no header injection. */
static int header_safe(const char *v)
{
    for (; v != NULL && *v; v++)
        if (*v < 0x21 || *v > 0x7e)
            return 0;
    return 1;
}

/* The caller's value, else the environment's; "" counts as unset. */
static const char *pick(const char *given, const char *env_name)
{
    const char *v = given;
    if (v == NULL || v[0] == '\0')
        v = getenv(env_name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

static int dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    return src == NULL || (*dst = strdup(src)) != NULL ? 0 : -1;
}

static void free_secret(char **s)
{
    if (*s != NULL) {
        OPENSSL_cleanse(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

const char *scm__backend_name(scm_backend b)
{
    return scm__backend_ops(b)->name;
}

/* The longest DNS name (RFC 1035); anything longer is no host. */
#define HOST_MAX 253

/*
 * A host name of letters, digits, '-' and '.', or a bracketed IPv6 literal,
 * written in the URL itself (curl would take "http:///x" as host "x", and
 * percent-decode or pass non-ASCII bytes through).
 */
static int check_host(const char *url, const char *host, char *err, size_t errlen)
{
    const char *after = strstr(url, "://");
    size_t n = strlen(host), i;
    int v6 = n >= 2 && host[0] == '[' && host[n - 1] == ']';
    if (after == NULL || after[3] == '/' || n == 0 || n > HOST_MAX) {
        snprintf(err, errlen, "endpoint URL needs a host name of at most %d characters", HOST_MAX);
        return -1;
    }
    if (memchr(after + 3, '%', strcspn(after + 3, "/?#")) != NULL) {
        snprintf(err, errlen, "endpoint host must not be percent-encoded");
        return -1;
    }
    for (i = v6; i < n - (size_t)v6; i++) {
        unsigned char ch = (unsigned char)host[i];
        int ok = v6 ? isxdigit(ch) || ch == ':' || ch == '.'
                    : (ch < 0x80 && isalnum(ch)) || ch == '-' || ch == '.';
        if (!ok) {
            snprintf(err, errlen,
                     "endpoint host must be ASCII letters, digits, '-' and '.' "
                     "(an IDN in its xn-- form), or an IPv6 literal in brackets");
            return -1;
        }
    }
    return 0;
}

int scm__endpoint_parse(scm_endpoint *ep, const char *endpoint, char *err, size_t errlen)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *extra = NULL;
    char *base = NULL, *hosthdr = NULL;
    size_t plen, blen, hlen;
    int rc = -1, https;

    if (u == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (endpoint == NULL || endpoint[0] == '\0') {
        snprintf(err, errlen, "no endpoint given");
        goto out;
    }
    if (strncasecmp(endpoint, "http://", 7) != 0 && strncasecmp(endpoint, "https://", 8) != 0) {
        snprintf(err, errlen, "endpoint must start with https:// or http://");
        goto out;
    }
    if (curl_url_set(u, CURLUPART_URL, endpoint, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0') {
        snprintf(err, errlen, "malformed endpoint URL");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_USER, &extra, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_QUERY, &extra, 0) == CURLUE_OK ||
        curl_url_get(u, CURLUPART_FRAGMENT, &extra, 0) == CURLUE_OK) {
        snprintf(err, errlen, "endpoint URL must not contain user info, a query or a fragment");
        goto out;
    }
    if (check_host(endpoint, host, err, errlen) != 0)
        goto out;
    curl_url_get(u, CURLUPART_PORT, &port, 0);
    if (port != NULL && strtol(port, NULL, 10) < 1) {
        snprintf(err, errlen, "endpoint port must be 1 to 65535");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
        snprintf(err, errlen, "malformed endpoint URL");
        goto out;
    }
    plen = strlen(path);
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    /* The prefix is signed as sent: only characters that no canonical form re-encodes. */
    if (strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/") !=
        strlen(path)) {
        snprintf(err, errlen, "endpoint path prefix may hold only letters, digits and - . _ ~ /");
        goto out;
    }
    https = strcmp(scheme, "https") == 0;
    /* Host carries the port only when it is not the scheme's default, as curl would send it. */
    if (port != NULL && strcmp(port, https ? "443" : "80") == 0) {
        curl_free(port);
        port = NULL;
    }
    hlen = strlen(host) + (port ? strlen(port) + 1 : 0) + 1;
    blen = strlen(scheme) + 3 + hlen + plen + 1;
    base = malloc(blen);
    hosthdr = malloc(hlen);
    if (base == NULL || hosthdr == NULL) {
        snprintf(err, errlen, "out of memory");
        free(base);
        free(hosthdr);
        goto out;
    }
    snprintf(hosthdr, hlen, "%s%s%s", host, port ? ":" : "", port ? port : "");
    snprintf(base, blen, "%s://%s%.*s", scheme, hosthdr, (int)plen, path);
    ep->base = base;
    ep->host = hosthdr;
    rc = 0;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(extra);
    curl_url_cleanup(u);
    return rc;
}

/* SCM_SHIM_BACKEND: "v3" (also when unset or empty) or "legacy". */
static int read_backend(scm_backend *b, char *err, size_t errlen)
{
    const char *v = getenv("SCM_SHIM_BACKEND");
    if (v == NULL || v[0] == '\0' || strcmp(v, "v3") == 0)
        *b = SCM_BACKEND_V3;
    else if (strcmp(v, "legacy") == 0)
        *b = SCM_BACKEND_LEGACY;
    else {
        snprintf(err, errlen, "SCM_SHIM_BACKEND must be \"v3\" or \"legacy\" (or unset)");
        return -1;
    }
    return 0;
}

/* A boolean SCM_SHIM_* variable: unset, "" or "0" is off, "1" on, anything else an error. */
static int read_flag(const char *name, int *on, char *err, size_t errlen)
{
    const char *v = getenv(name);
    *on = v != NULL && strcmp(v, "1") == 0;
    if (v != NULL && v[0] != '\0' && strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
        snprintf(err, errlen, "%s must be 1 or 0", name);
        return -1;
    }
    return 0;
}

/* SCM_SHIM_SHADOW*, SCM_SHIM_AUDIT_*: shadow mode and its audit log. */
static int read_shadow(scm_settings *s, char *err, size_t errlen)
{
    const char *v;
    char *end;

    if (read_flag("SCM_SHIM_SHADOW", &s->shadow, err, errlen) != 0 ||
        read_flag("SCM_SHIM_AUDIT_VALUES", &s->audit_values, err, errlen) != 0)
        return -1;
    s->shadow_sample = 1.0;
    if ((v = pick(NULL, "SCM_SHIM_SHADOW_SAMPLE")) != NULL) {
        s->shadow_sample = strtod(v, &end);
        if (*end != '\0' || !(s->shadow_sample >= 0.0 && s->shadow_sample <= 1.0)) {
            snprintf(err, errlen, "SCM_SHIM_SHADOW_SAMPLE must be a number from 0.0 to 1.0");
            return -1;
        }
    }
    s->shadow_timeout_ms = s->timeout_ms / 3 < SCM_DEFAULT_SHADOW_TIMEOUT_MS
                               ? s->timeout_ms / 3
                               : SCM_DEFAULT_SHADOW_TIMEOUT_MS;
    if (s->shadow_timeout_ms < 1)
        s->shadow_timeout_ms = 1;
    if ((v = pick(NULL, "SCM_SHIM_SHADOW_TIMEOUT_MS")) != NULL) {
        s->shadow_timeout_ms = strtol(v, &end, 10);
        if (*end != '\0' || s->shadow_timeout_ms <= 0) {
            snprintf(err, errlen,
                     "SCM_SHIM_SHADOW_TIMEOUT_MS must be a positive number of milliseconds");
            return -1;
        }
    }
    if ((v = pick(NULL, "SCM_SHIM_AUDIT_LOG")) != NULL && (s->audit_log = strdup(v)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* SCM_SHIM_RETRIES, SCM_SHIM_CAPTURE and SCM_SHIM_CA_FILE: how hard to try, what to keep, whom to
 * trust. */
static int read_transport(scm_settings *s, char *err, size_t errlen)
{
    const char *v;
    char *end;
    long n;

    s->retries = SCM_DEFAULT_RETRIES;
    if ((v = pick(NULL, "SCM_SHIM_RETRIES")) != NULL) {
        n = strtol(v, &end, 10);
        if (*end != '\0' || n < 0 || n > SCM_MAX_RETRIES) {
            snprintf(err, errlen, "SCM_SHIM_RETRIES must be a number from 0 to %d",
                     SCM_MAX_RETRIES);
            return -1;
        }
        s->retries = (int)n;
    }
    s->connect_timeout_ms = SCM_DEFAULT_CONNECT_TIMEOUT_MS;
    if ((v = pick(NULL, "SCM_SHIM_CONNECT_TIMEOUT_MS")) != NULL) {
        n = strtol(v, &end, 10);
        if (*end != '\0' || n < 1 || n > SCM_MAX_TIMEOUT_MS) {
            snprintf(err, errlen,
                     "SCM_SHIM_CONNECT_TIMEOUT_MS must be a positive number of milliseconds");
            return -1;
        }
        s->connect_timeout_ms = n;
    }
    if ((v = pick(NULL, "SCM_SHIM_CAPTURE")) != NULL && (s->capture = strdup(v)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if ((v = pick(NULL, "SCM_SHIM_CA_FILE")) != NULL) {
        if (access(v, R_OK) != 0) {
            snprintf(err, errlen, "SCM_SHIM_CA_FILE=%s: %s", v, strerror(errno));
            return -1;
        }
        if ((s->ca_file = strdup(v)) == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}

static const struct {
    const char *id;
    const char *endpoint;
} REGIONS[] = {
#define SCM_REGION_ROW(id, endpoint) {id, endpoint},
    SCM_REGIONS(SCM_REGION_ROW)
#undef SCM_REGION_ROW
};

/*
 * HUAWEICLOUD_SDK_REGION's endpoint in *url, NULL when it is unset; -1 with
 * err for a region SCM does not have. Asked only when no endpoint is given
 * otherwise: other Huawei Cloud tools share the variable, with regions of
 * their own.
 */
/*
 * The official SDKs' own endpoint override for a region, as their env region
 * provider reads it: HUAWEICLOUD_SDK_REGION_SCM_<REGION> (upper case, '-' as
 * '_'), a comma-separated list whose first entry is used. It may name a region
 * the table does not know. *url stays NULL when it is unset.
 */
static int sdk_region_override(scm_settings *s, const char *region, const char **url, char *err,
                               size_t errlen)
{
    char name[128];
    const char *v;
    size_t i, n = (size_t)snprintf(name, sizeof name, "HUAWEICLOUD_SDK_REGION_SCM_");
    for (i = 0; region[i] != '\0' && n + 1 < sizeof name; i++)
        name[n++] = region[i] == '-' ? '_' : (char)toupper((unsigned char)region[i]);
    name[n] = '\0';
    if (region[i] != '\0' || (v = pick(NULL, name)) == NULL)
        return 0;
    free(s->region_override);
    if ((s->region_override = strndup(v, strcspn(v, ","))) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *url = s->region_override;
    return 0;
}

static int region_endpoint(scm_settings *s, const char **url, char *err, size_t errlen)
{
    const char *region = pick(NULL, "HUAWEICLOUD_SDK_REGION");
    size_t i, n;
    int quotable;

    *url = NULL;
    if (region == NULL)
        return 0;
    if (sdk_region_override(s, region, url, err, errlen) != 0 || *url != NULL)
        return *url != NULL ? 0 : -1;
    for (i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++)
        if (strcmp(region, REGIONS[i].id) == 0) {
            *url = REGIONS[i].endpoint;
            return 0;
        }
    /* Only a region-like value is repeated, so the reason stays one printable line. */
    quotable = strlen(region) <= 64 &&
               region[strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-")] == '\0';
    n = (size_t)snprintf(err, errlen, "HUAWEICLOUD_SDK_REGION%s%s is not an SCM region; known:",
                         quotable ? "=" : "", quotable ? region : "");
    for (i = 0; i < sizeof REGIONS / sizeof REGIONS[0] && n < errlen; i++)
        n += (size_t)snprintf(err + n, errlen - n, "%s %s", i ? "," : "", REGIONS[i].id);
    return -1;
}

/* A backend's endpoint: its SCM_SHIM_*_ENDPOINT override, else the caller's, else the region's. */
static int read_endpoint(scm_settings *s, scm_backend b, const char *given, char *err,
                         size_t errlen)
{
    const char *var = scm__backend_ops(b)->endpoint_var;
    const char *url = pick(NULL, var), *from = var;
    /* Only the backend in use needs one (shadow mode needs both). */
    int needed = b == s->backend || s->shadow;
    char why[200];
    if (url == NULL) {
        url = given;
        from = NULL;
    }
    if (url == NULL || url[0] == '\0') {
        if (region_endpoint(s, &url, err, errlen) != 0 && needed)
            return -1;
        from = "HUAWEICLOUD_SDK_REGION";
    }
    if (url == NULL) {
        if (!needed)
            return 0;
        snprintf(err, errlen, "no endpoint given (config endpoint, %s or HUAWEICLOUD_SDK_REGION)",
                 var);
        return -1;
    }
    if (scm__endpoint_parse(&s->ep[b], url, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s endpoint%s%s: %s", scm__backend_name(b), from ? " from " : "",
                 from ? from : "", why);
        return -1;
    }
    return 0;
}

int scm__settings_init(scm_settings *s, const scm_config *config, char *err, size_t errlen)
{
    const char *ak, *sk, *project, *domain, *stoken;

    memset(s, 0, sizeof *s);
    if (config == NULL) {
        snprintf(err, errlen, "no configuration given");
        return -1;
    }
    if (config->timeout_ms < 0) {
        snprintf(err, errlen, "timeout_ms must not be negative");
        goto bad;
    }
    s->timeout_ms = config->timeout_ms ? config->timeout_ms : SCM_DEFAULT_TIMEOUT_MS;
    /* A day is patience enough, and keeps every deadline sum far from overflow. */
    if (s->timeout_ms > SCM_MAX_TIMEOUT_MS)
        s->timeout_ms = SCM_MAX_TIMEOUT_MS;
    if (read_backend(&s->backend, err, errlen) != 0 ||
        read_flag("SCM_SHIM_ANNOTATE", &s->annotate, err, errlen) != 0 ||
        read_shadow(s, err, errlen) != 0 || read_transport(s, err, errlen) != 0 ||
        read_endpoint(s, SCM_BACKEND_V3, config->endpoint, err, errlen) != 0 ||
        read_endpoint(s, SCM_BACKEND_LEGACY, config->endpoint, err, errlen) != 0)
        goto bad;

    project = pick(config->project_id, "HUAWEICLOUD_SDK_PROJECT_ID");
    if (project != NULL && !scm__valid_id(project)) {
        snprintf(err, errlen, "project_id must be 1-64 characters of A-Z a-z 0-9 _ -");
        goto bad;
    }
    domain = pick(NULL, "HUAWEICLOUD_SDK_DOMAIN_ID");
    if (domain != NULL && !scm__valid_id(domain)) {
        snprintf(err, errlen,
                 "HUAWEICLOUD_SDK_DOMAIN_ID must be 1-64 characters of A-Z a-z 0-9 _ -");
        goto bad;
    }
    ak = pick(config->access_key, "HUAWEICLOUD_SDK_AK");
    sk = pick(config->secret_key, "HUAWEICLOUD_SDK_SK");
    stoken = pick(NULL, "HUAWEICLOUD_SDK_SECURITY_TOKEN");
    if (ak != NULL && sk == NULL) {
        snprintf(err, errlen,
                 "an access key was given without a secret key "
                 "(secret_key or HUAWEICLOUD_SDK_SK)");
        goto bad;
    }
    if (ak == NULL && (config->auth_token == NULL || config->auth_token[0] == '\0')) {
        snprintf(err, errlen,
                 "no credentials: give access_key and secret_key "
                 "(or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK), or auth_token");
        goto bad;
    }
    if (!header_safe(ak) || !header_safe(stoken) || !header_safe(ak ? NULL : config->auth_token)) {
        snprintf(err, errlen, "credentials must be printable ASCII without spaces");
        goto bad;
    }
    if (dup_opt(&s->project_id, project) != 0 || dup_opt(&s->domain_id, domain) != 0 ||
        dup_opt(&s->ak, ak) != 0 || dup_opt(&s->sk, ak ? sk : NULL) != 0 ||
        dup_opt(&s->security_token, ak ? stoken : NULL) != 0 ||
        dup_opt(&s->token, ak ? NULL : config->auth_token) != 0) {
        snprintf(err, errlen, "out of memory");
        goto bad;
    }
    return 0;
bad:
    scm__settings_free(s);
    return -1;
}

void scm__settings_free(scm_settings *s)
{
    int b;
    for (b = 0; b < SCM_BACKEND_COUNT; b++) {
        free(s->ep[b].base);
        free(s->ep[b].host);
    }
    free(s->project_id);
    free(s->domain_id);
    free(s->audit_log);
    free(s->ca_file);
    free(s->capture);
    free(s->region_override);
    free(s->ak);
    free_secret(&s->sk);
    free_secret(&s->security_token);
    free_secret(&s->token);
    memset(s, 0, sizeof *s);
}
