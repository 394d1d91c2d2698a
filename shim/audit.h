/*
 * audit.h - one comparison of the two backends for one certificate (a shadow
 * call, or a certificate of `scm-shim audit`), its JSON line, and the
 * SCM_SHIM_AUDIT_LOG file those lines are appended to.
 */
#ifndef SCM_SHIM_AUDIT_H
#define SCM_SHIM_AUDIT_H

#include "backend.h"
#include "compare.h"

#include <cjson/cJSON.h>

typedef struct scm_audit_side {
    int rc; /* SCM_OK or SCM_E_* */
    long http_status;
    char error_code[SCM_ERR_CODE_MAX];
    double ms;                                    /* latency of the request */
    char request_id[SCM_HTTP_REQUEST_ID_MAX + 1]; /* the answer's X-Request-Id, or "" */
} scm_audit_side;

typedef struct scm_audit_record {
    char *cert_id;
    scm_backend served;   /* the backend whose answer the caller got */
    const char *fallback; /* "forward", "legacy" (fallback.h) when served not by the first; NULL */
    scm_cmp overall;
    scm_cmp *fields;         /* one per row of the built-in table */
    scm_cmp_reason *reasons; /* one per row: why an expected field differs, else none */
    scm_audit_side side[SCM_BACKEND_COUNT];
    cJSON *values;     /* {"field": {"legacy": v, "v3": v}} for fields that differ, or NULL */
    cJSON *v3_members; /* SCM_AUDIT_VALUES_ALL: the v3 body's top-level strings {"name": s} */
} scm_audit_record;

/* want_values: none (0), the differing fields' values (audit lines), or every compared field's
 * and the v3 body's top-level strings (what `scm-shim audit --suggest-mapping` learns from). */
#define SCM_AUDIT_VALUES_DIFFERING 1
#define SCM_AUDIT_VALUES_ALL 2

/*
 * Compares the two answers (objects made by scm__answer_details; NULL where
 * that side failed). With want_values, records values as above.
 * Returns NULL on OOM.
 */
scm_audit_record *scm__audit_compare(const char *cert_id, scm_backend served,
                                     const scm_answer *answers,
                                     const scm_cert_details *const *details, int want_values);
void scm__audit_record_free(scm_audit_record *r);

/* The record as one JSON line ending in '\n' (malloc'd), or NULL on OOM. */
char *scm__audit_record_line(const scm_audit_record *r);

/*
 * Asks both backends for cert_id at once (each with the client's timeout)
 * and compares them, for `scm-shim audit`. SCM_OK with *out (free with
 * scm__audit_record_free), or a failure recorded on the client.
 */
int scm__client_audit(scm_client *client, const char *cert_id, int want_values,
                      scm_audit_record **out);

typedef struct scm_audit_log scm_audit_log;

/*
 * Opens path for appending (created with mode 0600). A path that cannot be
 * opened is reported once per process on stderr and gives NULL: shadowing
 * goes on without the log.
 */
scm_audit_log *scm__audit_log_open(const char *path);
/* Appends a line with one write(), so concurrent writers never interleave. */
void scm__audit_log_write(scm_audit_log *log, const char *line);
void scm__audit_log_close(scm_audit_log *log);

#endif
