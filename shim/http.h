/*
 * http.h - the transport interface: a request (URL, headers, timeouts, and
 * the response it got, reused from call to call), a transport that runs a
 * batch of prepared requests at once within a deadline (the selected
 * backend's and, in shadow mode, the other one's), and the libcurl transport
 * (a multi handle whose connection cache keeps connections alive across
 * calls). No libcurl type appears here: tests run the client on a fake one.
 */
#ifndef SCM_SHIM_HTTP_H
#define SCM_SHIM_HTTP_H

#include "buf.h"
#include "error.h"
#include "headers.h"

#include <stddef.h>
#include <time.h>

/* Longest Retry-After honoured (seconds); a larger value is taken as this. */
#define SCM_HTTP_MAX_RETRY_AFTER 3600L

/* Largest response body accepted (bytes). */
#define SCM_HTTP_MAX_BODY (4L * 1024 * 1024)

/* Longest X-Request-Id kept (bytes); the service's are 32 hex digits. */
#define SCM_HTTP_REQUEST_ID_MAX 128

typedef enum {
    SCM_HTTP_OK = 0,  /* an HTTP answer arrived (any status) */
    SCM_HTTP_NETWORK, /* DNS, connect, timeout, reset, truncated transfer, oversized header */
    SCM_HTTP_TLS, /* the peer's certificate did not verify, or the CA bundle is unusable: permanent
                   */
    SCM_HTTP_TOO_LARGE, /* body past SCM_HTTP_MAX_BODY; status is set */
    SCM_HTTP_NOMEM
} scm_http_result;

typedef struct scm_http_response {
    long status;
    scm_buf body;     /* NUL-terminated; owned by the request, valid until it is reused */
    double seconds;   /* total time of the transfer */
    long retry_after; /* Retry-After in seconds (0..SCM_HTTP_MAX_RETRY_AFTER), or -1 */
    char date[64];    /* the server's Date header as sent, or "" (scm__http_response_date) */
    char request_id[SCM_HTTP_REQUEST_ID_MAX + 1]; /* X-Request-Id, printable ASCII only, or "" */
} scm_http_response;

/* The Date header as a time, or 0 when there is none; parsed on demand, as few calls need it. */
time_t scm__http_response_date(const scm_http_response *resp);

/* A monotonic clock in milliseconds, for deadlines. */
long scm__now_ms(void);

typedef struct scm_http_req scm_http_req;
typedef struct scm_transport scm_transport;

scm_http_req *scm__http_req_new(void);
void scm__http_req_free(scm_http_req *r);

/* The signer r's requests are signed with (the client's, kept by it), or NULL with a token. */
struct scm_signer;
void scm__http_req_set_signer(scm_http_req *r, struct scm_signer *signer);
struct scm_signer *scm__http_req_signer(const scm_http_req *r);

/*
 * Prepares a GET of url. The request takes ownership of headers (freed when
 * it is next prepared or freed). The transfer ends after timeout_ms; making
 * the connection, after connect_timeout_ms (at most timeout_ms). ca_file,
 * when not NULL, is a PEM bundle trusted in addition to the system's CAs
 * (kept by the caller meanwhile).
 */
void scm__http_req_prepare(scm_http_req *r, const char *url, scm_headers *headers, long timeout_ms,
                           long connect_timeout_ms, const char *ca_file);

/*
 * Feeds one raw response header line ("Name: value\r\n", len bytes, not
 * NUL-terminated) to r, as a transport does with each line it receives.
 */
void scm__http_req_take_header(scm_http_req *r, const char *line, size_t len);
const scm_http_response *scm__http_req_response(const scm_http_req *r);

/*
 * The outcome of a request after a transport ran it; anything but SCM_HTTP_OK
 * is also recorded in err (the transport's reason on a network or TLS failure).
 */
scm_http_result scm__http_req_result(const scm_http_req *r, const scm_http_response **resp,
                                     scm_error *err);

/*
 * Performs the n prepared requests concurrently; returns when all have ended,
 * each within its own timeout and all by deadline_ms (scm__now_ms's clock).
 */
void scm__transport_run(scm_transport *t, scm_http_req *const *reqs, size_t n, long deadline_ms);
void scm__transport_free(scm_transport *t);

/* The libcurl transport, or NULL when libcurl cannot be initialised. */
scm_transport *scm__http_transport_new(void);

/* Initialises libcurl once per process (thread-safe); 0 or -1. */
int scm__http_global_init(void);

/* SCM_OK when path is a PEM bundle holding at least one certificate, else the failure in err. */
int scm__http_check_ca_file(const char *path, scm_error *err);

#endif
