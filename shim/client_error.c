/*
 * client_error.c - what a client's last call left behind: scm_client_error_code/msg/http_status
 * and scm_shim_client_request_id.
 * owns: the public accessors of a client's last failure and request ID; must not: fill the
 * record (error.c and the pipeline do).
 */
#include "client.h"
#include "export.h"

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

SCM_EXPORT const char *scm_shim_client_request_id(const scm_client *client)
{
    return client != NULL ? client->request_id : "";
}
