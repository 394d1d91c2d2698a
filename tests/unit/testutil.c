/* testutil.c - see testutil.h. */
#include "testutil.h"

#include "env.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)n + 1)) != NULL) {
        size_t got = fread(data, 1, (size_t)n, f);
        data[got] = '\0';
        if (len != NULL)
            *len = got;
    }
    fclose(f);
    return data;
}

cJSON *tu_read_json(const char *path)
{
    size_t len = 0;
    char *text = tu_read_file(path, &len);
    cJSON *doc;
    ck_assert_msg(text != NULL, "cannot read %s", path);
    doc = cJSON_ParseWithLength(text, len);
    ck_assert_msg(doc != NULL, "%s is not JSON", path);
    free(text);
    return doc;
}

void tu_setenv(const char *name, const char *value)
{
    if (value != NULL)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

scm_config tu_base_config(void)
{
    scm_config c;
    memset(&c, 0, sizeof c);
    c.endpoint = "https://scm.cn-north-4.myhuaweicloud.com";
    c.project_id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    c.access_key = "AKEXAMPLE";
    c.secret_key = "SKEXAMPLE-secret";
    return c;
}

/* Quiet: a diagnostic would only mix with Check's output. */
static void quiet_clean_env(void)
{
    tu_env_clear_config();
    tu_setenv("SCM_SHIM_LOG", "off");
}

TCase *tu_quiet_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tu_setenv("SCM_SHIM_LOG", "off");
    tcase_add_checked_fixture(tc, quiet_clean_env, quiet_clean_env);
    tcase_set_timeout(tc, 10);
    return tc;
}

int tu_fixture_bodies(const char *dir, char **v3, char **legacy)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/v3.json", dir);
    *v3 = tu_read_file(path, NULL);
    snprintf(path, sizeof path, "%s/legacy.json", dir);
    *legacy = tu_read_file(path, NULL);
    return *v3 != NULL && *legacy != NULL ? 0 : -1;
}
