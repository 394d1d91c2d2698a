/*
 * test_v3.c - the v3 backend and the toggle against scm-emulator.
 * owns: these expectations of the v3 backend and the toggle; must not: leave a variable or an
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

#define CERTS SCM_TEST_DATA_DIR "/certs"

static emu E;

static void start(void)
{
    static const char *const args[] = {"--fault", "scs2603283540895:api=v3,status=503",
                                       "--fault", "scs4488023722227:api=v3,body=malformed",
                                       "--fault", "scs1343342290420:api=v3,status=403",
                                       NULL};
    ck_assert_int_eq(emu_start(&E, NULL, args), 0);
}

static void stop(void)
{
    emu_stop(&E);
}

static void unset_shim_env(void)
{
    unsetenv("SCM_SHIM_BACKEND");
    unsetenv("SCM_SHIM_ANNOTATE");
    unsetenv("SCM_SHIM_V3_ENDPOINT");
    unsetenv("SCM_SHIM_LEGACY_ENDPOINT");
}

/* The api ("v2"/"v3") of the emulator's last logged request. */
static char *last_api(void)
{
    cJSON *log = it_log(&E);
    char *api = strdup(cJSON_GetObjectItemCaseSensitive(
                           cJSON_GetArrayItem(log, cJSON_GetArraySize(log) - 1), "api")
                           ->valuestring);
    cJSON_Delete(log);
    return api;
}

START_TEST(v3_is_the_default_and_matches_offline_conversion)
{
    char **ids = it_fixture_ids(CERTS);
    scm_client *c;
    size_t i;

    unset_shim_env();
    c = it_client(&E);
    for (i = 0; ids[i] != NULL; i++) {
        char path[512], *v3, *offline = NULL, *body = NULL, *api;
        size_t len = 0;
        scm_cert_details *d = NULL;
        const scm_shim_report *r;
        cJSON *legacy;

        if (strcmp(ids[i], "scs2603283540895") == 0 || strcmp(ids[i], "scs4488023722227") == 0 ||
            strcmp(ids[i], "scs1343342290420") == 0)
            continue; /* faulted on v3 here */
        snprintf(path, sizeof path, "%s/%s/v3.json", CERTS, ids[i]);
        v3 = tu_read_file(path, &len);
        ck_assert_int_eq(scm_shim_convert(v3, len, &offline, NULL), SCM_OK);
        ck_assert_int_eq(scm_query_cert_details_json(c, ids[i], &body), SCM_OK);
        api = last_api();
        ck_assert_str_eq(api, "v3");
        ck_assert_str_eq(body, offline);
        ck_assert_str_eq(scm_shim_report_backend(scm_shim_client_report(c)), "v3");
        ck_assert_int_eq(scm_query_cert_details(c, ids[i], &d), SCM_OK);
        ck_assert_str_eq(d->cert_id, ids[i]);
        r = scm_shim_details_report(d);
        ck_assert_str_eq(scm_shim_report_backend(r), "v3");
        /* v3 serves the description and the application data as legacy did; the department not. */
        snprintf(path, sizeof path, "%s/%s/legacy.json", CERTS, ids[i]);
        legacy = tu_read_json(path);
        ck_assert_str_eq(d->cert_describe,
                         cJSON_GetObjectItemCaseSensitive(legacy, "cert_describe")->valuestring);
        ck_assert_str_eq(d->company_name,
                         cJSON_GetObjectItemCaseSensitive(legacy, "company_name")->valuestring);
        ck_assert_str_eq(d->contact_email,
                         cJSON_GetObjectItemCaseSensitive(legacy, "contact_email")->valuestring);
        ck_assert_str_eq(d->organization_unit, "");
        ck_assert_ptr_nonnull(d->dns_push_status);
        cJSON_Delete(legacy);
        scm_cert_details_free(d);
        scm_free(body);
        scm_free(offline);
        free(api);
        free(v3);
    }
    scm_client_free(c);
    it_free_ids(ids);
}
END_TEST

START_TEST(toggle_by_environment)
{
    scm_client *c;
    scm_cert_details *d = NULL;
    char *api;

    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    c = it_client(&E);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    api = last_api();
    ck_assert_str_eq(api, "v2");
    free(api);
    ck_assert_str_eq(d->company_name, "Acme \"Secure\" Hosting GmbH");
    ck_assert_str_eq(d->encrypt_type, "SHA256withRSA4096");
    ck_assert_str_eq(scm_shim_report_backend(scm_shim_details_report(d)), "legacy");
    scm_cert_details_free(d);
    scm_client_free(c);

    setenv("SCM_SHIM_BACKEND", "v3", 1);
    c = it_client(&E);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    api = last_api();
    ck_assert_str_eq(api, "v3");
    free(api);
    ck_assert_str_eq(d->company_name, "Acme \"Secure\" Hosting GmbH");
    ck_assert_str_eq(d->organization_unit, "");
    ck_assert_str_eq(d->encrypt_type, "SHA256withRSA");
    ck_assert_str_eq(d->domain_type, "MUILT_DOMAIN");
    scm_cert_details_free(d);
    scm_client_free(c);
    unset_shim_env();
}
END_TEST

