/*
 * test_options.c - scm_shim_client_options: defaults, then the environment,
 * then the options; unset members fall through; unknown versions are refused.
 * owns: scm_shim_client_new's tests; must not: leave an environment variable set.
 */
#include "client.h"
#include "scm_client.h"
#include "scm_shim.h"
#include "settings.h"
#include "env.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(defaults_then_environment_then_options)
{
    scm_config c = tu_base_config();
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_error err = {0};
    scm_settings s;

    tu_env_clear_config();
    /* Neither: the defaults. */
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), 0);
    ck_assert_int_eq(s.retries, SCM_DEFAULT_RETRIES);
    ck_assert_int_eq(s.backend, SCM_BACKEND_V3);
    ck_assert_int_eq(s.annotate, 0);
    scm__settings_free(&s);

    /* The environment over the defaults, the options over the environment. */
    tu_setenv("SCM_SHIM_RETRIES", "5");
    tu_setenv("SCM_SHIM_BACKEND", "legacy");
    tu_setenv("SCM_SHIM_ANNOTATE", "1");
    tu_setenv("SCM_SHIM_CONNECT_TIMEOUT_MS", "1234");
    tu_setenv("SCM_SHIM_SHADOW_SAMPLE", "0.25");
    tu_setenv("SCM_SHIM_V3_ENDPOINT", "https://env.example.com");
    tu_setenv("SCM_SHIM_CAPTURE", "/tmp/env-store");
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), 0);
    ck_assert_int_eq(s.retries, 5);
    ck_assert_int_eq(s.backend, SCM_BACKEND_LEGACY);
    ck_assert_int_eq(s.annotate, 1);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "https://env.example.com");
    scm__settings_free(&s);

    o.retries = 0;
    o.backend = "v3";
    o.annotate = 0;
    o.v3_endpoint = "https://opt.example.com";
    o.legacy_endpoint = "https://legacy-opt.example.com";
    o.capture = "";
    ck_assert_msg(scm__settings_init(&s, &c, &o, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(s.retries, 0);
    ck_assert_int_eq(s.backend, SCM_BACKEND_V3);
    ck_assert_int_eq(s.annotate, 0);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "https://opt.example.com");
    ck_assert_str_eq(s.ep[SCM_BACKEND_LEGACY].base, "https://legacy-opt.example.com");
    /* "" is none, over the variable. */
    ck_assert_ptr_null(s.capture);
    /* Members left unset fall through to the environment. */
    ck_assert_int_eq(s.connect_timeout_ms, 1234);
    ck_assert_double_eq(s.shadow_sample, 0.25);
    scm__settings_free(&s);

    /* A bad endpoint member is named as the member it came through. */
    o.legacy_endpoint = "ftp://legacy-opt.example.com";
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(err.msg, "legacy endpoint from scm_shim_client_options.legacy_endpoint: "
                              "endpoint must start with https:// or http://");
    tu_env_clear_config();
}
END_TEST

START_TEST(null_options_is_the_environment)
{
    scm_config c = tu_base_config();
    scm_error err = {0};
    scm_settings s;

    tu_env_clear_config();
    tu_setenv("SCM_SHIM_RETRIES", "7");
    tu_setenv("HUAWEICLOUD_SDK_DOMAIN_ID", "envdomain");
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_int_eq(s.retries, 7);
    ck_assert_str_eq(s.domain_id, "envdomain");
    scm__settings_free(&s);
    tu_env_clear_config();
}
END_TEST

