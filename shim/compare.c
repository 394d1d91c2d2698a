/*
 * compare.c - per-field comparison of the two backends; see compare.h.
 * owns: the comparison classes and reasons, field by field over frozen.h; must not: write
 * records or logs (audit.c) or know a mapping rule beyond the report's classes.
 */
#include "compare.h"

#include "details.h"
#include "maptable.h"
#include "report.h"

#include <string.h>

static const char *const CMP_NAMES[] = {
#define X(id, name, doc) name,
    SCM_CMP_CLASSES(X)
#undef X
};

static const char *const REASON_NAMES[] = {
#define X(id, name, doc) name,
    SCM_CMP_REASONS(X)
#undef X
};

const char *scm__cmp_name(scm_cmp c)
{
    return (unsigned)c < SCM_CMP_COUNT_ ? CMP_NAMES[c] : "?";
}

const char *scm__cmp_reason_name(scm_cmp_reason w)
{
    return (unsigned)w < SCM_WHY_COUNT_ ? REASON_NAMES[w] : "?";
}

scm_cmp_reason scm__cmp_reason_from_name(const char *name)
{
    int w;
    for (w = SCM_WHY_NONE + 1; w < SCM_WHY_COUNT_; w++)
        if (strcmp(REASON_NAMES[w], name) == 0)
            return (scm_cmp_reason)w;
    return SCM_WHY_NONE;
}

/* What explains a difference in a field, most specific first; none makes it a mismatch. */
static scm_cmp_reason explain(const scm_report *r, size_t row)
{
    if (scm__report_class(r, row) == SCM_CLASS_CAPTURED)
        return SCM_WHY_CAPTURED;
    if (scm__report_is_absent(r, row))
        return SCM_WHY_ABSENT;
    if (scm__report_class(r, row) == SCM_CLASS_LOSSY)
        return SCM_WHY_LOSSY;
    if (scm__report_class(r, row) == SCM_CLASS_MISSING)
        return SCM_WHY_MISSING;
    return scm__report_is_unmapped(r, row) ? SCM_WHY_UNMAPPED : SCM_WHY_NONE;
}

static scm_cmp differ(const scm_report *r, size_t row, scm_cmp_reason *why)
{
    *why = explain(r, row);
    return *why != SCM_WHY_NONE ? SCM_CMP_EXPECTED : SCM_CMP_MISMATCH;
}

/* Equal values: a match, unless v3 had it only from the capture store. */
static scm_cmp equal(const scm_report *r, size_t row)
{
    return scm__report_class(r, row) == SCM_CLASS_CAPTURED ? SCM_CMP_CAPTURED : SCM_CMP_MATCH;
}

static scm_cmp worse(scm_cmp a, scm_cmp b)
{
    return a > b ? a : b;
}

scm_cmp scm__compare(const scm_cert_details *legacy, const scm_cert_details *v3, scm_cmp *out,
                     scm_cmp_reason *why)
{
    const scm_report *r = scm__details_report(v3);
    scm_cmp overall = SCM_CMP_MATCH;
    size_t i, k, n = legacy->auth_count < v3->auth_count ? legacy->auth_count : v3->auth_count;

    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_frozen_field *row = &scm__frozen[i];
        scm_cmp c = SCM_CMP_MATCH;
        why[i] = SCM_WHY_NONE;
        if (row->in_auth) {
            for (k = 0; k < n; k++)
                c = worse(c, strcmp(*scm__details_str(&legacy->auth[k], row),
                                    *scm__details_str(&v3->auth[k], row)) != 0
                                 ? differ(r, i, &why[i])
                                 : equal(r, i));
        } else if (row->type == SCM_FT_ARRAY) {
            if (legacy->auth_count != v3->auth_count)
                c = scm__report_is_absent(r, i) ? differ(r, i, &why[i]) : SCM_CMP_MISMATCH;
        } else if (row->type == SCM_FT_INT) {
            if (*scm__details_int((scm_cert_details *)legacy, row) !=
                *scm__details_int((scm_cert_details *)v3, row))
                c = differ(r, i, &why[i]);
        } else {
            c = strcmp(*scm__details_str((void *)legacy, row),
                       *scm__details_str((void *)v3, row)) != 0
                    ? differ(r, i, &why[i])
                    : equal(r, i);
        }
        if (c != SCM_CMP_EXPECTED)
            why[i] = SCM_WHY_NONE;
        out[i] = c;
        overall = worse(overall, c);
    }
    return overall;
}

scm_cmp scm__compare_failed(scm_cmp *out, scm_cmp_reason *why)
{
    size_t i;
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        out[i] = SCM_CMP_ERROR;
        why[i] = SCM_WHY_NONE;
    }
    return SCM_CMP_ERROR;
}
