/*
 * settings.c - resolves and checks a client's configuration: defaults, the
 * environment, scm_config and scm_shim_client_options, in that order.
 * owns: scm_settings, endpoint parsing, the regions' endpoints, every getenv of
 * a client setting; must not: open files or connections (client_new.c does),
 * or print (the caller reports err).
 */
#include "settings.h"

#include "backend.h"
#include "credfile.h"
#include "fallback.h"
#include "log.h"
#include "regions.h"
#include "url.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
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

/* The scm_config members; every other setting is an scm_shim_client_options member. */
static const char *const CONFIG_MEMBERS[] = {"endpoint",   "project_id", "access_key",
                                             "secret_key", "auth_token", "timeout_ms"};

/* One resolution: what is being read and how its errors are named. */
typedef struct resolve {
    scm_settings *s;
    const scm_config *config;
    const scm_shim_client_options *o;
    char names[4][96]; /* the last few names built, so that one message can hold several */
    int next_name;
} resolve;

/*
 * What the caller calls setting (options->setting_names), else its member's
 * own name, "scm_config.endpoint" or "scm_shim_client_options.backend".
 */
static const char *named(resolve *r, const char *setting)
{
    const scm_shim_setting_name *n = r->o->setting_names;
    char *buf = r->names[r->next_name++ % 4];
    size_t i;
    for (; n != NULL && n->setting != NULL; n++)
        if (strcmp(n->setting, setting) == 0 && n->name != NULL)
            return n->name;
    for (i = 0; i < sizeof CONFIG_MEMBERS / sizeof CONFIG_MEMBERS[0]; i++)
        if (strcmp(setting, CONFIG_MEMBERS[i]) == 0)
            break;
    snprintf(buf, sizeof r->names[0], "%s.%s",
             i < sizeof CONFIG_MEMBERS / sizeof CONFIG_MEMBERS[0] ? "scm_config"
                                                                  : "scm_shim_client_options",
             setting);
    return buf;
}

/* SCM_SHIM_BACKEND (or options->backend): "v3" (also when unset or empty) or "legacy". */
static int read_backend(resolve *r, scm_error *err)
{
    const char *given = r->o->backend, *v = given != NULL ? given : getenv("SCM_SHIM_BACKEND");
    int i;
    r->s->backend = SCM_BACKEND_V3;
    if (v == NULL || v[0] == '\0')
        return 0;
    for (i = 0; i < SCM_BACKEND_COUNT; i++)
        if (strcmp(v, scm__backend_ops((scm_backend)i)->name) == 0) {
            r->s->backend = (scm_backend)i;
            return 0;
        }
    return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s must be \"v3\" or \"legacy\" (or unset)",
                     given != NULL ? named(r, "backend") : "SCM_SHIM_BACKEND");
}

/*
 * A boolean SCM_SHIM_* variable: unset, "" or "0" is off, "1" on, anything
 * else an error; then the option member, when set (0 or 1).
 */
static int read_flag(resolve *r, const char *name, int given, const char *member, int *on,
                     scm_error *err)
{
    const char *v = getenv(name);
    *on = v != NULL && strcmp(v, "1") == 0;
    if (v != NULL && v[0] != '\0' && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s must be 1 or 0", name);
    if (given == SCM_SHIM_UNSET)
        return 0;
    if (given != 0 && given != 1)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s must be 1, 0 or SCM_SHIM_UNSET",
                         named(r, member));
    *on = given;
    return 0;
}

/* 1 to max milliseconds, from the variable, then the option member when set. */
static int read_ms(resolve *r, const char *name, long given, const char *member, long max, long *ms,
                   scm_error *err)
{
    const char *v = pick(NULL, name);
    char *end;
    long n;
    if (v != NULL) {
        errno = 0;
        n = strtol(v, &end, 10);
        if (errno != 0 || *end != '\0' || n < 1 || n > max)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "%s must be a positive number of milliseconds", name);
        *ms = n;
    }
    if (given == SCM_SHIM_UNSET)
        return 0;
    if (given < 1 || given > max)
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "%s must be a positive number of milliseconds or SCM_SHIM_UNSET",
                         named(r, member));
    *ms = given;
    return 0;
}

