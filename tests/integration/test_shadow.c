/*
 * test_shadow.c - shadow mode and the audit: the caller always gets the selected backend's
 * answer, both APIs are asked concurrently, the audit log stays whole under threads.
 * owns: these expectations of shadow mode and the audit; must not: leave a variable or an
 * emulator behind (emu_hermetic).
 */
#include "audit.h"
#include "hermetic.h"
#include "itest.h"
#include "report.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CERTS SCM_TEST_DATA_DIR "/certs"

static emu E;    /* faults on one side for some certificates */
static emu SLOW; /* 200 ms on both APIs */
static char log_path[300];

static const char *const FAULTS[] = {"--fault", "scs2603283540895:api=v3,status=500",
                                     "--fault", "scs4488023722227:api=v3,body=malformed",
                                     "--fault", "scs1343342290420:api=v3,latency_ms=3000",
                                     "--fault", "scs6935049258991:api=v2,status=503",
                                     "--fault", "scs7396304647646:api=v2,body=drop",
                                     NULL};

static void start(void)
{
    static const char *const slow[] = {"--latency-ms", "200", NULL};
    ck_assert_int_eq(emu_start(&E, NULL, FAULTS), 0);
    ck_assert_int_eq(emu_start(&SLOW, NULL, slow), 0);
    snprintf(log_path, sizeof log_path, "%s/audit.log", E.dir);
}

static void stop(void)
{
    emu_stop(&E);
    emu_stop(&SLOW);
}

static void shim_env(const char *backend, const char *shadow)
{
    tu_setenv("SCM_SHIM_BACKEND", backend);
    tu_setenv("SCM_SHIM_SHADOW", shadow);
    unsetenv("SCM_SHIM_SHADOW_SAMPLE");
    unsetenv("SCM_SHIM_AUDIT_VALUES");
    setenv("SCM_SHIM_SHADOW_TIMEOUT_MS", "1000", 1);
    setenv("SCM_SHIM_AUDIT_LOG", log_path, 1);
}

/* What one call gives the caller: return code, error code, status and the body. */
typedef struct outcome {
    int rc;
    char code[64];
    long status;
    char *body;
    int struct_rc;
} outcome;

static outcome call(const emu *e, const char *id)
{
    scm_client *c = it_client(e);
    scm_cert_details *d = NULL;
    outcome o;
    o.rc = scm_query_cert_details_json(c, id, &o.body);
    snprintf(o.code, sizeof o.code, "%s", scm_client_error_code(c));
    o.status = scm_client_http_status(c);
    o.struct_rc = scm_query_cert_details(c, id, &d);
    scm_cert_details_free(d);
    scm_client_free(c);
    return o;
}

static const char *const BACKENDS[] = {"v3", "legacy"};

START_TEST(served_answer_is_the_selected_backends)
{
    char **ids = it_fixture_ids(CERTS);
    size_t i;
    for (i = 0; ids[i] != NULL; i++) {
        outcome plain, shadowed;
        shim_env(BACKENDS[_i], NULL);
        plain = call(&E, ids[i]);
        shim_env(BACKENDS[_i], "1");
        shadowed = call(&E, ids[i]);
        ck_assert_msg(plain.rc == shadowed.rc, "%s %s: rc %d vs %d", BACKENDS[_i], ids[i], plain.rc,
                      shadowed.rc);
        ck_assert_int_eq(plain.struct_rc, shadowed.struct_rc);
        ck_assert_str_eq(plain.code, shadowed.code);
        ck_assert_int_eq(plain.status, shadowed.status);
        ck_assert((plain.body == NULL) == (shadowed.body == NULL));
        if (plain.body != NULL)
            ck_assert_str_eq(plain.body, shadowed.body);
        scm_free(plain.body);
        scm_free(shadowed.body);
    }
    it_free_ids(ids);
}
END_TEST

