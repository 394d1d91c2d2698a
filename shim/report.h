/*
 * report.h - what a returned object says about its fields: the class of each
 * legacy field, the legacy fields whose value had no rule (unmapped) or whose
 * source was absent, the older spelling that served a field, capture times
 * and the v3 members no rule used (v3-only). Indexed by the frozen fields
 * (frozen.h), so a report outlives the client and its table. Opaque: only
 * report.c sees its members.
 */
#ifndef SCM_SHIM_REPORT_H
#define SCM_SHIM_REPORT_H

#include "maptable.h"

#include <stddef.h>

typedef struct scm_shim_report scm_report;

/* A report with every field of the given class, or NULL on OOM. backend is static. */
scm_report *scm__report_new(const char *backend, scm_field_class all);
/*
 * Another holder of r (the client keeps its last object's report, a caller may keep one from
 * scm_shim_convert): r is freed when its last holder calls scm__report_free. Nothing changes a
 * report once its object is returned, so holders on any thread may read it.
 */
scm_report *scm__report_share(scm_report *r);
void scm__report_free(scm_report *r);
/* Index of a legacy field ("auth[].method") in reports, or -1. */
int scm__report_index(const char *legacy);

/* "v3" or "legacy". */
const char *scm__report_backend(const scm_report *r);
/* How the call was served when not by the backend it started on: "forward", "legacy"
 * (static, from fallback.h), or NULL. Set before the report reaches a caller. */
void scm__report_set_fallback(scm_report *r, const char *how);
const char *scm__report_fallback(const scm_report *r);
/* Field i's class; SCM_CLASS_MISSING for an index out of range. */
scm_field_class scm__report_class(const scm_report *r, size_t i);
void scm__report_set_class(scm_report *r, size_t i, scm_field_class cls);
/* Field i was restored from the capture store, captured at when (Unix): the latest time is kept. */
void scm__report_set_captured(scm_report *r, size_t i, long long when);
/* Field i's capture time, or 0. */
long long scm__report_captured_at(const scm_report *r, size_t i);

void scm__report_set_unmapped(scm_report *r, size_t i);
int scm__report_is_unmapped(const scm_report *r, size_t i);
size_t scm__report_unmapped_count(const scm_report *r);
void scm__report_set_absent(scm_report *r, size_t i);
int scm__report_is_absent(const scm_report *r, size_t i);
size_t scm__report_absent_count(const scm_report *r);

/* Records that field i was read through spelling (not the table's first); SCM_OK or SCM_E_NOMEM. */
int scm__report_set_spelling(scm_report *r, size_t i, const char *spelling);
/* The older spelling that served field i, or NULL. */
const char *scm__report_spelling(const scm_report *r, size_t i);

/* Adds a v3-only member name once; SCM_OK or SCM_E_NOMEM. */
int scm__report_add_v3_only(scm_report *r, const char *name);
size_t scm__report_v3_only_count(const scm_report *r);
const char *scm__report_v3_only(const scm_report *r, size_t i);

#endif