/* A copy of a path setting, NULL when none. */
static int dup_path(char **dst, const char *v, scm_error *err)
{
    return dup_opt(dst, v) == 0 ? 0 : scm__fail(err, SCM__ERR_NOMEM, NULL);
}

/* scm_config.timeout_ms: 0 is the default, more than a day a day. */
static int read_timeout(resolve *r, scm_error *err)
{
    scm_settings *s = r->s;
    s->timeout_ms = r->config->timeout_ms ? r->config->timeout_ms : SCM_DEFAULT_TIMEOUT_MS;
    if (r->config->timeout_ms < 0) {
        s->timeout_ms = SCM_DEFAULT_TIMEOUT_MS;
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s must not be negative",
                         named(r, "timeout_ms"));
    }
    /* A day is patience enough, and keeps every deadline sum far from overflow. */
    if (s->timeout_ms > SCM_MAX_TIMEOUT_MS)
        s->timeout_ms = SCM_MAX_TIMEOUT_MS;
    return 0;
}

static int read_annotate(resolve *r, scm_error *err)
{
    return read_flag(r, "SCM_SHIM_ANNOTATE", r->o->annotate, "annotate", &r->s->annotate, err);
}

static int read_shadow_flag(resolve *r, scm_error *err)
{
    return read_flag(r, "SCM_SHIM_SHADOW", r->o->shadow, "shadow", &r->s->shadow, err);
}

static int read_audit_values(resolve *r, scm_error *err)
{
    return read_flag(r, "SCM_SHIM_AUDIT_VALUES", r->o->audit_values, "audit_values",
                     &r->s->audit_values, err);
}

/* SCM_SHIM_SHADOW_SAMPLE: the fraction of calls shadowed. */
static int read_sample(resolve *r, scm_error *err)
{
    scm_settings *s = r->s;
    const char *v;
    char *end;
    double d;

    s->shadow_sample = 1.0;
    if ((v = pick(NULL, "SCM_SHIM_SHADOW_SAMPLE")) != NULL) {
        d = strtod(v, &end);
        if (*end != '\0' || !(d >= 0.0 && d <= 1.0))
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "SCM_SHIM_SHADOW_SAMPLE must be a number from 0.0 to 1.0");
        s->shadow_sample = d;
    }
    if (r->o->shadow_sample != SCM_SHIM_UNSET) {
        if (!(r->o->shadow_sample >= 0.0 && r->o->shadow_sample <= 1.0))
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "%s must be from 0.0 to 1.0 or SCM_SHIM_UNSET",
                             named(r, "shadow_sample"));
        s->shadow_sample = r->o->shadow_sample;
    }
    return 0;
}

/* SCM_SHIM_SHADOW_TIMEOUT_MS: by default a third of the caller's, at most 5 s. */
static int read_shadow_timeout(resolve *r, scm_error *err)
{
    scm_settings *s = r->s;
    s->shadow_timeout_ms = s->timeout_ms / 3 < SCM_DEFAULT_SHADOW_TIMEOUT_MS
                               ? s->timeout_ms / 3
                               : SCM_DEFAULT_SHADOW_TIMEOUT_MS;
    if (s->shadow_timeout_ms < 1)
        s->shadow_timeout_ms = 1;
    return read_ms(r, "SCM_SHIM_SHADOW_TIMEOUT_MS", r->o->shadow_timeout_ms, "shadow_timeout_ms",
                   LONG_MAX, &s->shadow_timeout_ms, err);
}

static int read_paths(resolve *r, scm_error *err)
{
    int rc;
    if ((rc = dup_path(&r->s->audit_log, opt_str(r->o->audit_log, "SCM_SHIM_AUDIT_LOG"), err)) != 0)
        return rc;
    return dup_path(&r->s->capture, opt_str(r->o->capture, "SCM_SHIM_CAPTURE"), err);
}

