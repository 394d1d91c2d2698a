/*
 * report.c - per-object field reports; see report.h.
 * owns: the report's layout (no other module sees it); must not: know how a
 * value was converted or how a report is written out (convert.c, legacy_json.c).
 */
#include "report.h"

#include "buf.h"
#include "members.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct scm_shim_report {
    unsigned refs;                             /* holders: the object, the client, a caller */
    const char *backend;                       /* "v3" or "legacy" (static) */
    const char *fallback;                      /* "forward", "legacy" (static), or NULL */
    scm_field_class cls[SCM__FROZEN_COUNT];    /* per field */
    unsigned char unmapped[SCM__FROZEN_COUNT]; /* per field: a value passed through, no rule */
    unsigned char absent[SCM__FROZEN_COUNT];   /* per field: every source absent or null */
    char **spelling; /* per field, NULL until needed: the older spelling used */
    long long captured_at[SCM__FROZEN_COUNT]; /* per field: capture time (Unix), or 0 */
    /*
     * v3 member names ("authentification[].x" for element members), each NUL-terminated, one
     * after another in names; v3_only[i] is the offset of the i-th. slots is an open-addressing
     * set of their indexes + 1 (0: empty), at most half full, so adding k names is O(k).
     */
    scm_buf names;
    size_t *v3_only, nv3_only, v3_cap;
    size_t *slots, nslots;
    size_t nunmapped;
    size_t nabsent;
};

scm_report *scm__report_new(const char *backend, scm_field_class all)
{
    size_t i;
    scm_report *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->refs = 1;
    r->backend = backend;
    for (i = 0; i < SCM__FROZEN_COUNT; i++)
        r->cls[i] = all;
    return r;
}

scm_report *scm__report_share(scm_report *r)
{
    __atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
    return r;
}

void scm__report_free(scm_report *r)
{
    size_t i;
    /* The last holder frees: acquire-release so its reads happen before the memory goes. */
    if (r == NULL || __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    scm__buf_free(&r->names);
    free(r->v3_only);
    free(r->slots);
    for (i = 0; r->spelling != NULL && i < SCM__FROZEN_COUNT; i++)
        free(r->spelling[i]);
    free(r->spelling);
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

void scm__report_set_fallback(scm_report *r, const char *how)
{
    r->fallback = how;
}

const char *scm__report_fallback(const scm_report *r)
{
    return r->fallback;
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
    return i < r->nv3_only ? r->names.data + r->v3_only[i] : NULL;
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

static size_t name_hash(const scm_report *r, const char *s, size_t len)
{
    return scm__name_hash(r, s, len);
}

/* The slot holding name, or the empty slot where it would go; nslots is a power of two. */
static size_t name_slot(const scm_report *r, const char *name, size_t h)
{
    size_t i = h & (r->nslots - 1);
    while (r->slots[i] != 0 && strcmp(r->names.data + r->v3_only[r->slots[i] - 1], name) != 0)
        i = (i + 1) & (r->nslots - 1);
    return i;
}

/* Doubles the set (and the index list with it) before it is half full. */
static int grow_v3_only(scm_report *r)
{
    size_t n = r->nslots ? r->nslots * 2 : 64, i, *slots, *list;
    const char *name;
    if (n > SIZE_MAX / 2 / sizeof *slots)
        return SCM_E_NOMEM;
    if ((list = realloc(r->v3_only, n / 2 * sizeof *list)) == NULL)
        return SCM_E_NOMEM;
    r->v3_only = list;
    r->v3_cap = n / 2;
    if ((slots = calloc(n, sizeof *slots)) == NULL)
        return SCM_E_NOMEM;
    free(r->slots);
    r->slots = slots;
    r->nslots = n;
    for (i = 0; i < r->nv3_only; i++) {
        name = r->names.data + r->v3_only[i];
        r->slots[name_slot(r, name, name_hash(r, name, strlen(name)))] = i + 1;
    }
    return SCM_OK;
}

int scm__report_add_v3_only(scm_report *r, const char *name)
{
    size_t len = strlen(name), h = name_hash(r, name, len), i;
    if (r->nslots > 0 && r->slots[name_slot(r, name, h)] != 0)
        return SCM_OK;
    if (r->nv3_only + 1 > r->v3_cap && grow_v3_only(r) != SCM_OK)
        return SCM_E_NOMEM;
    i = name_slot(r, name, h);
    r->v3_only[r->nv3_only] = r->names.len;
    /* The terminator too: each name ends where the next begins. */
    if (scm__buf_append(&r->names, name, len + 1) != SCM_OK)
        return SCM_E_NOMEM;
    r->slots[i] = ++r->nv3_only;
    return SCM_OK;
}
