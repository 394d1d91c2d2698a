/* error.c - error records and scm_client_error_code/msg/http_status. */
#include "client.h"
#include "export.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void scm_error_clear(scm_error *e)
{
    e->code[0] = '\0';
    e->msg[0] = '\0';
    e->http_status = 0;
}

/* Cuts a truncated message back to a whole UTF-8 character. */
static void trim_utf8(char *s, size_t size)
{
    size_t n = strlen(s), i = n;
    if (n + 1 < size)
        return;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)s[i - 1] & 0x80)) {
        size_t want = ((unsigned char)s[i - 1] & 0xE0) == 0xC0 ? 2
                    : ((unsigned char)s[i - 1] & 0xF0) == 0xE0 ? 3 : 4;
        if (n - (i - 1) < want)
            s[i - 1] = '\0';
    }
}

int scm_error_set(scm_error *e, int rc, long http_status, const char *code, const char *fmt, ...)
{
    va_list ap;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    trim_utf8(e->msg, sizeof e->msg);
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
