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

/*
 * A case for the library's tests on the fake transport: SCM_SHIM_LOG off, the library's
 * variables cleared around each test, at most 10 s a test.
 */
struct TCase;
struct TCase *tu_quiet_tcase(const char *name);
/* The v3.json and legacy.json of a fixture certificate's dir; 0, or -1 when one is unreadable. */
int tu_fixture_bodies(const char *dir, char **v3, char **legacy);

#endif
