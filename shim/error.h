/*
 * error.h - the one internal error record (scm_error) every module fills, and
 * the failures of our own (SCM_SHIM_ERRORS in scm_shim.h: code, SCM_E_* code
 * and default message, one table).
 */
#ifndef SCM_SHIM_ERROR_H
#define SCM_SHIM_ERROR_H

#include "scm_shim.h"

#include <stddef.h>

#define SCM_ERR_CODE_MAX 64
#define SCM_ERR_MSG_MAX 1024

/* A failure: the service's error_code/error_msg, or one of ours, and the HTTP status. */
typedef struct scm_error {
    char code[SCM_ERR_CODE_MAX];
    char msg[SCM_ERR_MSG_MAX]; /* the reason, then " (request id ...)" when the answer had one */
    size_t reason_len;         /* the reason's length in msg: what an error body's error_msg says */
    long http_status;
} scm_error;

#define SCM__ERR_ENUM(name, rc, message) SCM__ERR_##name,
/* Our own failures, one per row of SCM_SHIM_ERRORS. */
typedef enum { SCM_SHIM_ERRORS(SCM__ERR_ENUM) SCM__ERR_KIND_COUNT } scm__err_kind;
#undef SCM__ERR_ENUM

void scm__error_clear(scm_error *e);
/* Records a failure and returns rc, so callers can write `return scm__error_set(...)`. */
int scm__error_set(scm_error *e, int rc, long http_status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/*
 * Records one of our failures with its code and SCM_E_* code from the table,
 * and returns that SCM_E_* code; fmt NULL gives the table's default message.
 */
int scm__fail(scm_error *e, scm__err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with the HTTP status of the answer it concerns, and an explicit SCM_E_* code. */
int scm__fail_status(scm_error *e, scm__err_kind kind, int rc, long http_status, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));
/* The table's code ("SCMSHIM.NOMEM"), SCM_E_* code and default message for kind. */
const char *scm__error_code(scm__err_kind kind);
int scm__error_rc(scm__err_kind kind);
const char *scm__error_default(scm__err_kind kind);
/*
 * Appends " (request id ID)" to the message of a failure the service's answer
 * carried an X-Request-Id for (support asks for it); the reason is shortened
 * when both do not fit. Nothing when request_id is "". Noting again replaces
 * the earlier note.
 */
void scm__error_note_request_id(scm_error *e, const char *request_id);

/* Sets what scm_shim_last_error() says on this thread (a failure that has no client to hold it). */
void scm__last_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
