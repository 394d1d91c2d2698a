/* testutil.h - small helpers shared by the Check suites. */
#ifndef SCM_TESTUTIL_H
#define SCM_TESTUTIL_H

#include "scm_client.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* Reads a whole file (NUL-terminated, malloc'd) or NULL. */
char *tu_read_file(const char *path, size_t *len);
/* Parses a JSON file or aborts the test. */
cJSON *tu_read_json(const char *path);
/* Sets or unsets (value NULL) an environment variable. */
void tu_setenv(const char *name, const char *value);
/* A valid scm_config (endpoint, project, AK/SK) of literal strings. */
scm_config tu_base_config(void);
/* Runs a Check suite; returns the process exit status. */
struct Suite;
int tu_run(struct Suite *s);

#endif
