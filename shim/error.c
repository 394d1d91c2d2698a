/*
 * error.c - the error record (error.h) and the calling thread's last error.
 * owns: filling the record from the SCM_SHIM_ERRORS table, the request-ID note, the per-thread
 * last error behind scm_shim_last_error; must not: know the client (client_error.c reads a
 * client's record), log (the caller decides what a failure means) or know about transports.
 * In scmshim_core: mapgen's table checks fill the same record.
 */
#include "error.h"
#include "export.h"
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Outlives no thread, is freed by no caller: libgit2's git_error_last, per thread. */
static _Thread_local char last_error[512];

void scm__last_error_set(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    scm__utf8_cut(last_error);
}

SCM_EXPORT const char *scm_shim_last_error(void)
{
    return last_error;
}

void scm__error_clear(scm_error *e)
{
    e->code[0] = '\0';
    e->msg[0] = '\0';
    e->reason_len = 0;
    e->http_status = 0;
}

int scm__error_set(scm_error *e, int rc, long http_status, const char *code, const char *fmt, ...)
{
    va_list ap;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    scm__utf8_cut(e->msg);
    e->reason_len = strlen(e->msg);
    e->http_status = http_status;
    return rc;
}

#define ROW(name, rc, message) {SCM_SHIM_ERR_##name, rc, message},
static const struct {
    const char *code;
    int rc;
    const char *message;
} ERRORS[SCM__ERR_KIND_COUNT] = {SCM_SHIM_ERRORS(ROW)};
#undef ROW

const char *scm__error_code(scm__err_kind kind)
{
    return ERRORS[kind].code;
}

int scm__error_rc(scm__err_kind kind)
{
    return ERRORS[kind].rc;
}

const char *scm__error_default(scm__err_kind kind)
{
    return ERRORS[kind].message;
}

static int vfail(scm_error *e, scm__err_kind kind, int rc, long http_status, const char *fmt,
                 va_list ap)
{
    snprintf(e->code, sizeof e->code, "%s", ERRORS[kind].code);
    if (fmt != NULL)
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    else
        snprintf(e->msg, sizeof e->msg, "%s", ERRORS[kind].message);
    scm__utf8_cut(e->msg);
    e->reason_len = strlen(e->msg);
    e->http_status = http_status;
    return rc;
}

int scm__fail(scm_error *e, scm__err_kind kind, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vfail(e, kind, ERRORS[kind].rc, 0, fmt, ap);
    va_end(ap);
    return rc;
}

int scm__fail_status(scm_error *e, scm__err_kind kind, int rc, long http_status, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    rc = vfail(e, kind, rc, http_status, fmt, ap);
    va_end(ap);
    return rc;
}

void scm__error_note_request_id(scm_error *e, const char *request_id)
{
    static const char PREFIX[] = " (request id ";
    size_t room, need = sizeof PREFIX - 1 + strlen(request_id) + 1;

    if (request_id[0] == '\0')
        return;
    room = sizeof e->msg - 1 - need; /* need is at most 14 + SCM_HTTP_REQUEST_ID_MAX */
    if (e->reason_len > room) {
        e->msg[room] = '\0';
        scm__utf8_cut(e->msg);
        e->reason_len = strlen(e->msg);
    }
    snprintf(e->msg + e->reason_len, sizeof e->msg - e->reason_len, "%s%s)", PREFIX, request_id);
}
