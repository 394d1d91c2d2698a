/*
 * suggest.h - `scm-shim audit --suggest-mapping FILE`: a replacement mapping
 * table learnt from the (v3 value, legacy value) pairs an audit observed, and
 * FILE.changes.md, the changes with their evidence and what stays unexplained.
 */
#ifndef SCM_SHIM_SUGGEST_H
#define SCM_SHIM_SUGGEST_H

#include "compare.h"

#include <cjson/cJSON.h>

#define SUGGEST_MIN_OBSERVATIONS 5
#define SUGGEST_MAX_OBSERVATIONS 1000000

typedef struct suggest_opts {
    const char *path;      /* --suggest-mapping FILE, or NULL: no suggestion */
    long min_observations; /* --min-observations N: no change on fewer certificates; 0: not
                              given (SUGGEST_MIN_OBSERVATIONS) */
} suggest_opts;

void suggest_opts_init(suggest_opts *o);
/* Applies --suggest-mapping or --min-observations (value: its argument): CLI_TAKEN,
 * CLI_NOT_OURS or CLI_USAGE (said). */
int suggest_option(suggest_opts *o, const char *name, const char *value);

typedef struct suggest suggest;

/*
 * *out: a learner when o asks for a suggestion (the table in force, SCM_SHIM_MAPPING's or the
 * built-in one, is the base), else NULL; every call below takes NULL and does nothing.
 * CLI_OK, or CLI_USAGE / CLI_FAIL (said).
 */
int suggest_begin(const suggest_opts *o, suggest **out);

/*
 * One compared certificate: one class per frozen field, the values
 * ({"field": {"legacy": v, "v3": v}}; an audit-log line holds the differing
 * ones only) and the v3 body's top-level string members (NULL from a log).
 * 0, or -1 on OOM.
 */
int suggest_add(suggest *s, const char *cert_id, const scm_cmp *fields, const cJSON *values,
                const cJSON *v3_members);

/*
 * Writes the table and its change list and checks the table with the loader.
 * Returns rc, or the failure's status (said): a log without values, a file
 * that cannot be written.
 */
int suggest_finish(suggest *s, int rc);
void suggest_free(suggest *s);

#endif
