/*
 * test_fallback.c - switch day (issue 16): fallback.c's decisions and breaker with the time
 * passed in, backend_file.c's parse and watch, then the pipeline on the fake transport:
 * fall-forward when the legacy API is gone (and only then), fall-back to legacy within the
 * caller's deadline and never on a 4xx, the breaker opening and closing, the backend file.
 */
#include "audit.h"
#include "backend_file.h"
#include "client.h"
#include "fake_transport.h"
#include "fallback.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CERT "scs1159493232269"
#define FIXTURE SCM_TEST_DATA_DIR "/certs/" CERT

/* What a loaded machine may add to a deadline; far below what a mutation adds. */
#define SLACK_MS 100

#define GONE_BODY "{\"error_code\":\"APIGW.0101\",\"error_msg\":\"The API does not exist\"}"
#define NO_CERT_BODY "{\"error_code\":\"SCM.0016\",\"error_msg\":\"no such certificate\"}"
#define BUSY_BODY "{\"error_code\":\"APIGW.0305\",\"error_msg\":\"busy\"}"

static char *v3_body, *legacy_body;

/* ---- the decisions, on answers built by hand ---- */

/* One response per answer a test holds at once. */
static scm_http_response resps[4];
static size_t next_resp;

static scm_answer answer(int rc, long status, const char *code)
{
    scm_http_response *resp = &resps[next_resp++ % (sizeof resps / sizeof resps[0])];
    scm_answer a;
    memset(&a, 0, sizeof a);
    memset(resp, 0, sizeof *resp);
    resp->status = status;
    resp->retry_after = -1;
    a.resp = resp;
    a.rc = rc;
    if (rc != SCM_OK)
        scm__error_set(&a.err, rc, status, code, "%s", "why");
    return a;
}

START_TEST(only_the_gateways_not_published_answer_is_api_gone)
{
    scm_answer gone = answer(SCM_E_NOT_FOUND, 404, "APIGW.0101");
    scm_answer no_cert = answer(SCM_E_NOT_FOUND, 404, "SCM.0016");
    scm_answer other = answer(SCM_E_SERVER, 500, "APIGW.0101");
    ck_assert(scm__fallback_api_gone(&gone));
    ck_assert(!scm__fallback_api_gone(&no_cert));
    ck_assert(!scm__fallback_api_gone(&other));
}
END_TEST

static const struct {
    const char *what;
    int mode;
    scm_backend first;
    int rc;
    long status;
    const char *code;
    int other_usable;
    long left;
    scm_served_how want;
} NEXT[] = {
    {"v2 gone", SCM_FALLBACK_FORWARD, SCM_BACKEND_LEGACY, SCM_E_NOT_FOUND, 404, "APIGW.0101", 1,
     100, SCM_SERVED_FORWARD},
    {"v2 gone, mode legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_LEGACY, SCM_E_NOT_FOUND, 404,
     "APIGW.0101", 1, 100, SCM_SERVED_FORWARD},
    {"v2 gone, off", SCM_FALLBACK_OFF, SCM_BACKEND_LEGACY, SCM_E_NOT_FOUND, 404, "APIGW.0101", 1,
     100, SCM_SERVED_FIRST},
    {"v2 gone, no v3 endpoint", SCM_FALLBACK_FORWARD, SCM_BACKEND_LEGACY, SCM_E_NOT_FOUND, 404,
     "APIGW.0101", 0, 100, SCM_SERVED_FIRST},
    {"v2 gone, no time left", SCM_FALLBACK_FORWARD, SCM_BACKEND_LEGACY, SCM_E_NOT_FOUND, 404,
     "APIGW.0101", 1, 0, SCM_SERVED_FIRST},
    {"a certificate's 404", SCM_FALLBACK_LEGACY, SCM_BACKEND_LEGACY, SCM_E_NOT_FOUND, 404,
     "SCM.0016", 1, 100, SCM_SERVED_FIRST},
    {"v3 503, forward", SCM_FALLBACK_FORWARD, SCM_BACKEND_V3, SCM_E_SERVER, 503, "APIGW.0305", 1,
     100, SCM_SERVED_FIRST},
    {"v3 503, legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_SERVER, 503, "APIGW.0305", 1, 100,
     SCM_SERVED_FALLBACK},
    {"v3 429, legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_SERVER, 429, "APIGW.0308", 1, 100,
     SCM_SERVED_FALLBACK},
    {"v3 network, legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_NETWORK, 0, "SCMSHIM.NETWORK",
     1, 100, SCM_SERVED_FALLBACK},
    {"v3 500 business, legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_SERVER, 500, "SCM.0500",
     1, 100, SCM_SERVED_FIRST},
    {"v3 400, legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_SERVER, 400, "SCM.0400", 1, 100,
     SCM_SERVED_FIRST},
    {"v3 403, legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_AUTH, 403, "APIGW.0302", 1, 100,
     SCM_SERVED_FIRST},
    {"v3 gone, legacy", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_NOT_FOUND, 404, "APIGW.0101", 1,
     100, SCM_SERVED_FIRST},
    {"v3 503, no time left", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_E_SERVER, 503, "APIGW.0305",
     1, 0, SCM_SERVED_FIRST},
    {"v3 ok", SCM_FALLBACK_LEGACY, SCM_BACKEND_V3, SCM_OK, 200, "", 1, 100, SCM_SERVED_FIRST},
};

