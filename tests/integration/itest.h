/* itest.h - helpers for integration tests that run the library against scm-emulator. */
#ifndef SCM_ITEST_H
#define SCM_ITEST_H

#include "emu.h"
#include "scm_client.h"

#include <cjson/cJSON.h>

/* A config for e's endpoint with the emulator's AK/SK and project (strings static). */
scm_config it_config(const emu *e);
/* scm_client_new(it_config(e)), asserting success. */
scm_client *it_client(const emu *e);
/* The fixture IDs under dir (NULL-terminated, malloc'd; free with it_free_ids). */
char **it_fixture_ids(const char *dir);
void it_free_ids(char **ids);
/* The number of IDs in such a list. */
size_t it_count_ids(char *const *ids);
/* dir/<id>/<file> parsed, or NULL when absent. */
cJSON *it_fixture_json(const char *dir, const char *id, const char *file);
/* Milliseconds on a monotonic clock. */
double it_now_ms(void);
/*
 * Runs a shell command and returns its exit status (-1 if it did not exit);
 * its stdout, NUL-terminated, in out (at most n - 1 bytes kept).
 */
int it_run(const char *cmd, char *out, size_t n);
/* The log's lines as parsed objects: a JSON array (cJSON_Delete it). */
cJSON *it_log(const emu *e);

#endif