/* SCM_SHIM_RETRIES: retries after the first attempt. */
static int read_retries(resolve *r, scm_error *err)
{
    const char *v;
    char *end;
    long n;

    r->s->retries = SCM_DEFAULT_RETRIES;
    if ((v = pick(NULL, "SCM_SHIM_RETRIES")) != NULL) {
        errno = 0;
        n = strtol(v, &end, 10);
        if (errno != 0 || *end != '\0' || n < 0 || n > SCM_MAX_RETRIES)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "SCM_SHIM_RETRIES must be a number from 0 to %d", SCM_MAX_RETRIES);
        r->s->retries = (int)n;
    }
    if (r->o->retries != SCM_SHIM_UNSET) {
        if (r->o->retries < 0 || r->o->retries > SCM_MAX_RETRIES)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "%s must be from 0 to %d or SCM_SHIM_UNSET", named(r, "retries"),
                             SCM_MAX_RETRIES);
        r->s->retries = r->o->retries;
    }
    return 0;
}

static int read_connect_timeout(resolve *r, scm_error *err)
{
    r->s->connect_timeout_ms = SCM_DEFAULT_CONNECT_TIMEOUT_MS;
    return read_ms(r, "SCM_SHIM_CONNECT_TIMEOUT_MS", r->o->connect_timeout_ms, "connect_timeout_ms",
                   SCM_MAX_TIMEOUT_MS, &r->s->connect_timeout_ms, err);
}

/* SCM_SHIM_CA_FILE: whom to trust besides the system's CAs. */
static int read_ca_file(resolve *r, scm_error *err)
{
    const char *v = opt_str(r->o->ca_file, "SCM_SHIM_CA_FILE");
    if (v == NULL)
        return 0;
    if (access(v, R_OK) != 0)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s=%s: %s",
                         r->o->ca_file != NULL ? named(r, "ca_file") : "SCM_SHIM_CA_FILE", v,
                         strerror(errno));
    return dup_path(&r->s->ca_file, v, err);
}

/* SCM_SHIM_LOG is process-wide (log.c reads it once), but a bad value is refused like any other. */
static int read_log(resolve *r, scm_error *err)
{
    scm_log_level level;
    (void)r;
    if (scm__log_level_parse(getenv("SCM_SHIM_LOG"), &level) != 0)
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "SCM_SHIM_LOG must be off, error, warn, info or debug (or unset)");
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
static int region_endpoint(resolve *r, const char **url, scm_error *err)
{
    const char *given = r->o->region, *region = opt_str(given, "HUAWEICLOUD_SDK_REGION");
    char known[256];
    size_t i, n = 0;
    int quotable, rc;

    *url = NULL;
    if (region == NULL)
        return 0;
    if ((rc = sdk_region_override(r->s, region, url, err)) != 0 || *url != NULL)
        return rc;
    for (i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++)
        if (strcmp(region, REGIONS[i].id) == 0) {
            *url = REGIONS[i].endpoint;
            return 0;
        }
    for (i = 0; i < sizeof REGIONS / sizeof REGIONS[0] && n < sizeof known; i++)
        n += (size_t)snprintf(known + n, sizeof known - n, "%s %s", i ? "," : "", REGIONS[i].id);
    /* Only a region-like value is repeated, so the reason stays one printable line. */
    quotable = strlen(region) <= 64 &&
               region[strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-")] == '\0';
    return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s%s%s is not an SCM region; known:%s",
                     given != NULL ? named(r, "region") : "HUAWEICLOUD_SDK_REGION",
                     quotable ? "=" : "", quotable ? region : "", known);
}

/* A backend's endpoint: its override (option, else SCM_SHIM_*_ENDPOINT), else the caller's, else
 * the region's. */
