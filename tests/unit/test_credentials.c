/*
 * test_credentials.c - the credential chain (scm_config, the environment, the SDKs'
 * credentials file), the file's grammar, the names errors give settings, and a
 * configuration's every problem at once.
 * owns: those tests and their temporary files; must not: leave a variable set or a file behind.
 */
#include "credfile.h"
#include "env.h"
#include "scm_client.h"
#include "scm_shim.h"
#include "settings.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], file[96];

static void setup(void)
{
    tu_env_save();
    tu_env_clear_config();
    strcpy(dir, "/tmp/scm-cred-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/credentials", dir);
    /* No developer's ~/.huaweicloud/credentials: this home holds what a test writes. */
    setenv("HOME", dir, 1);
}

static void teardown(void)
{
    char path[128];
    unlink(file);
    snprintf(path, sizeof path, "%s/.huaweicloud/credentials", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/.huaweicloud", dir);
    rmdir(path);
    rmdir(dir);
    tu_env_restore();
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* A config with an endpoint and no credentials: the chain decides. */
static scm_config bare_config(void)
{
    scm_config c = tu_base_config();
    c.access_key = c.secret_key = c.project_id = NULL;
    return c;
}

/* One row of the chain: what each source holds, and what the client ends up with. */
static const struct {
    const char *name;
    const char *config_ak, *config_sk, *config_token;
    const char *env_ak, *env_sk, *env_stoken;
    const char *file; /* the credentials file's text, or NULL for none */
    const char *backend;
    /* expected: the key (or NULL), its security token, the IAM token, project, domain */
    const char *ak, *stoken, *token, *project, *domain;
    scm_cred_source source;
} CHAIN[] = {
    {"config keys over the environment and the file", "CFGAK", "CFGSK", NULL, "ENVAK", "ENVSK",
     "ENVSTS", "[global]\nak = FILEAK\nsk = FILESK\n", NULL, "CFGAK", NULL, NULL, NULL, NULL,
     SCM_CRED_CONFIG},
    {"config token over the environment's keys", NULL, NULL, "CFGTOKEN", "ENVAK", "ENVSK", NULL,
     NULL, NULL, NULL, NULL, "CFGTOKEN", NULL, NULL, SCM_CRED_CONFIG},
    {"config keys over its own token", "CFGAK", "CFGSK", "CFGTOKEN", NULL, NULL, NULL, NULL, NULL,
     "CFGAK", NULL, NULL, NULL, NULL, SCM_CRED_CONFIG},
    {"environment keys with their security token, over the file", NULL, NULL, NULL, "ENVAK",
     "ENVSK", "ENVSTS", "[global]\nak = FILEAK\nsk = FILESK\n", NULL, "ENVAK", "ENVSTS", NULL, NULL,
     NULL, SCM_CRED_ENV},
    {"the file's [global] first on v3, with its token and domain, [basic]'s project", NULL, NULL,
     NULL, NULL, NULL, NULL,
     "# comment\n[basic]\nak=BASICAK\nsk=BASICSK\nproject_id=fileproject\n\n[global]\n"
     "ak = GLOBALAK\nsk = GLOBALSK\nsecurity_token = GLOBALSTS\ndomain_id = filedomain\n",
     NULL, "GLOBALAK", "GLOBALSTS", NULL, "fileproject", "filedomain", SCM_CRED_FILE},
    {"the file's [basic] first on legacy", NULL, NULL, NULL, NULL, NULL, NULL,
     "[basic]\r\nak=BASICAK\r\nsk=BASICSK\r\nproject_id=fileproject\r\n[global]\r\nak=GLOBALAK\r\n"
     "sk=GLOBALSK\r\nsecurity_token=GLOBALSTS\r\n",
     "legacy", "BASICAK", NULL, NULL, "fileproject", NULL, SCM_CRED_FILE},
    {"the other section when the first has no keys", NULL, NULL, NULL, NULL, NULL, NULL,
     "[basic]\n  ak  =  BASICAK  \n\tsk\t=\tBASICSK\n; other tools' sections are skipped\n"
     "[other]\nak = OTHERAK\n",
     NULL, "BASICAK", NULL, NULL, NULL, NULL, SCM_CRED_FILE},
    {"the environment's security token never goes with the file's keys", NULL, NULL, NULL, NULL,
     NULL, "ENVSTS", "[global]\nak = FILEAK\nsk = FILESK\n", NULL, "FILEAK", NULL, NULL, NULL, NULL,
     SCM_CRED_FILE},
    {"nor with the program's own keys", "CFGAK", "CFGSK", NULL, NULL, NULL, "ENVSTS", NULL, NULL,
     "CFGAK", NULL, NULL, NULL, NULL, SCM_CRED_CONFIG},
    {"the last of a repeated key, as the SDKs' INI reader", NULL, NULL, NULL, NULL, NULL, NULL,
     "[global]\nak = FIRST\nak = SECOND\nsk = S\n", NULL, "SECOND", NULL, NULL, NULL, NULL,
     SCM_CRED_FILE},
};

static void set_or_unset(const char *name, const char *v)
{
    if (v != NULL)
        setenv(name, v, 1);
    else
        unsetenv(name);
}

static void check_str(const char *what, const char *got, const char *want)
{
    if (want == NULL)
        ck_assert_msg(got == NULL, "%s: %s, want none", what, got);
    else
        ck_assert_msg(got != NULL && strcmp(got, want) == 0, "%s: %s, want %s", what,
                      got ? got : "(none)", want);
}

START_TEST(chain_order)
{
    scm_config c = bare_config();
    scm_settings s;
    scm_error err = {0};

    c.access_key = CHAIN[_i].config_ak;
    c.secret_key = CHAIN[_i].config_sk;
    c.auth_token = CHAIN[_i].config_token;
    set_or_unset("HUAWEICLOUD_SDK_AK", CHAIN[_i].env_ak);
    set_or_unset("HUAWEICLOUD_SDK_SK", CHAIN[_i].env_sk);
    set_or_unset("HUAWEICLOUD_SDK_SECURITY_TOKEN", CHAIN[_i].env_stoken);
    set_or_unset("SCM_SHIM_BACKEND", CHAIN[_i].backend);
    if (CHAIN[_i].file != NULL) {
        write_file(file, CHAIN[_i].file, strlen(CHAIN[_i].file));
        setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file, 1);
    }
    if (CHAIN[_i].backend != NULL && strcmp(CHAIN[_i].backend, "legacy") == 0)
        c.project_id = CHAIN[_i].project ? NULL : "cfgproject";
    ck_assert_msg(scm__settings_init(&s, &c, NULL, &err) == 0, "%s: %s", CHAIN[_i].name, err.msg);
    check_str("ak", s.ak, CHAIN[_i].ak);
    check_str("security token", s.security_token, CHAIN[_i].stoken);
    check_str("token", s.token, CHAIN[_i].token);
    if (CHAIN[_i].project != NULL)
        check_str("project", s.project_id, CHAIN[_i].project);
    check_str("domain", s.domain_id, CHAIN[_i].domain);
    ck_assert_int_eq(s.cred_source, CHAIN[_i].source);
    scm__settings_free(&s);
}
END_TEST

START_TEST(default_file_in_home)
{
    char path[128];
    scm_config c = bare_config();
    scm_settings s;
    scm_error err = {0};

    snprintf(path, sizeof path, "%s/.huaweicloud", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/.huaweicloud/credentials", dir);
    write_file(path, "[global]\nak=HOMEAK\nsk=HOMESK\n", 29);
    ck_assert_msg(scm__settings_init(&s, &c, NULL, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(s.ak, "HOMEAK");
    ck_assert_str_eq(s.sk, "HOMESK");
    ck_assert_ptr_nonnull(strstr(s.cred_file, "/.huaweicloud/credentials [global]"));
    scm__settings_free(&s);
    /* The variable's file replaces it. */
    write_file(file, "[global]\nak=VARAK\nsk=VARSK\n", 27);
    setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file, 1);
    ck_assert_msg(scm__settings_init(&s, &c, NULL, &err) == 0, "%s", err.msg);
    ck_assert_str_eq(s.ak, "VARAK");
    scm__settings_free(&s);
}
END_TEST

/* A credentials file (or a source) the client refuses, and the words its reason must hold. */
static const struct {
    const char *text; /* NULL: no file at the named path */
    size_t len;       /* 0: strlen */
    const char *want;
} BAD_FILES[] = {
    {NULL, 0, "HUAWEICLOUD_SDK_CREDENTIALS_FILE="},
    {"[global]\nak = A\n", 0, "[global]: an access key was given without a secret key (sk)"},
    {"[basic]\nsk = S\n", 0, "[basic]: a secret key was given without an access key (ak)"},
    {"[global\nak = A\nsk = S\n", 0, "line 1: a section needs a closing ]"},
    {"[global]\nak A\n", 0, "line 2: expected key = value"},
    {"[global]\nak = A\0B\nsk = S\n", 22, "holds a NUL byte"},
    {"[global]\nak = A B\nsk = S\n", 0, "printable ASCII without spaces"},
    {"[global]\ndomain_id = not/an/id\nak = A\nsk = S\n", 0, "domain ID from /tmp/scm-cred-"},
    {"[other]\nak = A\nsk = S\n", 0, "no credentials"},
};

START_TEST(bad_file_refused_with_its_reason)
{
    scm_config c = bare_config();
    scm_settings s;
    scm_error err = {0};

    setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file, 1);
    if (BAD_FILES[_i].text != NULL)
        write_file(file, BAD_FILES[_i].text,
                   BAD_FILES[_i].len ? BAD_FILES[_i].len : strlen(BAD_FILES[_i].text));
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, BAD_FILES[_i].want) != NULL, "%s, want %s", err.msg,
                  BAD_FILES[_i].want);
    /* A reason names the file, never a value from it. */
    ck_assert_ptr_null(strstr(err.msg, "= A"));
}
END_TEST

