/*
 * test_legacy.c - the legacy backend against scm-emulator: fixtures, errors, keep-alive,
 * threads.
 * owns: these expectations of the legacy backend; must not: leave a variable or an emulator
 * behind (emu_hermetic).
 */
#include "fixtures.h"
#include "hermetic.h"
#include "itest.h"
#include "maptable.h"
#include "testutil.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static emu E;      /* the fixtures, AK/SK and token auth */
static emu FAULTS; /* the fixtures with injected faults */
static emu PARSE;  /* tests/data/parse-cases */

#define CERTS SCM_TEST_DATA_DIR "/certs"
#define PARSE_CASES SCM_TEST_DATA_DIR "/parse-cases"

static void start_main(void)
{
    ck_assert_int_eq(emu_start(&E, NULL, NULL), 0);
}

static void stop_main(void)
{
    emu_stop(&E);
}

/* Compares every member of d with the legacy body, through the frozen descriptor. */
static void assert_details_equal(const scm_cert_details *d, const cJSON *legacy)
{
    const cJSON *auth = cJSON_GetObjectItemCaseSensitive(legacy, "auth");
    size_t i, k;

    ck_assert_int_eq(cJSON_GetArraySize(legacy), 26);
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_frozen_field *r = &scm__frozen[i];
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(legacy, r->key);
        if (r->in_auth) {
            ck_assert_uint_eq(d->auth_count, (size_t)cJSON_GetArraySize(auth));
            for (k = 0; k < d->auth_count; k++) {
                const cJSON *ev =
                    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(auth, (int)k), r->key);
                ck_assert_msg(cJSON_IsString(ev), "%s", r->name);
                ck_assert_str_eq(
                    *(char *const *)(const void *)((const char *)&d->auth[k] + r->offset),
                    ev->valuestring);
            }
        } else if (r->type == SCM_FT_STRING) {
            ck_assert_msg(cJSON_IsString(v), "%s", r->name);
            ck_assert_str_eq(*(char *const *)(const void *)((const char *)d + r->offset),
                             v->valuestring);
        } else if (r->type == SCM_FT_INT) {
            ck_assert_int_eq(d->domain_number, v->valueint);
        }
    }
}

START_TEST(every_fixture_struct)
{
    char **ids = it_fixture_ids(CERTS);
    scm_client *c = it_client(&E);
    size_t i;
    for (i = 0; ids[i] != NULL; i++) {
        cJSON *legacy = it_fixture_json(CERTS, ids[i], "legacy.json");
        scm_cert_details *d = (scm_cert_details *)1;
        int rc = scm_query_cert_details(c, ids[i], &d);
        ck_assert_msg(rc == SCM_OK, "%s: %d %s", ids[i], rc, scm_client_error_msg(c));
        assert_details_equal(d, legacy);
        ck_assert_str_eq(scm_client_error_code(c), "");
        ck_assert_int_eq(scm_client_http_status(c), 0);
        scm_cert_details_free(d);
        cJSON_Delete(legacy);
    }
    ck_assert_uint_eq(i, tu_fixture_pairs(CERTS, NULL));
    scm_client_free(c);
    it_free_ids(ids);
}
END_TEST

START_TEST(every_fixture_json_is_the_body)
{
    char **ids = it_fixture_ids(CERTS);
    scm_client *c = it_client(&E);
    size_t i;
    for (i = 0; ids[i] != NULL; i++) {
        char path[512], *expected, *body = NULL;
        snprintf(path, sizeof path, "%s/%s/legacy.json", CERTS, ids[i]);
        expected = tu_read_file(path, NULL);
        ck_assert_int_eq(scm_query_cert_details_json(c, ids[i], &body), SCM_OK);
        ck_assert_str_eq(body, expected);
        scm_free(body);
        free(expected);
    }
    scm_client_free(c);
    it_free_ids(ids);
}
END_TEST

START_TEST(token_auth)
{
    scm_config cfg = it_config(&E);
    scm_client *c;
    scm_cert_details *d = NULL;
    cJSON *log;
    cfg.access_key = cfg.secret_key = NULL;
    cfg.auth_token = EMU_TOKEN;
    c = scm_client_new(&cfg);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    ck_assert_str_eq(d->cert_name, "证书-生产");
    scm_cert_details_free(d);
    scm_client_free(c);
    log = it_log(&E);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetArrayItem(log, cJSON_GetArraySize(log) - 1), "auth")
                         ->valuestring,
                     "ok-token");
    cJSON_Delete(log);
}
END_TEST

