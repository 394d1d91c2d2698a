/*
 * test_listing.c - listing the whole account against scm-emulator: pages and filters, a
 * certificate added or removed while paging, a page retried, a broken page; `scm-shim audit
 * --all` and `capture --all`.
 * owns: these expectations of ListCertificates through the shared library and the CLI; must
 * not: leave a variable or an emulator behind (emu_hermetic).
 */
#include "hermetic.h"
#include "itest.h"
#include "list.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CERTS SCM_TEST_DATA_DIR "/certs"
#define FIRST "scs1159493232269" /* the first fixture in ID order: the first listed */

static emu E;

static void start(void)
{
    ck_assert_int_eq(emu_start(&E, NULL, NULL), 0);
}

static void stop(void)
{
    emu_stop(&E);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list requests e logged: how many, each signed (the query is part of the signature). */
static int list_requests(const emu *e)
{
    cJSON *log = it_log(e), *line;
    int n = 0;
    cJSON_ArrayForEach(line, log)
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(line, "path")->valuestring,
                   "/v3/scm/certificates") != 0)
            continue;
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(line, "auth")->valuestring, "ok-aksk");
        n++;
    }
    cJSON_Delete(log);
    return n;
}

/* Lists e's certificates with f; asserts rc, and that no ID came twice; *n of them in *ids. */
static char **list(const emu *e, const scm_list_filter *f, int want_rc, size_t *n, size_t *total)
{
    scm_client *c = it_client(e);
    char **ids = NULL, **sorted;
    size_t i;
    int rc = scm__client_list(c, f, &ids, n, total);
    ck_assert_msg(rc == want_rc, "rc %d: %s", rc, scm_client_error_msg(c));
    scm_client_free(c);
    sorted = calloc(*n + 1, sizeof *sorted);
    for (i = 0; i < *n; i++)
        sorted[i] = ids[i];
    qsort(sorted, *n, sizeof *sorted, by_name);
    for (i = 1; i < *n; i++)
        ck_assert_str_ne(sorted[i - 1], sorted[i]);
    free(sorted);
    return ids;
}

