/*
 * test_http.c - the response headers the client reads from a hostile peer: Retry-After
 * clamped before any arithmetic, X-Request-Id kept printable and short, Date parsed safely.
 */
#include "http.h"
#include "testutil.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *line;
    long retry_after;
} RETRY_AFTER[] = {
    {"Retry-After: 1\r\n", 1},
    {"retry-after:  7 \r\n", 7},
    {"Retry-After: 9223372036854775807\r\n", SCM_HTTP_MAX_RETRY_AFTER}, /* LONG_MAX */
    {"Retry-After: 9223372036854775808\r\n", SCM_HTTP_MAX_RETRY_AFTER}, /* 2^63 */
    {"Retry-After: 9223372036854775\r\n", SCM_HTTP_MAX_RETRY_AFTER},    /* x 1000 overflows */
    {"Retry-After: 99999999999999999999999999999999999999999\r\n", SCM_HTTP_MAX_RETRY_AFTER},
    {"Retry-After: 3599\r\n", 3599},
    {"Retry-After: -5\r\n", -1},
    {"Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n", -1},
    {"Retry-After: 12abc\r\n", -1},
    {"Retry-After:\r\n", -1},
};

START_TEST(retry_after_is_clamped)
{
    scm_http_req *r = scm__http_req_new();
    const char *line = RETRY_AFTER[_i].line;
    ck_assert_ptr_nonnull(r);
    scm__http_req_prepare(r, "http://127.0.0.1:1/", NULL, 1000, 1000, NULL);
    scm__http_req_take_header(r, line, strlen(line));
    ck_assert_int_eq(scm__http_req_response(r)->retry_after, RETRY_AFTER[_i].retry_after);
    /* What the backoff computes from it fits a long. */
    ck_assert_int_le(scm__http_req_response(r)->retry_after, LONG_MAX / 1000);
    scm__http_req_free(r);
}
END_TEST

START_TEST(request_id_is_printable_and_short)
{
    scm_http_req *r = scm__http_req_new();
    char line[600];
    const char *id;
    size_t i;
    scm__http_req_prepare(r, "http://127.0.0.1:1/", NULL, 1000, 1000, NULL);
    snprintf(line, sizeof line, "X-Request-Id: a\x1b[31m\x07%0500d\r\n", 7);
    scm__http_req_take_header(r, line, strlen(line));
    id = scm__http_req_response(r)->request_id;
    ck_assert_uint_le(strlen(id), SCM_HTTP_REQUEST_ID_MAX);
    for (i = 0; id[i]; i++)
        ck_assert_msg(id[i] >= 0x20 && id[i] < 0x7f, "byte %zu is 0x%02x", i, (unsigned char)id[i]);
    scm__http_req_free(r);
}
END_TEST

START_TEST(date_is_parsed_or_ignored)
{
    scm_http_req *r = scm__http_req_new();
    const char *good = "Date: Wed, 02 Dec 2026 18:00:00 GMT\r\n", *bad = "Date: yesterday-ish\r\n";
    char huge[300];
    scm__http_req_prepare(r, "http://127.0.0.1:1/", NULL, 1000, 1000, NULL);
    scm__http_req_take_header(r, good, strlen(good));
    ck_assert_int_eq(scm__http_response_date(scm__http_req_response(r)), 1796234400);
    scm__http_req_prepare(r, "http://127.0.0.1:1/", NULL, 1000, 1000, NULL);
    scm__http_req_take_header(r, bad, strlen(bad));
    ck_assert_int_eq(scm__http_response_date(scm__http_req_response(r)), 0);
    /* Longer than the buffer: ignored, not cut. */
    memset(huge, '9', sizeof huge);
    memcpy(huge, "Date: ", 6);
    scm__http_req_prepare(r, "http://127.0.0.1:1/", NULL, 1000, 1000, NULL);
    scm__http_req_take_header(r, huge, sizeof huge);
    ck_assert_str_eq(scm__http_req_response(r)->date, "");
    scm__http_req_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("headers");
    tcase_add_loop_test(tc, retry_after_is_clamped, 0,
                        (int)(sizeof RETRY_AFTER / sizeof RETRY_AFTER[0]));
    tcase_add_test(tc, request_id_is_printable_and_short);
    tcase_add_test(tc, date_is_parsed_or_ignored);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
