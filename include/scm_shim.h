/*
 * scm_shim.h - scmshim's additions to the frozen scm_client.h interface, for
 * new code. Every name here starts with scm_shim_ (types and constants with
 * SCM_SHIM_). C89-clean; the frozen structs are not changed.
 *
 * The library answers every scm_query_cert_details* call from the backend
 * chosen when the client is created (SCM_SHIM_BACKEND or the client's options:
 * v3 by default, or legacy), or since named by SCM_SHIM_BACKEND_FILE, or fallen back
 * to (SCM_SHIM_FALLBACK). On the v3 backend the legacy layout is rebuilt through the mapping
 * table, and a report says, per legacy field, how its value relates to what
 * the legacy API would have said.
 *
 * Ownership: a client from scm_shim_client_new() (like one from
 * scm_client_new()) belongs to the caller (scm_client_free); the options
 * struct and its strings stay the caller's. A report from
 * scm_shim_details_report() belongs to the object it describes; one from
 * scm_shim_client_report() belongs to the client and stays valid until the
 * client's next query; one from scm_shim_convert() belongs to the caller
 * (scm_shim_report_free). Returned strings are owned by the report or are
 * static, unless a comment says scm_free().
 */
#ifndef SCM_SHIM_H
#define SCM_SHIM_H

#include "scm_client.h"

#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SCM_SHIM_VERSION_MAJOR 1
#define SCM_SHIM_VERSION_MINOR 1
#define SCM_SHIM_VERSION_PATCH 0

/* The library's version, "MAJOR.MINOR.PATCH" (static string). */
const char *scm_shim_version(void);

/*
 * How a legacy field's value was obtained: X(NAME, "name", doc). The classes a
 * row of the mapping table can have (its class column), then "captured", which
 * only a report says. Values count from 0 in this order and never change: new
 * classes are appended.
 */
#define SCM_SHIM_TABLE_CLASSES(X)                                                                  \
    X(EXACT, "exact", "same name, same value")                                                     \
    X(RENAMED, "renamed", "other name, same value")                                                \
    X(TRANSFORMED, "transformed", "value rebuilt by a fixed, lossless rule")                       \
    X(LOSSY, "lossy", "v3 holds part of the information")                                          \
    X(MISSING, "missing", "v3 has no source")
#define SCM_SHIM_CLASSES(X)                                                                        \
    SCM_SHIM_TABLE_CLASSES(X)                                                                      \
    X(CAPTURED, "captured", "missing or lossy, restored from the capture store")

typedef enum scm_shim_class {
#define SCM_SHIM__CLASS_ENUM(id, name, doc) SCM_SHIM_CLASS_##id,
    SCM_SHIM_CLASSES(SCM_SHIM__CLASS_ENUM)
#undef SCM_SHIM__CLASS_ENUM
        SCM_SHIM_CLASS_COUNT /* the number of classes, not one */
} scm_shim_class;

/* "exact", "renamed", "transformed", "lossy", "missing", "captured" (static), or NULL. */
const char *scm_shim_class_name(scm_shim_class cls);

typedef struct scm_shim_report scm_shim_report; /* opaque */

/*
 * The report of an object returned by scm_query_cert_details (any backend).
 * NULL for any other pointer (a struct the caller allocated itself, or one
 * already freed). Owned by details.
 */
const scm_shim_report *scm_shim_details_report(const scm_cert_details *details);

/*
 * The report of the client's last successful query (struct or JSON API), or
 * NULL when its last query failed. Owned by the client.
 */
const scm_shim_report *scm_shim_client_report(const scm_client *client);

/* "v3" or "legacy": the backend that answered (served the call). */
const char *scm_shim_report_backend(const scm_shim_report *report);

/*
 * "" when the call was served by the backend it started on; otherwise (SCM_SHIM_FALLBACK,
 * MIGRATION.md's "Switch day") "forward": the legacy API answered that it is gone and v3
 * served the call, or "legacy": v3 failed transiently (or its breaker is open) and the
 * legacy backend served it. Static string.
 */
