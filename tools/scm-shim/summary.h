/*
 * summary.h - the per-field audit summary shared by `scm-shim audit`,
 * `audit --log` and `diff`: counts of match/expected/mismatch/error per
 * legacy field, example certificate IDs, and the certificates with a
 * mismatch or an error.
 */
#ifndef SCM_SHIM_SUMMARY_H
#define SCM_SHIM_SUMMARY_H

#include "compare.h"

#include <cjson/cJSON.h>

#define SUMMARY_EXAMPLES 3

typedef enum { SUMMARY_TABLE, SUMMARY_JSON, SUMMARY_CSV, SUMMARY_HTML } summary_format;

typedef struct summary summary;

summary *summary_new(void);
void summary_free(summary *s);

/*
 * Adds one certificate: its result, one class and one reason (why an
 * expected field differs; NULL: none known) per built-in table row, and
 * optionally the differing values ({"field": {"legacy": .., "v3": ..}}, copied)
 * and error details ({"legacy": {..}, "v3": {..}}, copied). 0, or -1 on OOM.
 */
int summary_add(summary *s, const char *cert_id, scm_cmp result, const scm_cmp *fields,
                const scm_cmp_reason *reasons, const cJSON *values, const cJSON *errors);

/* Counts an audit-log line that is not a record (cut short, not JSON): skipped, not fatal. */
void summary_damaged_line(summary *s);

/* The output options audit and diff share (commands.c lists them). */
typedef struct summary_opts {
    summary_format format;
    int values;           /* --values */
    int fail_on_mismatch; /* --fail-on-mismatch */
    const char *problems; /* --problems FILE: the certificates with a mismatch or an error, CSV */
    const char *page;     /* --format html FILE: where the page goes (report_html.h) */
} summary_opts;

#define SUMMARY_OPTS_INIT                                                                          \
    {                                                                                              \
        SUMMARY_TABLE, 0, 0, NULL, NULL                                                            \
    }

/* Applies the option called name (value: its argument): CLI_TAKEN, CLI_NOT_OURS, or CLI_USAGE
 * (said). */
int summary_option(summary_opts *o, const char *name, const char *value);

/*
 * Prints s (the csv form is the per-field table alone), writes --problems' file, and gives the
 * exit status: CLI_USAGE when that file cannot be written, CLI_FAIL for a mismatch under
 * --fail-on-mismatch, else CLI_INCOMPLETE when a certificate was not compared
 * (an error on one side), a log line was damaged, or there was nothing to compare.
 */
int summary_finish(const summary *s, const summary_opts *o);
/* The exit status summary_finish gives, without printing anything. */
int summary_status(const summary *s, const summary_opts *o);

/*
 * Read-only views for the forms of the summary kept outside summary.c (report_html.c). field
 * is an index in scm__frozen.
 */
size_t summary_certs(const summary *s);
size_t summary_damaged(const summary *s);
size_t summary_results(const summary *s, scm_cmp c);
size_t summary_count(const summary *s, size_t field, scm_cmp c);
/* Why field's expected differences were expected: "absent 2, lossy 1", or "". */
void summary_because_text(const summary *s, size_t field, char *out, size_t n);
/*
 * The k-th example certificate of field in class c (never match), or NULL; *values is its
 * {"legacy": .., "v3": ..} when summary_add was given values, else NULL.
 */
const char *summary_example(const summary *s, size_t field, scm_cmp c, size_t k,
                            const cJSON **values);
/* [{"cert_id", "result", "fields", "values"?, "errors"?}]: the certificates with a mismatch or
 * an error. */
const cJSON *summary_problems(const summary *s);
/* The document --format json prints (the caller frees it), or NULL on OOM. */
cJSON *summary_json(const summary *s);

#endif