static void free_ids(char **ids, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Whether id is among the n ids. */
static int has(char **ids, size_t n, const char *id)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

static const struct {
    int limit;
    int pages;
} SIZES[] = {{10, 2}, {20, 1}, {50, 1}, {0, 1}};

/* 16 fixtures: two pages of 10, or one of 20 or 50, each signed, every fixture once. */
START_TEST(pages_list_every_fixture_once)
{
    scm_list_filter f = {NULL, NULL, SIZES[_i].limit, NULL, NULL};
    char **want = it_fixture_ids(CERTS), **ids;
    size_t n, total, i, nwant = it_count_ids(want);
    int before = list_requests(&E);

    ids = list(&E, &f, SCM_OK, &n, &total);
    ck_assert_int_eq(list_requests(&E) - before, SIZES[_i].pages);
    ck_assert_uint_eq(total, nwant);
    ck_assert_uint_eq(n, nwant);
    for (i = 0; i < nwant; i++)
        ck_assert_msg(has(ids, n, want[i]), "%s not listed", want[i]);
    free_ids(ids, n);
    it_free_ids(want);
}
END_TEST

static const struct {
    const char *status, *project;
    size_t n;
} FILTERS[] = {
    {"ISSUED", NULL, 3}, {NULL, "9f2c7a10-4b1e-4c55-9d0a-1b2c3d4e5f60", 5},
    {"ISSUED", "0", 3},  {"REVOKED", "0", 2},
    {"EXPIRED", "0", 0}, {"ALL", "all", 16},
};

START_TEST(filters_are_passed_through)
{
    scm_list_filter f = {FILTERS[_i].status, FILTERS[_i].project, 10, NULL, NULL};
    size_t n, total;
    char **ids = list(&E, &f, SCM_OK, &n, &total);
    ck_assert_uint_eq(n, FILTERS[_i].n);
    ck_assert_uint_eq(total, FILTERS[_i].n);
    free_ids(ids, n);
}
END_TEST

/*
 * The account changing after the first page. FIRST added shifts the second page: its first item
 * repeats the last of the first page (kept once), and FIRST itself was never on a page asked
 * for. FIRST removed: it was listed, the page after starts one later.
 */
static const struct {
    const char *change;
    int requests; /* list requests expected, or 0: not counted */
    size_t n, total;
    int first_listed;
} CHANGES[] = {
    {"add:" FIRST ":1", 2, 15, 16, 0},
    {"remove:" FIRST ":1", 0, 15, 15, 1},
};

START_TEST(a_certificate_changed_while_paging)
{
    const char *const args[] = {"--list-change", CHANGES[_i].change, NULL};
    scm_list_filter f = {NULL, NULL, 10, NULL, NULL};
    emu m;
    size_t n, total;
    char **ids;

    ck_assert_int_eq(emu_start(&m, NULL, args), 0);
    ids = list(&m, &f, SCM_OK, &n, &total);
    if (CHANGES[_i].requests != 0)
        ck_assert_int_eq(list_requests(&m), CHANGES[_i].requests);
    ck_assert_uint_eq(n, CHANGES[_i].n);
    ck_assert_uint_eq(total, CHANGES[_i].total);
    ck_assert_int_eq(has(ids, n, FIRST), CHANGES[_i].first_listed);
    free_ids(ids, n);
    emu_stop(&m);
}
END_TEST

START_TEST(a_503_page_is_retried)
{
    static const char *const args[] = {"--fault", "*:api=list,status=503,count=1", NULL};
    scm_list_filter f = {NULL, NULL, 10, NULL, NULL};
    emu m;
    size_t n, total;
    char **ids;
    scm_client *c;

    ck_assert_int_eq(emu_start(&m, NULL, args), 0);
    ids = list(&m, &f, SCM_OK, &n, &total);
    ck_assert_uint_eq(n, 16);
    ck_assert_int_eq(list_requests(&m), 3);
    ck_assert_int_eq(emu_log_count(&m, "\"status\":503"), 1);
    free_ids(ids, n);
    emu_stop(&m);

    /* Without retries, the 503 is the listing's failure, told as a query's would be. */
    ck_assert_int_eq(emu_start(&m, NULL, args), 0);
    setenv("SCM_SHIM_RETRIES", "0", 1);
    c = it_client(&m);
    ck_assert_int_eq(scm__client_list(c, &f, &ids, &n, &total), SCM_E_SERVER);
    ck_assert_int_eq(scm_client_http_status(c), 503);
    ck_assert_ptr_null(ids);
    scm_client_free(c);
    emu_stop(&m);
}
END_TEST

START_TEST(a_page_that_is_not_json_fails)
{
    static const char *const args[] = {"--fault", "*:api=list,body=malformed", NULL};
    emu m;
    size_t n, total;
    char **ids;

    ck_assert_int_eq(emu_start(&m, NULL, args), 0);
    ids = list(&m, NULL, SCM_E_PARSE, &n, &total);
    ck_assert_ptr_null(ids);
    ck_assert_uint_eq(n, 0);
    emu_stop(&m);
}
END_TEST

/* Runs scm-shim against e: the exit status, and in out stdout, stderr (ERR) or both (BOTH). */
#define OUT "2>/dev/null"
#define ERR "2>&1 >/dev/null"
#define BOTH "2>&1"
static int shim(const emu *e, const char *args, const char *redirect, char *out, size_t size)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "env SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s "
             "SCM_SHIM_CAPTURE=%s/c.db "
             "%s %s %s",
             e->url, EMU_PROJECT_ID, EMU_AK, EMU_SK, e->dir, SCM_SHIM_CLI, args, redirect);
    return it_run(cmd, out, size);
}

START_TEST(audit_all_says_what_it_found_against_total_count)
{
    char out[8192];

    ck_assert_int_eq(shim(&E, "audit --all", ERR, out, sizeof out), 0);
    ck_assert_str_eq(out, "listed 16 certificates (total_count 16)\n");
    ck_assert_int_eq(shim(&E, "audit --all --status ISSUED", OUT, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "\n3 certificates, 3 compared"));
}
END_TEST

/*
 * The account changing while --all pages through it (CHANGES): what was listed is audited or
 * captured, but a listing that may have missed a certificate never ends in exit status 0:
 * audit 3 (not every certificate compared), capture 1. FIRST removed leaves the counts equal
 * (15 and 15) and still skips one: the changed total_count gives it away.
 */
static const struct {
    const char *change, *count_line;
} CHANGED_RUNS[] = {
    {"add:" FIRST ":1", "listed 15 certificates (total_count 16: they differ; the account changed "
                        "while it was listed, or the service counts otherwise)\n"},
    {"remove:" FIRST ":1", "listed 15 certificates (total_count 15, 16 on the first page: the "
                           "account changed while it was listed)\n"},
};