START_TEST(wrong_credentials_are_auth_errors)
{
    scm_config cfg = it_config(&E);
    scm_client *c;
    scm_cert_details *d = (scm_cert_details *)1;
    char *body = (char *)1;

    cfg.secret_key = "wrong-secret";
    c = scm_client_new(&cfg);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_E_AUTH);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(scm_client_http_status(c), 401);
    ck_assert_str_eq(scm_client_error_code(c), "APIGW.0301");
    ck_assert_ptr_null(strstr(scm_client_error_msg(c), "wrong-secret"));
    ck_assert_int_eq(scm_query_cert_details_json(c, "scs7788354407554", &body), SCM_E_AUTH);
    ck_assert_ptr_nonnull(strstr(body, "\"error_code\""));
    scm_free(body);
    scm_client_free(c);

    cfg = it_config(&E);
    cfg.access_key = cfg.secret_key = NULL;
    cfg.auth_token = "not-the-token";
    c = scm_client_new(&cfg);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_E_AUTH);
    scm_client_free(c);
}
END_TEST

START_TEST(not_found)
{
    scm_config cfg = it_config(&E);
    scm_client *c = it_client(&E);
    scm_cert_details *d = (scm_cert_details *)1;
    char *body = NULL;
    cJSON *doc;

    ck_assert_int_eq(scm_query_cert_details(c, "scs0000000000000", &d), SCM_E_NOT_FOUND);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(scm_client_http_status(c), 404);
    ck_assert_str_eq(scm_client_error_code(c), "SCM.0404");
    ck_assert_ptr_nonnull(strstr(scm_client_error_msg(c), "scs0000000000000"));
    ck_assert_int_eq(scm_query_cert_details_json(c, "scs0000000000000", &body), SCM_E_NOT_FOUND);
    doc = cJSON_Parse(body);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(doc, "error_code")->valuestring, "SCM.0404");
    cJSON_Delete(doc);
    scm_free(body);
    /* A success resets the error state. */
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    ck_assert_str_eq(scm_client_error_code(c), "");
    ck_assert_str_eq(scm_client_error_msg(c), "");
    ck_assert_int_eq(scm_client_http_status(c), 0);
    scm_cert_details_free(d);
    scm_client_free(c);

    cfg.project_id = "otherproject";
    c = scm_client_new(&cfg);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_E_NOT_FOUND);
    scm_client_free(c);
}
END_TEST

static const char *const BAD_IDS[] = {
    "",
    "a/b",
    "..",
    "../scs7788354407554",
    "a%2Fb",
    "a?b",
    "a#b",
    "a b",
    "a\r\nHost: x",
    "scs7788354407554\n",
    "01234567890123456789012345678901234567890123456789012345678901234"};

START_TEST(bad_cert_id_sends_nothing)
{
    scm_client *c = it_client(&E);
    scm_cert_details *d = (scm_cert_details *)1;
    char *body = (char *)1;
    int before = emu_log_count(&E, "\"path\"");
    size_t i;

    for (i = 0; i < sizeof BAD_IDS / sizeof BAD_IDS[0]; i++) {
        ck_assert_int_eq(scm_query_cert_details(c, BAD_IDS[i], &d), SCM_E_INVALID_PARAM);
        ck_assert_ptr_null(d);
        ck_assert_int_eq(scm_query_cert_details_json(c, BAD_IDS[i], &body), SCM_E_INVALID_PARAM);
        ck_assert_ptr_null(body);
        ck_assert_str_eq(scm_client_error_code(c), "SCMSHIM.INVALID_PARAM");
    }
    ck_assert_int_eq(scm_query_cert_details(c, NULL, &d), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", NULL), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm_query_cert_details_json(c, "scs7788354407554", NULL), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm_query_cert_details(NULL, "scs7788354407554", &d), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm_query_cert_details_json(NULL, "scs7788354407554", &body),
                     SCM_E_INVALID_PARAM);
    ck_assert_int_eq(emu_log_count(&E, "\"path\""), before);
    scm_client_free(c);
    scm_client_free(NULL);
    scm_cert_details_free(NULL);
    scm_free(NULL);
    ck_assert_str_eq(scm_client_error_code(NULL), "");
}
END_TEST

START_TEST(keep_alive_one_connection)
{
    scm_client *c = it_client(&E);
    const char *ids[] = {"scs7788354407554", "scs1159493232269", "scs9595544421983",
                         "scs0000000000000", "scs2603283540895"};
    cJSON *log, *line;
    int port = -1, seen = 0, start;
    size_t i;

    log = it_log(&E);
    start = cJSON_GetArraySize(log);
    cJSON_Delete(log);
    for (i = 0; i < 5; i++) {
        scm_cert_details *d = NULL;
        scm_query_cert_details(c, ids[i], &d);
        scm_cert_details_free(d);
    }
    log = it_log(&E);
    ck_assert_int_eq(cJSON_GetArraySize(log), start + 5);
    cJSON_ArrayForEach(line, log)
    {
        int p;
        if (seen++ < start)
            continue;
        p = cJSON_GetObjectItemCaseSensitive(line, "client_port")->valueint;
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(line, "auth")->valuestring, "ok-aksk");
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(line, "api")->valuestring, "v2");
        if (port == -1)
            port = p;
        ck_assert_int_eq(p, port);
    }
    cJSON_Delete(log);
    scm_client_free(c);
}
END_TEST