/* The last n lines of the audit log, parsed. */
static cJSON *audit_tail(int n)
{
    char *text = tu_read_file(log_path, NULL), *line, *save = NULL;
    cJSON *all = cJSON_CreateArray(), *tail = cJSON_CreateArray();
    int i, total;
    ck_assert_ptr_nonnull(text);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *o = cJSON_Parse(line);
        ck_assert_msg(o != NULL, "audit line is not JSON: %s", line);
        cJSON_AddItemToArray(all, o);
    }
    total = cJSON_GetArraySize(all);
    for (i = total - n; i < total; i++)
        cJSON_AddItemToArray(tail, cJSON_Duplicate(cJSON_GetArrayItem(all, i), 1));
    cJSON_Delete(all);
    free(text);
    return tail;
}

static const char *str(const cJSON *o, const char *a, const char *b)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b != NULL)
        it = cJSON_GetObjectItemCaseSensitive(it, b);
    ck_assert_msg(cJSON_IsString(it), "%s.%s", a, b ? b : "");
    return it->valuestring;
}

START_TEST(audit_lines_and_both_apis)
{
    scm_client *c;
    scm_cert_details *d = NULL;
    cJSON *lines, *l, *log;
    char *text;
    int before;

    shim_env("v3", "1");
    c = it_client(&E);
    log = it_log(&E);
    before = cJSON_GetArraySize(log);
    cJSON_Delete(log);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    /* Both APIs were asked for that one call. */
    log = it_log(&E);
    ck_assert_int_eq(cJSON_GetArraySize(log), before + 2);
    ck_assert_str_ne(str(cJSON_GetArrayItem(log, before), "api", NULL),
                     str(cJSON_GetArrayItem(log, before + 1), "api", NULL));
    cJSON_Delete(log);
    lines = audit_tail(1);
    l = cJSON_GetArrayItem(lines, 0);
    ck_assert_str_eq(str(l, "cert_id", NULL), "scs7788354407554");
    ck_assert_str_eq(str(l, "served", NULL), "v3");
    ck_assert_str_eq(str(l, "result", NULL), "expected");
    ck_assert_str_eq(str(l, "fields", "cert_name"), "match");
    ck_assert_str_eq(str(l, "fields", "encrypt_type"), "expected");
    ck_assert_str_eq(str(l, "reasons", "encrypt_type"), "lossy");
    /* v3 serves the application data since 2025: the same value, no reason to give. */
    ck_assert_str_eq(str(l, "fields", "company_name"), "match");
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(l, "reasons"), "company_name"));
    ck_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(l, "legacy"), "latency_ms")));
    ck_assert(cJSON_IsNumber(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(l, "v3"), "latency_ms")));
    /* Field names only by default: no values, so no personal data. */
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(l, "values"));
    text = tu_read_file(log_path, NULL);
    ck_assert_ptr_null(strstr(text, "Acme"));
    free(text);
    cJSON_Delete(lines);
    scm_client_free(c);

    setenv("SCM_SHIM_AUDIT_VALUES", "1", 1);
    c = it_client(&E);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    lines = audit_tail(1);
    l = cJSON_GetArrayItem(lines, 0);
    ck_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(l, "values"), "encrypt_type", "legacy"),
                     "SHA256withRSA4096");
    ck_assert_str_eq(str(cJSON_GetObjectItemCaseSensitive(l, "values"), "encrypt_type", "v3"),
                     "SHA256withRSA");
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(l, "values"), "cert_name"));
    cJSON_Delete(lines);
    scm_client_free(c);
}
END_TEST

static const struct {
    const char *id;
    const char *failing; /* "legacy" or "v3" */
} SHADOW_FAULTS[] = {
    {"scs2603283540895", "v3"},     {"scs4488023722227", "v3"},     {"scs1343342290420", "v3"},
    {"scs6935049258991", "legacy"}, {"scs7396304647646", "legacy"},
};