START_TEST(a_listing_that_changed_is_not_a_success)
{
    const char *const args[] = {"--list-change", CHANGED_RUNS[_i].change, NULL};
    char out[8192];
    emu m;

    ck_assert_int_eq(emu_start(&m, NULL, args), 0);
    /* One run: the listing changes once. */
    ck_assert_int_eq(shim(&m, "audit --all --page-size 10", BOTH, out, sizeof out), 3);
    ck_assert_ptr_nonnull(strstr(out, CHANGED_RUNS[_i].count_line));
    ck_assert_ptr_nonnull(strstr(out, "scm-shim: the listing may have missed certificates: the "
                                      "run counts as incomplete"));
    ck_assert_ptr_nonnull(strstr(out, "\n15 certificates, 15 compared"));
    emu_stop(&m);

    ck_assert_int_eq(emu_start(&m, NULL, args), 0);
    ck_assert_int_eq(shim(&m, "capture --all --page-size 10", BOTH, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, CHANGED_RUNS[_i].count_line));
    ck_assert_ptr_nonnull(strstr(out, "captured 15 certificates, 0 failed\n"));
    emu_stop(&m);
}
END_TEST

/* On a terminal the listing shows "listed i/N" after each page; elsewhere only the count line
 * (above). script(1) gives the command a terminal. */
START_TEST(audit_all_shows_progress_on_a_terminal)
{
    char cmd[2048], out[16384];
    snprintf(cmd, sizeof cmd,
             "env SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s "
             "script -qec '%s audit "
             "--all --page-size 10' /dev/null </dev/null",
             E.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, SCM_SHIM_CLI);
    ck_assert_int_eq(it_run(cmd, out, sizeof out), 0);
    ck_assert_msg(strstr(out, "\rlisted 10/16\rlisted 16/16\r\n") != NULL, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "listed 16 certificates (total_count 16)"));
}
END_TEST

/* capture --all checks its store before it lists: a store it cannot use costs no request. */
START_TEST(capture_all_with_an_unusable_store_fails_before_listing)
{
    char cmd[2048], out[8192];
    int before = list_requests(&E);
    snprintf(cmd, sizeof cmd,
             "env SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s "
             "SCM_SHIM_CAPTURE=%s/no-such-dir/c.db %s capture --all 2>&1",
             E.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, E.dir, SCM_SHIM_CLI);
    ck_assert_int_eq(it_run(cmd, out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "the store cannot be used; nothing captured\n"));
    ck_assert_ptr_null(strstr(out, "listed"));
    ck_assert_int_eq(list_requests(&E), before);
}
END_TEST

START_TEST(audit_that_cannot_list_fails)
{
    static const char *const args[] = {"--fault", "*:api=list,body=malformed", NULL};
    char out[8192];
    emu m;

    ck_assert_int_eq(emu_start(&m, NULL, args), 0);
    ck_assert_int_eq(shim(&m, "audit --all", ERR, out, sizeof out), 3);
    ck_assert_ptr_nonnull(strstr(out, "scm-shim: cannot list the certificates: "));
    ck_assert_int_eq(shim(&m, "capture --all", ERR, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "scm-shim: cannot list the certificates: "));
    emu_stop(&m);
}
END_TEST

START_TEST(capture_all_captures_what_is_listed)
{
    char out[8192];
    ck_assert_int_eq(shim(&E, "capture --all --status ISSUED", OUT, out, sizeof out), 0);
    ck_assert_str_eq(out, "captured 3 certificates, 0 failed\n");
    ck_assert_int_eq(shim(&E, "capture --all --enterprise-project-id 0", ERR, out, sizeof out), 0);
    ck_assert_str_eq(out, "listed 11 certificates (total_count 11)\n");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("list");
    TCase *tc = tcase_create("list");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, start, stop);
    tcase_add_loop_test(tc, pages_list_every_fixture_once, 0,
                        (int)(sizeof SIZES / sizeof SIZES[0]));
    tcase_add_loop_test(tc, filters_are_passed_through, 0,
                        (int)(sizeof FILTERS / sizeof FILTERS[0]));
    tcase_add_loop_test(tc, a_certificate_changed_while_paging, 0,
                        (int)(sizeof CHANGES / sizeof CHANGES[0]));
    tcase_add_test(tc, a_503_page_is_retried);
    tcase_add_test(tc, a_page_that_is_not_json_fails);
    tcase_add_test(tc, audit_all_says_what_it_found_against_total_count);
    tcase_add_loop_test(tc, a_listing_that_changed_is_not_a_success, 0,
                        (int)(sizeof CHANGED_RUNS / sizeof CHANGED_RUNS[0]));
    tcase_add_test(tc, audit_all_shows_progress_on_a_terminal);
    tcase_add_test(tc, capture_all_with_an_unusable_store_fails_before_listing);
    tcase_add_test(tc, audit_that_cannot_list_fails);
    tcase_add_test(tc, capture_all_captures_what_is_listed);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
