/*
 * settings.c - resolves and checks a client's configuration: defaults, the
 * environment, scm_config and scm_shim_client_options, in that order.
 * owns: scm_settings, endpoint parsing, the regions' endpoints, every getenv of
 * a client setting; must not: open files or connections (client_new.c does),
 * or print (the caller reports err).
 */
#include "settings.h"

#include "backend.h"
#include "fallback.h"
#include "regions.h"
#include "url.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
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
static int check_host(const char *url, const char *host, scm_error *err)
{
    const char *after = strstr(url, "://");
    size_t n = strlen(host), i;
    int v6 = n >= 2 && host[0] == '[' && host[n - 1] == ']';
    if (after == NULL || after[3] == '/' || n == 0 || n > HOST_MAX) {
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "endpoint URL needs a host name of at most %d characters", HOST_MAX);
    }
    if (memchr(after + 3, '%', strcspn(after + 3, "/?#")) != NULL) {
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "endpoint host must not be percent-encoded");
    }
    for (i = v6; i < n - (size_t)v6; i++) {
        unsigned char ch = (unsigned char)host[i];
        int ok = v6 ? isxdigit(ch) || ch == ':' || ch == '.'
                    : (ch < 0x80 && isalnum(ch)) || ch == '-' || ch == '.';
        if (!ok)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "endpoint host must be ASCII letters, digits, '-' and '.' "
                             "(an IDN in its xn-- form), or an IPv6 literal in brackets");
    }
    return 0;
}

int scm__endpoint_parse(scm_endpoint *ep, const char *endpoint, scm_error *err)
{
    scm_url u = {0};
    char *base = NULL, *hosthdr = NULL;
    const char *port;
    size_t plen, blen, hlen;
    int rc, https;

    if (endpoint == NULL || endpoint[0] == '\0')
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "no endpoint given");
    if (strncasecmp(endpoint, "http://", 7) != 0 && strncasecmp(endpoint, "https://", 8) != 0)
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "endpoint must start with https:// or http://");
    if ((rc = scm__url_split(endpoint, &u)) != SCM_OK)
        return rc == SCM_E_NOMEM ? scm__fail(err, SCM__ERR_NOMEM, NULL)
                                 : scm__fail(err, SCM__ERR_INVALID_PARAM, "malformed endpoint URL");
    if (u.has_extra) {
        rc = scm__fail(err, SCM__ERR_INVALID_PARAM,
                       "endpoint URL must not contain user info, a query or a fragment");
        goto out;
    }
    if ((rc = check_host(endpoint, u.host, err)) != 0)
        goto out;
    if (u.port != NULL && strtol(u.port, NULL, 10) < 1) {
        rc = scm__fail(err, SCM__ERR_INVALID_PARAM, "endpoint port must be 1 to 65535");
        goto out;
    }
    plen = strlen(u.path);
    while (plen > 0 && u.path[plen - 1] == '/')
        plen--;
    /* The prefix is signed as sent: only characters that no canonical form re-encodes. */
    if (strspn(u.path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/") !=
        strlen(u.path)) {
        rc = scm__fail(err, SCM__ERR_INVALID_PARAM,
                       "endpoint path prefix may hold only letters, digits and - . _ ~ /");
        goto out;
    }
    https = strcmp(u.scheme, "https") == 0;
    /* Host carries the port only when it is not the scheme's default, as curl would send it. */
    port = u.port != NULL && strcmp(u.port, https ? "443" : "80") != 0 ? u.port : NULL;
    hlen = strlen(u.host) + (port ? strlen(port) + 1 : 0) + 1;
    blen = strlen(u.scheme) + 3 + hlen + plen + 1;
    base = malloc(blen);
    hosthdr = malloc(hlen);
    if (base == NULL || hosthdr == NULL) {
        rc = scm__fail(err, SCM__ERR_NOMEM, NULL);
        free(base);
        free(hosthdr);
        goto out;
    }
    snprintf(hosthdr, hlen, "%s%s%s", u.host, port ? ":" : "", port ? port : "");
    snprintf(base, blen, "%s://%s%.*s", u.scheme, hosthdr, (int)plen, u.path);
    ep->base = base;
    ep->host = hosthdr;
    rc = 0;
out:
    scm__url_free(&u);
    return rc;
}

