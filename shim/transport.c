/*
 * transport.c - the request object every transport fills, and the dispatch
 * to a transport's ops; see http.h and transport.h.
 * owns: a request's fields and response, reading the response headers the
 * client acts on, turning an outcome into an error record; must not: speak
 * HTTP or name a libcurl type (http.c does).
 */
#include "transport.h"

#include "buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

long scm__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

scm_http_req *scm__http_req_new(void)
{
    scm_http_req *r = calloc(1, sizeof *r);
    if (r != NULL)
        scm__buf_init(&r->resp.body);
    return r;
}

void scm__http_req_free(scm_http_req *r)
{
    if (r == NULL)
        return;
    free(r->url);
    scm__headers_free(r->headers);
    scm__buf_free(&r->resp.body);
    free(r);
}

void scm__http_req_set_signer(scm_http_req *r, struct scm_signer *signer)
{
    r->signer = signer;
}

struct scm_signer *scm__http_req_signer(const scm_http_req *r)
{
    return r->signer;
}

void scm__http_req_prepare(scm_http_req *r, const char *url, scm_headers *headers, long timeout_ms,
                           long connect_timeout_ms, const char *ca_file)
{
    size_t n = strlen(url) + 1;
    /* The URL's room is kept from call to call: it only grows for a longer certificate ID. */
    if (n > r->url_cap) {
        char *grown = realloc(r->url, n);
        if (grown == NULL)
            free(r->url);
        r->url = grown;
        r->url_cap = grown != NULL ? n : 0;
    }
    if (r->url != NULL)
        memcpy(r->url, url, n);
    scm__headers_free(r->headers);
    r->headers = headers;
    r->timeout_ms = timeout_ms;
    r->connect_timeout_ms = connect_timeout_ms < timeout_ms ? connect_timeout_ms : timeout_ms;
    r->ca_file = ca_file;
    scm__buf_reset(&r->resp.body);
    r->resp.status = 0;
    r->resp.seconds = 0;
    r->resp.retry_after = -1;
    r->resp.date[0] = '\0';
    r->resp.request_id[0] = '\0';
    r->too_large = 0;
    /* Until a transport runs it, a request has failed. */
    r->result = r->url != NULL ? SCM_HTTP_NETWORK : SCM_HTTP_NOMEM;
    scm__str_copy(r->why, sizeof r->why, "the request was not run");
}

int scm__http_req_take_body(scm_http_req *r, const char *data, size_t n)
{
    if (r->resp.body.len + n > (size_t)SCM_HTTP_MAX_BODY) {
        r->too_large = 1;
        return -1;
    }
    return scm__buf_append(&r->resp.body, data, n) == SCM_OK ? 0 : -1;
}

void scm__http_req_finish(scm_http_req *r, scm_http_result result, double seconds, const char *why)
{
    /* An empty body leaves data NULL; callers always get a string. */
    scm__buf_append(&r->resp.body, "", 0);
    r->resp.seconds = seconds;
    r->result = result == SCM_HTTP_OK && r->resp.body.oom ? SCM_HTTP_NOMEM : result;
    scm__str_copy(r->why, sizeof r->why, why != NULL ? why : "");
}

/*
 * Keeps an X-Request-Id value: trimmed, cut at SCM_HTTP_REQUEST_ID_MAX bytes,
 * every byte that is not printable ASCII made '?', so no header can reach a
 * log or a message with a control character or a broken UTF-8 sequence.
 */
static void keep_request_id(char *dst, const char *v, size_t len)
{
    size_t i;
    while (len > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len > 0 &&
           (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    if (len > SCM_HTTP_REQUEST_ID_MAX)
        len = SCM_HTTP_REQUEST_ID_MAX;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        dst[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    dst[len] = '\0';
}

/*
 * Retry-After's delta-seconds, clamped while it is read so no value (2^63, a
 * hundred digits) can overflow; -1 when it is not that form (an HTTP date is
 * rare from this service).
 */
static long parse_retry_after(const char *v)
{
    long secs = 0;
    int digits = 0;
    while (*v == ' ' || *v == '\t')
        v++;
    for (; *v >= '0' && *v <= '9'; v++, digits++)
        if (secs < SCM_HTTP_MAX_RETRY_AFTER)
            secs = secs * 10 + (*v - '0');
    while (isspace((unsigned char)*v))
        v++;
    if (digits == 0 || *v != '\0')
        return -1;
    return secs < SCM_HTTP_MAX_RETRY_AFTER ? secs : SCM_HTTP_MAX_RETRY_AFTER;
}

/* Keeps the response headers the client acts on or reports: Retry-After, Date, X-Request-Id. */
void scm__http_req_take_header(scm_http_req *r, const char *line, size_t n)
{
    char value[128];
    const char *colon = memchr(line, ':', n);
    size_t name_len, vlen;

    if (colon == NULL)
        return;
    name_len = (size_t)(colon - line);
    vlen = n - name_len - 1;
    if (name_len == 12 && strncasecmp(line, "X-Request-Id", 12) == 0) {
        keep_request_id(r->resp.request_id, colon + 1, vlen);
        return;
    }
    if (vlen >= sizeof value)
        return;
    memcpy(value, colon + 1, vlen);
    value[vlen] = '\0';
    if (name_len == 11 && strncasecmp(line, "Retry-After", 11) == 0) {
        r->resp.retry_after = parse_retry_after(value);
    } else if (name_len == 4 && strncasecmp(line, "Date", 4) == 0 && vlen < sizeof r->resp.date) {
        memcpy(r->resp.date, value, vlen + 1);
    }
}

const scm_http_response *scm__http_req_response(const scm_http_req *r)
{
    return &r->resp;
}

scm_http_result scm__http_req_result(const scm_http_req *r, const scm_http_response **resp,
                                     scm_error *err)
{
    *resp = &r->resp;
    switch (r->result) {
    case SCM_HTTP_OK:
        break;
    case SCM_HTTP_NETWORK:
        scm__fail(err, SCM__ERR_NETWORK, "%s", r->why);
        break;
    case SCM_HTTP_TLS:
        scm__fail(err, SCM__ERR_TLS, "%s", r->why);
        break;
    case SCM_HTTP_TOO_LARGE:
        scm__fail_status(err, SCM__ERR_PARSE, SCM_E_PARSE, r->resp.status,
                         "response body larger than %ld bytes", SCM_HTTP_MAX_BODY);
        break;
    case SCM_HTTP_NOMEM:
        scm__fail(err, SCM__ERR_NOMEM, NULL);
        break;
    }
    return r->result;
}

void scm__transport_run(scm_transport *t, scm_http_req *const *reqs, size_t n, long deadline_ms)
{
    t->ops->run(t, reqs, n, deadline_ms);
}

void scm__transport_free(scm_transport *t)
{
    if (t != NULL)
        t->ops->free(t);
}
