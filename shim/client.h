/* client.h - the opaque scm_client and error records (internal). */
#ifndef SCM_SHIM_CLIENT_H
#define SCM_SHIM_CLIENT_H

#include "http.h"
#include "maptable.h"
#include "scm_client.h"
#include "settings.h"

#include <stdint.h>

#define SCM_ERR_CODE_MAX 64
#define SCM_ERR_MSG_MAX 1024

/* A failure: the service's error_code/error_msg, or one of ours, and the HTTP status. */
typedef struct scm_error {
    char code[SCM_ERR_CODE_MAX];
    char msg[SCM_ERR_MSG_MAX]; /* the reason, then " (request id ...)" when the answer had one */
    size_t reason_len;         /* the reason's length in msg: what an error body's error_msg says */
    long http_status;
} scm_error;

struct scm_audit_log;
struct scm_capture;

struct scm_client {
    scm_settings cfg;
    scm_http *http;
    scm_http_req *req[SCM_BACKEND_COUNT]; /* one reused request per backend */
    const scm_map *map;                   /* the built-in table, or loaded */
    scm_map loaded;                       /* SCM_SHIM_MAPPING's table */
    struct scm_audit_log *audit_log;      /* SCM_SHIM_AUDIT_LOG, NULL when unset or unusable */
    struct scm_capture *capture;          /* SCM_SHIM_CAPTURE, NULL when unset or unusable */
    uint64_t rng;                         /* for SCM_SHIM_SHADOW_SAMPLE and retry jitter */
    long clock_offset;                    /* server time - local time, learnt from a 401's Date */
    long deadline;                        /* the running query's end (monotonic ms, scm__now_ms) */
    scm_error err;                        /* last failure; "" and 0 after a success */
    char request_id[SCM_HTTP_REQUEST_ID_MAX + 1]; /* the last query's served answer's, or "" */
    struct scm_shim_report *last_report;          /* of the last successful query */
};

/* Error codes for failures that have no service error body. */
#define SCM_SHIM_ERR_INVALID_PARAM "SCMSHIM.INVALID_PARAM"
#define SCM_SHIM_ERR_NETWORK "SCMSHIM.NETWORK"
#define SCM_SHIM_ERR_TLS "SCMSHIM.TLS"
#define SCM_SHIM_ERR_PARSE "SCMSHIM.PARSE"
#define SCM_SHIM_ERR_NOMEM "SCMSHIM.NOMEM"
#define SCM_SHIM_ERR_HTTP "SCMSHIM.HTTP"

/* A monotonic clock in milliseconds, for deadlines. */
long scm__now_ms(void);

/* Sets what scm_shim_last_error() says on this thread (a failure that has no client to hold it). */
void scm__last_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void scm__error_clear(scm_error *e);
/* Records a failure and returns rc, so callers can write `return scm__error_set(...)`. */
int scm__error_set(scm_error *e, int rc, long http_status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/*
 * Appends " (request id ID)" to the message of a failure the service's answer
 * carried an X-Request-Id for (support asks for it); the reason is shortened
 * when both do not fit. Nothing when request_id is "". Noting again replaces
 * the earlier note.
 */
void scm__error_note_request_id(scm_error *e, const char *request_id);

#endif
