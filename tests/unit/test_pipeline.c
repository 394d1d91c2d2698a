/*
 * test_pipeline.c - the query pipeline on the fake transport (no emulator):
 * what is retried and how often, backoff bounds, retries cut at the caller's
 * deadline, the clock-skew retry after a 401 with a Date header, and shadow
 * requests in flight with the served one without delaying it past the deadline.
 */
#include "client.h"
#include "fake_transport.h"
#include "sign.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CERT "scs1159493232269"
#define FIXTURE SCM_TEST_DATA_DIR "/certs/" CERT

/* What a loaded machine may add to a sleep or a deadline; far below what a mutation adds. */
#define SLACK_MS 100

static char *v3_body, *legacy_body;

/* A v3 client (AK/SK-signed unless token) with retries and timeout, on a new fake. */
static scm_client *client_on_fake(fake_transport **f, const char *retries, long timeout_ms)
{
    scm_config cfg = {"http://scm.test",
                      "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                      "HPUAEXAMPLEAKID00001",
                      "exampleSecretKey0123456789abcdefEXAMPLE",
                      NULL,
                      timeout_ms};
    scm_client *c;
    tu_setenv("SCM_SHIM_RETRIES", retries);
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    *f = fake_transport_new();
    ck_assert_ptr_nonnull(*f);
    scm__client_set_transport(c, fake_transport_base(*f));
    return c;
}

static const fake_reply OK_V3 = {"/v3/", 200, NULL, NULL, 0, 0};

static fake_reply ok_v3(void)
{
    fake_reply r = OK_V3;
    r.body = v3_body;
    return r;
}

static const struct {
    const char *what;
    fake_reply failure;
} TRANSIENT[] = {
    {"503", {"/v3/", 503, NULL, "{\"error_code\":\"APIGW.0305\",\"error_msg\":\"busy\"}", 0, 0}},
    {"429",
     {"/v3/", 429, NULL, "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"throttled\"}", 0, 0}},
    {"network", {"/v3/", 0, NULL, NULL, 0, 1}},
};

START_TEST(transient_failures_are_retried)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "3", 5000);
    scm_cert_details *d = NULL;
    fake_transport_reply(f, TRANSIENT[_i].failure);
    fake_transport_reply(f, TRANSIENT[_i].failure);
    fake_transport_reply(f, ok_v3());
    ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s: %s", TRANSIENT[_i].what,
                  scm_client_error_msg(c));
    ck_assert_uint_eq(fake_transport_ncalls(f), 3);
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

START_TEST(retries_stop_at_the_configured_count)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "2", 5000);
    scm_cert_details *d = NULL;
    int i;
    for (i = 0; i < 6; i++)
        fake_transport_reply(f, TRANSIENT[0].failure);
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_E_SERVER);
    ck_assert_uint_eq(fake_transport_ncalls(f), 3); /* the attempt and two retries */
    scm_client_free(c);
}
END_TEST

static const struct {
    long status;
    const char *body;
    int rc;
} PERMANENT[] = {
    {404, "{\"error_code\":\"SCM.0404\",\"error_msg\":\"no such certificate\"}", SCM_E_NOT_FOUND},
    {400, "{\"error_code\":\"SCM.0400\",\"error_msg\":\"bad request\"}", SCM_E_SERVER},
    {403, "{\"error_code\":\"APIGW.0302\",\"error_msg\":\"forbidden\"}", SCM_E_AUTH},
    {500, "{\"error_code\":\"SCM.0500\",\"error_msg\":\"business error\"}", SCM_E_SERVER},
};

START_TEST(client_errors_are_not_retried)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "3", 5000);
    scm_cert_details *d = NULL;
    fake_reply r = {"/v3/", PERMANENT[_i].status, NULL, PERMANENT[_i].body, 0, 0};
    int i;
    for (i = 0; i < 4; i++)
        fake_transport_reply(f, r);
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), PERMANENT[_i].rc);
    ck_assert_msg(fake_transport_ncalls(f) == 1, "HTTP %ld asked %zu times", PERMANENT[_i].status,
                  fake_transport_ncalls(f));
    scm_client_free(c);
}
END_TEST

START_TEST(backoff_is_bounded)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "4", 10000);
    scm_cert_details *d = NULL;
    size_t k;
    int i;
    for (i = 0; i < 4; i++)
        fake_transport_reply(f, TRANSIENT[0].failure);
    fake_transport_reply(f, ok_v3());
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_OK);
    ck_assert_uint_eq(fake_transport_ncalls(f), 5);
    /* Before retry k: half the cap 100 ms << k, plus jitter up to the cap; never more. */
    for (k = 0; k + 1 < fake_transport_ncalls(f); k++) {
        long gap = fake_transport_call(f, k + 1)->start_ms - fake_transport_call(f, k)->end_ms;
        long cap = 100L << k;
        ck_assert_msg(gap >= cap / 2 - 2 && gap <= cap + SLACK_MS, "wait %zu: %ld ms, cap %ld", k,
                      gap, cap);
    }
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

/* Issue 12, section 5: retries that would overrun the caller's deadline stop at it. */
static const struct {
    const char *what;
    fake_reply failure;
} OVERRUN[] = {
    {"slow 503s", {"/v3/", 503, NULL, NULL, 150, 0}},
    {"Retry-After past the deadline", {"/v3/", 503, "Retry-After: 3600\r\n", NULL, 0, 0}},
    {"slow resets", {"/v3/", 0, NULL, NULL, 150, 1}},
};

