/*
 * test_switch.c - switch day (issue 16) against scm-emulator: v2 switched off under a running
 * client (fall-forward, and the client stays on v3), a v3 503 storm with v2 healthy (each
 * call served by legacy within its deadline, the breaker opening and closing), and a backend
 * file flipped between the calls of one process.
 * owns: these expectations of a migration's moments; must not: leave a variable, a file or an
 * emulator behind (emu_hermetic).
 */
#include "client.h"
#include "hermetic.h"
#include "itest.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CERT "scs1159493232269"

static emu E;

static void start(const char *const *args)
{
    ck_assert_int_eq(emu_start(&E, NULL, args), 0);
    unsetenv("SCM_SHIM_BACKEND");
    unsetenv("SCM_SHIM_RETRIES");
    unsetenv("SCM_SHIM_SHADOW");
    tu_setenv("SCM_SHIM_LOG", "off");
}

/* One struct call that must succeed; its report's backend and fallback. */
static void call(scm_client *c, const char *backend, const char *fallback, long within_ms)
{
    scm_cert_details *d = NULL;
    double t0 = it_now_ms(), took;
    int rc = scm_query_cert_details(c, CERT, &d);
    took = it_now_ms() - t0;
    ck_assert_msg(rc == SCM_OK, "rc %d: %s", rc, scm_client_error_msg(c));
    ck_assert_str_eq(d->cert_id, CERT);
    ck_assert_str_eq(scm_shim_report_backend(scm_shim_details_report(d)), backend);
    ck_assert_str_eq(scm_shim_report_fallback(scm_shim_details_report(d)), fallback);
    ck_assert_msg(took <= (double)within_ms, "served after %.0f ms for a %ld ms timeout", took,
                  within_ms);
    scm_cert_details_free(d);
}

static int requests(const char *api)
{
    char needle[32];
    snprintf(needle, sizeof needle, "\"api\":\"%s\"", api);
    return emu_log_count(&E, needle);
}

START_TEST(v2_switched_off_mid_run_falls_forward_and_stays_on_v3)
{
    static const char *const args[] = {"--disable-api-after", "v2:2", NULL};
    scm_config cfg;
    scm_client *c;
    char *json = NULL, log_path[320], *log;
    start(args);
    snprintf(log_path, sizeof log_path, "%s/audit.log", E.dir);
    tu_setenv("SCM_SHIM_BACKEND", "legacy");
    tu_setenv("SCM_SHIM_AUDIT_LOG", log_path);
    cfg = it_config(&E);
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    call(c, "legacy", "", cfg.timeout_ms);
    call(c, "legacy", "", cfg.timeout_ms);
    /* v2 is gone: the same call answered by v3, rebuilt through the table. */
    call(c, "v3", "forward", cfg.timeout_ms);
    ck_assert_int_eq(requests("v2"), 3);
    ck_assert_int_eq(requests("v3"), 1);
    /* From then on v3 alone, the JSON API too, with the frozen body's shape. */
    ck_assert_int_eq(scm_query_cert_details_json(c, CERT, &json), SCM_OK);
    ck_assert_ptr_nonnull(strstr(json, "\"cert_id\""));
    ck_assert_str_eq(scm_shim_report_fallback(scm_shim_client_report(c)), "");
    scm_free(json);
    call(c, "v3", "", cfg.timeout_ms);
    ck_assert_int_eq(requests("v2"), 3);
    ck_assert_int_eq(requests("v3"), 3);
    scm_client_free(c);
    /* The one call that fell forward is the log's one line (no shadow mode). */
    log = tu_read_file(log_path, NULL);
    ck_assert_ptr_nonnull(log);
    ck_assert_msg(strstr(log, "\"served\":\"v3\",\"fallback\":\"forward\"") != NULL &&
                      strstr(log, "\"error_code\":\"APIGW.0101\"") != NULL &&
                      strchr(log, '\n') == log + strlen(log) - 1,
                  "%s", log);
    free(log);

    /* SCM_SHIM_FALLBACK=off: the program sees v2's 404, as before. */
    tu_setenv("SCM_SHIM_FALLBACK", "off");
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(scm_query_cert_details_json(c, CERT, &json), SCM_E_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(json, "APIGW.0101"));
    scm_free(json);
    ck_assert_int_eq(requests("v3"), 3);
    scm_client_free(c);
    emu_stop(&E);
}
END_TEST

/* How many times needle occurs in s. */
static int count_of(const char *s, const char *needle)
{
    int n = 0;
    for (; (s = strstr(s, needle)) != NULL; s++)
        n++;
    return n;
}