START_TEST(what_the_other_backend_serves)
{
    scm_answer a = answer(NEXT[_i].rc, NEXT[_i].status, NEXT[_i].code);
    ck_assert_msg(scm__fallback_next(NEXT[_i].mode, NEXT[_i].first, &a, NEXT[_i].other_usable,
                                     NEXT[_i].left) == NEXT[_i].want,
                  "%s", NEXT[_i].what);
}
END_TEST

START_TEST(breaker_opens_after_n_and_closes_after_a_probe)
{
    scm_breaker br = {0};
    scm_answer busy = answer(SCM_E_SERVER, 503, "APIGW.0305");
    scm_answer ok = answer(SCM_OK, 200, "");
    scm_answer no_cert = answer(SCM_E_NOT_FOUND, 404, "SCM.0016");
    const scm_fallback_mode L = SCM_FALLBACK_LEGACY;

    ck_assert_int_eq(scm__breaker_record(&br, &busy, 0, 3, 200), 0);
    ck_assert_int_eq(scm__breaker_record(&br, &busy, 10, 3, 200), 0);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 20), SCM_BACKEND_V3);
    /* An answer that is no transient failure breaks the run. */
    ck_assert_int_eq(scm__breaker_record(&br, &no_cert, 20, 3, 200), 0);
    ck_assert_int_eq(scm__breaker_record(&br, &busy, 30, 3, 200), 0);
    ck_assert_int_eq(scm__breaker_record(&br, &busy, 40, 3, 200), 0);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 50), SCM_BACKEND_V3);
    ck_assert_int_eq(scm__breaker_record(&br, &busy, 50, 3, 200), 1); /* the third in a row */
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 60), SCM_BACKEND_LEGACY);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 249), SCM_BACKEND_LEGACY);
    /* Only mode legacy skips v3, and only when legacy can be asked; a legacy client is left. */
    ck_assert_int_eq(scm__fallback_first(&br, SCM_FALLBACK_FORWARD, SCM_BACKEND_V3, 1, 60),
                     SCM_BACKEND_V3);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 0, 60), SCM_BACKEND_V3);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_LEGACY, 1, 60), SCM_BACKEND_LEGACY);
    /* Past the cool-down one call probes v3; its failure re-opens at once. */
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 250), SCM_BACKEND_V3);
    ck_assert_int_eq(scm__breaker_record(&br, &busy, 250, 3, 200), 0);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 260), SCM_BACKEND_LEGACY);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 450), SCM_BACKEND_V3);
    ck_assert_int_eq(scm__breaker_record(&br, &ok, 450, 3, 200), -1);
    ck_assert_int_eq(scm__fallback_first(&br, L, SCM_BACKEND_V3, 1, 460), SCM_BACKEND_V3);
    ck_assert_int_eq(br.failures, 0);
}
END_TEST