START_TEST(retries_stop_at_the_deadline)
{
    const long timeout = 500;
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "10", timeout);
    scm_cert_details *d = NULL;
    long start, took;
    size_t k;
    int i, rc;
    for (i = 0; i < 20; i++)
        fake_transport_reply(f, OVERRUN[_i].failure);
    start = scm__now_ms();
    rc = scm_query_cert_details(c, CERT, &d);
    took = scm__now_ms() - start;
    ck_assert_msg(rc == SCM_E_SERVER || rc == SCM_E_NETWORK, "%s: rc %d", OVERRUN[_i].what, rc);
    ck_assert_msg(took <= timeout + SLACK_MS, "%s: %ld ms for a %ld ms timeout", OVERRUN[_i].what,
                  took, timeout);
    for (k = 0; k < fake_transport_ncalls(f); k++)
        ck_assert_msg(fake_transport_call(f, k)->end_ms - start <= timeout + SLACK_MS,
                      "%s: attempt %zu ended past the deadline", OVERRUN[_i].what, k + 1);
    ck_assert_ptr_null(d);
    scm_client_free(c);
}
END_TEST

/* The Date header of a server whose clock is two hours ahead. */
static void ahead_date(char *out, size_t size, time_t *server)
{
    struct tm tm;
    *server = time(NULL) + 7200;
    gmtime_r(server, &tm);
    strftime(out, size, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
}

static long sent_skew(const fake_call *call)
{
    time_t t;
    ck_assert_int_eq(scm__sign_parse_date(call->sdk_date, &t), SCM_OK);
    return (long)(t - time(NULL));
}

START_TEST(a_401_with_a_date_resigns_with_the_server_clock)
{
    fake_transport *f;
    /* No retries: a corrected clock is not one. */
    scm_client *c = client_on_fake(&f, "0", 5000);
    scm_cert_details *d = NULL;
    char date[80];
    time_t server;
    fake_reply rejected = {
        "/v3/", 401, date, "{\"error_code\":\"APIGW.0301\",\"error_msg\":\"signature expired\"}",
        0,      0};
    ahead_date(date, sizeof date, &server);
    fake_transport_reply(f, rejected);
    fake_transport_reply(f, ok_v3());
    ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s", scm_client_error_msg(c));
    ck_assert_uint_eq(fake_transport_ncalls(f), 2);
    ck_assert_int_le(labs(sent_skew(fake_transport_call(f, 0))), 5);
    ck_assert_int_le(labs(sent_skew(fake_transport_call(f, 1)) - 7200), 5);
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

START_TEST(shadow_runs_alongside_and_never_past_the_deadline)
{
    const long timeout = 400;
    fake_transport *f;
    scm_client *c;
    scm_cert_details *d = NULL;
    fake_reply slow_legacy = {"/v2/", 200, NULL, NULL, 3000, 0};
    long start, took;
    tu_setenv("SCM_SHIM_SHADOW", "1");
    /* Longer than the caller's timeout: the caller's must win. */
    tu_setenv("SCM_SHIM_SHADOW_TIMEOUT_MS", "5000");
    c = client_on_fake(&f, "0", timeout);
    slow_legacy.body = legacy_body;
    fake_transport_reply(f, ok_v3());
    fake_transport_reply(f, slow_legacy);
    start = scm__now_ms();
    ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s", scm_client_error_msg(c));
    took = scm__now_ms() - start;
    ck_assert_uint_eq(fake_transport_ncalls(f), 2);
    /* Both backends' requests were in flight together: one batch of two. */
    ck_assert_int_eq(fake_transport_call(f, 0)->batch, fake_transport_call(f, 1)->batch);
    ck_assert_uint_eq(fake_transport_call(f, 0)->batch_size, 2);
    ck_assert_ptr_nonnull(strstr(fake_transport_call(f, 1)->url, "/v2/"));
    ck_assert_msg(took <= timeout + SLACK_MS, "served after %ld ms for a %ld ms timeout", took,
                  timeout);
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = tu_quiet_tcase("pipeline");
    int rc;

    if (tu_fixture_bodies(FIXTURE, &v3_body, &legacy_body) != 0)
        return 1;
    tcase_add_loop_test(tc, transient_failures_are_retried, 0,
                        (int)(sizeof TRANSIENT / sizeof TRANSIENT[0]));
    tcase_add_test(tc, retries_stop_at_the_configured_count);
    tcase_add_loop_test(tc, client_errors_are_not_retried, 0,
                        (int)(sizeof PERMANENT / sizeof PERMANENT[0]));
    tcase_add_test(tc, backoff_is_bounded);
    tcase_add_loop_test(tc, retries_stop_at_the_deadline, 0,
                        (int)(sizeof OVERRUN / sizeof OVERRUN[0]));
    tcase_add_test(tc, a_401_with_a_date_resigns_with_the_server_clock);
    tcase_add_test(tc, shadow_runs_alongside_and_never_past_the_deadline);
    suite_add_tcase(s, tc);
    rc = tu_run(s);
    free(v3_body);
    free(legacy_body);
    return rc;
}