START_TEST(file_limits)
{
    scm_config c = bare_config();
    scm_settings s;
    scm_error err = {0};
    size_t n = SCM_CREDFILE_MAX + 1;
    char *big = malloc(n);

    setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file, 1);
    memset(big, '#', n);
    big[n - 1] = '\n';
    write_file(file, big, n);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "larger than") != NULL, "%s", err.msg);
    /* Exactly the limit is a file, and its one long comment line too long. */
    write_file(file, big, n - 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "line 1: longer than") != NULL, "%s", err.msg);
    free(big);
    /* A directory is no credentials file (nor a FIFO, which could block the caller). */
    setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", dir, 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "not a regular file") != NULL, "%s", err.msg);
    unlink(file);
    ck_assert_int_eq(mkfifo(file, 0600), 0);
    setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file, 1);
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "not a regular file") != NULL, "%s", err.msg);
}
END_TEST

START_TEST(no_credentials_names_every_source)
{
    static const scm_shim_setting_name names[] = {
        {"access_key", ""}, {"secret_key", ""}, {"auth_token", "SCM_TOKEN"}, {NULL, NULL}};
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_config c = bare_config();
    scm_settings s;
    scm_error err = {0};

    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK") != NULL &&
                      strstr(err.msg, "/.huaweicloud/credentials") != NULL &&
                      strstr(err.msg, "scm_config.access_key and scm_config.secret_key, or "
                                      "scm_config.auth_token") != NULL,
                  "%s", err.msg);
    /* A program that cannot set a key is not told to. */
    o.setting_names = names;
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "access_key") == NULL && strstr(err.msg, "give SCM_TOKEN"), "%s",
                  err.msg);
}
END_TEST