/* ---- the backend file ---- */

static const struct {
    const char *text;
    size_t len;
    int rc;
    scm_file_value want;
} PARSE[] = {
    {"v3", 2, 0, SCM_FILE_V3},
    {"legacy\n", 7, 0, SCM_FILE_LEGACY},
    {" \tshadow\r\n\n", 11, 0, SCM_FILE_SHADOW},
    {"", 0, -1, SCM_FILE_V3},
    {"\n", 1, -1, SCM_FILE_V3},
    {"V3", 2, -1, SCM_FILE_V3},
    {"v3 legacy", 9, -1, SCM_FILE_V3},
    {"v3\0", 3, -1, SCM_FILE_V3}, /* a NUL is content, not an end */
    {"legacyx", 7, -1, SCM_FILE_V3},
    {"v", 1, -1, SCM_FILE_V3},
};

START_TEST(backend_file_values)
{
    scm_file_value v = SCM_FILE_V3;
    ck_assert_int_eq(scm__backend_file_parse(PARSE[_i].text, PARSE[_i].len, &v), PARSE[_i].rc);
    if (PARSE[_i].rc == 0)
        ck_assert_int_eq(v, PARSE[_i].want);
}
END_TEST

static char file_path[64];

static void write_file(const char *text)
{
    char tmp[80];
    FILE *fp;
    /* As an operator's tool writes it: a new file renamed over the old one. */
    snprintf(tmp, sizeof tmp, "%s.new", file_path);
    fp = fopen(tmp, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_eq(rename(tmp, file_path), 0);
}

/* As an editor may write it: the same file truncated and rewritten. */
static void write_in_place(const char *text)
{
    FILE *fp = fopen(file_path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
}

static void make_path(void)
{
    char dir[] = "/tmp/scm-fallback-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file_path, sizeof file_path, "%s/backend", dir);
}

static void remove_path(void)
{
    char *slash;
    unlink(file_path);
    slash = strrchr(file_path, '/');
    *slash = '\0';
    rmdir(file_path);
}

START_TEST(backend_file_is_re_read_when_it_changes_at_most_once_per_interval)
{
    scm_backend_file f;
    scm_file_value v = SCM_FILE_V3;
    char big[4096], aside[80];
    make_path();
    snprintf(aside, sizeof aside, "%s.aside", file_path);
    scm__backend_file_init(&f);
    ck_assert_int_eq(f.interval_ms, 1000);
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 0, &v), 0); /* missing */
    write_file("legacy\n");
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 999, &v), 0); /* not time yet */
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 1000, &v), 1);
    ck_assert_int_eq(v, SCM_FILE_LEGACY);
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 2000, &v), 0); /* unchanged */
    write_file("shadow");
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 2500, &v), 0);
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 3000, &v), 1);
    ck_assert_int_eq(v, SCM_FILE_SHADOW);
    write_file("v2\n"); /* a bad value: refused, the caller keeps its backend */
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 4000, &v), 0);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "v3\n", 3);
    write_file(big); /* longer than anything read: refused whole */
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 5000, &v), 0);
    write_file("v3\n");
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 6000, &v), 1);
    ck_assert_int_eq(v, SCM_FILE_V3);
    write_in_place("legacy"); /* same inode: its size and mtime tell */
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 6100, &v), 0);
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 7000, &v), 1);
    ck_assert_int_eq(v, SCM_FILE_LEGACY);
    /* Moved away and back, identity and all: read again, what it says may be news again. */
    ck_assert_int_eq(rename(file_path, aside), 0);
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 8000, &v), 0);
    ck_assert_int_eq(rename(aside, file_path), 0);
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 9000, &v), 1);
    ck_assert_int_eq(v, SCM_FILE_LEGACY);
    write_file("v3\n");
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 10000, &v), 1);
    unlink(file_path);
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 11000, &v), 0);
    ck_assert_int_eq(mkfifo(file_path, 0600), 0); /* never read: it would block */
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 12000, &v), 0);
    unlink(file_path);
    write_file("v3\n"); /* back after it went: read again though its content is the same */
    ck_assert_int_eq(scm__backend_file_poll(&f, file_path, 13000, &v), 1);
    remove_path();
}
END_TEST

