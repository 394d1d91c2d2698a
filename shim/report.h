/*
 * report.h - what a returned object says about its fields: the class of each
 * legacy field, the legacy fields whose value had no rule (unmapped) and the
 * v3 members no rule used (v3-only). Indexed by the rows of the built-in
 * table, which every loaded table is bound to, so a report outlives the
 * client and its table.
 */
#ifndef SCM_SHIM_REPORT_H
#define SCM_SHIM_REPORT_H

#include "maptable.h"

#include <stddef.h>

struct scm_shim_report {
    const char *backend;     /* "v3" or "legacy" (static) */
    scm_field_class *cls;    /* per built-in row */
    unsigned char *unmapped; /* per built-in row: a value passed through with no rule */
    unsigned char *absent;   /* per built-in row: every source absent or null in the body */
    char **spelling; /* per built-in row, NULL until needed: the older spelling that served it */
    long long *captured_at; /* per built-in row: capture time (Unix) of a restored value, or 0 */
    char **v3_only;         /* v3 member names, "authentification[].x" for element members */
    size_t nv3_only;
    size_t nunmapped;
    size_t nabsent;
};
typedef struct scm_shim_report scm_report;

/* A report with every field of the given class, or NULL on OOM. */
scm_report *scm__report_new(const char *backend, scm_field_class all);
scm_report *scm__report_copy(const scm_report *r);
void scm__report_free(scm_report *r);
/* Index of a legacy field in the built-in table, or -1. */
int scm__report_index(const char *legacy);
void scm__report_set_unmapped(scm_report *r, size_t row);
void scm__report_set_absent(scm_report *r, size_t row);
/* Records that row was read through spelling (not the table's first); 0 or -1 on OOM. */
int scm__report_set_spelling(scm_report *r, size_t row, const char *spelling);
/* Adds a v3-only member name once; 0 or -1 on OOM. */
int scm__report_add_v3_only(scm_report *r, const char *name);

#endif