static int read_endpoint(resolve *r, scm_backend b, scm_error *err)
{
    scm_settings *s = r->s;
    const scm_backend_ops *ops = scm__backend_ops(b);
    const char *var = ops->endpoint_var;
    const char *opt = *(const char *const *)((const char *)r->o + ops->endpoint_opt_at);
    const char *url = opt_str(opt, var), *from;
    /* Only the backend in use needs one (shadow mode needs both). */
    int needed = b == s->backend || s->shadow, rc;
    scm_error why;

    from = opt != NULL ? named(r, ops->endpoint_opt) : var;
    if (url == NULL) {
        url = r->config->endpoint;
        from = NULL;
    }
    if (url == NULL || url[0] == '\0') {
        if ((rc = region_endpoint(r, &url, err)) != 0 && needed)
            return rc;
        from = r->o->region != NULL ? named(r, "region") : "HUAWEICLOUD_SDK_REGION";
    }
    if (url == NULL) {
        if (!needed)
            return 0;
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "no endpoint given for the %s backend (%s, %s or HUAWEICLOUD_SDK_REGION)",
                         ops->name, named(r, "endpoint"), var);
    }
    scm__error_clear(&why);
    if ((rc = scm__endpoint_parse(&s->ep[b], url, &why)) != 0)
        return scm__fail(err, rc == SCM_E_NOMEM ? SCM__ERR_NOMEM : SCM__ERR_INVALID_PARAM,
                         "%s endpoint from %s: %s", scm__backend_name(b),
                         from ? from : named(r, "endpoint"), why.msg);
    return 0;
}

static int read_v3_endpoint(resolve *r, scm_error *err)
{
    return read_endpoint(r, SCM_BACKEND_V3, err);
}

static int read_legacy_endpoint(resolve *r, scm_error *err)
{
    return read_endpoint(r, SCM_BACKEND_LEGACY, err);
}

/* The keys of one source of credentials, with the names its user knows them by. */
typedef struct keys {
    const char *ak, *sk, *security_token, *token;
    const char *ak_name, *sk_name;
} keys;

/* One source's pair: both or neither (a token alone is also whole). */
static int keys_whole(const keys *k, const char *origin, scm_error *err)
{
    if (k->ak != NULL && k->sk == NULL)
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "%s: an access key was given without a secret key (%s)", origin,
                         k->sk_name);
    if (k->ak == NULL && k->sk == NULL)
        return 0;
    if (k->ak == NULL)
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "%s: a secret key was given without an access key (%s)", origin,
                         k->ak_name);
    return 0;
}

static const char *nonempty(const char *v)
{
    return v != NULL && v[0] != '\0' ? v : NULL;
}

/*
 * The credentials file's section for the backend in use ([global]: v3 is an
 * account-wide API; [basic]: legacy is project-scoped), else the other one
 * when only it holds keys.
 */
static const scm_cred_section *file_section(const scm_settings *s, const scm_credfile *f,
                                            const char **name)
{
    int global_first = s->backend == SCM_BACKEND_V3;
    const scm_cred_section *first = global_first ? &f->global : &f->basic;
    const scm_cred_section *second = global_first ? &f->basic : &f->global;
    const scm_cred_section *sec = first->ak != NULL || first->sk != NULL ? first : second;
    *name = sec == &f->global ? "global" : "basic";
    return sec;
}

/* Every source of the chain, each as the caller's user sets it (a name "" cannot be set). */
static int no_credentials(resolve *r, const char *file, scm_error *err)
{
    const char *ak = named(r, "access_key"), *sk = named(r, "secret_key");
    const char *token = named(r, "auth_token");
    char given[320] = "";
    size_t n = 0;

    if (ak[0] != '\0' && sk[0] != '\0')
        n = (size_t)snprintf(given, sizeof given, "%s and %s", ak, sk);
    if (token[0] != '\0' && n < sizeof given)
        snprintf(given + n, sizeof given - n, "%s%s", n ? ", or " : "", token);
    return scm__fail(err, SCM__ERR_INVALID_PARAM,
                     "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, write ak "
                     "and sk to %s%s%s",
                     file[0] ? file : "~/.huaweicloud/credentials", given[0] ? ", or give " : "",
                     given);
}

/*
 * The credentials, as the official SDKs' chain finds them: the caller's
 * scm_config, else the environment (HUAWEICLOUD_SDK_AK/_SK/_SECURITY_TOKEN),
 * else the credentials file. All keys come from one source, so a security
 * token is sent only with the key it was issued with; the file's project and
 * domain IDs come with its keys.
 */