/* ---- the pipeline on the fake transport ---- */

static scm_client *client_on_fake(fake_transport **f, const char *backend, const char *fallback,
                                  const char *retries, long timeout_ms)
{
    scm_config cfg = {"http://scm.test",
                      "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                      "HPUAEXAMPLEAKID00001",
                      "exampleSecretKey0123456789abcdefEXAMPLE",
                      NULL,
                      timeout_ms};
    scm_client *c;
    tu_setenv("SCM_SHIM_BACKEND", backend);
    tu_setenv("SCM_SHIM_FALLBACK", fallback);
    tu_setenv("SCM_SHIM_RETRIES", retries);
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    *f = fake_transport_new();
    ck_assert_ptr_nonnull(*f);
    scm__client_set_transport(c, fake_transport_base(*f));
    return c;
}

static fake_reply reply(const char *match, long status, const char *body, long delay_ms)
{
    fake_reply r = {match, status, NULL, body, delay_ms, 0};
    if (body == NULL)
        r.body = strcmp(match, "/v3/") == 0 ? v3_body : legacy_body;
    return r;
}

static int asked(const fake_transport *f, size_t i, const char *api)
{
    return strstr(fake_transport_call(f, i)->url, api) != NULL;
}

START_TEST(legacy_gone_falls_forward_and_stays_on_v3)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "legacy", NULL, "3", 5000);
    scm_cert_details *d = NULL;
    char *json = NULL;
    fake_transport_reply(f, reply("/v2/", 404, GONE_BODY, 0));
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s", scm_client_error_msg(c));
    ck_assert_uint_eq(fake_transport_ncalls(f), 2); /* a 404 is not retried */
    ck_assert(asked(f, 0, "/v2/") && asked(f, 1, "/v3/"));
    ck_assert_str_eq(scm_shim_report_backend(scm_shim_details_report(d)), "v3");
    ck_assert_str_eq(scm_shim_report_fallback(scm_shim_details_report(d)), "forward");
    ck_assert_str_eq(d->cert_id, CERT);
    scm_cert_details_free(d);
    /* From then on v3 first, and no fallback to report. */
    ck_assert_msg(scm_query_cert_details_json(c, CERT, &json) == SCM_OK, "%s",
                  scm_client_error_msg(c));
    ck_assert_uint_eq(fake_transport_ncalls(f), 3);
    ck_assert(asked(f, 2, "/v3/"));
    ck_assert_str_eq(scm_shim_report_backend(scm_shim_client_report(c)), "v3");
    ck_assert_str_eq(scm_shim_report_fallback(scm_shim_client_report(c)), "");
    ck_assert_int_eq(c->cfg.backend_from, SCM_ORIGIN_FORWARD);
    scm_free(json);
    scm_client_free(c);
}
END_TEST

START_TEST(a_certificates_404_or_fallback_off_stays_on_legacy)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "legacy", NULL, "3", 5000);
    scm_cert_details *d = NULL;
    fake_transport_reply(f, reply("/v2/", 404, NO_CERT_BODY, 0));
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_E_NOT_FOUND);
    ck_assert_uint_eq(fake_transport_ncalls(f), 1);
    ck_assert_int_eq(c->cfg.backend, SCM_BACKEND_LEGACY);
    scm_client_free(c);

    c = client_on_fake(&f, "legacy", "off", "3", 5000);
    fake_transport_reply(f, reply("/v2/", 404, GONE_BODY, 0));
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_E_NOT_FOUND);
    ck_assert_str_eq(scm_client_error_code(c), "APIGW.0101");
    ck_assert_uint_eq(fake_transport_ncalls(f), 1);
    scm_client_free(c);
}
END_TEST

