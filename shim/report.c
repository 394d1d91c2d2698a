/*
 * report.c - per-object field reports; see report.h.
 * owns: the report's layout (no other module sees it); must not: know how a
 * value was converted or how a report is written out (convert.c, legacy_json.c).
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct scm_shim_report {
    const char *backend;     /* "v3" or "legacy" (static) */
    scm_field_class *cls;    /* per field */
    unsigned char *unmapped; /* per field: a value passed through with no rule */
    unsigned char *absent;   /* per field: every source absent or null in the body */
    char **spelling;         /* per field, NULL until needed: the older spelling that served it */
    long long *captured_at;  /* per field: capture time (Unix) of a restored value, or 0 */
    char **v3_only;          /* v3 member names, "authentification[].x" for element members */
    size_t nv3_only;
    size_t nunmapped;
    size_t nabsent;
};

scm_report *scm__report_new(const char *backend, scm_field_class all)
{
    size_t n = SCM__FROZEN_COUNT, i;
    scm_report *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->backend = backend;
    r->cls = calloc(n, sizeof *r->cls);
    r->unmapped = calloc(n, 1);
    r->absent = calloc(n, 1);
    r->captured_at = calloc(n, sizeof *r->captured_at);
    if (r->cls == NULL || r->unmapped == NULL || r->absent == NULL || r->captured_at == NULL) {
        scm__report_free(r);
        return NULL;
    }
    for (i = 0; i < n; i++)
        r->cls[i] = all;
    return r;
}

scm_report *scm__report_copy(const scm_report *src)
{
    size_t n = SCM__FROZEN_COUNT, i;
    scm_report *r = scm__report_new(src->backend, SCM_CLASS_EXACT);
    if (r == NULL)
        return NULL;
    memcpy(r->cls, src->cls, n * sizeof *r->cls);
    memcpy(r->unmapped, src->unmapped, n);
    memcpy(r->absent, src->absent, n);
    memcpy(r->captured_at, src->captured_at, n * sizeof *r->captured_at);
    r->nunmapped = src->nunmapped;
    r->nabsent = src->nabsent;
    for (i = 0; src->spelling != NULL && i < n; i++)
        if (src->spelling[i] != NULL &&
            scm__report_set_spelling(r, i, src->spelling[i]) != SCM_OK) {
            scm__report_free(r);
            return NULL;
        }
    for (i = 0; i < src->nv3_only; i++)
        if (scm__report_add_v3_only(r, src->v3_only[i]) != SCM_OK) {
            scm__report_free(r);
            return NULL;
        }
    return r;
}

void scm__report_free(scm_report *r)
{
    size_t i;
    if (r == NULL)
        return;
    for (i = 0; i < r->nv3_only; i++)
        free(r->v3_only[i]);
    free(r->v3_only);
    for (i = 0; r->spelling != NULL && i < SCM__FROZEN_COUNT; i++)
        free(r->spelling[i]);
    free(r->spelling);
    free(r->cls);
    free(r->unmapped);
    free(r->absent);
    free(r->captured_at);
    free(r);
}

int scm__report_index(const char *legacy)
{
    const scm_frozen_field *f = scm__frozen_find(legacy);
    return f != NULL ? (int)SCM__FROZEN_INDEX(f) : -1;
}

const char *scm__report_backend(const scm_report *r)
{
    return r->backend;
}

scm_field_class scm__report_class(const scm_report *r, size_t i)
{
    return i < SCM__FROZEN_COUNT ? r->cls[i] : SCM_CLASS_MISSING;
}

void scm__report_set_class(scm_report *r, size_t i, scm_field_class cls)
{
    r->cls[i] = cls;
}

void scm__report_set_captured(scm_report *r, size_t i, long long when)
{
    r->cls[i] = SCM_CLASS_CAPTURED;
    if (when > r->captured_at[i])
        r->captured_at[i] = when;
}

long long scm__report_captured_at(const scm_report *r, size_t i)
{
    return i < SCM__FROZEN_COUNT ? r->captured_at[i] : 0;
}

void scm__report_set_unmapped(scm_report *r, size_t i)
{
    if (!r->unmapped[i]) {
        r->unmapped[i] = 1;
        r->nunmapped++;
    }
}

int scm__report_is_unmapped(const scm_report *r, size_t i)
{
    return i < SCM__FROZEN_COUNT && r->unmapped[i];
}

size_t scm__report_unmapped_count(const scm_report *r)
{
    return r->nunmapped;
}

void scm__report_set_absent(scm_report *r, size_t i)
{
    if (!r->absent[i]) {
        r->absent[i] = 1;
        r->nabsent++;
    }
}

int scm__report_is_absent(const scm_report *r, size_t i)
{
    return i < SCM__FROZEN_COUNT && r->absent[i];
}

size_t scm__report_absent_count(const scm_report *r)
{
    return r->nabsent;
}

const char *scm__report_spelling(const scm_report *r, size_t i)
{
    return r->spelling != NULL && i < SCM__FROZEN_COUNT ? r->spelling[i] : NULL;
}

size_t scm__report_v3_only_count(const scm_report *r)
{
    return r->nv3_only;
}

const char *scm__report_v3_only(const scm_report *r, size_t i)
{
    return i < r->nv3_only ? r->v3_only[i] : NULL;
}

int scm__report_set_spelling(scm_report *r, size_t row, const char *spelling)
{
    char *copy;
    if (r->spelling == NULL &&
        (r->spelling = calloc(SCM__FROZEN_COUNT, sizeof *r->spelling)) == NULL)
        return SCM_E_NOMEM;
    if (r->spelling[row] != NULL && strcmp(r->spelling[row], spelling) == 0)
        return SCM_OK;
    if ((copy = strdup(spelling)) == NULL)
        return SCM_E_NOMEM;
    free(r->spelling[row]);
    r->spelling[row] = copy;
    return SCM_OK;
}

int scm__report_add_v3_only(scm_report *r, const char *name)
{
    char **grown, *copy;
    size_t i;
    for (i = 0; i < r->nv3_only; i++)
        if (strcmp(r->v3_only[i], name) == 0)
            return SCM_OK;
    if ((copy = strdup(name)) == NULL)
        return SCM_E_NOMEM;
    grown = realloc(r->v3_only, (r->nv3_only + 1) * sizeof *grown);
    if (grown == NULL) {
        free(copy);
        return SCM_E_NOMEM;
    }
    r->v3_only = grown;
    r->v3_only[r->nv3_only++] = copy;
    return SCM_OK;
}