START_TEST(one_side_failing_is_an_error_record)
{
    const char *id = SHADOW_FAULTS[_i].id;
    const char *served = strcmp(SHADOW_FAULTS[_i].failing, "v3") == 0 ? "legacy" : "v3";
    outcome o;
    cJSON *lines, *l;
    double t0;

    /* The healthy backend serves; the failing one is the shadow. */
    shim_env(served, "1");
    t0 = it_now_ms();
    o = call(&E, id);
    ck_assert_int_eq(o.rc, SCM_OK);
    ck_assert_int_eq(o.struct_rc, SCM_OK);
    /* A shadow that hangs costs at most its own timeout (1 s here), twice for two calls. */
    ck_assert_double_lt(it_now_ms() - t0, 2 * 1000 + 1500);
    scm_free(o.body);
    lines = audit_tail(2);
    cJSON_ArrayForEach(l, lines)
    {
        ck_assert_str_eq(str(l, "cert_id", NULL), id);
        ck_assert_str_eq(str(l, "result", NULL), "error");
        ck_assert_str_eq(str(l, "fields", "cert_id"), "error");
        ck_assert_int_ne(cJSON_GetObjectItemCaseSensitive(
                             cJSON_GetObjectItemCaseSensitive(l, SHADOW_FAULTS[_i].failing), "rc")
                             ->valueint,
                         0);
        ck_assert_int_eq(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(l, served), "rc")
                ->valueint,
            0);
    }
    cJSON_Delete(lines);
}
END_TEST

START_TEST(shadowed_call_takes_the_slower_not_the_sum)
{
    scm_client *plain, *shadowed;
    scm_cert_details *d = NULL;
    double t0, t_plain = 0, t_shadow = 0;
    int i;

    shim_env("v3", NULL);
    plain = it_client(&SLOW);
    shim_env("v3", "1");
    setenv("SCM_SHIM_SHADOW_TIMEOUT_MS", "5000", 1);
    shadowed = it_client(&SLOW);
    for (i = 0; i < 3; i++) {
        t0 = it_now_ms();
        ck_assert_int_eq(scm_query_cert_details(plain, "scs7788354407554", &d), SCM_OK);
        t_plain += it_now_ms() - t0;
        scm_cert_details_free(d);
        t0 = it_now_ms();
        ck_assert_int_eq(scm_query_cert_details(shadowed, "scs7788354407554", &d), SCM_OK);
        t_shadow += it_now_ms() - t0;
        scm_cert_details_free(d);
    }
    /* The sum would be 2x; concurrent requests take about 1x. */
    ck_assert_msg(t_shadow < 1.5 * t_plain, "shadowed %.0f ms vs plain %.0f ms", t_shadow, t_plain);
    scm_client_free(plain);
    scm_client_free(shadowed);
}
END_TEST

/* Each side's latency in the audit line is the measured one: at least the emulator's 200 ms. */
START_TEST(audit_latency_is_measured)
{
    static const char *const SIDES[] = {"legacy", "v3"};
    scm_cert_details *d = NULL;
    scm_client *c;
    cJSON *lines;
    size_t i;

    shim_env("v3", "1");
    setenv("SCM_SHIM_SHADOW_TIMEOUT_MS", "5000", 1);
    c = it_client(&SLOW);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
    lines = audit_tail(1);
    for (i = 0; i < 2; i++) {
        const cJSON *ms = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(lines, 0), SIDES[i]), "latency_ms");
        ck_assert_msg(cJSON_IsNumber(ms), "%s", SIDES[i]);
        ck_assert_msg(ms->valuedouble >= 200 && ms->valuedouble < 5000, "%s: %.3f ms", SIDES[i],
                      ms->valuedouble);
    }
    cJSON_Delete(lines);
}
END_TEST

#define THREADS 8
#define CALLS 25

static void *shadow_thread(void *arg)
{
    scm_client *c = it_client(&E);
    char **ids = arg;
    int i;
    for (i = 0; i < CALLS; i++) {
        scm_cert_details *d = NULL;
        scm_query_cert_details(c, ids[(size_t)i % it_count_ids(ids)], &d);
        scm_cert_details_free(d);
    }
    scm_client_free(c);
    return NULL;
}