START_TEST(v3_transient_failure_falls_back_to_legacy)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, NULL, "legacy", "1", 5000);
    char *json = NULL;
    fake_transport_reply(f, reply("/v3/", 503, BUSY_BODY, 0));
    fake_transport_reply(f, reply("/v3/", 503, BUSY_BODY, 0));
    fake_transport_reply(f, reply("/v2/", 200, NULL, 0));
    ck_assert_msg(scm_query_cert_details_json(c, CERT, &json) == SCM_OK, "%s",
                  scm_client_error_msg(c));
    ck_assert_uint_eq(fake_transport_ncalls(f), 3); /* v3's attempt and retry, then legacy */
    ck_assert(asked(f, 2, "/v2/"));
    ck_assert_str_eq(json, legacy_body); /* the legacy service's own body */
    ck_assert_str_eq(scm_shim_report_backend(scm_shim_client_report(c)), "legacy");
    ck_assert_str_eq(scm_shim_report_fallback(scm_shim_client_report(c)), "legacy");
    ck_assert_int_eq(c->cfg.backend, SCM_BACKEND_V3); /* the client stays on v3 */
    scm_free(json);
    scm_client_free(c);
}
END_TEST

/* Never on a 4xx; and the default (forward) never falls back to legacy. */
START_TEST(v3_client_errors_are_not_fallen_back)
{
    static const struct {
        const char *fallback;
        long status;
        const char *body;
        int rc;
    } CASES[] = {
        {"legacy", 400, "{\"error_code\":\"SCM.0400\",\"error_msg\":\"bad\"}", SCM_E_SERVER},
        {"legacy", 403, "{\"error_code\":\"APIGW.0302\",\"error_msg\":\"no\"}", SCM_E_AUTH},
        {"legacy", 404, NO_CERT_BODY, SCM_E_NOT_FOUND},
        {"legacy", 500, "{\"error_code\":\"SCM.0500\",\"error_msg\":\"business\"}", SCM_E_SERVER},
        {NULL, 503, BUSY_BODY, SCM_E_SERVER},
    };
    fake_transport *f;
    scm_client *c = client_on_fake(&f, NULL, CASES[_i].fallback, "0", 5000);
    scm_cert_details *d = NULL;
    fake_transport_reply(f, reply("/v3/", CASES[_i].status, CASES[_i].body, 0));
    fake_transport_reply(f, reply("/v2/", 200, NULL, 0));
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), CASES[_i].rc);
    ck_assert_msg(fake_transport_ncalls(f) == 1, "HTTP %ld: legacy asked", CASES[_i].status);
    scm_client_free(c);
}
END_TEST

