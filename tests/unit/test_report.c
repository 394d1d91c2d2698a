/*
 * test_report.c - a field report survives being copied (as each client keeps its last one):
 * a restored field stays classed captured, with its capture time, and the copy's JSON says when.
 * owns: these expectations; must not: reach the network or a capture store (the report is made
 * by hand).
 */
#include "report.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>

/* 2023-11-14T22:13:20Z */
#define WHEN 1700000000LL

START_TEST(capture_time_survives_a_copy)
{
    int row = scm__report_index("company_city");
    scm_report *r = scm__report_new("v3", SCM_CLASS_EXACT), *copy;
    cJSON *doc, *at;
    char *json;

    ck_assert_int_ge(row, 0);
    ck_assert_ptr_nonnull(r);
    scm__report_set_captured(r, (size_t)row, WHEN);
    copy = scm__report_copy(r);
    scm__report_free(r);
    ck_assert_ptr_nonnull(copy);
    ck_assert_int_eq(scm_shim_report_field_class(copy, (size_t)row), SCM_SHIM_CLASS_CAPTURED);
    ck_assert_int_eq((long long)scm_shim_report_field_captured_at(copy, (size_t)row), WHEN);
    ck_assert_int_eq((long long)scm_shim_report_field_captured_at(copy, 0), 0);

    json = scm_shim_report_json(copy);
    ck_assert_ptr_nonnull(json);
    doc = cJSON_Parse(json);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(doc, "fields"), "company_city")
                         ->valuestring,
                     "captured");
    at = cJSON_GetObjectItemCaseSensitive(doc, "captured_at");
    ck_assert_int_eq(cJSON_GetArraySize(at), 1);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(at, "company_city")->valuestring,
                     "2023-11-14T22:13:20Z");
    cJSON_Delete(doc);
    scm_free(json);
    scm__report_free(copy);
}
END_TEST

/* No capture time, no "captured_at" member. */
START_TEST(no_capture_no_member)
{
    scm_report *r = scm__report_new("v3", SCM_CLASS_EXACT);
    char *json = scm_shim_report_json(r);
    cJSON *doc = cJSON_Parse(json);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(doc, "captured_at"));
    cJSON_Delete(doc);
    scm_free(json);
    scm__report_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("copy");
    tcase_add_test(tc, capture_time_survives_a_copy);
    tcase_add_test(tc, no_capture_no_member);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
