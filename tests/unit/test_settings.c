/*
 * test_settings.c - configuration: endpoint parsing, environment fallback, rejected configs.
 * owns: the settings module's tests; must not: leave an environment variable set.
 */
#include "client.h"
#include "scm_client.h"
#include "scm_shim.h"
#include "settings.h"
#include "env.h"
#include "testutil.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *endpoint;
    const char *base; /* NULL: rejected */
    const char *host;
} ENDPOINTS[] = {
    {"https://scm.cn-north-4.myhuaweicloud.com", "https://scm.cn-north-4.myhuaweicloud.com",
     "scm.cn-north-4.myhuaweicloud.com"},
    {"https://scm.cn-north-4.myhuaweicloud.com/", "https://scm.cn-north-4.myhuaweicloud.com",
     "scm.cn-north-4.myhuaweicloud.com"},
    {"https://example.com:443", "https://example.com", "example.com"},
    {"http://127.0.0.1:8080", "http://127.0.0.1:8080", "127.0.0.1:8080"},
    {"http://[::1]:8080/", "http://[::1]:8080", "[::1]:8080"},
    {"https://gw.example.com/scm//", "https://gw.example.com/scm", "gw.example.com"},
    {"HTTPS://Example.com", "https://Example.com", "Example.com"},
    {"", NULL, NULL},
    {"scm.cn-north-4.myhuaweicloud.com", NULL, NULL},
    {"ftp://example.com", NULL, NULL},
    {"https://", NULL, NULL},
    {"https://user:pw@example.com", NULL, NULL},
    {"https://example.com/?q=1", NULL, NULL},
    {"https://example.com/#frag", NULL, NULL},
    {"https://exa mple.com", NULL, NULL},
    {"https://example.com:99999", NULL, NULL},
    {"http:///x", NULL, NULL},
    {"https://gw.example.com/scm%20api", NULL, NULL},
    {"https://example.com:0", NULL, NULL},
    {"https://ex\xc3\xa4mple.com", NULL, NULL},
    {"https://ex%41mple.com", NULL, NULL},
    {"https://xn--exmple-cua.com", "https://xn--exmple-cua.com", "xn--exmple-cua.com"},
};

START_TEST(huge_host_is_refused)
{
    scm_config c = tu_base_config();
    char *url = malloc(70 * 1024);
    scm_error err = {0};
    scm_settings s;
    strcpy(url, "https://");
    memset(url + 8, 'a', 70 * 1024 - 9);
    url[70 * 1024 - 1] = '\0';
    tu_env_clear_config();
    c.endpoint = url;
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_ptr_nonnull(strstr(err.msg, "at most 253 characters"));
    free(url);
}
END_TEST

START_TEST(endpoint_parsing)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};
    int rc;

    tu_env_clear_config();
    c.endpoint = ENDPOINTS[_i].endpoint;
    rc = scm__settings_init(&s, &c, NULL, &err);
    if (ENDPOINTS[_i].base == NULL) {
        ck_assert_msg(rc == SCM_E_INVALID_PARAM, "%s accepted", c.endpoint);
        ck_assert_msg(err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL, "reason: '%s'", err.msg);
        return;
    }
    ck_assert_msg(rc == 0, "%s rejected: %s", c.endpoint, err.msg);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, ENDPOINTS[_i].base);
    ck_assert_str_eq(s.ep[SCM_BACKEND_LEGACY].base, ENDPOINTS[_i].base);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].host, ENDPOINTS[_i].host);
    scm__settings_free(&s);
}
END_TEST