START_TEST(setting_names_name_errors)
{
    static const scm_shim_setting_name names[] = {{"endpoint", "--endpoint"},
                                                  {"backend", "--backend"},
                                                  {"timeout_ms", "--timeout-ms"},
                                                  {NULL, NULL}};
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    o.setting_names = names;
    c.endpoint = NULL;
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "(--endpoint, SCM_SHIM_V3_ENDPOINT") != NULL, "%s", err.msg);
    c = tu_base_config();
    o.backend = "v4";
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "--backend must be") != NULL, "%s", err.msg);
    o.backend = NULL;
    c.timeout_ms = -1;
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "--timeout-ms must not be negative") != NULL, "%s", err.msg);
    /* Without names, the members. */
    ck_assert_int_eq(scm__settings_init(&s, &c, NULL, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "scm_config.timeout_ms") != NULL, "%s", err.msg);
}
END_TEST

/* A version 1 caller's struct ends before setting_names: whatever lies there is not read. */
START_TEST(version_1_struct_read_to_its_end)
{
    scm_shim_client_options o = SCM_SHIM_CLIENT_OPTIONS_INIT;
    scm_config c = tu_base_config();
    scm_settings s;
    scm_error err = {0};

    o.version = 1;
    memset(&o.setting_names, 0x5a, sizeof o.setting_names);
    c.endpoint = NULL;
    ck_assert_int_eq(scm__settings_init(&s, &c, &o, &err), SCM_E_INVALID_PARAM);
    ck_assert_msg(strstr(err.msg, "scm_config.endpoint") != NULL, "%s", err.msg);
}
END_TEST