static int read_identity(resolve *r, scm_error *err)
{
    scm_settings *s = r->s;
    const scm_config *c = r->config;
    const char *project, *domain, *project_from, *domain_from, *section = NULL;
    const scm_cred_section *sec = NULL;
    scm_credfile file;
    keys k = {0};
    int rc = 0;

    memset(&file, 0, sizeof file);
    k.ak = nonempty(c->access_key);
    k.sk = nonempty(c->secret_key);
    k.token = nonempty(c->auth_token);
    if (k.ak != NULL || k.sk != NULL || k.token != NULL) {
        s->cred_source = SCM_CRED_CONFIG;
        k.ak_name = named(r, "access_key");
        k.sk_name = named(r, "secret_key");
        if (k.ak == NULL && k.token != NULL)
            k.sk = NULL; /* the token is the credential: a lone secret key means nothing */
        if (k.ak != NULL)
            k.token = NULL;
        if (k.ak != NULL && pick(NULL, "HUAWEICLOUD_SDK_SECURITY_TOKEN") != NULL)
            scm__log(SCM_LOG_INFO,
                     "HUAWEICLOUD_SDK_SECURITY_TOKEN is not sent: the keys are "
                     "the program's own (%s), not the environment's",
                     k.ak_name);
        rc = keys_whole(&k, "credentials", err);
    } else if ((k.ak = pick(NULL, "HUAWEICLOUD_SDK_AK")) != NULL ||
               (k.sk = pick(NULL, "HUAWEICLOUD_SDK_SK")) != NULL) {
        s->cred_source = SCM_CRED_ENV;
        k.sk = pick(NULL, "HUAWEICLOUD_SDK_SK");
        k.security_token = pick(NULL, "HUAWEICLOUD_SDK_SECURITY_TOKEN");
        k.ak_name = "HUAWEICLOUD_SDK_AK";
        k.sk_name = "HUAWEICLOUD_SDK_SK";
        rc = keys_whole(&k, "the environment", err);
    } else if ((rc = scm__credfile_read(&file, err)) == SCM_OK && file.found) {
        sec = file_section(s, &file, &section);
        k.ak = sec->ak;
        k.sk = sec->sk;
        k.security_token = sec->security_token;
        k.ak_name = "ak";
        k.sk_name = "sk";
        snprintf(s->cred_file, sizeof s->cred_file, "%s [%s]", file.path, section);
        s->cred_source = SCM_CRED_FILE;
        rc = keys_whole(&k, s->cred_file, err);
    }
    if (rc == 0 && k.ak == NULL && k.token == NULL)
        rc = no_credentials(r, file.path, err);
    if (rc == 0 && (!header_safe(k.ak) || !header_safe(k.security_token) || !header_safe(k.token)))
        rc = scm__fail(err, SCM__ERR_INVALID_PARAM,
                       "credentials must be printable ASCII without spaces");
    project = pick(c->project_id, "HUAWEICLOUD_SDK_PROJECT_ID");
    project_from = nonempty(c->project_id) ? named(r, "project_id") : "HUAWEICLOUD_SDK_PROJECT_ID";
    domain = opt_str(r->o->domain_id, "HUAWEICLOUD_SDK_DOMAIN_ID");
    domain_from = r->o->domain_id != NULL ? named(r, "domain_id") : "HUAWEICLOUD_SDK_DOMAIN_ID";
    if (sec != NULL && project == NULL && (project = file.basic.project_id) != NULL)
        project_from = file.path;
    if (sec != NULL && domain == NULL && r->o->domain_id == NULL &&
        (domain = file.global.domain_id) != NULL)
        domain_from = file.path;
    if (rc == 0 && project != NULL && !scm__valid_id(project))
        rc = scm__fail(err, SCM__ERR_INVALID_PARAM,
                       "the project ID from %s must be 1-64 characters of A-Z a-z 0-9 _ -",
                       project_from);
    if (rc == 0 && domain != NULL && !scm__valid_id(domain))
        rc = scm__fail(err, SCM__ERR_INVALID_PARAM,
                       "the domain ID from %s must be 1-64 characters of A-Z a-z 0-9 _ -",
                       domain_from);
    /* A valid project ID is kept even when the keys fail: the project check must not add a
     * problem that is not there. */
    if (project != NULL && scm__valid_id(project) && dup_opt(&s->project_id, project) != 0)
        rc = scm__fail(err, SCM__ERR_NOMEM, NULL);
    if (rc == 0 && (dup_opt(&s->domain_id, domain) != 0 || dup_opt(&s->ak, k.ak) != 0 ||
                    dup_opt(&s->sk, k.ak ? k.sk : NULL) != 0 ||
                    dup_opt(&s->security_token, k.ak ? k.security_token : NULL) != 0 ||
                    dup_opt(&s->token, k.ak ? NULL : k.token) != 0))
        rc = scm__fail(err, SCM__ERR_NOMEM, NULL);
    scm__credfile_free(&file);
    return rc;
}