#define THREADS 8
#define CALLS_PER_THREAD 40

static void *thread_main(void *arg)
{
    scm_client *c = it_client(&E);
    char **ids = arg;
    long ok = 0;
    int i;
    for (i = 0; i < CALLS_PER_THREAD; i++) {
        scm_cert_details *d = NULL;
        const char *id = ids[(size_t)i % it_count_ids(ids)];
        if (scm_query_cert_details(c, id, &d) == SCM_OK && strcmp(d->cert_id, id) == 0)
            ok++;
        scm_cert_details_free(d);
    }
    scm_client_free(c);
    return (void *)ok;
}

START_TEST(one_client_per_thread)
{
    char **ids = it_fixture_ids(CERTS);
    pthread_t t[THREADS];
    long total = 0;
    int i;
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, ids), 0);
    for (i = 0; i < THREADS; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        total += (long)ok;
    }
    ck_assert_int_eq(total, THREADS * CALLS_PER_THREAD);
    it_free_ids(ids);
}
END_TEST

START_TEST(security_token_is_signed)
{
    scm_client *c;
    scm_cert_details *d = NULL;
    setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sts-token-value", 1);
    c = it_client(&E);
    unsetenv("HUAWEICLOUD_SDK_SECURITY_TOKEN");
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

/* ---- faults ---- */

static void start_faults(void)
{
    /* These tests map each fault to its code; test_reliability.c covers retrying them. */
    setenv("SCM_SHIM_RETRIES", "0", 1);
    static const char *const args[] = {"--fault", "scs7788354407554:status=500",
                                       "--fault", "scs1159493232269:status=403",
                                       "--fault", "scs9595544421983:status=429,retry_after=1",
                                       "--fault", "scs2603283540895:body=malformed",
                                       "--fault", "scs4488023722227:body=truncated",
                                       "--fault", "scs7396304647646:body=drop",
                                       "--fault", "scs6935049258991:latency_ms=3000",
                                       "--fault", "scs5387027233194:status=400",
                                       "--fault", "scs3267718637407:status=502",
                                       NULL};
    ck_assert_int_eq(emu_start(&FAULTS, NULL, args), 0);
}

static void stop_faults(void)
{
    unsetenv("SCM_SHIM_RETRIES");
    emu_stop(&FAULTS);
}

static const struct {
    const char *id;
    int rc;
    long status;
} FAULT_CASES[] = {
    {"scs7788354407554", SCM_E_SERVER, 500}, {"scs1159493232269", SCM_E_AUTH, 403},
    {"scs9595544421983", SCM_E_SERVER, 429}, {"scs2603283540895", SCM_E_PARSE, 200},
    {"scs4488023722227", SCM_E_NETWORK, 0},  {"scs7396304647646", SCM_E_NETWORK, 0},
    {"scs5387027233194", SCM_E_SERVER, 400}, {"scs3267718637407", SCM_E_SERVER, 502},
};

START_TEST(fault_maps_to_code)
{
    scm_client *c = it_client(&FAULTS);
    scm_cert_details *d = (scm_cert_details *)1;
    char *body = (char *)1;
    int rc = FAULT_CASES[_i].rc;

    ck_assert_int_eq(scm_query_cert_details(c, FAULT_CASES[_i].id, &d), rc);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(scm_client_http_status(c), FAULT_CASES[_i].status);
    ck_assert_str_ne(scm_client_error_code(c), "");
    ck_assert_str_ne(scm_client_error_msg(c), "");
    ck_assert_int_eq(scm_query_cert_details_json(c, FAULT_CASES[_i].id, &body), rc);
    if (rc == SCM_E_SERVER || rc == SCM_E_AUTH) {
        cJSON *doc = cJSON_Parse(body);
        ck_assert_msg(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "error_code")), "%s",
                      body);
        cJSON_Delete(doc);
        scm_free(body);
    } else {
        ck_assert_ptr_null(body);
    }
    scm_client_free(c);
}
END_TEST

START_TEST(timeout_is_network_error_on_time)
{
    scm_config cfg = it_config(&FAULTS);
    scm_client *c;
    scm_cert_details *d = NULL;
    double t0;
    cfg.timeout_ms = 500;
    c = scm_client_new(&cfg);
    t0 = it_now_ms();
    ck_assert_int_eq(scm_query_cert_details(c, "scs6935049258991", &d), SCM_E_NETWORK);
    ck_assert_double_lt(it_now_ms() - t0, 500 + 1500);
    ck_assert_double_ge(it_now_ms() - t0, 450);
    ck_assert_str_eq(scm_client_error_code(c), "SCMSHIM.NETWORK");
    scm_client_free(c);
}
END_TEST

