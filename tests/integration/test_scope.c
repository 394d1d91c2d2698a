/*
 * test_scope.c - global credentials against scm-emulator: with a domain ID, v3 requests carry
 * a signed X-Domain-Id and no X-Project-Id; the legacy path keeps X-Project-Id.
 * owns: these expectations of the credentials' scope; must not: leave a variable or an
 * emulator behind (emu_hermetic).
 */
#include "hermetic.h"
#include "itest.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CERT "scs7788354407554"
#define DOMAIN "0b1c2d3e4f5a60718293a4b5c6d7e8f9"

static emu E;

static void start(void)
{
    unsetenv("SCM_SHIM_BACKEND");
    unsetenv("SCM_SHIM_SHADOW");
    unsetenv("HUAWEICLOUD_SDK_DOMAIN_ID");
    ck_assert_int_eq(emu_start(&E, NULL, NULL), 0);
}

static void stop(void)
{
    emu_stop(&E);
}

/* One query; the emulator's line for it must say it was authenticated by its signature. */
static void query_signed(scm_client *c, const char *api, const char *signed_headers)
{
    char want[160];
    int before;
    scm_cert_details *d = NULL;

    snprintf(want, sizeof want, "\"api\":\"%s\",\"cert_id\":\"" CERT "\"", api);
    before = emu_log_count(&E, want);
    ck_assert_msg(scm_query_cert_details(c, CERT, &d) == SCM_OK, "%s", scm_client_error_msg(c));
    scm_cert_details_free(d);
    ck_assert_int_eq(emu_log_count(&E, want) - before, 1);
    snprintf(want, sizeof want,
             "\"auth\":\"ok-aksk\",\"status\":200,\"fault\":\"\",\"request_id\":\"%s\","
             "\"signed_headers\":\"%s\"",
             scm_shim_client_request_id(c), signed_headers);
    ck_assert_msg(emu_log_count(&E, want) == 1, "no log line with %s", want);
}

START_TEST(environment_domain_id_wins_on_v3)
{
    scm_client *c;
    setenv("HUAWEICLOUD_SDK_DOMAIN_ID", DOMAIN, 1);
    c = it_client(&E); /* with a project ID too */
    unsetenv("HUAWEICLOUD_SDK_DOMAIN_ID");
    query_signed(c, "v3", "host;x-domain-id;x-sdk-date");
    scm_client_free(c);
}
END_TEST

START_TEST(legacy_keeps_the_project)
{
    scm_client *c;
    setenv("HUAWEICLOUD_SDK_DOMAIN_ID", DOMAIN, 1);
    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    c = it_client(&E);
    unsetenv("HUAWEICLOUD_SDK_DOMAIN_ID");
    unsetenv("SCM_SHIM_BACKEND");
    query_signed(c, "v2", "host;x-project-id;x-sdk-date");
    scm_client_free(c);
}
END_TEST

START_TEST(set_and_removed_through_the_api)
{
    scm_client *c = it_client(&E);

    query_signed(c, "v3", "host;x-project-id;x-sdk-date");
    ck_assert_int_eq(scm_shim_client_set_domain_id(c, DOMAIN), SCM_OK);
    query_signed(c, "v3", "host;x-domain-id;x-sdk-date");
    ck_assert_int_eq(scm_shim_client_set_domain_id(c, "bad/id"), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(scm_client_error_code(c), "SCMSHIM.INVALID_PARAM");
    query_signed(c, "v3", "host;x-domain-id;x-sdk-date"); /* unchanged by the refusal */
    ck_assert_int_eq(scm_shim_client_set_domain_id(c, NULL), SCM_OK);
    query_signed(c, "v3", "host;x-project-id;x-sdk-date");
    scm_client_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("credentials scope");
    TCase *tc = tcase_create("scope");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, start, stop);
    tcase_add_test(tc, environment_domain_id_wins_on_v3);
    tcase_add_test(tc, legacy_keeps_the_project);
    tcase_add_test(tc, set_and_removed_through_the_api);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
