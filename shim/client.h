/* client.h - the opaque scm_client and its error state (internal). */
#ifndef SCM_SHIM_CLIENT_H
#define SCM_SHIM_CLIENT_H

#include "http.h"
#include "maptable.h"
#include "scm_client.h"
#include "settings.h"

#define SCM_ERR_CODE_MAX 64
#define SCM_ERR_MSG_MAX  1024

struct scm_client {
    scm_settings cfg;
    scm_http    *http;
    const scm_map *map;   /* the built-in table, or loaded */
    scm_map      loaded;  /* SCM_SHIM_MAPPING's table */
    int          annotate; /* SCM_SHIM_ANNOTATE=1: "_shim" member in JSON bodies */
    struct scm_shim_report *last_report; /* of the last successful query */
    /* Last failure, reported by scm_client_error_*; "" and 0 after a success. */
    char err_code[SCM_ERR_CODE_MAX];
    char err_msg[SCM_ERR_MSG_MAX];
    long http_status;
};

/* Error codes for failures that have no service error body. */
#define SCM_SHIM_ERR_INVALID_PARAM "SCMSHIM.INVALID_PARAM"
#define SCM_SHIM_ERR_NETWORK       "SCMSHIM.NETWORK"
#define SCM_SHIM_ERR_PARSE         "SCMSHIM.PARSE"
#define SCM_SHIM_ERR_NOMEM         "SCMSHIM.NOMEM"
#define SCM_SHIM_ERR_HTTP          "SCMSHIM.HTTP"

void scm_error_clear(scm_client *c);
/* Records a failure and returns rc, so callers can write `return scm_error_set(...)`. */
int  scm_error_set(scm_client *c, int rc, long http_status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