START_TEST(connection_refused_is_network_error)
{
    scm_config cfg = it_config(&E);
    scm_client *c;
    scm_cert_details *d = NULL;
    cfg.endpoint = "http://127.0.0.1:1";
    c = scm_client_new(&cfg);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_E_NETWORK);
    ck_assert_ptr_nonnull(strstr(scm_client_error_msg(c), "127.0.0.1"));
    scm_client_free(c);
}
END_TEST

/* ---- parse cases: tests/data/parse-cases/<id>/{legacy.json,expected.json} ---- */

static void start_parse(void)
{
    ck_assert_int_eq(emu_start(&PARSE, PARSE_CASES, NULL), 0);
}

static void stop_parse(void)
{
    emu_stop(&PARSE);
}

START_TEST(parse_cases)
{
    char **ids = it_fixture_ids(PARSE_CASES);
    scm_client *c = it_client(&PARSE);
    size_t i;
    for (i = 0; ids[i] != NULL; i++) {
        cJSON *exp = it_fixture_json(PARSE_CASES, ids[i], "expected.json");
        scm_cert_details *d = (scm_cert_details *)1;
        char *body = (char *)1;
        int want_struct = cJSON_GetObjectItemCaseSensitive(exp, "struct")->valueint;
        int want_json = cJSON_GetObjectItemCaseSensitive(exp, "json")->valueint;
        int rc = scm_query_cert_details(c, ids[i], &d);
        ck_assert_msg(rc == want_struct, "%s: struct rc %d, want %d", ids[i], rc, want_struct);
        if (rc == SCM_OK) {
            ck_assert_str_eq(d->cert_id, ids[i]);
            ck_assert_str_eq(d->cert_name, "");
            ck_assert_str_eq(d->dns_push_status, "");
            ck_assert_int_eq(d->domain_number, 0);
            ck_assert_uint_eq(d->auth_count, 0);
        } else {
            ck_assert_ptr_null(d);
            ck_assert_str_eq(scm_client_error_code(c), "SCMSHIM.PARSE");
        }
        scm_cert_details_free(d);
        rc = scm_query_cert_details_json(c, ids[i], &body);
        ck_assert_msg(rc == want_json, "%s: json rc %d, want %d", ids[i], rc, want_json);
        ck_assert(rc == SCM_OK ? body != NULL : body == NULL);
        scm_free(body);
        cJSON_Delete(exp);
    }
    scm_client_free(c);
    it_free_ids(ids);
}
END_TEST

START_TEST(body_over_cap_is_parse_error)
{
    char dir[] = "/tmp/scmshim-big-XXXXXX", path[512];
    emu big;
    scm_client *c;
    scm_cert_details *d = NULL;
    FILE *f;
    long i;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bigcert", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/bigcert/legacy.json", dir);
    f = fopen(path, "w");
    fputs("{\"cert_id\":\"bigcert\",\"cert_describe\":\"", f);
    for (i = 0; i < 5L * 1024 * 1024; i++)
        fputc('x', f);
    fputs("\"}", f);
    fclose(f);
    ck_assert_int_eq(emu_start(&big, dir, NULL), 0);
    c = it_client(&big);
    ck_assert_int_eq(scm_query_cert_details(c, "bigcert", &d), SCM_E_PARSE);
    ck_assert_ptr_nonnull(strstr(scm_client_error_msg(c), "larger than"));
    scm_client_free(c);
    emu_stop(&big);
    unlink(path);
    snprintf(path, sizeof path, "%s/bigcert", dir);
    rmdir(path);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("legacy backend");
    /* This suite is about the legacy backend; test_v3.c covers the default. */
    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    TCase *tc = tcase_create("fixtures");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, start_main, stop_main);
    tcase_add_test(tc, every_fixture_struct);
    tcase_add_test(tc, every_fixture_json_is_the_body);
    tcase_add_test(tc, token_auth);
    tcase_add_test(tc, wrong_credentials_are_auth_errors);
    tcase_add_test(tc, not_found);
    tcase_add_test(tc, bad_cert_id_sends_nothing);
    tcase_add_test(tc, keep_alive_one_connection);
    tcase_add_test(tc, one_client_per_thread);
    tcase_add_test(tc, security_token_is_signed);
    tcase_add_test(tc, connection_refused_is_network_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("faults");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, start_faults, stop_faults);
    tcase_add_loop_test(tc, fault_maps_to_code, 0, sizeof FAULT_CASES / sizeof FAULT_CASES[0]);
    tcase_add_test(tc, timeout_is_network_error_on_time);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, start_parse, stop_parse);
    tcase_add_test(tc, parse_cases);
    tcase_add_test(tc, body_over_cap_is_parse_error);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