START_TEST(legacy_fallback_never_past_the_deadline)
{
    const long timeout = 600;
    fake_transport *f;
    scm_client *c = client_on_fake(&f, NULL, "legacy", "0", timeout);
    scm_cert_details *d = NULL;
    long start, took, given;
    /* v3's slow 503 eats most of the time; legacy's answer would come after the deadline. */
    fake_transport_reply(f, reply("/v3/", 503, BUSY_BODY, 400));
    fake_transport_reply(f, reply("/v2/", 200, NULL, 3000));
    start = scm__now_ms();
    ck_assert_int_ne(scm_query_cert_details(c, CERT, &d), SCM_OK);
    took = scm__now_ms() - start;
    ck_assert_msg(took <= timeout + SLACK_MS, "answered after %ld ms for a %ld ms timeout", took,
                  timeout);
    ck_assert_uint_eq(fake_transport_ncalls(f), 2);
    ck_assert(asked(f, 1, "/v2/"));
    /* The legacy request had only what was left of the caller's time. */
    given = fake_transport_call(f, 1)->timeout_ms;
    ck_assert_msg(given <= timeout - 400, "legacy timeout %ld ms", given);
    scm_client_free(c);

    /* With the time left, legacy serves within the deadline. */
    c = client_on_fake(&f, NULL, "legacy", "0", timeout);
    fake_transport_reply(f, reply("/v3/", 503, BUSY_BODY, 400));
    fake_transport_reply(f, reply("/v2/", 200, NULL, 50));
    start = scm__now_ms();
    ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s", scm_client_error_msg(c));
    took = scm__now_ms() - start;
    ck_assert_msg(took <= timeout + SLACK_MS, "%ld ms", took);
    ck_assert_str_eq(scm_shim_report_fallback(scm_shim_details_report(d)), "legacy");
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

START_TEST(breaker_skips_v3_for_the_cooldown_then_probes)
{
    fake_transport *f;
    scm_client *c;
    scm_cert_details *d = NULL;
    int i;
    tu_setenv("SCM_SHIM_BREAKER_FAILURES", "2");
    tu_setenv("SCM_SHIM_BREAKER_COOLDOWN_MS", "200");
    c = client_on_fake(&f, NULL, "legacy", "0", 5000);
    for (i = 0; i < 2; i++) {
        fake_transport_reply(f, reply("/v3/", 503, BUSY_BODY, 0));
        fake_transport_reply(f, reply("/v2/", 200, NULL, 0));
    }
    fake_transport_reply(f, reply("/v2/", 200, NULL, 0)); /* open: legacy first */
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0)); /* the probe */
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0)); /* closed */
    for (i = 0; i < 3; i++) {
        ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s", scm_client_error_msg(c));
        ck_assert_str_eq(scm_shim_report_fallback(scm_shim_details_report(d)), "legacy");
        scm_cert_details_free(d);
    }
    ck_assert_uint_eq(fake_transport_ncalls(f), 5);
    ck_assert(asked(f, 4, "/v2/")); /* the third call did not try v3 */
    usleep(250 * 1000);
    for (i = 0; i < 2; i++) {
        ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s", scm_client_error_msg(c));
        ck_assert_str_eq(scm_shim_report_backend(scm_shim_details_report(d)), "v3");
        ck_assert_str_eq(scm_shim_report_fallback(scm_shim_details_report(d)), "");
        scm_cert_details_free(d);
    }
    ck_assert_uint_eq(fake_transport_ncalls(f), 7);
    ck_assert(asked(f, 5, "/v3/") && asked(f, 6, "/v3/"));
    scm_client_free(c);
}
END_TEST

START_TEST(backend_file_moves_a_client_between_calls)
{
    fake_transport *f;
    scm_client *c;
    scm_cert_details *d = NULL;
    make_path();
    write_file("legacy\n");
    tu_setenv("SCM_SHIM_BACKEND_FILE", file_path);
    c = client_on_fake(&f, "v3", NULL, "0", 5000);
    ck_assert_int_eq(c->cfg.backend, SCM_BACKEND_LEGACY); /* the file over SCM_SHIM_BACKEND */
    ck_assert_int_eq(c->cfg.backend_from, SCM_ORIGIN_FILE);
    c->backend_file.interval_ms = 0; /* every call looks */
    fake_transport_reply(f, reply("/v2/", 200, NULL, 0));
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    fake_transport_reply(f, reply("/v2/", 200, NULL, 0));
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_OK);
    scm_cert_details_free(d);
    write_file("v3\n");
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_OK);
    scm_cert_details_free(d);
    write_file("nonsense\n"); /* refused: v3 stays */
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_OK);
    scm_cert_details_free(d);
    ck_assert(asked(f, 0, "/v2/") && asked(f, 1, "/v3/") && asked(f, 2, "/v3/"));
    write_file("shadow\n"); /* v3 served, legacy asked alongside */
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_OK);
    ck_assert_str_eq(scm_shim_report_backend(scm_shim_details_report(d)), "v3");
    scm_cert_details_free(d);
    ck_assert_uint_eq(fake_transport_ncalls(f), 5);
    ck_assert_int_eq(fake_transport_call(f, 3)->batch_size, 2);
    scm_client_free(c);
    remove_path();
}
END_TEST