const char *scm_shim_report_fallback(const scm_shim_report *report);

/*
 * The legacy fields, in legacy order, auth element members as "auth[].method".
 * On the legacy backend every field is SCM_SHIM_CLASS_EXACT.
 */
size_t scm_shim_report_field_count(const scm_shim_report *report);
const char *scm_shim_report_field_name(const scm_shim_report *report, size_t i);
scm_shim_class scm_shim_report_field_class(const scm_shim_report *report, size_t i);
/* The class of a field by legacy name; 0, or -1 when there is no such field. */
int scm_shim_report_find(const scm_shim_report *report, const char *field, scm_shim_class *cls);

/*
 * When field i was restored from the capture store (SCM_SHIM_CAPTURE), the
 * time it was captured; otherwise 0.
 */
time_t scm_shim_report_field_captured_at(const scm_shim_report *report, size_t i);

/* Legacy fields whose v3 value had no rule and was passed through unchanged. */
size_t scm_shim_report_unmapped_count(const scm_shim_report *report);
const char *scm_shim_report_unmapped(const scm_shim_report *report, size_t i);

/*
 * Legacy fields whose v3 source was absent or null in this body (an older
 * deployment without application_info, an uploaded certificate with no
 * application data): their value is "" (or 0) because v3 said nothing, not
 * because the field is lost. Fields the table classes missing are not listed.
 */
size_t scm_shim_report_absent_count(const scm_shim_report *report);
const char *scm_shim_report_absent(const scm_shim_report *report, size_t i);

/*
 * When field i was read through an older spelling of its v3 source (the table
 * lists alternatives, e.g. signature_algrithm for signature_algorithm), that
 * spelling; NULL when the current one served it, or none was present.
 */
const char *scm_shim_report_field_spelling(const scm_shim_report *report, size_t i);

/* v3 members no rule used ("authentification[].x" for element members, "application_info.x" for
 * nested ones). */
size_t scm_shim_report_v3_only_count(const scm_shim_report *report);
const char *scm_shim_report_v3_only(const scm_shim_report *report, size_t i);

/*
 * The report as JSON: {"backend": .., "fields": {"cert_id": "renamed", ..},
 * "unmapped": [..], "absent": [..], "v3_only": [..]}, plus "captured_at":
 * {field: "<UTC time>"} when a field was restored from the capture store and
 * "spellings": {field: "<older v3 name>"} when an older spelling served a
 * field. Free with scm_free(); NULL on OOM.
 */
char *scm_shim_report_json(const scm_shim_report *report);

void scm_shim_report_free(scm_shim_report *report);

/*
 * Offline conversion, no network: a v3 body (len bytes) in, the legacy body
 * out (*legacy_json, free with scm_free) with its report (*report, may be
 * NULL if not wanted; free with scm_shim_report_free). Uses the built-in
 * table, or SCM_SHIM_MAPPING's, and restores from SCM_SHIM_CAPTURE's store. Returns SCM_OK,
 * SCM_E_INVALID_PARAM, SCM_E_PARSE or SCM_E_NOMEM; on failure the outputs are NULL and
 * scm_shim_last_error() says why.
 */
int scm_shim_convert(const char *v3_json, size_t len, char **legacy_json, scm_shim_report **report);

/*
 * The reason of the calling thread's last failed call without a client ("" if
 * none): scm_shim_convert, and scm_client_new or scm_shim_client_new when it
 * returns NULL (the same line it prints on stderr unless SCM_SHIM_LOG=off).
 * Owned by the library.
 */
const char *scm_shim_last_error(void);

/* ---- Client options: configuration in code rather than in the environment ---- */

