/*
 * itest.c - see itest.h.
 * owns: the client config for an emulator, the fixture ID lists, the clock and shell helpers
 * of the integration tests; must not: start or stop emulators (tests/support/emu.c does) or
 * set the environment.
 */
#include "itest.h"

#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

scm_config it_config(const emu *e)
{
    scm_config c;
    memset(&c, 0, sizeof c);
    c.endpoint = e->url;
    c.project_id = EMU_PROJECT_ID;
    c.access_key = EMU_AK;
    c.secret_key = EMU_SK;
    c.timeout_ms = 10000;
    return c;
}

scm_client *it_client(const emu *e)
{
    scm_config c = it_config(e);
    scm_client *client = scm_client_new(&c);
    ck_assert_ptr_nonnull(client);
    return client;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **it_fixture_ids(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    char **ids = calloc(1, sizeof *ids);
    size_t n = 0;
    ck_assert_ptr_nonnull(d);
    while ((ent = readdir(d)) != NULL) {
        if (strchr(ent->d_name, '.') != NULL) /* ., .., README.md */
            continue;
        ids = realloc(ids, (n + 2) * sizeof *ids);
        ids[n++] = strdup(ent->d_name);
        ids[n] = NULL;
    }
    closedir(d);
    qsort(ids, n, sizeof *ids, cmp_str);
    return ids;
}

void it_free_ids(char **ids)
{
    size_t i;
    for (i = 0; ids[i] != NULL; i++)
        free(ids[i]);
    free(ids);
}

size_t it_count_ids(char *const *ids)
{
    size_t n = 0;
    while (ids[n] != NULL)
        n++;
    return n;
}

cJSON *it_fixture_json(const char *dir, const char *id, const char *file)
{
    char path[1024];
    size_t len = 0;
    char *text;
    cJSON *doc;
    snprintf(path, sizeof path, "%s/%s/%s", dir, id, file);
    if ((text = tu_read_file(path, &len)) == NULL)
        return NULL;
    doc = cJSON_ParseWithLength(text, len);
    free(text);
    return doc;
}

double it_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

cJSON *it_log(const emu *e)
{
    char *text = emu_read_log(e), *line, *save = NULL;
    cJSON *arr = cJSON_CreateArray();
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        cJSON *o = cJSON_Parse(line);
        ck_assert_msg(o != NULL, "log line is not JSON: %s", line);
        cJSON_AddItemToArray(arr, o);
    }
    free(text);
    return arr;
}

int it_run(const char *cmd, char *out, size_t n)
{
    FILE *p = popen(cmd, "r");
    size_t len = 0, got;
    int status;
    ck_assert_msg(p != NULL, "cannot run %s", cmd);
    while (len + 1 < n && (got = fread(out + len, 1, n - 1 - len, p)) > 0)
        len += got;
    out[len] = '\0';
    status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
