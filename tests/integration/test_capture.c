/*
 * test_capture.c - keep what only v2 knew: capture through the legacy backend, then serve it
 * on v3 after v2 is gone; re-issued certificates, concurrent writers, a corrupt store.
 * owns: these expectations of the capture store, through the shared library and the CLI; must
 * not: leave a variable or an emulator behind (emu_hermetic); its stores live in the emulators'
 * temp dirs.
 */
#include "capture.h"
#include "fixtures.h"
#include "hermetic.h"
#include "itest.h"
#include "maptable.h"
#include "report.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CERTS SCM_TEST_DATA_DIR "/certs"

static emu LIVE; /* both APIs */
static emu GONE; /* --disable-api v2: after the switch-off */
static char store[320];

static void start(void)
{
    static const char *const gone[] = {"--disable-api", "v2", NULL};
    ck_assert_int_eq(emu_start(&LIVE, NULL, NULL), 0);
    ck_assert_int_eq(emu_start(&GONE, NULL, gone), 0);
    snprintf(store, sizeof store, "%s/capture.db", LIVE.dir);
    unsetenv("SCM_SHIM_SHADOW");
}

static void stop(void)
{
    emu_stop(&LIVE);
    emu_stop(&GONE);
}

/* Queries every fixture through the legacy backend with the store on. */
static void capture_all(const char *path)
{
    char **ids = it_fixture_ids(CERTS);
    scm_client *c;
    size_t i;
    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    setenv("SCM_SHIM_CAPTURE", path, 1);
    c = it_client(&LIVE);
    for (i = 0; ids[i] != NULL; i++) {
        scm_cert_details *d = NULL;
        ck_assert_int_eq(scm_query_cert_details(c, ids[i], &d), SCM_OK);
        scm_cert_details_free(d);
    }
    scm_client_free(c);
    unsetenv("SCM_SHIM_BACKEND");
    it_free_ids(ids);
}

static const char *legacy_str(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    ck_assert_msg(cJSON_IsString(it), "%s", key);
    return it->valuestring;
}