START_TEST(env_fallback)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    tu_env_clear_config();
    c.access_key = c.secret_key = c.project_id = NULL;
    setenv("HUAWEICLOUD_SDK_AK", "ENVAK", 1);
    setenv("HUAWEICLOUD_SDK_SK", "ENVSK", 1);
    setenv("HUAWEICLOUD_SDK_PROJECT_ID", "envproject", 1);
    setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", "ENVTOKEN", 1);
    setenv("HUAWEICLOUD_SDK_DOMAIN_ID", "envdomain", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_str_eq(s.domain_id, "envdomain");
    ck_assert_str_eq(s.ak, "ENVAK");
    ck_assert_str_eq(s.sk, "ENVSK");
    ck_assert_str_eq(s.project_id, "envproject");
    ck_assert_str_eq(s.security_token, "ENVTOKEN");
    ck_assert_ptr_null(s.token);
    ck_assert_int_eq(s.timeout_ms, SCM_DEFAULT_TIMEOUT_MS);
    scm__settings_free(&s);

    /* The caller's values win over the environment. */
    c = tu_base_config();
    c.timeout_ms = 1500;
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_str_eq(s.ak, "AKEXAMPLE");
    ck_assert_str_eq(s.project_id, "0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    ck_assert_int_eq(s.timeout_ms, 1500);
    scm__settings_free(&s);
    /* A timeout near LONG_MAX would overflow every deadline sum: clamped to a day. */
    c.timeout_ms = LONG_MAX;
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_int_eq(s.timeout_ms, SCM_MAX_TIMEOUT_MS);
    scm__settings_free(&s);
    tu_env_clear_config();
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_ptr_null(s.domain_id);
    scm__settings_free(&s);
}
END_TEST

START_TEST(token_auth)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    tu_env_clear_config();
    c.access_key = c.secret_key = NULL;
    c.auth_token = "MIItoken";
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_ptr_null(s.ak);
    ck_assert_str_eq(s.token, "MIItoken");
    scm__settings_free(&s);

    /* An AK takes precedence; the token is then unused. */
    c = tu_base_config();
    c.auth_token = "MIItoken";
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_ptr_null(s.token);
    scm__settings_free(&s);
}
END_TEST

/* Runs scm_client_new on c and returns what it wrote on stderr (malloc'd). */
static char *new_client_stderr(const scm_config *c, scm_client **out)
{
    char path[] = "/tmp/scmshim-stderr-XXXXXX";
    int fd = mkstemp(path), saved;
    char *text;
    ck_assert_int_ge(fd, 0);
    fflush(stderr);
    saved = dup(2);
    dup2(fd, 2);
    *out = scm_client_new(c);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    text = tu_read_file(path, NULL);
    unlink(path);
    return text;
}

static void no_endpoint(scm_config *c)
{
    c->endpoint = NULL;
}
static void bad_endpoint(scm_config *c)
{
    c->endpoint = "not a url";
}
static void no_credentials(scm_config *c)
{
    c->access_key = c->secret_key = NULL;
}
static void ak_without_sk(scm_config *c)
{
    c->secret_key = NULL;
}
static void no_project(scm_config *c)
{
    c->project_id = NULL;
    setenv("SCM_SHIM_BACKEND", "legacy", 1);
}
static void bad_backend(scm_config *c)
{
    (void)c;
    setenv("SCM_SHIM_BACKEND", "v2", 1);
}
static void bad_annotate(scm_config *c)
{
    (void)c;
    setenv("SCM_SHIM_ANNOTATE", "yes", 1);
}
static void bad_mapping(scm_config *c)
{
    (void)c;
    setenv("SCM_SHIM_MAPPING", "/nonexistent/mapping.json", 1);
}
static void bad_v3_endpoint(scm_config *c)
{
    (void)c;
    setenv("SCM_SHIM_V3_ENDPOINT", "ftp://x", 1);
}
static void no_endpoint_for_backend(scm_config *c)
{
    c->endpoint = NULL;
    setenv("SCM_SHIM_LEGACY_ENDPOINT", "https://legacy.example.com", 1);
}
static void bad_project(scm_config *c)
{
    c->project_id = "../etc";
}
static void unknown_region(scm_config *c)
{
    c->endpoint = NULL;
    setenv("HUAWEICLOUD_SDK_REGION", "eu-west-0", 1);
}
static void bad_domain(scm_config *c)
{
    (void)c;
    setenv("HUAWEICLOUD_SDK_DOMAIN_ID", "dom\r\nX-Evil: 1", 1);
}
/* A fraction outside 0.0-1.0 (or not a number) is refused, not clamped into "always" or "never". */
static void sample_above_one(scm_config *c)
{
    (void)c;
    setenv("SCM_SHIM_SHADOW_SAMPLE", "1.5", 1);
}
static void sample_negative(scm_config *c)
{
    (void)c;
    setenv("SCM_SHIM_SHADOW_SAMPLE", "-0.1", 1);
}
static void sample_nan(scm_config *c)
{
    (void)c;
    setenv("SCM_SHIM_SHADOW_SAMPLE", "nan", 1);
}
static void negative_timeout(scm_config *c)
{
    c->timeout_ms = -1;
}
static void header_injection(scm_config *c)
{
    c->access_key = NULL;
    c->auth_token = "tok\r\nX-Evil: 1";
}

