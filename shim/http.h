/*
 * http.h - the transport: one libcurl easy handle per client, reused so that
 * consecutive calls share a keep-alive connection.
 */
#ifndef SCM_SHIM_HTTP_H
#define SCM_SHIM_HTTP_H

#include "buf.h"

#include <curl/curl.h>
#include <stddef.h>

/* Largest response body accepted (bytes). */
#define SCM_HTTP_MAX_BODY (4L * 1024 * 1024)

typedef enum {
    SCM_HTTP_OK = 0,     /* an HTTP answer arrived (any status) */
    SCM_HTTP_NETWORK,    /* DNS, connect, TLS, timeout, reset, truncated transfer */
    SCM_HTTP_TOO_LARGE,  /* body past SCM_HTTP_MAX_BODY; status is set */
    SCM_HTTP_NOMEM
} scm_http_result;

typedef struct scm_http_response {
    long    status;
    scm_buf body;        /* owned by the scm_http; valid until its next request */
} scm_http_response;

typedef struct scm_http scm_http;

/* Initialises libcurl once per process (thread-safe); 0 or -1. */
int  scm_http_global_init(void);

scm_http *scm_http_new(void);
void      scm_http_free(scm_http *h);

/*
 * GET url with the given extra headers. On SCM_HTTP_NETWORK err holds curl's
 * reason. The response stays owned by h.
 */
scm_http_result scm_http_get(scm_http *h, const char *url, const struct curl_slist *headers,
                             long timeout_ms, const scm_http_response **resp,
                             char *err, size_t errlen);

#endif