START_TEST(concurrent_threads_write_whole_lines)
{
    char path[320], **ids = it_fixture_ids(CERTS), *text, *line, *save = NULL;
    pthread_t t[THREADS];
    struct stat st;
    int i, lines = 0;

    snprintf(path, sizeof path, "%s/threads.log", E.dir);
    shim_env("v3", "1");
    setenv("SCM_SHIM_AUDIT_LOG", path, 1);
    setenv("SCM_SHIM_AUDIT_VALUES", "1", 1); /* long lines */
    for (i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, shadow_thread, ids);
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    text = tu_read_file(path, NULL);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *o = cJSON_Parse(line);
        ck_assert_msg(o != NULL, "a torn line: %.80s", line);
        cJSON_Delete(o);
        lines++;
    }
    ck_assert_int_eq(lines, THREADS * CALLS);
    free(text);
    it_free_ids(ids);
}
END_TEST

START_TEST(sampling)
{
    scm_client *c;
    scm_cert_details *d = NULL;
    cJSON *log;
    int before, after, i;

    shim_env("v3", "1");
    setenv("SCM_SHIM_SHADOW_SAMPLE", "0", 1);
    c = it_client(&E);
    log = it_log(&E);
    before = cJSON_GetArraySize(log);
    cJSON_Delete(log);
    for (i = 0; i < 20; i++) {
        scm_query_cert_details(c, "scs7788354407554", &d);
        scm_cert_details_free(d);
    }
    log = it_log(&E);
    after = cJSON_GetArraySize(log);
    cJSON_Delete(log);
    ck_assert_int_eq(after - before, 20); /* never shadowed */
    scm_client_free(c);

    setenv("SCM_SHIM_SHADOW_SAMPLE", "0.5", 1);
    c = it_client(&E);
    for (i = 0; i < 200; i++) {
        scm_query_cert_details(c, "scs7788354407554", &d);
        scm_cert_details_free(d);
    }
    log = it_log(&E);
    before = after;
    after = cJSON_GetArraySize(log);
    cJSON_Delete(log);
    /* 200 calls plus about 100 shadows; far from 0 and from 200. */
    ck_assert_int_gt(after - before - 200, 50);
    ck_assert_int_lt(after - before - 200, 150);
    scm_client_free(c);
}
END_TEST

START_TEST(bad_audit_log_path_goes_on)
{
    scm_client *c;
    scm_cert_details *d = NULL;
    shim_env("v3", "1");
    setenv("SCM_SHIM_AUDIT_LOG", "/nonexistent-dir/audit.log", 1);
    c = it_client(&E);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

/*
 * A shadow side far slower than the caller's timeout (3 s against 0.8 s, with a
 * shadow timeout of 10 s): the served answer still comes within the caller's
 * deadline, and the late shadow is recorded as an error, not waited for.
 */
START_TEST(late_shadow_never_stretches_the_deadline)
{
    scm_config cfg = it_config(&E);
    scm_cert_details *d = NULL;
    scm_client *c;
    cJSON *lines;
    double t0, ms;

    shim_env("legacy", "1");
    setenv("SCM_SHIM_SHADOW_TIMEOUT_MS", "10000", 1);
    cfg.timeout_ms = 800;
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    t0 = it_now_ms();
    ck_assert_int_eq(scm_query_cert_details(c, "scs1343342290420", &d), SCM_OK);
    ms = it_now_ms() - t0;
    ck_assert_msg(ms < 2000, "the call took %.0f ms", ms);
    scm_cert_details_free(d);
    scm_client_free(c);
    lines = audit_tail(1);
    ck_assert_str_eq(str(cJSON_GetArrayItem(lines, 0), "cert_id", NULL), "scs1343342290420");
    ck_assert_str_eq(str(cJSON_GetArrayItem(lines, 0), "result", NULL), "error");
    cJSON_Delete(lines);
}
END_TEST

START_TEST(audit_compares_both_sides)
{
    scm_client *c;
    scm_audit_record *r = NULL;
    shim_env("v3", NULL);
    c = it_client(&E);
    ck_assert_int_eq(scm__client_audit(c, "scs9454356128061", 1, &r), SCM_OK);
    ck_assert_int_eq(r->overall, SCM_CMP_EXPECTED);
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(r->values, "encrypt_type"));
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(r->values, "company_name"));
    ck_assert_int_eq(r->reasons[scm__report_index("encrypt_type")], SCM_WHY_LOSSY);
    scm__audit_record_free(r);
    ck_assert_int_eq(scm__client_audit(c, "scs2603283540895", 0, &r), SCM_OK);
    ck_assert_int_eq(r->overall, SCM_CMP_ERROR);
    ck_assert_int_eq(r->side[SCM_BACKEND_V3].http_status, 500);
    ck_assert_int_eq(r->side[SCM_BACKEND_LEGACY].rc, SCM_OK);
    scm__audit_record_free(r);
    ck_assert_int_eq(scm__client_audit(c, "../x", 0, &r), SCM_E_INVALID_PARAM);
    ck_assert_ptr_null(r);
    scm_client_free(c);
}
END_TEST