START_TEST(v3_503_storm_falls_back_within_the_deadline_and_the_breaker_turns)
{
    /* Four v3 requests fail: two calls of an attempt and a retry each. */
    static const char *const args[] = {"--fault", "*:api=v3,status=503,count=4", NULL};
    char log_path[320], *log;
    scm_config cfg;
    scm_client *c;
    int i;
    start(args);
    snprintf(log_path, sizeof log_path, "%s/audit.log", E.dir);
    tu_setenv("SCM_SHIM_FALLBACK", "legacy");
    tu_setenv("SCM_SHIM_RETRIES", "1");
    tu_setenv("SCM_SHIM_BREAKER_FAILURES", "2");
    tu_setenv("SCM_SHIM_BREAKER_COOLDOWN_MS", "200");
    tu_setenv("SCM_SHIM_AUDIT_LOG", log_path);
    cfg = it_config(&E);
    cfg.timeout_ms = 2000;
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    for (i = 0; i < 2; i++)
        call(c, "legacy", "legacy", cfg.timeout_ms);
    ck_assert_int_eq(requests("v3"), 4);
    ck_assert_int_eq(requests("v2"), 2);
    /* Open: legacy first, v3 not asked. */
    call(c, "legacy", "legacy", cfg.timeout_ms);
    ck_assert_int_eq(requests("v3"), 4);
    ck_assert_int_eq(requests("v2"), 3);
    usleep(250 * 1000);
    /* Past the cool-down the probe finds v3 healthy: closed. */
    call(c, "v3", "", cfg.timeout_ms);
    call(c, "v3", "", cfg.timeout_ms);
    ck_assert_int_eq(requests("v3"), 6);
    ck_assert_int_eq(requests("v2"), 3);
    scm_client_free(c);
    /* The three fallbacks are counted in the audit log: two that asked both backends, and the
     * one the open breaker sent to legacy, its v3 side saying so. */
    log = tu_read_file(log_path, NULL);
    ck_assert_ptr_nonnull(log);
    ck_assert_ptr_nonnull(strstr(log, "\"served\":\"legacy\",\"fallback\":\"legacy\""));
    ck_assert_msg(strstr(log, "\"error_code\":\"SCMSHIM.BREAKER_OPEN\"") != NULL, "%s", log);
    ck_assert_int_eq(count_of(log, "\"fallback\":\"legacy\""), 3);
    free(log);
    emu_stop(&E);
}
END_TEST

/*
 * A slow v3 storm: legacy serves with what is left of the caller's time, never later; when
 * v3's retries used it all, the call fails at its deadline rather than after it.
 */
START_TEST(fallback_never_past_timeout_ms)
{
    static const char *const args[] = {"--fault", "*:api=v3,status=503,latency_ms=700", NULL};
    static const char *const retries[] = {"0", "3"};
    scm_config cfg;
    scm_client *c;
    scm_cert_details *d = NULL;
    double t0, took;
    int i, rc;
    start(args);
    tu_setenv("SCM_SHIM_FALLBACK", "legacy");
    cfg = it_config(&E);
    cfg.timeout_ms = 1000;
    for (i = 0; i < 2; i++) {
        tu_setenv("SCM_SHIM_RETRIES", retries[i]);
        c = scm_client_new(&cfg);
        ck_assert_ptr_nonnull(c);
        t0 = it_now_ms();
        rc = scm_query_cert_details(c, CERT, &d);
        took = it_now_ms() - t0;
        if (i == 0) {
            ck_assert_msg(rc == SCM_OK, "%s", scm_client_error_msg(c));
            ck_assert_str_eq(scm_shim_report_fallback(scm_shim_details_report(d)), "legacy");
        }
        ck_assert_msg(took <= 1000 + 150, "retries %s: %.0f ms", retries[i], took);
        scm_cert_details_free(d);
        d = NULL;
        scm_client_free(c);
    }
    emu_stop(&E);
}
END_TEST

static char file_path[320];

static void write_backend_file(const char *value)
{
    char tmp[340];
    FILE *fp;
    snprintf(tmp, sizeof tmp, "%s.new", file_path);
    ck_assert_ptr_nonnull(fp = fopen(tmp, "w"));
    fprintf(fp, "%s\n", value);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_eq(rename(tmp, file_path), 0);
}