/* Every member unset: the environment alone. */
static const scm_shim_client_options NO_OPTIONS = SCM_SHIM_CLIENT_OPTIONS_INIT;

/* An option's string over its variable: NULL falls through, "" is none. */
static const char *opt_str(const char *given, const char *env_name)
{
    if (given != NULL)
        return given[0] != '\0' ? given : NULL;
    return pick(NULL, env_name);
}

/* Names an options member in a reason. */
#define OPT "scm_shim_client_options."

/* SCM_SHIM_BACKEND (or options->backend): "v3" (also when unset or empty) or "legacy". */
static int read_backend(scm_backend *b, const char *given, scm_error *err)
{
    const char *v = given != NULL ? given : getenv("SCM_SHIM_BACKEND");
    int i;
    if (v == NULL || v[0] == '\0') {
        *b = SCM_BACKEND_V3;
        return 0;
    }
    for (i = 0; i < SCM_BACKEND_COUNT; i++)
        if (strcmp(v, scm__backend_ops((scm_backend)i)->name) == 0) {
            *b = (scm_backend)i;
            return 0;
        }
    return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s must be \"v3\" or \"legacy\" (or unset)",
                     given != NULL ? OPT "backend" : "SCM_SHIM_BACKEND");
}

/*
 * A boolean SCM_SHIM_* variable: unset, "" or "0" is off, "1" on, anything
 * else an error; then the option member, when set (0 or 1).
 */
static int read_flag(const char *name, int given, const char *member, int *on, scm_error *err)
{
    const char *v = getenv(name);
    *on = v != NULL && strcmp(v, "1") == 0;
    if (v != NULL && v[0] != '\0' && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s must be 1 or 0", name);
    if (given == SCM_SHIM_UNSET)
        return 0;
    if (given != 0 && given != 1)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, OPT "%s must be 1, 0 or SCM_SHIM_UNSET",
                         member);
    *on = given;
    return 0;
}

/* 1 to max milliseconds, from the variable, then the option member when set. */
static int read_ms(const char *name, long given, const char *member, long max, long *ms,
                   scm_error *err)
{
    const char *v = pick(NULL, name);
    char *end;
    long n;
    if (v != NULL) {
        n = strtol(v, &end, 10);
        if (*end != '\0' || n < 1 || n > max)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "%s must be a positive number of milliseconds", name);
        *ms = n;
    }
    if (given == SCM_SHIM_UNSET)
        return 0;
    if (given < 1 || given > max)
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         OPT "%s must be a positive number of milliseconds or SCM_SHIM_UNSET",
                         member);
    *ms = given;
    return 0;
}

/* A copy of a path setting, NULL when none. */
static int dup_path(char **dst, const char *v, scm_error *err)
{
    return dup_opt(dst, v) == 0 ? 0 : scm__fail(err, SCM__ERR_NOMEM, NULL);
}

