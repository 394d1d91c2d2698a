/*
 * compare.h - the audit's comparison: for each legacy field, the legacy
 * backend's value against the value rebuilt from v3 gives one class. Shared
 * by shadow mode, `scm-shim audit` and `scm-shim diff`.
 */
#ifndef SCM_SHIM_COMPARE_H
#define SCM_SHIM_COMPARE_H

#include "scm_client.h"

#include <stddef.h>

#define SCM_CMP_CLASSES(X)                                                               \
    X(MATCH, "match", "equal")                                                           \
    X(CAPTURED, "captured", "equal, but only because the value was restored from the capture store") \
    X(EXPECTED, "expected", "different, and the table flags it lossy or missing, or the value was unmapped") \
    X(MISMATCH, "mismatch", "different, and nothing explains it")                        \
    X(ERROR, "error", "one side failed, nothing was compared")

typedef enum {
#define X(id, name, doc) SCM_CMP_##id,
    SCM_CMP_CLASSES(X)
#undef X
    SCM_CMP_COUNT_
} scm_cmp;

const char *scm_cmp_name(scm_cmp c);

/*
 * Compares legacy (from the legacy backend) with v3 (rebuilt from v3; its
 * report says which fields are lossy, missing or unmapped). Writes one class
 * per row of the built-in table into out and returns the certificate's
 * class: the worst of its fields' in the order match < captured < expected <
 * mismatch.
 * auth arrays of different lengths make "auth" a mismatch; element members
 * are compared over the common length, each taking its worst class.
 */
scm_cmp scm_compare(const scm_cert_details *legacy, const scm_cert_details *v3, scm_cmp *out);

/* Fills out with error (one side failed) and returns SCM_CMP_ERROR. */
scm_cmp scm_compare_failed(scm_cmp *out);

#endif
