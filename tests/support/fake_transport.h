/*
 * fake_transport.h - a transport for unit tests: answers each request with
 * the next scripted reply whose match is in its URL (status, headers, body,
 * delay, or a network failure), honouring the request's timeout and the
 * batch's deadline, and records every request it ran. No process, no socket.
 */
#ifndef SCM_FAKE_TRANSPORT_H
#define SCM_FAKE_TRANSPORT_H

#include "transport.h"

typedef struct fake_reply {
    const char *match;   /* a substring of the URLs it answers ("/v3/", "/v2/"); NULL: any */
    long status;         /* the HTTP status */
    const char *headers; /* header lines, each ending in "\r\n"; or NULL */
    const char *body;    /* or NULL */
    long delay_ms;       /* before the answer: past the request's timeout, it times out */
    int network_failure; /* the connection is reset instead (after delay_ms) */
} fake_reply;

typedef struct fake_call {
    char url[256];
    char sdk_date[32];     /* the X-Sdk-Date header sent, or "" */
    long timeout_ms;       /* the request's */
    long start_ms, end_ms; /* scm__now_ms() when its batch started, when it ended */
    int batch;             /* which run of the transport it was part of (0-based) */
    size_t batch_size;     /* how many requests that run carried */
} fake_call;

#define FAKE_MAX_REPLIES 32
#define FAKE_MAX_CALLS 64

typedef struct fake_transport fake_transport;

fake_transport *fake_transport_new(void);
/* Appends a reply to the script; replies are used once, in order, by match. */
void fake_transport_reply(fake_transport *f, fake_reply reply);
/* The transport to give a client (scm__client_set_transport), which then owns f. */
scm_transport *fake_transport_base(fake_transport *f);
size_t fake_transport_ncalls(const fake_transport *f);
const fake_call *fake_transport_call(const fake_transport *f, size_t i);

#endif
