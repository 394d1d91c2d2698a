/*
 * test_env.c - the environment helper the integration tests rely on to leave nothing behind:
 * what a test added is unset, what it changed or unset is put back.
 * owns: these expectations; must not: touch variables the library reads.
 */
#include "env.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>

START_TEST(restores_added_changed_and_removed)
{
    setenv("SCMSHIM_TEST_KEPT", "before", 1);
    setenv("SCMSHIM_TEST_GONE", "before", 1);
    unsetenv("SCMSHIM_TEST_ADDED");
    tu_env_save();
    setenv("SCMSHIM_TEST_ADDED", "x", 1);
    setenv("SCMSHIM_TEST_KEPT", "after", 1);
    unsetenv("SCMSHIM_TEST_GONE");
    tu_env_restore();
    ck_assert_ptr_null(getenv("SCMSHIM_TEST_ADDED"));
    ck_assert_str_eq(getenv("SCMSHIM_TEST_KEPT"), "before");
    ck_assert_str_eq(getenv("SCMSHIM_TEST_GONE"), "before");
    /* "=" inside a value and an empty value come back whole. */
    setenv("SCMSHIM_TEST_KEPT", "a=b", 1);
    setenv("SCMSHIM_TEST_GONE", "", 1);
    tu_env_save();
    setenv("SCMSHIM_TEST_KEPT", "c", 1);
    setenv("SCMSHIM_TEST_GONE", "d", 1);
    tu_env_restore();
    ck_assert_str_eq(getenv("SCMSHIM_TEST_KEPT"), "a=b");
    ck_assert_str_eq(getenv("SCMSHIM_TEST_GONE"), "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("env");
    TCase *tc = tcase_create("save and restore");
    tcase_add_test(tc, restores_added_changed_and_removed);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
