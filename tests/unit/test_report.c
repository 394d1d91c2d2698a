/*
 * test_report.c - a field report outlives its first holder (each client shares its last object's):
 * a restored field stays classed captured, with its capture time, and the JSON says when; the
 * v3-only names stay listed once each, in the order first added, however many there are.
 * owns: these expectations; must not: reach the network or a capture store (the report is made
 * by hand).
 */
#include "report.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* 2023-11-14T22:13:20Z */
#define WHEN 1700000000LL

START_TEST(capture_time_survives_the_first_holder)
{
    int row = scm__report_index("company_city");
    scm_report *r = scm__report_new("v3", SCM_CLASS_EXACT), *copy;
    cJSON *doc, *at;
    char *json;

    ck_assert_int_ge(row, 0);
    ck_assert_ptr_nonnull(r);
    scm__report_set_captured(r, (size_t)row, WHEN);
    copy = scm__report_share(r);
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

/* Enough names to grow the set several times; every name added twice, the second time late. */
START_TEST(v3_only_names_once_in_order)
{
    scm_report *r = scm__report_new("v3", SCM_CLASS_EXACT);
    char name[32];
    int i, pass;

    ck_assert_ptr_nonnull(r);
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < 1000; i++) {
            snprintf(name, sizeof name, "%s%d", i % 2 ? "member." : "m", i);
            ck_assert_int_eq(scm__report_add_v3_only(r, name), SCM_OK);
        }
    ck_assert_uint_eq(scm_shim_report_v3_only_count(r), 1000);
    for (i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "%s%d", i % 2 ? "member." : "m", i);
        ck_assert_str_eq(scm_shim_report_v3_only(r, (size_t)i), name);
    }
    ck_assert_ptr_null(scm_shim_report_v3_only(r, 1000));
    scm__report_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("holders");
    tcase_add_test(tc, capture_time_survives_the_first_holder);
    tcase_add_test(tc, v3_only_names_once_in_order);
    tcase_add_test(tc, no_capture_no_member);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