/* SCM_SHIM_SHADOW*, SCM_SHIM_AUDIT_*: shadow mode and its audit log. */
static int read_shadow(scm_settings *s, const scm_shim_client_options *o, scm_error *err)
{
    const char *v;
    char *end;
    int rc;

    if ((rc = read_flag("SCM_SHIM_SHADOW", o->shadow, "shadow", &s->shadow, err)) != 0 ||
        (rc = read_flag("SCM_SHIM_AUDIT_VALUES", o->audit_values, "audit_values", &s->audit_values,
                        err)) != 0)
        return rc;
    s->shadow_sample = 1.0;
    if ((v = pick(NULL, "SCM_SHIM_SHADOW_SAMPLE")) != NULL) {
        s->shadow_sample = strtod(v, &end);
        if (*end != '\0' || !(s->shadow_sample >= 0.0 && s->shadow_sample <= 1.0))
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "SCM_SHIM_SHADOW_SAMPLE must be a number from 0.0 to 1.0");
    }
    if (o->shadow_sample != SCM_SHIM_UNSET) {
        if (!(o->shadow_sample >= 0.0 && o->shadow_sample <= 1.0))
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             OPT "shadow_sample must be from 0.0 to 1.0 or SCM_SHIM_UNSET");
        s->shadow_sample = o->shadow_sample;
    }
    s->shadow_timeout_ms = s->timeout_ms / 3 < SCM_DEFAULT_SHADOW_TIMEOUT_MS
                               ? s->timeout_ms / 3
                               : SCM_DEFAULT_SHADOW_TIMEOUT_MS;
    if (s->shadow_timeout_ms < 1)
        s->shadow_timeout_ms = 1;
    if ((rc = read_ms("SCM_SHIM_SHADOW_TIMEOUT_MS", o->shadow_timeout_ms, "shadow_timeout_ms",
                      LONG_MAX, &s->shadow_timeout_ms, err)) != 0)
        return rc;
    return dup_path(&s->audit_log, opt_str(o->audit_log, "SCM_SHIM_AUDIT_LOG"), err);
}

/* SCM_SHIM_RETRIES, SCM_SHIM_CAPTURE and SCM_SHIM_CA_FILE: how hard to try, what to keep, whom to
 * trust. */
static int read_transport(scm_settings *s, const scm_shim_client_options *o, scm_error *err)
{
    const char *v;
    char *end;
    long n;
    int rc;

    s->retries = SCM_DEFAULT_RETRIES;
    if ((v = pick(NULL, "SCM_SHIM_RETRIES")) != NULL) {
        n = strtol(v, &end, 10);
        if (*end != '\0' || n < 0 || n > SCM_MAX_RETRIES)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "SCM_SHIM_RETRIES must be a number from 0 to %d", SCM_MAX_RETRIES);
        s->retries = (int)n;
    }
    if (o->retries != SCM_SHIM_UNSET) {
        if (o->retries < 0 || o->retries > SCM_MAX_RETRIES)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             OPT "retries must be from 0 to %d or SCM_SHIM_UNSET", SCM_MAX_RETRIES);
        s->retries = o->retries;
    }
    s->connect_timeout_ms = SCM_DEFAULT_CONNECT_TIMEOUT_MS;
    if ((rc = read_ms("SCM_SHIM_CONNECT_TIMEOUT_MS", o->connect_timeout_ms, "connect_timeout_ms",
                      SCM_MAX_TIMEOUT_MS, &s->connect_timeout_ms, err)) != 0 ||
        (rc = dup_path(&s->capture, opt_str(o->capture, "SCM_SHIM_CAPTURE"), err)) != 0)
        return rc;
    if ((v = opt_str(o->ca_file, "SCM_SHIM_CA_FILE")) != NULL) {
        if (access(v, R_OK) != 0)
            return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s=%s: %s",
                             o->ca_file != NULL ? OPT "ca_file" : "SCM_SHIM_CA_FILE", v,
                             strerror(errno));
        return dup_path(&s->ca_file, v, err);
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
 * The official SDKs' own endpoint override for a region, as their env region
 * provider reads it: HUAWEICLOUD_SDK_REGION_SCM_<REGION> (upper case, '-' as
 * '_'), a comma-separated list whose first entry is used. It may name a region
 * the table does not know. *url stays NULL when it is unset.
 */
static int sdk_region_override(scm_settings *s, const char *region, const char **url,
                               scm_error *err)
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
    if ((s->region_override = strndup(v, strcspn(v, ","))) == NULL)
        return scm__fail(err, SCM__ERR_NOMEM, NULL);
    *url = s->region_override;
    return 0;
}