START_TEST(region_and_domain_from_options)
{
    scm_config c = tu_base_config();
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_error err = {0};
    scm_settings s;

    tu_env_clear_config();
    tu_setenv("HUAWEICLOUD_SDK_REGION", "cn-north-4");
    tu_setenv("HUAWEICLOUD_SDK_DOMAIN_ID", "envdomain");
    c.endpoint = NULL;
    o.region = "ap-southeast-1";
    o.domain_id = "";
    ck_assert_msg(scm__settings_init(&s, &c, &o, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "https://scm.ap-southeast-1.myhuaweicloud.com");
    ck_assert_ptr_null(s.domain_id);
    scm__settings_free(&s);
    tu_env_clear_config();
}
END_TEST

/* An option out of its variable's range is refused, naming the member. */
START_TEST(bad_option_value_refused)
{
    scm_config c = tu_base_config();
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_client *client;

    tu_env_clear_config();
    tu_setenv("SCM_SHIM_LOG", "off");
    o.retries = SCM_MAX_RETRIES + 1;
    client = scm_shim_client_new(&c, &o);
    ck_assert_ptr_null(client);
    ck_assert_ptr_nonnull(strstr(scm_shim_last_error(), "scm_shim_client_options.retries"));
    o.retries = SCM_SHIM_UNSET;
    o.shadow = 2;
    ck_assert_ptr_null(scm_shim_client_new(&c, &o));
    ck_assert_ptr_nonnull(strstr(scm_shim_last_error(), "scm_shim_client_options.shadow"));
    tu_env_clear_config();
}
END_TEST

static const unsigned int BAD_VERSIONS[] = {0, SCM_SHIM_CLIENT_OPTIONS_VERSION + 1, 1000};

START_TEST(unknown_version_refused)
{
    scm_config c = tu_base_config();
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_client *client;

    tu_env_clear_config();
    tu_setenv("SCM_SHIM_LOG", "off");
    o.version = BAD_VERSIONS[_i];
    client = scm_shim_client_new(&c, &o);
    ck_assert_ptr_null(client);
    ck_assert_msg(strstr(scm_shim_last_error(), "scm_shim_client_options version") != NULL &&
                      strstr(scm_shim_last_error(), "is not supported") != NULL,
                  "'%s'", scm_shim_last_error());
    tu_env_clear_config();
}
END_TEST

START_TEST(current_version_and_null_options_accepted)
{
    scm_config c = tu_base_config();
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_client *client;

    tu_env_clear_config();
    client = scm_shim_client_new(&c, &o);
    ck_assert_ptr_nonnull(client);
    ck_assert_str_eq(scm_shim_last_error(), "");
    scm_client_free(client);
    client = scm_shim_client_new(&c, NULL);
    ck_assert_ptr_nonnull(client);
    scm_client_free(client);
    tu_env_clear_config();
}
END_TEST

/* options->mapping names a replacement table; "" keeps the built-in one over SCM_SHIM_MAPPING. */
START_TEST(mapping_from_options)
{
    scm_config c = tu_base_config();
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_client *client;

    tu_env_clear_config();
    tu_setenv("SCM_SHIM_LOG", "off");
    tu_setenv("SCM_SHIM_MAPPING", "/nonexistent/mapping.json");
    ck_assert_ptr_null(scm_shim_client_new(&c, &o));
    o.mapping = "";
    client = scm_shim_client_new(&c, &o);
    ck_assert_ptr_nonnull(client);
    ck_assert_ptr_eq(client->map, &scm__map_builtin);
    scm_client_free(client);
    o.mapping = SCM_MAPPING_JSON;
    client = scm_shim_client_new(&c, &o);
    ck_assert_ptr_nonnull(client);
    ck_assert_ptr_eq(client->map, &client->loaded);
    scm_client_free(client);
    o.mapping = "/nonexistent/other.json";
    ck_assert_ptr_null(scm_shim_client_new(&c, &o));
    ck_assert_ptr_nonnull(strstr(scm_shim_last_error(), "scm_shim_client_options.mapping"));
    tu_env_clear_config();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, defaults_then_environment_then_options);
    tcase_add_test(tc, null_options_is_the_environment);
    tcase_add_test(tc, region_and_domain_from_options);
    tcase_add_test(tc, bad_option_value_refused);
    tcase_add_loop_test(tc, unknown_version_refused, 0,
                        sizeof BAD_VERSIONS / sizeof BAD_VERSIONS[0]);
    tcase_add_test(tc, current_version_and_null_options_accepted);
    tcase_add_test(tc, mapping_from_options);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
