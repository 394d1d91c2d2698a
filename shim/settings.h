/*
 * settings.h - a client's resolved configuration: defaults, the SDK and
 * SCM_SHIM_* environment, the caller's scm_config and scm_shim_client_options.
 */
#ifndef SCM_SHIM_SETTINGS_H
#define SCM_SHIM_SETTINGS_H

#include "error.h"
#include "scm_client.h"
#include "scm_shim.h"

#include <stddef.h>

#define SCM_DEFAULT_TIMEOUT_MS 30000L
/* The longest timeout_ms honoured; a larger one is taken as this. */
#define SCM_MAX_TIMEOUT_MS (24L * 3600 * 1000)

/* The two services a query can go to. */
typedef enum { SCM_BACKEND_V3 = 0, SCM_BACKEND_LEGACY = 1 } scm_backend;
#define SCM_BACKEND_COUNT 2

typedef struct scm_endpoint {
    char *base; /* scheme://host[:port][/prefix], no trailing '/'; NULL when unset */
    char *host; /* Host header value: host, or host:port when not the default */
} scm_endpoint;

/* Where a client's keys came from: the chain of the official SDKs. */
typedef enum {
    SCM_CRED_CONFIG = 0, /* the caller's scm_config */
    SCM_CRED_ENV,        /* HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK */
    SCM_CRED_FILE        /* the credentials file (credfile.h) */
} scm_cred_source;

typedef struct scm_settings {
    scm_backend backend; /* SCM_SHIM_BACKEND */
    scm_endpoint ep[SCM_BACKEND_COUNT];
    char *project_id; /* NULL when none was given */
    char *domain_id;  /* global credentials: X-Domain-Id on v3 instead of X-Project-Id; or NULL */
    char *ak;         /* AK/SK signing when both are set ... */
    char *sk;
    char *security_token; /* ... with X-Security-Token for temporary credentials */
    char *token;          /* X-Auth-Token when there is no AK */
    long timeout_ms;
    int annotate;            /* SCM_SHIM_ANNOTATE=1: "_shim" member in JSON bodies */
    int shadow;              /* SCM_SHIM_SHADOW=1: also ask the other backend and compare */
    double shadow_sample;    /* SCM_SHIM_SHADOW_SAMPLE: fraction of calls shadowed */
    long shadow_timeout_ms;  /* SCM_SHIM_SHADOW_TIMEOUT_MS */
    char *audit_log;         /* SCM_SHIM_AUDIT_LOG: path, or NULL */
    int audit_values;        /* SCM_SHIM_AUDIT_VALUES=1: values in audit lines */
    int retries;             /* SCM_SHIM_RETRIES: retries after the first attempt */
    long connect_timeout_ms; /* SCM_SHIM_CONNECT_TIMEOUT_MS: one connection attempt, within the
                                timeout */
    char *ca_file;           /* SCM_SHIM_CA_FILE: extra trusted CAs, or NULL */
    char *capture;           /* SCM_SHIM_CAPTURE: the capture store's path, or NULL */
    char *region_override;   /* HUAWEICLOUD_SDK_REGION_SCM_<REGION>'s endpoint, or NULL */
    scm_cred_source cred_source;
    char cred_file[4200]; /* SCM_CRED_FILE: "path [section]" */
    /* Switch day (fallback.c reads these): */
    int backend_from;         /* where backend came from: scm_backend_origin */
    int fallback;             /* SCM_SHIM_FALLBACK: scm_fallback_mode */
    int breaker_failures;     /* SCM_SHIM_BREAKER_FAILURES */
    long breaker_cooldown_ms; /* SCM_SHIM_BREAKER_COOLDOWN_MS */
    char *backend_file;       /* SCM_SHIM_BACKEND_FILE: path, or NULL */
} scm_settings;

#define SCM_DEFAULT_RETRIES 3
/* A lost SYN burst costs one connect timeout, then a retry, not the whole deadline. */
#define SCM_DEFAULT_CONNECT_TIMEOUT_MS 3000L
#define SCM_MAX_RETRIES 10

/* The shadow request's default timeout: well under the caller's, at most this. */
#define SCM_DEFAULT_SHADOW_TIMEOUT_MS 5000L

/*
 * Resolves config and the environment: the credentials as the SDKs' chain
 * finds them (config, else HUAWEICLOUD_SDK_AK/_SK/_SECURITY_TOKEN, else the
 * credentials file; the project ID from config, HUAWEICLOUD_SDK_PROJECT_ID or
 * the file, the domain ID from opt, HUAWEICLOUD_SDK_DOMAIN_ID or the file),
 * and the SCM_SHIM_* variables: the backend, an endpoint per backend
 * (SCM_SHIM_*_ENDPOINT, else config->endpoint, else HUAWEICLOUD_SDK_REGION's
 * from regions.h), annotation, shadow mode, the audit log, retries, the
 * log level. Each member opt sets replaces its variable (opt NULL: the
 * environment alone); an opt->version this library does not know is refused;
 * errors name settings as opt->setting_names says. Returns 0, or an SCM_E_*
 * code with a one-line reason in err (never containing a secret); on failure
 * s holds nothing.
 */
int scm__settings_init(scm_settings *s, const scm_config *config,
                       const scm_shim_client_options *opt, scm_error *err);

/* Told of one problem of a configuration (doctor lists them all). */
typedef void scm_problem_fn(const scm_error *problem, void *arg);

/*
 * scm__settings_init that, with problem set, goes on after a problem and
 * tells problem of each one; err and the return value are the first's.
 */
int scm__settings_resolve(scm_settings *s, const scm_config *config,
                          const scm_shim_client_options *opt, scm_problem_fn *problem, void *arg,
                          scm_error *err);
void scm__settings_free(scm_settings *s);

/* Parses and checks an endpoint URL into ep; 0, or an SCM_E_* code with err. */
int scm__endpoint_parse(scm_endpoint *ep, const char *url, scm_error *err);

/* "v3" or "legacy". */
const char *scm__backend_name(scm_backend b);

/* 1 when id is 1..64 characters of [A-Za-z0-9_-]: safe as one URL path segment. */
int scm__valid_id(const char *id);

#endif