START_TEST(fleet_audit_counts_add_up)
{
    char cmd[1024], *out = malloc(1 << 20);
    cJSON *doc, *f, *results;
    double certs, sum;
    int c;
    static const char *const CLASSES[] = {"match", "captured", "expected", "mismatch", "error"};

    snprintf(cmd, sizeof cmd,
             "SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s %s "
             "audit --format json "
             "--concurrency 4 --ids %s/fleet-ids.txt",
             E.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, SCM_SHIM_CLI, SCM_TEST_DATA_DIR);
    /* Not every certificate could be compared: the audit cannot say go. */
    ck_assert_int_eq(it_run(cmd, out, 1 << 20), 3);
    doc = cJSON_Parse(out);
    ck_assert_ptr_nonnull(doc);
    certs = cJSON_GetObjectItemCaseSensitive(doc, "certificates")->valuedouble;
    ck_assert_double_eq(certs, 17);
    ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(doc, "compared")->valuedouble, 12);
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(doc, "fields"))
    {
        for (sum = 0, c = 0; c < 5; c++)
            sum += cJSON_GetObjectItemCaseSensitive(f, CLASSES[c])->valuedouble;
        ck_assert_double_eq(sum, certs);
    }
    results = cJSON_GetObjectItemCaseSensitive(doc, "results");
    for (sum = 0, c = 0; c < 5; c++)
        sum += cJSON_GetObjectItemCaseSensitive(results, CLASSES[c])->valuedouble;
    ck_assert_double_eq(sum, certs);
    /* Four faulted certificates and the unknown one are errors (the slow one is within the
     * audit's timeout), nothing is a mismatch. */
    ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(results, "error")->valuedouble, 5);
    ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(results, "mismatch")->valuedouble, 0);
    cJSON_Delete(doc);
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shadow");
    TCase *tc = tcase_create("shadow");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 300);
    tcase_add_unchecked_fixture(tc, start, stop);
    tcase_add_loop_test(tc, served_answer_is_the_selected_backends, 0, 2);
    tcase_add_test(tc, audit_lines_and_both_apis);
    tcase_add_loop_test(tc, one_side_failing_is_an_error_record, 0,
                        sizeof SHADOW_FAULTS / sizeof SHADOW_FAULTS[0]);
    tcase_add_test(tc, shadowed_call_takes_the_slower_not_the_sum);
    tcase_add_test(tc, audit_latency_is_measured);
    tcase_add_test(tc, concurrent_threads_write_whole_lines);
    tcase_add_test(tc, sampling);
    tcase_add_test(tc, bad_audit_log_path_goes_on);
    tcase_add_test(tc, audit_compares_both_sides);
    tcase_add_test(tc, late_shadow_never_stretches_the_deadline);
    tcase_add_test(tc, fleet_audit_counts_add_up);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