/* A client of a new emulator whose SCM_SHIM_BACKEND_FILE holds value; its config in *cfg. */
static scm_client *client_on_backend_file(const char *value, scm_config *cfg)
{
    scm_client *c;
    start(NULL);
    snprintf(file_path, sizeof file_path, "%s/backend", E.dir);
    write_backend_file(value);
    tu_setenv("SCM_SHIM_BACKEND_FILE", file_path);
    *cfg = it_config(&E);
    c = scm_client_new(cfg);
    ck_assert_ptr_nonnull(c);
    return c;
}

START_TEST(backend_file_flipped_between_calls_of_one_process)
{
    scm_config cfg;
    scm_client *c = client_on_backend_file("legacy", &cfg);
    /* The internal hook: look at every call rather than at most once a second. */
    c->backend_file.interval_ms = 0;
    call(c, "legacy", "", cfg.timeout_ms);
    ck_assert_int_eq(requests("v2"), 1);
    write_backend_file("v3");
    call(c, "v3", "", cfg.timeout_ms);
    ck_assert_int_eq(requests("v3"), 1);
    write_backend_file("shadow");
    call(c, "v3", "", cfg.timeout_ms);
    ck_assert_int_eq(requests("v3"), 2);
    ck_assert_int_eq(requests("v2"), 2); /* asked alongside */
    write_backend_file("legacy");
    call(c, "legacy", "", cfg.timeout_ms);
    ck_assert_int_eq(requests("v2"), 3);
    ck_assert_int_eq(requests("v3"), 2);
    /* Gone: the backend in force stays. */
    unlink(file_path);
    call(c, "legacy", "", cfg.timeout_ms);
    ck_assert_int_eq(requests("v2"), 4);
    scm_client_free(c);
    emu_stop(&E);
}
END_TEST

/* The real interval: a flip within the second is seen once the second has passed. */
START_TEST(backend_file_looked_at_at_most_once_a_second)
{
    scm_config cfg;
    scm_client *c = client_on_backend_file("v3", &cfg);
    call(c, "v3", "", cfg.timeout_ms);
    write_backend_file("legacy");
    call(c, "v3", "", cfg.timeout_ms); /* within the second: not looked at */
    usleep(1050 * 1000);
    call(c, "legacy", "", cfg.timeout_ms);
    scm_client_free(c);
    unlink(file_path);
    emu_stop(&E);
}
END_TEST

/* Runs scm-shim doctor against E with extra_env; its stdout in out. */
static int doctor(const char *extra_env, char *out, size_t n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "env SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s "
             "SCM_SHIM_LOG=off %s %s "
             "doctor",
             E.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, extra_env, SCM_SHIM_CLI);
    return it_run(cmd, out, n);
}

START_TEST(doctor_shows_the_backend_in_force_and_its_origin)
{
    char out[4096], env[400];
    start(NULL);
    snprintf(file_path, sizeof file_path, "%s/backend", E.dir);
    ck_assert_int_eq(doctor("", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "ok    backend in force         v3, from default"));
    ck_assert_ptr_nonnull(strstr(out, "ok    fallback                 forward"));
    ck_assert_int_eq(doctor("SCM_SHIM_BACKEND=legacy SCM_SHIM_FALLBACK=off", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "legacy, from SCM_SHIM_BACKEND\n"));
    ck_assert_ptr_nonnull(strstr(out, "ok    fallback                 off"));
    write_backend_file("shadow");
    snprintf(env, sizeof env, "SCM_SHIM_BACKEND=legacy SCM_SHIM_BACKEND_FILE=%s", file_path);
    ck_assert_int_eq(doctor(env, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "v3 (shadowed), from SCM_SHIM_BACKEND_FILE="));
    ck_assert_ptr_nonnull(strstr(out, file_path));
    unlink(file_path);
    ck_assert_int_eq(doctor(env, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "legacy, from SCM_SHIM_BACKEND\n"));
    ck_assert_ptr_nonnull(strstr(out, "warn  backend file"));
    emu_stop(&E);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("switch");
    TCase *tc = tcase_create("switch");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, v2_switched_off_mid_run_falls_forward_and_stays_on_v3);
    tcase_add_test(tc, v3_503_storm_falls_back_within_the_deadline_and_the_breaker_turns);
    tcase_add_test(tc, fallback_never_past_timeout_ms);
    tcase_add_test(tc, backend_file_flipped_between_calls_of_one_process);
    tcase_add_test(tc, backend_file_looked_at_at_most_once_a_second);
    tcase_add_test(tc, doctor_shows_the_backend_in_force_and_its_origin);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