static const struct {
    const char *what;
    void (*edit)(scm_config *);
} BAD_CONFIGS[] = {
    {"no endpoint", no_endpoint},
    {"malformed endpoint", bad_endpoint},
    {"no credentials", no_credentials},
    {"AK without SK", ak_without_sk},
    {"no project ID", no_project},
    {"bad project ID", bad_project},
    {"negative timeout", negative_timeout},
    {"CR/LF in token", header_injection},
    {"SCM_SHIM_BACKEND", bad_backend},
    {"SCM_SHIM_ANNOTATE", bad_annotate},
    {"SCM_SHIM_MAPPING", bad_mapping},
    {"SCM_SHIM_V3_ENDPOINT", bad_v3_endpoint},
    {"SCM_SHIM_V3_ENDPOINT", no_endpoint_for_backend},
    {"HUAWEICLOUD_SDK_DOMAIN_ID", bad_domain},
    {"HUAWEICLOUD_SDK_REGION", unknown_region},
    {"SCM_SHIM_SHADOW_SAMPLE", sample_above_one},
    {"SCM_SHIM_SHADOW_SAMPLE", sample_negative},
    {"SCM_SHIM_SHADOW_SAMPLE", sample_nan},
};

START_TEST(bad_config_rejected_with_one_line)
{
    scm_config c = tu_base_config();
    scm_client *client = (scm_client *)1;
    char *msg;

    tu_env_clear_config();
    BAD_CONFIGS[_i].edit(&c);
    msg = new_client_stderr(&c, &client);
    ck_assert_msg(client == NULL, "%s: client created", BAD_CONFIGS[_i].what);
    ck_assert_ptr_nonnull(msg);
    ck_assert_msg(strncmp(msg, "scmshim: ", 9) == 0, "%s: '%s'", BAD_CONFIGS[_i].what, msg);
    ck_assert_msg(strchr(msg, '\n') == msg + strlen(msg) - 1, "not one line: '%s'", msg);
    ck_assert_msg(strstr(msg, "SKEXAMPLE") == NULL, "secret on stderr");
    /* A reason caused by a variable names it. */
    if (strncmp(BAD_CONFIGS[_i].what, "SCM_SHIM_", 9) == 0 ||
        strncmp(BAD_CONFIGS[_i].what, "HUAWEICLOUD_SDK_", 16) == 0)
        ck_assert_msg(strstr(msg, BAD_CONFIGS[_i].what) != NULL, "'%s' does not name %s", msg,
                      BAD_CONFIGS[_i].what);
    tu_env_clear_config();
    free(msg);
}
END_TEST

START_TEST(null_config_rejected)
{
    scm_client *client = (scm_client *)1;
    char *msg = new_client_stderr(NULL, &client);
    ck_assert_ptr_null(client);
    ck_assert_ptr_nonnull(strstr(msg, "scmshim: "));
    free(msg);
}
END_TEST

START_TEST(backend_and_endpoint_overrides)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    tu_env_clear_config();
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_int_eq(s.backend, SCM_BACKEND_V3);
    scm__settings_free(&s);
    setenv("SCM_SHIM_BACKEND", "", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_int_eq(s.backend, SCM_BACKEND_V3);
    scm__settings_free(&s);
    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    setenv("SCM_SHIM_V3_ENDPOINT", "http://127.0.0.1:9000", 1);
    setenv("SCM_SHIM_LEGACY_ENDPOINT", "https://legacy.example.com:8443/", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_int_eq(s.backend, SCM_BACKEND_LEGACY);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "http://127.0.0.1:9000");
    ck_assert_str_eq(s.ep[SCM_BACKEND_LEGACY].base, "https://legacy.example.com:8443");
    ck_assert_str_eq(s.ep[SCM_BACKEND_LEGACY].host, "legacy.example.com:8443");
    scm__settings_free(&s);
    tu_env_clear_config();
}
END_TEST

START_TEST(good_config_accepted_silently)
{
    scm_config c = tu_base_config();
    scm_client *client = NULL;
    char *msg;
    tu_env_clear_config();
    msg = new_client_stderr(&c, &client);
    ck_assert_ptr_nonnull(client);
    ck_assert_str_eq(msg, "");
    free(msg);
    scm_client_free(client);
}
END_TEST