/*
 * The region's endpoint (options->region, else HUAWEICLOUD_SDK_REGION) in
 * *url, NULL when there is none; an error for a region SCM does not have.
 * Asked only when no endpoint is given otherwise: other Huawei Cloud tools
 * share the variable, with regions of their own.
 */
static int region_endpoint(scm_settings *s, const char *given, const char **url, scm_error *err)
{
    const char *region = opt_str(given, "HUAWEICLOUD_SDK_REGION");
    char known[256];
    size_t i, n = 0;
    int quotable, rc;

    *url = NULL;
    if (region == NULL)
        return 0;
    if ((rc = sdk_region_override(s, region, url, err)) != 0 || *url != NULL)
        return rc;
    for (i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++)
        if (strcmp(region, REGIONS[i].id) == 0) {
            *url = REGIONS[i].endpoint;
            return 0;
        }
    for (i = 0; i < sizeof REGIONS / sizeof REGIONS[0] && n < sizeof known; i++)
        n += (size_t)snprintf(known + n, sizeof known - n, "%s %s", i ? "," : "", REGIONS[i].id);
    /* Only a region-like value is repeated, so the reason stays one printable line. The
     * variable names the setting whichever way it came (options->region replaces it). */
    quotable = strlen(region) <= 64 &&
               region[strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-")] == '\0';
    return scm__fail(err, SCM__ERR_INVALID_PARAM,
                     "HUAWEICLOUD_SDK_REGION%s%s is not an SCM region; known:%s",
                     quotable ? "=" : "", quotable ? region : "", known);
}

/* A backend's endpoint: its override (option, else SCM_SHIM_*_ENDPOINT), else the caller's, else
 * the region's. */
static int read_endpoint(scm_settings *s, scm_backend b, const char *given,
                         const scm_shim_client_options *o, scm_error *err)
{
    const scm_backend_ops *ops = scm__backend_ops(b);
    const char *var = ops->endpoint_var;
    const char *opt = *(const char *const *)((const char *)o + ops->endpoint_opt_at);
    const char *url = opt_str(opt, var), *from;
    /* Only the backend in use needs one (shadow mode needs both). */
    int needed = b == s->backend || s->shadow, rc;
    scm_error why;
    char named[64];

    snprintf(named, sizeof named, OPT "%s", ops->endpoint_opt);
    from = opt != NULL ? named : var;
    if (url == NULL) {
        url = given;
        from = NULL;
    }
    if (url == NULL || url[0] == '\0') {
        if ((rc = region_endpoint(s, o->region, &url, err)) != 0 && needed)
            return rc;
        from = "HUAWEICLOUD_SDK_REGION";
    }
    if (url == NULL) {
        if (!needed)
            return 0;
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "no endpoint given (config endpoint, %s or HUAWEICLOUD_SDK_REGION)", var);
    }
    scm__error_clear(&why);
    if ((rc = scm__endpoint_parse(&s->ep[b], url, &why)) != 0)
        return scm__fail(err, rc == SCM_E_NOMEM ? SCM__ERR_NOMEM : SCM__ERR_INVALID_PARAM,
                         "%s endpoint%s%s: %s", scm__backend_name(b), from ? " from " : "",
                         from ? from : "", why.msg);
    return 0;
}

