/*
 * test_errors.c - the error table: each of our codes is "SCMSHIM." and its
 * row's name, comes with its row's SCM_E_* code, and has a default message.
 */
#include "error.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#define ROW(name, rc, message) {#name, rc, message},
static const struct {
    const char *name;
    int rc;
    const char *message;
} ROWS[] = {SCM_SHIM_ERRORS(ROW)};
#undef ROW

START_TEST(each_code_is_its_row)
{
    scm_error e;
    char want[64];

    ck_assert_int_eq(sizeof ROWS / sizeof ROWS[0], SCM__ERR_KIND_COUNT);
    snprintf(want, sizeof want, "SCMSHIM.%s", ROWS[_i].name);
    ck_assert_str_eq(scm__error_code((scm__err_kind)_i), want);
    ck_assert_int_eq(scm__fail(&e, (scm__err_kind)_i, NULL), ROWS[_i].rc);
    ck_assert_str_eq(e.code, want);
    ck_assert_str_eq(e.msg, ROWS[_i].message);
    ck_assert_uint_eq(e.reason_len, strlen(ROWS[_i].message));
    ck_assert_int_eq(e.http_status, 0);
    ck_assert_int_eq(scm__fail_status(&e, (scm__err_kind)_i, 42, 503, "why %d", 7), 42);
    ck_assert_str_eq(e.code, want);
    ck_assert_str_eq(e.msg, "why 7");
    ck_assert_int_eq(e.http_status, 503);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("errors");
    tcase_add_loop_test(tc, each_code_is_its_row, 0, SCM__ERR_KIND_COUNT);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