START_TEST(served_after_v2_is_gone)
{
    char **ids = it_fixture_ids(CERTS);
    struct stat st;
    scm_client *c;
    size_t i, k;

    capture_all(store);
    ck_assert_int_eq(stat(store, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    c = it_client(&GONE); /* v3 backend, same store */
    for (i = 0; ids[i] != NULL; i++) {
        cJSON *legacy = it_fixture_json(CERTS, ids[i], "legacy.json"), *auth;
        const scm_shim_report *r;
        scm_cert_details *d = NULL;
        ck_assert_int_eq(scm_query_cert_details(c, ids[i], &d), SCM_OK);
        r = scm_shim_details_report(d);
        /* Every field as v2 said it, the restored ones flagged captured with a time. */
        for (k = 0; k < scm__map_builtin.nrows; k++) {
            const scm_map_row *row = &scm__map_builtin.rows[k];
            if (row->field->type != SCM_FT_STRING || row->field->in_auth)
                continue;
            ck_assert_str_eq(*(char **)(void *)((char *)d + row->field->offset),
                             legacy_str(legacy, row->field->key));
            if (row->cls == SCM_CLASS_MISSING || row->cls == SCM_CLASS_LOSSY) {
                ck_assert_int_eq(scm_shim_report_field_class(r, k), SCM_SHIM_CLASS_CAPTURED);
                ck_assert(scm_shim_report_field_captured_at(r, k) > 0);
            }
        }
        auth = cJSON_GetObjectItemCaseSensitive(legacy, "auth");
        ck_assert_uint_eq(d->auth_count, (size_t)cJSON_GetArraySize(auth));
        for (k = 0; k < d->auth_count; k++)
            ck_assert_str_eq(d->auth[k].status,
                             legacy_str(cJSON_GetArrayItem(auth, (int)k), "status"));
        scm_cert_details_free(d);
        cJSON_Delete(legacy);
    }
    /* No request reached v2 on this emulator but the refused ones: v3 only. */
    ck_assert_int_eq(emu_log_count(&GONE, "\"api\":\"v2\""), 0);
    scm_client_free(c);
    it_free_ids(ids);
}
END_TEST

START_TEST(sample_program_prints_every_field_as_v2_did)
{
    char cmd[1024], out[320], *got, *want;
    capture_all(store);
    snprintf(out, sizeof out, "%s/report.out", GONE.dir);
    snprintf(cmd, sizeof cmd,
             "env -u SCM_SHIM_BACKEND SCM_ENDPOINT=%s SCM_PROJECT_ID=%s SCM_AK=%s SCM_SK=%s "
             "SCM_SHIM_CAPTURE=%s %s/cert_report scs7788354407554 scs1159493232269 "
             "scs5387027233194 > %s",
             GONE.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, store, SCM_CALLERS_DIR, out);
    ck_assert_int_eq(system(cmd), 0);
    got = tu_read_file(out, NULL);
    /* The same bytes the program printed on the legacy backend (a committed case). */
    want = tu_read_file(SCM_TEST_DATA_DIR "/../callers/cases/report-legacy/expected", NULL);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
}
END_TEST

START_TEST(reissued_certificate_is_not_served_a_stale_value)
{
    char dir[] = "/tmp/scmshim-reissue-XXXXXX", cmd[600], path[400], db[400];
    const char *args[] = {NULL};
    emu reissued;
    scm_client *c;
    scm_cert_details *d = NULL;
    scm_shim_class cls;
    char *v3;

    snprintf(db, sizeof db, "%s/reissue.db", LIVE.dir);
    capture_all(db);
    /* The same certificates, one re-issued with another algorithm, and v2 gone. */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp -r %s/. %s/", CERTS, dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/scs7788354407554/v3.json", dir);
    v3 = tu_read_file(path, NULL);
    memcpy(strstr(v3, "\"SHA256WITHRSA\""), "\"SM3WITHSM2\"   ", 15);
    {
        FILE *f = fopen(path, "w");
        fputs(v3, f);
        fclose(f);
    }
    free(v3);
    ck_assert_int_eq(emu_start(&reissued, dir, args), 0);
    c = it_client(&reissued);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    ck_assert_str_eq(d->encrypt_type, "SM3withSM2");
    ck_assert_int_eq(scm_shim_report_find(scm_shim_details_report(d), "encrypt_type", &cls), 0);
    ck_assert_int_eq(cls, SCM_SHIM_CLASS_LOSSY);
    /* The missing fields it had are still restored. */
    ck_assert_str_eq(d->company_city, "Munich");
    scm_cert_details_free(d);
    /* One not re-issued keeps its captured key size. */
    ck_assert_int_eq(scm_query_cert_details(c, "scs1159493232269", &d), SCM_OK);
    ck_assert_str_eq(d->encrypt_type, "SM3withSM2256");
    scm_cert_details_free(d);
    scm_client_free(c);
    emu_stop(&reissued);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(four_processes_write_at_once)
{
    char db[400];
    pid_t pids[4];
    scm_capture *cap;
    scm_capture_stats st;
    int i, status;

    snprintf(db, sizeof db, "%s/concurrent.db", LIVE.dir);
    for (i = 0; i < 4; i++) {
        if ((pids[i] = fork()) == 0) {
            int round;
            for (round = 0; round < 3; round++)
                capture_all(db);
            _exit(0);
        }
        ck_assert_int_gt(pids[i], 0);
    }
    for (i = 0; i < 4; i++) {
        ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    cap = scm__capture_open(db, SCM_CAPTURE_WAIT_MS);
    ck_assert_ptr_nonnull(cap);
    ck_assert_int_eq(scm__capture_stats_get(cap, &st), 0);
    /* Every certificate, every missing or lossy field once: nothing lost, nothing doubled. */
    ck_assert_uint_eq((size_t)st.certificates, tu_fixture_pairs(CERTS, NULL));
    ck_assert_int_eq(st.values, 68);
    scm__capture_close(cap);
}
END_TEST

START_TEST(corrupt_store_does_not_break_a_query)
{
    char db[400], err_path[400];
    pid_t pid;
    int status;

    snprintf(db, sizeof db, "%s/corrupt.db", LIVE.dir);
    snprintf(err_path, sizeof err_path, "%s/corrupt.err", LIVE.dir);
    {
        FILE *f = fopen(db, "w");
        fputs("this is not an SQLite database, but it is long enough to look like one........", f);
        fclose(f);
    }
    /* A process of its own: the report is once per process. */
    if ((pid = fork()) == 0) {
        int i, ok = 1, fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
        setenv("SCM_SHIM_CAPTURE", db, 1);
        for (i = 0; i < 3; i++) {
            const char *backend = i % 2 ? "legacy" : "v3";
            scm_config cfg = it_config(&LIVE);
            scm_client *c;
            scm_cert_details *d = NULL;
            setenv("SCM_SHIM_BACKEND", backend, 1);
            c = scm_client_new(&cfg);
            ok &= c != NULL && scm_query_cert_details(c, "scs7788354407554", &d) == SCM_OK;
            scm_cert_details_free(d);
            scm_client_free(c);
        }
        fflush(stderr);
        _exit(ok ? 0 : 1);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    {
        char *err = tu_read_file(err_path, NULL);
        const char *first = strstr(err, "SCM_SHIM_CAPTURE=");
        ck_assert_ptr_nonnull(first);
        ck_assert_ptr_null(strstr(first + 1, "SCM_SHIM_CAPTURE="));
        free(err);
    }
}
END_TEST

START_TEST(offline_conversion_and_purge)
{
    char db[400], *v3, *out = NULL;
    scm_capture *cap;
    scm_capture_stats st;
    long long removed = 0;
    size_t len = 0;

    snprintf(db, sizeof db, "%s/offline.db", LIVE.dir);
    capture_all(db);
    setenv("SCM_SHIM_CAPTURE", db, 1);
    v3 = tu_read_file(CERTS "/scs7788354407554/v3.json", &len);
    ck_assert_int_eq(scm_shim_convert(v3, len, &out, NULL), SCM_OK);
    ck_assert_ptr_nonnull(strstr(out, "\"organization_unit\": \"IT\""));
    scm_free(out);
    cap = scm__capture_open(db, SCM_CAPTURE_WAIT_MS);
    ck_assert_int_eq(scm__capture_purge(cap, "scs7788354407554", &removed), 0);
    ck_assert_int_eq(removed, 8); /* 3 fields + auth[].status of its 5 validation records */
    ck_assert_int_eq(scm__capture_purge(cap, NULL, &removed), 0);
    ck_assert_int_eq(scm__capture_stats_get(cap, &st), 0);
    ck_assert_int_eq(st.values, 0);
    scm__capture_close(cap);
    ck_assert_int_eq(scm_shim_convert(v3, len, &out, NULL), SCM_OK);
    ck_assert_ptr_nonnull(strstr(out, "\"organization_unit\": \"\""));
    scm_free(out);
    free(v3);
    unsetenv("SCM_SHIM_CAPTURE");
}
END_TEST

/* Runs scm-shim with args against LIVE and db; returns the exit status, stdout in out. */
static int shim(const char *db, const char *args, char *out, size_t n)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "env SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s "
             "SCM_SHIM_CAPTURE=%s %s %s "
             "2>/dev/null",
             LIVE.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, db, SCM_SHIM_CLI, args);
    return it_run(cmd, out, n);
}

/* A store captured from every fixture, then edited with sql (as another tool or an old table left
 * it); returns the rows changed. */
static int captured_then(const char *db, const char *sql)
{
    sqlite3 *h;
    int changed;
    capture_all(db);
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    changed = sqlite3_changes(h);
    sqlite3_close(h);
    return changed;
}

/* scs7788354407554's v3 body converted offline with db as the capture store. */
static void convert_with_store(const char *db, char **out, scm_shim_report **r)
{
    size_t len = 0;
    char *v3 = tu_read_file(CERTS "/scs7788354407554/v3.json", &len);
    setenv("SCM_SHIM_CAPTURE", db, 1);
    ck_assert_int_eq(scm_shim_convert(v3, len, out, r), SCM_OK);
    unsetenv("SCM_SHIM_CAPTURE");
    free(v3);
}

/*
 * A store filled under the pre-2025 table holds company and contact values; v3
 * supplies those now, so its current value is served, never the stored one.
 */
START_TEST(store_from_an_older_table_never_beats_v3)
{
    char db[400], *out = NULL, *text = malloc(1 << 16), line[80];
    scm_shim_report *r = NULL;
    scm_shim_class cls;

    snprintf(db, sizeof db, "%s/older-table.db", LIVE.dir);
    ck_assert_int_eq(
        captured_then(
            db,
            "INSERT INTO captured VALUES ('scs7788354407554', 'company_name', '', 'Stale Corp', 1),"
            " ('scs7788354407554', 'cert_describe', '', 'stale description', 1)"),
        2);
    convert_with_store(db, &out, &r);
    ck_assert_ptr_null(strstr(out, "Stale Corp"));
    ck_assert_ptr_null(strstr(out, "stale description"));
    ck_assert_ptr_nonnull(strstr(out, "\"company_name\": \"Acme \\\"Secure\\\" Hosting GmbH\""));
    ck_assert_int_eq(scm_shim_report_find(r, "company_name", &cls), 0);
    ck_assert_int_eq(cls, SCM_SHIM_CLASS_EXACT);
    /* What v3 still cannot supply is served from the same store. */
    ck_assert_ptr_nonnull(strstr(out, "\"organization_unit\": \"IT\""));
    ck_assert_int_eq(scm_shim_report_find(r, "organization_unit", &cls), 0);
    ck_assert_int_eq(cls, SCM_SHIM_CLASS_CAPTURED);
    /* --stats tells the operator which stored fields are no longer served. */
    ck_assert_int_eq(shim(db, "capture --stats", text, 1 << 16), 0);
    ck_assert_ptr_nonnull(
        strstr(text, "  company_name                1  not served: v3 supplies it\n"));
    /* Every fixture holds a lossy encrypt_type. */
    snprintf(line, sizeof line, "  %-20s %8zu  served\n", "encrypt_type",
             tu_fixture_pairs(CERTS, NULL));
    ck_assert_ptr_nonnull(strstr(text, line));
    scm_shim_report_free(r);
    scm_free(out);
    free(text);
}
END_TEST

/* A damaged store (bytes that are not UTF-8) must not make the library return invalid JSON. */
START_TEST(damaged_value_is_not_served)
{
    char db[400], *out = NULL;
    scm_shim_report *r = NULL;
    scm_shim_class cls;

    snprintf(db, sizeof db, "%s/damaged.db", LIVE.dir);
    ck_assert_int_eq(
        captured_then(db, "UPDATE captured SET value = CAST(X'49ff54' AS TEXT) "
                          "WHERE cert_id = 'scs7788354407554' AND field = 'organization_unit'"),
        1);
    convert_with_store(db, &out, &r);
    ck_assert_ptr_nonnull(strstr(out, "\"organization_unit\": \"\""));
    ck_assert_ptr_null(strstr(out, "I\xffT"));
    ck_assert_int_eq(scm_shim_report_find(r, "organization_unit", &cls), 0);
    ck_assert_int_eq(cls, SCM_SHIM_CLASS_MISSING);
    /* The other captured fields of the same certificate are still served. */
    ck_assert_ptr_nonnull(strstr(out, "\"DNS_push_status\": \"ON\""));
    scm_shim_report_free(r);
    scm_free(out);
}
END_TEST

/*
 * Another process holds the store's write lock (capture --purge vacuuming, say):
 * the query still ends by its timeout, answered, and the store works again for
 * the next call once the lock is gone.
 */
START_TEST(locked_store_does_not_stretch_the_deadline)
{
    char db[400];
    scm_config cfg = it_config(&LIVE);
    scm_cert_details *d = NULL;
    scm_capture_stats st;
    double t0;
    scm_capture *cap;
    scm_client *c;
    sqlite3 *holder;

    snprintf(db, sizeof db, "%s/locked.db", LIVE.dir);
    capture_all(db);
    ck_assert_int_eq(sqlite3_open(db, &holder), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_exec(holder, "DELETE FROM captured; BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    cfg.timeout_ms = 800;
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    t0 = it_now_ms();
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    /* SQLite's own busy timeout was 5 s; the call's deadline is 0.8 s. */
    ck_assert_double_lt(it_now_ms() - t0, 2500);
    scm_cert_details_free(d);
    ck_assert_int_eq(sqlite3_exec(holder, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(holder);
    /* Skipped for that call only: the next one is captured. */
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
    unsetenv("SCM_SHIM_BACKEND");
    unsetenv("SCM_SHIM_CAPTURE");
    cap = scm__capture_open(db, SCM_CAPTURE_WAIT_MS);
    ck_assert_int_eq(scm__capture_stats_get(cap, &st), 0);
    ck_assert_int_eq(st.certificates, 1);
    scm__capture_close(cap);
}
END_TEST

START_TEST(capture_command)
{
    char db[400], args[600], *out = malloc(1 << 20), *line, *save = NULL;
    int lines = 0;

    snprintf(db, sizeof db, "%s/command.db", LIVE.dir);
    snprintf(args, sizeof args, "capture --concurrency 4 --ids %s/fleet-ids.txt",
             SCM_TEST_DATA_DIR);
    /* The unknown certificate fails; the 16 others are kept. */
    ck_assert_int_eq(shim(db, args, out, 1 << 20), 1);
    ck_assert_str_eq(out, "captured 16 certificates, 1 failed\n");
    ck_assert_int_eq(shim(db, "capture --stats", out, 1 << 20), 0);
    ck_assert_ptr_nonnull(strstr(out, "certificates 16\nvalues       68\n"));
    ck_assert_ptr_nonnull(strstr(out, "  organization_unit          16  served\n"));
    ck_assert_int_eq(shim(db, "capture --export", out, 1 << 20), 0);
    for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *o = cJSON_Parse(line);
        ck_assert_ptr_nonnull(o);
        ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "value")));
        cJSON_Delete(o);
        lines++;
    }
    ck_assert_int_eq(lines, 68);
    ck_assert_int_eq(shim(db, "capture --purge scs7788354407554", out, 1 << 20), 0);
    ck_assert_str_eq(out, "purged 8 values of scs7788354407554\n");
    ck_assert_int_eq(shim(db, "capture --purge --all", out, 1 << 20), 0);
    ck_assert_str_eq(out, "purged 60 values\n");
    ck_assert_int_eq(shim("", "capture scs7788354407554", out, 1 << 20), 2);
    free(out);
}
END_TEST

/*
 * A field restored from the store is classed captured wherever it is told: the shadow audit line
 * (equal to v2's value only thanks to the store), and the client's last report, a copy that
 * keeps the capture time and writes it in its JSON.
 */
START_TEST(restored_field_is_captured_in_the_audit_and_the_report)
{
    char db[400], log[400], *text, *json;
    int row = scm__report_index("organization_unit");
    const scm_shim_report *r;
    scm_cert_details *d = NULL;
    cJSON *line, *doc;
    scm_client *c;
    time_t at;

    snprintf(db, sizeof db, "%s/audit-class.db", LIVE.dir);
    snprintf(log, sizeof log, "%s/audit-class.log", LIVE.dir);
    capture_all(db);
    setenv("SCM_SHIM_SHADOW", "1", 1);
    setenv("SCM_SHIM_AUDIT_LOG", log, 1);
    c = it_client(&LIVE);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    ck_assert_str_eq(d->organization_unit, "IT");
    scm_cert_details_free(d);
    unsetenv("SCM_SHIM_SHADOW");
    unsetenv("SCM_SHIM_AUDIT_LOG");
    unsetenv("SCM_SHIM_CAPTURE");

    text = tu_read_file(log, NULL);
    ck_assert_ptr_nonnull(text);
    line = cJSON_Parse(text);
    ck_assert_ptr_nonnull(line);
    ck_assert_str_eq(
        legacy_str(cJSON_GetObjectItemCaseSensitive(line, "fields"), "organization_unit"),
        "captured");
    cJSON_Delete(line);
    free(text);

    r = scm_shim_client_report(c);
    ck_assert_int_ge(row, 0);
    ck_assert_int_eq(scm_shim_report_field_class(r, (size_t)row), SCM_SHIM_CLASS_CAPTURED);
    at = scm_shim_report_field_captured_at(r, (size_t)row);
    ck_assert(at > 0 && at <= time(NULL));
    json = scm_shim_report_json(r);
    doc = cJSON_Parse(json);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "captured_at"), "organization_unit"));
    cJSON_Delete(doc);
    scm_free(json);
    scm_client_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("capture");
    TCase *tc = tcase_create("capture");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 600);
    tcase_add_unchecked_fixture(tc, start, stop);
    tcase_add_test(tc, served_after_v2_is_gone);
    tcase_add_test(tc, sample_program_prints_every_field_as_v2_did);
    tcase_add_test(tc, reissued_certificate_is_not_served_a_stale_value);
    tcase_add_test(tc, four_processes_write_at_once);
    tcase_add_test(tc, corrupt_store_does_not_break_a_query);
    tcase_add_test(tc, offline_conversion_and_purge);
    tcase_add_test(tc, capture_command);
    tcase_add_test(tc, store_from_an_older_table_never_beats_v3);
    tcase_add_test(tc, damaged_value_is_not_served);
    tcase_add_test(tc, locked_store_does_not_stretch_the_deadline);
    tcase_add_test(tc, restored_field_is_captured_in_the_audit_and_the_report);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