/* Written out here, not taken from regions.h: the table must say exactly this. */
static const struct {
    const char *region, *base, *host;
} REGION_ENDPOINTS[] = {
    {"cn-north-4", "https://scm.cn-north-4.myhuaweicloud.com", "scm.cn-north-4.myhuaweicloud.com"},
    {"ap-southeast-1", "https://scm.ap-southeast-1.myhuaweicloud.com",
     "scm.ap-southeast-1.myhuaweicloud.com"},
    {"my-kualalumpur-1", "https://scm.my-kualalumpur-1.myhuaweicloud.com",
     "scm.my-kualalumpur-1.myhuaweicloud.com"},
};

START_TEST(region_gives_the_endpoint)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    tu_env_clear_config();
    c.endpoint = NULL;
    setenv("HUAWEICLOUD_SDK_REGION", REGION_ENDPOINTS[_i].region, 1);
    ck_assert_msg(scm__settings_init(&s, &c, NULL, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, REGION_ENDPOINTS[_i].base);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].host, REGION_ENDPOINTS[_i].host);
    ck_assert_str_eq(s.ep[SCM_BACKEND_LEGACY].base, REGION_ENDPOINTS[_i].base);
    scm__settings_free(&s);
    tu_env_clear_config();
}
END_TEST

START_TEST(region_comes_last)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    tu_env_clear_config();
    setenv("HUAWEICLOUD_SDK_REGION", "ap-southeast-1", 1);
    /* The caller's endpoint wins over the region. */
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "https://scm.cn-north-4.myhuaweicloud.com");
    ck_assert_str_eq(s.ep[SCM_BACKEND_LEGACY].base, "https://scm.cn-north-4.myhuaweicloud.com");
    scm__settings_free(&s);
    /* An empty endpoint is none. */
    c.endpoint = "";
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "https://scm.ap-southeast-1.myhuaweicloud.com");
    scm__settings_free(&s);
    /* An override wins for its backend; the other one, with no endpoint given, takes the region's.
     */
    c.endpoint = NULL;
    setenv("SCM_SHIM_V3_ENDPOINT", "http://127.0.0.1:9000", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "http://127.0.0.1:9000");
    ck_assert_str_eq(s.ep[SCM_BACKEND_LEGACY].base, "https://scm.ap-southeast-1.myhuaweicloud.com");
    scm__settings_free(&s);
    tu_env_clear_config();
}
END_TEST

