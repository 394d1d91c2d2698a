/*
 * compare.h - the audit's comparison: for each legacy field, the legacy
 * backend's value against the value rebuilt from v3 gives one class. Shared
 * by shadow mode, `scm-shim audit` and `scm-shim diff`.
 */
#ifndef SCM_SHIM_COMPARE_H
#define SCM_SHIM_COMPARE_H

#include "scm_client.h"

#include <stddef.h>

#define SCM_CMP_CLASSES(X)                                                                         \
    X(MATCH, "match", "equal")                                                                     \
    X(CAPTURED, "captured",                                                                        \
      "equal, but only because the value was restored from the capture store")                     \
    X(EXPECTED, "expected",                                                                        \
      "different, and the table flags it lossy or missing, or the value was unmapped")             \
    X(MISMATCH, "mismatch", "different, and nothing explains it")                                  \
    X(ERROR, "error", "one side failed, nothing was compared")

typedef enum {
#define X(id, name, doc) SCM_CMP_##id,
    SCM_CMP_CLASSES(X)
#undef X
        SCM_CMP_COUNT_
} scm_cmp;

/* Why a field's values differ as expected; NONE for every other class. */
#define SCM_CMP_REASONS(X)                                                                         \
    X(NONE, "", "not expected")                                                                    \
    X(CAPTURED, "captured", "v3's value was restored from the capture store")                      \
    X(ABSENT, "absent", "the v3 body had no value for the field's source")                         \
    X(LOSSY, "lossy", "the table classes the field lossy")                                         \
    X(MISSING, "missing", "the table classes the field missing")                                   \
    X(UNMAPPED, "unmapped", "the v3 value had no rule and was passed through")

typedef enum {
#define X(id, name, doc) SCM_WHY_##id,
    SCM_CMP_REASONS(X)
#undef X
        SCM_WHY_COUNT_
} scm_cmp_reason;

const char *scm__cmp_name(scm_cmp c);
const char *scm__cmp_reason_name(scm_cmp_reason w);
/* The reason named name, or SCM_WHY_NONE. */
scm_cmp_reason scm__cmp_reason_from_name(const char *name);

/*
 * Compares legacy (from the legacy backend) with v3 (rebuilt from v3; its
 * report says which fields are lossy, missing, unmapped or absent). Writes
 * one class per row of the built-in table into out, and into why the reason
 * of each expected one (SCM_WHY_NONE elsewhere), and returns the certificate's
 * class: the worst of its fields' in the order match < captured < expected <
 * mismatch.
 * auth arrays of different lengths make "auth" a mismatch; element members
 * are compared over the common length, each taking its worst class.
 */
scm_cmp scm__compare(const scm_cert_details *legacy, const scm_cert_details *v3, scm_cmp *out,
                     scm_cmp_reason *why);

/* Fills out with error (one side failed), why with none, and returns SCM_CMP_ERROR. */
scm_cmp scm__compare_failed(scm_cmp *out, scm_cmp_reason *why);

#endif