/* `scm-shim audit` compares the two as they answer: v2's "gone" is its side's error. */
START_TEST(an_audit_never_falls_over)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f, "legacy", "legacy", "0", 5000);
    scm_audit_record *r = NULL;
    fake_transport_reply(f, reply("/v2/", 404, GONE_BODY, 0));
    fake_transport_reply(f, reply("/v3/", 200, NULL, 0));
    ck_assert_int_eq(scm__client_audit(c, CERT, 0, &r), SCM_OK);
    ck_assert_uint_eq(fake_transport_ncalls(f), 2);
    ck_assert_int_eq(r->served, SCM_BACKEND_LEGACY);
    ck_assert_int_eq(r->side[SCM_BACKEND_LEGACY].rc, SCM_E_NOT_FOUND);
    ck_assert_int_eq(c->cfg.backend, SCM_BACKEND_LEGACY);
    scm__audit_record_free(r);
    scm_client_free(c);
}
END_TEST

START_TEST(bad_settings_stop_the_client)
{
    static const char *const BAD[][2] = {
        {"SCM_SHIM_FALLBACK", "back"},         {"SCM_SHIM_FALLBACK", "Forward"},
        {"SCM_SHIM_BREAKER_FAILURES", "0"},    {"SCM_SHIM_BREAKER_FAILURES", "5x"},
        {"SCM_SHIM_BREAKER_COOLDOWN_MS", "0"}, {"SCM_SHIM_BREAKER_COOLDOWN_MS", "-1"},
    };
    scm_config cfg = tu_base_config();
    scm_client *c;
    tu_setenv(BAD[_i][0], BAD[_i][1]);
    c = scm_client_new(&cfg);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(scm_shim_last_error(), BAD[_i][0]) != NULL, "%s", scm_shim_last_error());
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fallback");
    TCase *tc = tu_quiet_tcase("fallback");
    int rc;

    if (tu_fixture_bodies(FIXTURE, &v3_body, &legacy_body) != 0)
        return 1;
    tcase_add_test(tc, only_the_gateways_not_published_answer_is_api_gone);
    tcase_add_loop_test(tc, what_the_other_backend_serves, 0, (int)(sizeof NEXT / sizeof NEXT[0]));
    tcase_add_test(tc, breaker_opens_after_n_and_closes_after_a_probe);
    tcase_add_loop_test(tc, backend_file_values, 0, (int)(sizeof PARSE / sizeof PARSE[0]));
    tcase_add_test(tc, backend_file_is_re_read_when_it_changes_at_most_once_per_interval);
    tcase_add_test(tc, legacy_gone_falls_forward_and_stays_on_v3);
    tcase_add_test(tc, a_certificates_404_or_fallback_off_stays_on_legacy);
    tcase_add_test(tc, v3_transient_failure_falls_back_to_legacy);
    tcase_add_loop_test(tc, v3_client_errors_are_not_fallen_back, 0, 5);
    tcase_add_test(tc, legacy_fallback_never_past_the_deadline);
    tcase_add_test(tc, breaker_skips_v3_for_the_cooldown_then_probes);
    tcase_add_test(tc, backend_file_moves_a_client_between_calls);
    tcase_add_test(tc, an_audit_never_falls_over);
    tcase_add_loop_test(tc, bad_settings_stop_the_client, 0, 6);
    suite_add_tcase(s, tc);
    rc = tu_run(s);
    free(v3_body);
    free(legacy_body);
    return rc;
}
