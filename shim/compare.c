/* compare.c - per-field comparison of the two backends; see compare.h. */
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

const char *scm_cmp_name(scm_cmp c)
{
    return (unsigned)c < SCM_CMP_COUNT_ ? CMP_NAMES[c] : "?";
}

/* Why two values may differ: the field's class says so, or its value had no rule. */
static scm_cmp differ(const scm_report *r, size_t row)
{
    if (r->cls[row] == SCM_CLASS_LOSSY || r->cls[row] == SCM_CLASS_MISSING ||
        r->cls[row] == SCM_CLASS_CAPTURED || r->unmapped[row])
        return SCM_CMP_EXPECTED;
    return SCM_CMP_MISMATCH;
}

/* Equal values: a match, unless v3 had it only from the capture store. */
static scm_cmp equal(const scm_report *r, size_t row)
{
    return r->cls[row] == SCM_CLASS_CAPTURED ? SCM_CMP_CAPTURED : SCM_CMP_MATCH;
}

static scm_cmp worse(scm_cmp a, scm_cmp b)
{
    return a > b ? a : b;
}

scm_cmp scm_compare(const scm_cert_details *legacy, const scm_cert_details *v3, scm_cmp *out)
{
    const scm_map *m = &scm_map_builtin;
    const scm_report *r = scm_details_report(v3);
    scm_cmp overall = SCM_CMP_MATCH;
    size_t i, k, n = legacy->auth_count < v3->auth_count ? legacy->auth_count : v3->auth_count;

    for (i = 0; i < m->nrows; i++) {
        const scm_map_row *row = &m->rows[i];
        scm_cmp c = SCM_CMP_MATCH;
        if (row->in_auth) {
            for (k = 0; k < n; k++)
                c = worse(c, strcmp(*scm_details_str(&legacy->auth[k], row),
                                    *scm_details_str(&v3->auth[k], row)) != 0
                                 ? differ(r, i)
                                 : equal(r, i));
        } else if (row->type == SCM_FT_ARRAY) {
            if (legacy->auth_count != v3->auth_count)
                c = SCM_CMP_MISMATCH;
        } else if (row->type == SCM_FT_INT) {
            if (*scm_details_int((scm_cert_details *)legacy, row) != *scm_details_int((scm_cert_details *)v3, row))
                c = differ(r, i);
        } else {
            c = strcmp(*scm_details_str((void *)legacy, row), *scm_details_str((void *)v3, row)) != 0
                    ? differ(r, i)
                    : equal(r, i);
        }
        out[i] = c;
        overall = worse(overall, c);
    }
    return overall;
}

scm_cmp scm_compare_failed(scm_cmp *out)
{
    size_t i;
    for (i = 0; i < scm_map_builtin.nrows; i++)
        out[i] = SCM_CMP_ERROR;
    return SCM_CMP_ERROR;
}
