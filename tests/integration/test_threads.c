/*
 * test_threads.c - 16 threads, each with its own client, shadow mode and the capture store on:
 * every answer right, every audit line whole. Run under ThreadSanitizer by tools/test.sh
 * (SCM_TSAN).
 * owns: these expectations of concurrent clients; must not: leave a variable or an emulator
 * behind (emu_hermetic).
 */
#include "hermetic.h"
#include "itest.h"
#include "testutil.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 16
#define CALLS 30

static emu E;
static char **ids;

static void *run(void *arg)
{
    scm_client *c = it_client(&E);
    long ok = 0, i = (long)(size_t)arg;
    int k;
    for (k = 0; k < CALLS; k++) {
        const char *id = ids[(size_t)(i + k) % it_count_ids(ids)];
        scm_cert_details *d = NULL;
        char *body = NULL;
        if (scm_query_cert_details(c, id, &d) == SCM_OK && strcmp(d->cert_id, id) == 0)
            ok++;
        scm_cert_details_free(d);
        if (scm_query_cert_details_json(c, id, &body) == SCM_OK && strstr(body, id) != NULL)
            ok++;
        scm_free(body);
    }
    scm_client_free(c);
    return (void *)ok;
}

START_TEST(sixteen_clients_in_shadow_mode)
{
    char log[320], db[320], *text, *line, *save = NULL;
    pthread_t t[THREADS];
    long total = 0, i;
    int lines = 0;

    ck_assert_int_eq(emu_start(&E, NULL, NULL), 0);
    ids = it_fixture_ids(SCM_TEST_DATA_DIR "/certs");
    snprintf(log, sizeof log, "%s/threads-audit.log", E.dir);
    setenv("SCM_SHIM_SHADOW", "1", 1);
    setenv("SCM_SHIM_AUDIT_LOG", log, 1);
    /* The legacy side of every shadowed call writes the capture store, the v3 side reads it. */
    snprintf(db, sizeof db, "%s/threads-capture.db", E.dir);
    setenv("SCM_SHIM_CAPTURE", db, 1);
    for (i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, run, (void *)(size_t)i), 0);
    for (i = 0; i < THREADS; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        total += (long)ok;
    }
    ck_assert_int_eq(total, THREADS * CALLS * 2);
    text = tu_read_file(log, NULL);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *o = cJSON_Parse(line);
        ck_assert_msg(o != NULL, "torn audit line");
        cJSON_Delete(o);
        lines++;
    }
    ck_assert_int_eq(lines, THREADS * CALLS * 2);
    free(text);
    it_free_ids(ids);
    emu_stop(&E);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, sixteen_clients_in_shadow_mode);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
