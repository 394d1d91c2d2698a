/*
 * fuzz_headers.c - the response header lines a hostile peer sends (Retry-After, Date,
 * X-Request-Id, a status line, anything): fed line by line to the transport's header
 * callback, then read the way the client reads them. Invariants: Retry-After is -1 or
 * 0..SCM_HTTP_MAX_RETRY_AFTER, so the backoff's arithmetic cannot overflow; the request ID
 * is printable ASCII of at most SCM_HTTP_REQUEST_ID_MAX bytes; Date is a NUL-terminated
 * string whose parse never fails but with 0.
 */
#include "fuzz.h"
#include "http.h"

#include <limits.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static scm_http_req *r;
    const char *p = (const char *)data, *end = p + size;
    const scm_http_response *resp;
    size_t i;

    if (r == NULL && (r = scm__http_req_new()) == NULL)
        abort();
    scm__http_req_prepare(r, "http://127.0.0.1:1/", NULL, 1000, 1000, NULL);
    /* One call per line, as libcurl delivers them (each with its CRLF, never NUL-terminated). */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        scm__http_req_take_header(r, p, len);
        p += len;
    }
    resp = scm__http_req_response(r);
    FUZZ_CHECK(resp->retry_after >= -1 && resp->retry_after <= SCM_HTTP_MAX_RETRY_AFTER);
    FUZZ_CHECK(resp->retry_after <= LONG_MAX / 1000);
    FUZZ_CHECK(strlen(resp->request_id) <= SCM_HTTP_REQUEST_ID_MAX);
    for (i = 0; resp->request_id[i]; i++)
        FUZZ_CHECK(resp->request_id[i] >= 0x20 && resp->request_id[i] < 0x7f);
    FUZZ_CHECK(memchr(resp->date, '\0', sizeof resp->date) != NULL);
    FUZZ_CHECK(scm__http_response_date(resp) >= 0);
    return 0;
}