/* A backend in use whose path names the project needs a project ID. */
static int check_project(resolve *r, scm_error *err)
{
    const scm_settings *s = r->s;
    scm_backend used[2] = {s->backend, scm__backend_ops(s->backend)->shadow};
    int i;
    for (i = 0; i < (s->shadow ? 2 : 1); i++) {
        const scm_backend_ops *ops = scm__backend_ops(used[i]);
        if (ops->needs_project && s->project_id == NULL)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "the %s backend%s needs a project ID: give %s or "
                             "HUAWEICLOUD_SDK_PROJECT_ID",
                             ops->name, i ? " (shadowed by SCM_SHIM_SHADOW)" : "",
                             named(r, "project_id"));
    }
    return SCM_OK;
}

/* SCM_SHIM_FALLBACK, the breaker's and SCM_SHIM_BACKEND_FILE (fallback.c), after the backend. */
static int read_fallback(resolve *r, scm_error *err)
{
    return scm__fallback_settings(r->s, r->o, err);
}

/* The steps of a resolution, in order; each sets its members even when it fails. */
static int (*const STEPS[])(resolve *, scm_error *) = {
    read_timeout,     read_backend,      read_fallback,        read_annotate,
    read_shadow_flag, read_audit_values, read_sample,          read_shadow_timeout,
    read_paths,       read_retries,      read_connect_timeout, read_ca_file,
    read_log,         read_v3_endpoint,  read_legacy_endpoint, read_identity,
    check_project,
};

int scm__settings_resolve(scm_settings *s, const scm_config *config,
                          const scm_shim_client_options *opt, scm_problem_fn *problem, void *arg,
                          scm_error *err)
{
    scm_shim_client_options full = NO_OPTIONS;
    resolve r;
    size_t i;
    int rc, first = 0, count = 0;
    scm_error e;

    memset(s, 0, sizeof *s);
    if (config == NULL)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "no configuration given");
    /* A caller built against a newer header may have set members this library cannot see. */
    if (opt != NULL && (opt->version == 0 || opt->version > SCM_SHIM_CLIENT_OPTIONS_VERSION))
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "scm_shim_client_options version %u is not supported: this library "
                         "(%s) knows versions 1 to %d",
                         opt->version, scm_shim_version(), SCM_SHIM_CLIENT_OPTIONS_VERSION);
    /* A version 1 struct ends before setting_names: never read past what the caller has. */
    if (opt != NULL)
        memcpy(&full, opt,
               opt->version == 1 ? offsetof(scm_shim_client_options, setting_names) : sizeof full);
    memset(&r, 0, sizeof r);
    r.s = s;
    r.config = config;
    r.o = &full;
    for (i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++) {
        scm__error_clear(&e);
        if ((rc = STEPS[i](&r, &e)) == 0)
            continue;
        if (count++ == 0) {
            first = rc;
            *err = e;
        }
        if (problem == NULL)
            break;
        problem(&e, arg);
    }
    if (count > 0) {
        scm__settings_free(s);
        return first;
    }
    /* An unknown region not needed by any endpoint is no failure. */
    scm__error_clear(err);
    return 0;
}

int scm__settings_init(scm_settings *s, const scm_config *config,
                       const scm_shim_client_options *opt, scm_error *err)
{
    return scm__settings_resolve(s, config, opt, NULL, NULL, err);
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