/* The credentials and their scope: config, else the SDK environment (the domain ID: options). */
static int read_identity(scm_settings *s, const scm_config *config,
                         const scm_shim_client_options *o, scm_error *err)
{
    const char *ak, *sk, *project, *domain, *stoken;

    project = pick(config->project_id, "HUAWEICLOUD_SDK_PROJECT_ID");
    if (project != NULL && !scm__valid_id(project))
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "project_id must be 1-64 characters of A-Z a-z 0-9 _ -");
    domain = opt_str(o->domain_id, "HUAWEICLOUD_SDK_DOMAIN_ID");
    if (domain != NULL && !scm__valid_id(domain))
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "%s must be 1-64 characters of A-Z a-z 0-9 _ -",
                         o->domain_id != NULL ? OPT "domain_id" : "HUAWEICLOUD_SDK_DOMAIN_ID");
    ak = pick(config->access_key, "HUAWEICLOUD_SDK_AK");
    sk = pick(config->secret_key, "HUAWEICLOUD_SDK_SK");
    stoken = pick(NULL, "HUAWEICLOUD_SDK_SECURITY_TOKEN");
    if (ak != NULL && sk == NULL)
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "an access key was given without a secret key "
                         "(secret_key or HUAWEICLOUD_SDK_SK)");
    if (ak == NULL && (config->auth_token == NULL || config->auth_token[0] == '\0'))
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "no credentials: give access_key and secret_key "
                         "(or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK), or auth_token");
    if (!header_safe(ak) || !header_safe(stoken) || !header_safe(ak ? NULL : config->auth_token))
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "credentials must be printable ASCII without spaces");
    if (dup_opt(&s->project_id, project) != 0 || dup_opt(&s->domain_id, domain) != 0 ||
        dup_opt(&s->ak, ak) != 0 || dup_opt(&s->sk, ak ? sk : NULL) != 0 ||
        dup_opt(&s->security_token, ak ? stoken : NULL) != 0 ||
        dup_opt(&s->token, ak ? NULL : config->auth_token) != 0)
        return scm__fail(err, SCM__ERR_NOMEM, NULL);
    return 0;
}

int scm__settings_init(scm_settings *s, const scm_config *config,
                       const scm_shim_client_options *opt, scm_error *err)
{
    int rc;

    memset(s, 0, sizeof *s);
    if (config == NULL)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "no configuration given");
    /* A caller built against a newer header may have set members this library cannot see. */
    if (opt != NULL && (opt->version == 0 || opt->version > SCM_SHIM_CLIENT_OPTIONS_VERSION))
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "scm_shim_client_options version %u is not supported: this library "
                         "(%s) knows versions 1 to %d",
                         opt->version, scm_shim_version(), SCM_SHIM_CLIENT_OPTIONS_VERSION);
    if (opt == NULL)
        opt = &NO_OPTIONS;
    if (config->timeout_ms < 0)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "timeout_ms must not be negative");
    s->timeout_ms = config->timeout_ms ? config->timeout_ms : SCM_DEFAULT_TIMEOUT_MS;
    /* A day is patience enough, and keeps every deadline sum far from overflow. */
    if (s->timeout_ms > SCM_MAX_TIMEOUT_MS)
        s->timeout_ms = SCM_MAX_TIMEOUT_MS;
    if ((rc = read_backend(&s->backend, opt->backend, err)) != 0 ||
        (rc = scm__fallback_settings(s, opt, err)) != 0 ||
        (rc = read_flag("SCM_SHIM_ANNOTATE", opt->annotate, "annotate", &s->annotate, err)) != 0 ||
        (rc = read_shadow(s, opt, err)) != 0 || (rc = read_transport(s, opt, err)) != 0 ||
        (rc = read_endpoint(s, SCM_BACKEND_V3, config->endpoint, opt, err)) != 0 ||
        (rc = read_endpoint(s, SCM_BACKEND_LEGACY, config->endpoint, opt, err)) != 0 ||
        (rc = read_identity(s, config, opt, err)) != 0) {
        scm__settings_free(s);
        return rc;
    }
    /* An unknown region not needed by any endpoint is no failure. */
    scm__error_clear(err);
    return 0;
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
    free(s->backend_file);
    free(s->ak);
    free_secret(&s->sk);
    free_secret(&s->security_token);
    free_secret(&s->token);
    memset(s, 0, sizeof *s);
}