/*
 * A versioned options struct (the libgit2 pattern): initialise it with
 * SCM_SHIM_CLIENT_OPTIONS_INIT, then set the members wanted. Each member
 * names the environment variable it replaces; what a member does not set
 * comes from that variable, and what neither sets from the default (the
 * variables and defaults are in README.md). A string member left NULL falls
 * through to the environment; "" sets "none" (no endpoint override, no region,
 * no domain ID, the built-in table, no audit log, no extra CAs, no capture
 * store; the v3 backend). A number left SCM_SHIM_UNSET falls through; any
 * other value out of the variable's range makes the constructor fail.
 * Strings are copied (or read) while the client is made: the caller keeps
 * them. SCM_SHIM_LOG stays process-wide and is read from the environment.
 * Version 2 added setting_names; a version 1 struct is read only up to it.
 */
#define SCM_SHIM_CLIENT_OPTIONS_VERSION 2
#define SCM_SHIM_UNSET (-1)

/*
 * What a program calls a setting, so that an error names what its user can
 * change: setting is an scm_config member ("endpoint", "project_id",
 * "access_key", "secret_key", "auth_token", "timeout_ms") or an options
 * member ("backend", "region", "domain_id", ...); name is, say,
 * "--endpoint". An array ends with a {NULL, NULL} entry. Without one, errors
 * say "scm_config.endpoint" or "scm_shim_client_options.backend".
 */
typedef struct scm_shim_setting_name {
    const char *setting;
    const char *name;
} scm_shim_setting_name;

typedef struct scm_shim_client_options {
    unsigned int version;        /* SCM_SHIM_CLIENT_OPTIONS_VERSION the caller was built with */
    const char *backend;         /* SCM_SHIM_BACKEND: "v3" or "legacy" */
    const char *v3_endpoint;     /* SCM_SHIM_V3_ENDPOINT */
    const char *legacy_endpoint; /* SCM_SHIM_LEGACY_ENDPOINT */
    const char *region;          /* HUAWEICLOUD_SDK_REGION */
    const char *domain_id;       /* HUAWEICLOUD_SDK_DOMAIN_ID */
    const char *mapping;         /* SCM_SHIM_MAPPING: a replacement mapping table's path */
    int annotate;                /* SCM_SHIM_ANNOTATE: 0 or 1 */
    int shadow;                  /* SCM_SHIM_SHADOW: 0 or 1 */
    double shadow_sample;        /* SCM_SHIM_SHADOW_SAMPLE: 0.0 to 1.0 */
    long shadow_timeout_ms;      /* SCM_SHIM_SHADOW_TIMEOUT_MS: positive */
    const char *audit_log;       /* SCM_SHIM_AUDIT_LOG: path */
    int audit_values;            /* SCM_SHIM_AUDIT_VALUES: 0 or 1 */
    int retries;                 /* SCM_SHIM_RETRIES: 0 to 10 */
    long connect_timeout_ms;     /* SCM_SHIM_CONNECT_TIMEOUT_MS: positive */
    const char *ca_file;         /* SCM_SHIM_CA_FILE: PEM bundle's path */
    const char *capture;         /* SCM_SHIM_CAPTURE: the capture store's path */
    /* Version 2: names for errors, NULL for none; read while the client is made. */
    const scm_shim_setting_name *setting_names;
} scm_shim_client_options;

/* Every member unset: the same client as scm_client_new(). */
#define SCM_SHIM_CLIENT_OPTIONS_INIT                                                               \
    {                                                                                              \
        SCM_SHIM_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, SCM_SHIM_UNSET,       \
            SCM_SHIM_UNSET, SCM_SHIM_UNSET, SCM_SHIM_UNSET, NULL, SCM_SHIM_UNSET, SCM_SHIM_UNSET,  \
            SCM_SHIM_UNSET, NULL, NULL, NULL                                                       \
    }

/*
 * scm_client_new() with options over the environment: defaults, then the
 * environment, then options. options NULL is scm_client_new(config). An
 * options->version of 0 or newer than this library's
 * SCM_SHIM_CLIENT_OPTIONS_VERSION is refused. Returns a client owned by the
 * caller (free it with scm_client_free), or NULL when the configuration is
 * unusable: scm_shim_last_error() says why.
 */
