/*
 * fake_transport.c - the scripted transport of the unit tests; see
 * fake_transport.h.
 * owns: the script and the record of requests; must not: open sockets, start
 * processes, or read the client (it sees only what a transport sees).
 */
#include "fake_transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fake_transport {
    scm_transport base;
    fake_reply replies[FAKE_MAX_REPLIES];
    int used[FAKE_MAX_REPLIES];
    size_t nreplies;
    fake_call calls[FAKE_MAX_CALLS];
    size_t ncalls;
    int batches;
};

static void sleep_until(long when_ms)
{
    long left = when_ms - scm__now_ms();
    struct timespec ts;
    if (left <= 0)
        return;
    ts.tv_sec = left / 1000;
    ts.tv_nsec = (left % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue;
}

static const fake_reply *next_reply(fake_transport *f, const char *url)
{
    size_t i;
    for (i = 0; i < f->nreplies; i++)
        if (!f->used[i] && (f->replies[i].match == NULL || strstr(url, f->replies[i].match))) {
            f->used[i] = 1;
            return &f->replies[i];
        }
    return NULL;
}

/* Feeds the scripted header lines one by one, as a real transport receives them. */
static void take_headers(scm_http_req *r, const char *lines)
{
    while (lines != NULL && *lines != '\0') {
        const char *nl = strchr(lines, '\n');
        size_t len = nl != NULL ? (size_t)(nl - lines) + 1 : strlen(lines);
        scm__http_req_take_header(r, lines, len);
        lines += len;
    }
}

static void answer(scm_http_req *r, const fake_reply *reply, long took_ms, int timed_out)
{
    char why[128];
    if (reply == NULL) {
        scm__http_req_finish(r, SCM_HTTP_NETWORK, 0, "fake transport: no scripted reply");
        return;
    }
    if (timed_out) {
        snprintf(why, sizeof why, "fake transport: timed out after %ld ms", took_ms);
        scm__http_req_finish(r, SCM_HTTP_NETWORK, took_ms / 1000.0, why);
        return;
    }
    if (reply->network_failure) {
        scm__http_req_finish(r, SCM_HTTP_NETWORK, took_ms / 1000.0,
                             "fake transport: connection reset");
        return;
    }
    r->resp.status = reply->status;
    take_headers(r, reply->headers);
    if (reply->body != NULL && scm__http_req_take_body(r, reply->body, strlen(reply->body)) != 0) {
        scm__http_req_finish(r, r->too_large ? SCM_HTTP_TOO_LARGE : SCM_HTTP_NOMEM,
                             took_ms / 1000.0, NULL);
        return;
    }
    scm__http_req_finish(r, SCM_HTTP_OK, took_ms / 1000.0, NULL);
}

static void fake_run(scm_transport *base, scm_http_req *const *reqs, size_t n, long deadline_ms)
{
    fake_transport *f = (fake_transport *)base;
    const fake_reply *reply[SCM_TRANSPORT_BATCH_MAX];
    long ends[SCM_TRANSPORT_BATCH_MAX], start = scm__now_ms();
    /* As the libcurl transport: each request's own timeout first, the deadline as a backstop. */
    long backstop = deadline_ms + SCM_TRANSPORT_DEADLINE_GRACE_MS;
    int done[SCM_TRANSPORT_BATCH_MAX] = {0}, batch = f->batches++;
    size_t i, k, slot[SCM_TRANSPORT_BATCH_MAX];

    for (i = 0; i < n && i < SCM_TRANSPORT_BATCH_MAX; i++) {
        long took;
        reply[i] = next_reply(f, reqs[i]->url);
        took = reply[i] != NULL ? reply[i]->delay_ms : 0;
        if (took > reqs[i]->timeout_ms)
            took = reqs[i]->timeout_ms;
        if (start + took > backstop)
            took = backstop > start ? backstop - start : 0;
        ends[i] = took;
        slot[i] = f->ncalls < FAKE_MAX_CALLS ? f->ncalls++ : FAKE_MAX_CALLS - 1;
        {
            fake_call *c = &f->calls[slot[i]];
            const char *date = scm__headers_get(reqs[i]->headers, "X-Sdk-Date");
            snprintf(c->url, sizeof c->url, "%s", reqs[i]->url);
            snprintf(c->sdk_date, sizeof c->sdk_date, "%s", date != NULL ? date : "");
            c->timeout_ms = reqs[i]->timeout_ms;
            c->start_ms = start;
            c->batch = batch;
            c->batch_size = n;
        }
    }
    n = i;
    /* Concurrently: each ends at its own time, the earliest first. */
    for (k = 0; k < n; k++) {
        size_t first = n;
        for (i = 0; i < n; i++)
            if (!done[i] && (first == n || ends[i] < ends[first]))
                first = i;
        sleep_until(start + ends[first]);
        done[first] = 1;
        answer(reqs[first], reply[first], ends[first],
               reply[first] != NULL && ends[first] < reply[first]->delay_ms);
        f->calls[slot[first]].end_ms = scm__now_ms();
    }
}

static void fake_free(scm_transport *base)
{
    free(base);
}

static const scm_transport_ops FAKE_OPS = {
    .name = "fake",
    .run = fake_run,
    .free = fake_free,
};

fake_transport *fake_transport_new(void)
{
    fake_transport *f = calloc(1, sizeof *f);
    if (f != NULL)
        f->base.ops = &FAKE_OPS;
    return f;
}

void fake_transport_reply(fake_transport *f, fake_reply reply)
{
    if (f->nreplies < FAKE_MAX_REPLIES)
        f->replies[f->nreplies++] = reply;
}

scm_transport *fake_transport_base(fake_transport *f)
{
    return &f->base;
}

size_t fake_transport_ncalls(const fake_transport *f)
{
    return f->ncalls;
}

const fake_call *fake_transport_call(const fake_transport *f, size_t i)
{
    return &f->calls[i];
}