START_TEST(v3_needs_no_project_id)
{
    scm_config cfg = it_config(&E);
    scm_client *c;
    scm_cert_details *d = NULL;
    unset_shim_env();
    cfg.project_id = NULL;
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

START_TEST(endpoint_override_per_backend)
{
    scm_config cfg = it_config(&E);
    scm_client *c;
    scm_cert_details *d = NULL;
    unset_shim_env();
    cfg.endpoint = "http://127.0.0.1:1"; /* nothing listens there */
    setenv("SCM_SHIM_V3_ENDPOINT", E.url, 1);
    c = scm_client_new(&cfg);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    c = scm_client_new(&cfg);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_E_NETWORK);
    scm_client_free(c);
    unset_shim_env();
}
END_TEST

START_TEST(v3_errors_map_like_legacy)
{
    scm_client *c;
    scm_cert_details *d = (scm_cert_details *)1;
    char *body = NULL;
    cJSON *doc;

    unset_shim_env();
    c = it_client(&E);
    ck_assert_int_eq(scm_query_cert_details(c, "scs0000000000000", &d), SCM_E_NOT_FOUND);
    ck_assert_ptr_null(d);
    ck_assert_ptr_null(scm_shim_client_report(c));
    ck_assert_int_eq(scm_query_cert_details_json(c, "scs0000000000000", &body), SCM_E_NOT_FOUND);
    doc = cJSON_Parse(body);
    ck_assert_int_eq(cJSON_GetArraySize(doc), 2);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(doc, "error_code")->valuestring, "SCM.0404");
    ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "error_msg")));
    cJSON_Delete(doc);
    scm_free(body);
    ck_assert_int_eq(scm_query_cert_details(c, "scs2603283540895", &d), SCM_E_SERVER);
    ck_assert_int_eq(scm_client_http_status(c), 503);
    ck_assert_int_eq(scm_query_cert_details(c, "scs1343342290420", &d), SCM_E_AUTH);
    ck_assert_int_eq(scm_query_cert_details(c, "scs4488023722227", &d), SCM_E_PARSE);
    ck_assert_int_eq(scm_query_cert_details_json(c, "scs4488023722227", &body), SCM_E_PARSE);
    ck_assert_ptr_null(body);
    scm_client_free(c);
}
END_TEST

START_TEST(annotate_adds_one_member)
{
    const char *backends[] = {"v3", "legacy"};
    size_t b;
    for (b = 0; b < 2; b++) {
        scm_client *c;
        char *body = NULL;
        cJSON *doc, *shim, *last;
        setenv("SCM_SHIM_BACKEND", backends[b], 1);
        setenv("SCM_SHIM_ANNOTATE", "1", 1);
        c = it_client(&E);
        ck_assert_int_eq(scm_query_cert_details_json(c, "scs7788354407554", &body), SCM_OK);
        doc = cJSON_Parse(body);
        ck_assert_msg(doc != NULL, "%s", body);
        ck_assert_int_eq(cJSON_GetArraySize(doc), 27);
        for (last = doc->child; last->next != NULL; last = last->next)
            ;
        ck_assert_str_eq(last->string, "_shim");
        shim = cJSON_GetObjectItemCaseSensitive(doc, "_shim");
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(shim, "backend")->valuestring,
                         backends[b]);
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(
                             cJSON_GetObjectItemCaseSensitive(shim, "fields"), "encrypt_type")
                             ->valuestring,
                         b == 0 ? "lossy" : "exact");
        cJSON_Delete(doc);
        scm_free(body);
        scm_client_free(c);
    }
    unset_shim_env();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("v3 backend");
    TCase *tc = tcase_create("v3");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, start, stop);
    tcase_add_test(tc, v3_is_the_default_and_matches_offline_conversion);
    tcase_add_test(tc, toggle_by_environment);
    tcase_add_test(tc, v3_needs_no_project_id);
    tcase_add_test(tc, endpoint_override_per_backend);
    tcase_add_test(tc, v3_errors_map_like_legacy);
    tcase_add_test(tc, annotate_adds_one_member);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