scm_client *scm_shim_client_new(const scm_config *config, const scm_shim_client_options *options);

/* ---- Error codes ---- */

/*
 * scm_client_error_code() is the service's error_code (such as "SCM.0016")
 * when the answer carried one, else one of these, each listed with the
 * SCM_E_* code it comes with and the message it has when there is no more
 * detail. SCMSHIM.HTTP (a status without an SCM error body) returns
 * SCM_E_AUTH, SCM_E_NOT_FOUND or SCM_E_SERVER by status; SCMSHIM.PARSE
 * returns the status's code when a non-2xx body is unreadable.
 */
#define SCM_SHIM_ERR_INVALID_PARAM "SCMSHIM.INVALID_PARAM"
#define SCM_SHIM_ERR_NETWORK "SCMSHIM.NETWORK"
#define SCM_SHIM_ERR_TLS "SCMSHIM.TLS"
#define SCM_SHIM_ERR_PARSE "SCMSHIM.PARSE"
#define SCM_SHIM_ERR_NOMEM "SCMSHIM.NOMEM"
#define SCM_SHIM_ERR_HTTP "SCMSHIM.HTTP"
/* An audit line's side that was not asked: v3 while its breaker is open (SCM_SHIM_FALLBACK). */
#define SCM_SHIM_ERR_BREAKER_OPEN "SCMSHIM.BREAKER_OPEN"

/* X(NAME, SCM_E_*, default message): NAME's code is SCM_SHIM_ERR_NAME. */
#define SCM_SHIM_ERRORS(X)                                                                         \
    X(INVALID_PARAM, SCM_E_INVALID_PARAM, "invalid parameter")                                     \
    X(NETWORK, SCM_E_NETWORK, "network failure")                                                   \
    X(TLS, SCM_E_NETWORK, "TLS failure")                                                           \
    X(PARSE, SCM_E_PARSE, "the answer is not the expected JSON")                                   \
    X(NOMEM, SCM_E_NOMEM, "out of memory")                                                         \
    X(HTTP, SCM_E_SERVER, "an HTTP status without an SCM error body")                              \
    X(BREAKER_OPEN, SCM_E_NETWORK, "not asked: v3's breaker is open")

/* ---- Service identity: request IDs and credentials' scope ---- */

/*
 * The X-Request-Id of the answer that served the client's last query
 * (success or failure), as the provider's support asks for it; "" when that
 * answer had none, no request was made, or client is NULL. At most 128
 * characters, printable ASCII only. Owned by the client, valid until its
 * next query. A failed call's scm_client_error_msg() also ends with
 * " (request id ...)".
 */
const char *scm_shim_client_request_id(const scm_client *client);

/*
 * Global credentials: sets the account (domain) ID the client's v3 requests
 * name in X-Domain-Id, signed like the other headers, instead of
 * X-Project-Id, as the official SDKs' SCM client prefers when it has both.
 * HUAWEICLOUD_SDK_DOMAIN_ID gives the initial value when the client is
 * created (scm_config has no member for it). The legacy v2 path is
 * project-scoped: it keeps sending X-Project-Id and never X-Domain-Id.
 * domain_id must be 1-64 characters of A-Z a-z 0-9 _ -; it is copied (the
 * caller keeps its string). NULL or "" removes the domain ID, so v3 requests
 * name the project again (if the client has one). Takes effect from the
 * next query. Returns SCM_OK, SCM_E_INVALID_PARAM (NULL client, malformed
 * ID) or SCM_E_NOMEM; on failure the client's domain ID is unchanged and
 * scm_client_error_code/msg() say why.
 */
int scm_shim_client_set_domain_id(scm_client *client, const char *domain_id);

#ifdef __cplusplus
}
#endif

#endif /* SCM_SHIM_H */
