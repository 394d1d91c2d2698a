/*
 * transport.h - what a transport implementation sees (http.c for libcurl,
 * tests/support/fake_transport.c for the unit tests): the request's fields,
 * the ops table, and how to hand back what arrived.
 */
#ifndef SCM_SHIM_TRANSPORT_H
#define SCM_SHIM_TRANSPORT_H

#include "http.h"

/*
 * How long past its deadline a batch may run: each request's own timeout
 * ends it first, so a transfer can still say why it stopped; the deadline is
 * the backstop.
 */
#define SCM_TRANSPORT_DEADLINE_GRACE_MS 250L

/* The most requests one batch holds: the served backend's and the shadow's. */
#define SCM_TRANSPORT_BATCH_MAX 2

struct scm_http_req {
    char *url;
    size_t url_cap;            /* bytes allocated at url */
    struct scm_signer *signer; /* the client's, not owned; NULL with a token */
    scm_headers *headers;
    long timeout_ms, connect_timeout_ms;
    const char *ca_file;
    scm_http_response resp;
    scm_http_result result;
    int too_large; /* the body went past SCM_HTTP_MAX_BODY */
    char why[256]; /* the transport's reason for a network or TLS failure */
};

typedef struct scm_transport_ops {
    const char *name;
    /* Runs n (<= SCM_TRANSPORT_BATCH_MAX) prepared requests at once; see scm__transport_run. */
    void (*run)(scm_transport *t, scm_http_req *const *reqs, size_t n, long deadline_ms);
    void (*free)(scm_transport *t);
} scm_transport_ops;

/* The first member of every transport. */
struct scm_transport {
    const scm_transport_ops *ops;
};

/* Appends received body bytes; 0, or -1 past SCM_HTTP_MAX_BODY (too_large set) or on OOM. */
int scm__http_req_take_body(scm_http_req *r, const char *data, size_t n);

/* Records how the request ended; why (NULL for none) says what failed. */
void scm__http_req_finish(scm_http_req *r, scm_http_result result, double seconds, const char *why);

#endif
