/* error.c - error records and scm_client_error_code/msg/http_status. */
#include "client.h"
#include "export.h"
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void scm_error_clear(scm_error *e)
{
    e->code[0] = '\0';
    e->msg[0] = '\0';
    e->http_status = 0;
}

int scm_error_set(scm_error *e, int rc, long http_status, const char *code, const char *fmt, ...)
{
    va_list ap;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    scm_utf8_cut(e->msg);
    e->http_status = http_status;
    return rc;
}

SCM_EXPORT const char *scm_client_error_code(const scm_client *client)
{
    return client != NULL ? client->err.code : "";
}

SCM_EXPORT const char *scm_client_error_msg(const scm_client *client)
{
    return client != NULL ? client->err.msg : "";
}

SCM_EXPORT long scm_client_http_status(const scm_client *client)
{
    return client != NULL ? client->err.http_status : 0;
}