START_TEST(unknown_region_named_with_the_known_ones)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    tu_env_clear_config();
    c.endpoint = NULL;
    setenv("HUAWEICLOUD_SDK_REGION", "cn-north-1", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(err.msg, "HUAWEICLOUD_SDK_REGION=cn-north-1 is not an SCM region; known: "
                              "cn-north-4, ap-southeast-1, my-kualalumpur-1");
    /* A value that is no region name is not repeated: the reason stays one line. */
    setenv("HUAWEICLOUD_SDK_REGION", "x\nscmshim: forged", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(err.msg, "HUAWEICLOUD_SDK_REGION is not an SCM region; known: "
                              "cn-north-4, ap-southeast-1, my-kualalumpur-1");
    /* Other tools share the variable: an endpoint given makes the region irrelevant. */
    c = tu_base_config();
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    scm__settings_free(&s);
    /* So does an override for the backend in use, unless shadow mode needs the other one. */
    c.endpoint = NULL;
    setenv("SCM_SHIM_V3_ENDPOINT", "http://127.0.0.1:9000", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), 0);
    ck_assert_ptr_null(s.ep[SCM_BACKEND_LEGACY].base);
    scm__settings_free(&s);
    setenv("SCM_SHIM_SHADOW", "1", 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_ptr_nonnull(strstr(err.msg, "not an SCM region"));
    tu_env_clear_config();
}
END_TEST

/* The SDKs' own per-region endpoint override, HUAWEICLOUD_SDK_REGION_SCM_<REGION>, wins, even for a
 * region the table lacks. */
START_TEST(sdk_region_override_is_honoured)
{
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    tu_env_clear_config();
    c.endpoint = NULL;
    setenv("HUAWEICLOUD_SDK_REGION", "ap-southeast-1", 1);
    setenv("HUAWEICLOUD_SDK_REGION_SCM_AP_SOUTHEAST_1",
           "https://scm.example.net,https://scm2.example.net", 1);
    ck_assert_msg(scm__settings_init(&s, &c, NULL, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "https://scm.example.net");
    scm__settings_free(&s);
    setenv("HUAWEICLOUD_SDK_REGION", "eu-west-101", 1);
    setenv("HUAWEICLOUD_SDK_REGION_SCM_EU_WEST_101", "https://scm.eu-west-101.example.eu", 1);
    ck_assert_msg(scm__settings_init(&s, &c, NULL, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(s.ep[SCM_BACKEND_V3].base, "https://scm.eu-west-101.example.eu");
    scm__settings_free(&s);
    unsetenv("HUAWEICLOUD_SDK_REGION_SCM_AP_SOUTHEAST_1");
    unsetenv("HUAWEICLOUD_SDK_REGION_SCM_EU_WEST_101");
    tu_env_clear_config();
}
END_TEST

START_TEST(domain_id_set_copied_checked_and_removed)
{
    scm_config c = tu_base_config();
    scm_client *client;
    char id[] = "0b1c2d3e4f5a60718293a4b5c6d7e8f9";

    tu_env_clear_config();
    client = scm_client_new(&c);
    ck_assert_ptr_nonnull(client);
    ck_assert_ptr_null(client->cfg.domain_id);
    ck_assert_int_eq(scm_shim_client_set_domain_id(client, id), SCM_OK);
    id[0] = 'X';
    ck_assert_str_eq(client->cfg.domain_id, "0b1c2d3e4f5a60718293a4b5c6d7e8f9");
    /* A refused ID leaves the one set, and says why like a failed call. */
    ck_assert_int_eq(scm_shim_client_set_domain_id(client, "a/b"), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(scm_client_error_code(client), "SCMSHIM.INVALID_PARAM");
    ck_assert_ptr_nonnull(strstr(scm_client_error_msg(client), "domain_id"));
    ck_assert_int_eq(
        scm_shim_client_set_domain_id(
            client, "0123456789012345678901234567890123456789012345678901234567890123x"),
        SCM_E_INVALID_PARAM);
    ck_assert_str_eq(client->cfg.domain_id, "0b1c2d3e4f5a60718293a4b5c6d7e8f9");
    ck_assert_int_eq(scm_shim_client_set_domain_id(client, ""), SCM_OK);
    ck_assert_str_eq(scm_client_error_code(client), "");
    ck_assert_ptr_null(client->cfg.domain_id);
    ck_assert_int_eq(scm_shim_client_set_domain_id(client, "d1"), SCM_OK);
    ck_assert_int_eq(scm_shim_client_set_domain_id(client, NULL), SCM_OK);
    ck_assert_ptr_null(client->cfg.domain_id);
    ck_assert_int_eq(scm_shim_client_set_domain_id(NULL, "d1"), SCM_E_INVALID_PARAM);
    scm_client_free(client);
}
END_TEST

static const struct {
    const char *id;
    int valid;
} IDS[] = {
    {"scs1481110651012", 1},
    {"a", 1},
    {"A-b_9", 1},
    {"0123456789012345678901234567890123456789012345678901234567890123", 1},
    {"01234567890123456789012345678901234567890123456789012345678901234", 0},
    {"", 0},
    {NULL, 0},
    {"a/b", 0},
    {"..", 0},
    {"a%2F", 0},
    {"a?b", 0},
    {"a#b", 0},
    {"a b", 0},
    {"a\r\nb", 0},
    {"a\n", 0},
    {"a.b", 0},
    {"\xe8\xaf\x81", 0},
};

START_TEST(cert_id_validation)
{
    ck_assert_int_eq(scm__valid_id(IDS[_i].id), IDS[_i].valid);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("settings");
    TCase *tc = tcase_create("settings");
    tcase_add_test(tc, huge_host_is_refused);
    tcase_add_loop_test(tc, endpoint_parsing, 0, sizeof ENDPOINTS / sizeof ENDPOINTS[0]);
    tcase_add_test(tc, env_fallback);
    tcase_add_test(tc, token_auth);
    tcase_add_loop_test(tc, bad_config_rejected_with_one_line, 0,
                        sizeof BAD_CONFIGS / sizeof BAD_CONFIGS[0]);
    tcase_add_test(tc, null_config_rejected);
    tcase_add_test(tc, good_config_accepted_silently);
    tcase_add_test(tc, backend_and_endpoint_overrides);
    tcase_add_test(tc, domain_id_set_copied_checked_and_removed);
    tcase_add_loop_test(tc, region_gives_the_endpoint, 0,
                        sizeof REGION_ENDPOINTS / sizeof REGION_ENDPOINTS[0]);
    tcase_add_test(tc, region_comes_last);
    tcase_add_test(tc, unknown_region_named_with_the_known_ones);
    tcase_add_test(tc, sdk_region_override_is_honoured);
    tcase_add_loop_test(tc, cert_id_validation, 0, sizeof IDS / sizeof IDS[0]);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