static void count_problem(const scm_error *e, void *arg)
{
    char *all = arg;
    strncat(all, e->msg, 4000 - strlen(all));
    strncat(all, "\n", 4000 - strlen(all));
}

START_TEST(every_problem_at_once)
{
    scm_config c = bare_config();
    scm_settings s;
    scm_error err = {0};
    char all[4096] = "";
    int lines = 0;
    const char *p;

    c.endpoint = NULL;
    setenv("SCM_SHIM_SHADOW", "yes", 1);
    setenv("SCM_SHIM_LOG", "bogus", 1);
    setenv("SCM_SHIM_RETRIES", "99", 1);
    ck_assert_int_eq(scm__settings_resolve(&s, &c, NULL, count_problem, all, &err),
                     SCM_E_INVALID_PARAM);
    for (p = all; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    ck_assert_msg(strstr(all, "SCM_SHIM_SHADOW must be 1 or 0") &&
                      strstr(all, "SCM_SHIM_LOG must be") && strstr(all, "SCM_SHIM_RETRIES") &&
                      strstr(all, "no endpoint given") && strstr(all, "no credentials"),
                  "%s", all);
    ck_assert_int_eq(lines, 5);
    /* The first is the one a normal resolution stops at. */
    ck_assert_msg(strncmp(all, err.msg, strlen(err.msg)) == 0, "%s / %s", all, err.msg);
}
END_TEST

START_TEST(bad_log_level_refused)
{
    scm_config c = tu_base_config();
    setenv("SCM_SHIM_LOG", "bogus", 1);
    ck_assert_ptr_null(scm_client_new(&c));
    ck_assert_ptr_nonnull(strstr(scm_shim_last_error(), "SCM_SHIM_LOG must be"));
    setenv("SCM_SHIM_LOG", "debug", 1);
    scm_client_free(scm_client_new(&c));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("credentials");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, chain_order, 0, sizeof CHAIN / sizeof CHAIN[0]);
    tcase_add_test(tc, default_file_in_home);
    tcase_add_loop_test(tc, bad_file_refused_with_its_reason, 0,
                        sizeof BAD_FILES / sizeof BAD_FILES[0]);
    tcase_add_test(tc, file_limits);
    tcase_add_test(tc, no_credentials_names_every_source);
    tcase_add_test(tc, setting_names_name_errors);
    tcase_add_test(tc, version_1_struct_read_to_its_end);
    tcase_add_test(tc, every_problem_at_once);
    tcase_add_test(tc, bad_log_level_refused);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
