/* error.c - the per-client error state behind scm_client_error_code/msg/http_status. */
#include "client.h"
#include "export.h"

#include <stdarg.h>
#include <stdio.h>

void scm_error_clear(scm_client *c)
{
    c->err_code[0] = '\0';
    c->err_msg[0] = '\0';
    c->http_status = 0;
}

int scm_error_set(scm_client *c, int rc, long http_status, const char *code, const char *fmt, ...)
{
    va_list ap;
    snprintf(c->err_code, sizeof c->err_code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(c->err_msg, sizeof c->err_msg, fmt, ap);
    va_end(ap);
    c->http_status = http_status;
    return rc;
}

SCM_EXPORT const char *scm_client_error_code(const scm_client *client)
{
    return client != NULL ? client->err_code : "";
}

SCM_EXPORT const char *scm_client_error_msg(const scm_client *client)
{
    return client != NULL ? client->err_msg : "";
}

SCM_EXPORT long scm_client_http_status(const scm_client *client)
{
    return client != NULL ? client->http_status : 0;
}
