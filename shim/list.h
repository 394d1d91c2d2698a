/*
 * list.h - every certificate of an account, through v3 ListCertificates
 * (GET /v3/scm/certificates?limit=&offset=), page by page, for `scm-shim audit --all` and
 * `scm-shim capture --all`.
 */
#ifndef SCM_SHIM_LIST_H
#define SCM_SHIM_LIST_H

#include "scm_client.h"

#include <stddef.h>

/* The page sizes ListCertificates takes; 50 is its largest. */
#define SCM_LIST_PAGE_MAX 50
/* The most certificates one listing keeps: a total_count past it is taken as this. */
#define SCM_LIST_MAX_IDS 100000
/* Pages asked beyond total_count / limit before a listing that does not end is given up. */
#define SCM_LIST_PAGE_MARGIN 3
/* The longest filter value sent (the service's enterprise project IDs are 36 characters). */
#define SCM_LIST_FILTER_MAX 64

typedef struct scm_list_filter {
    const char *status;                /* e.g. "ISSUED"; NULL: not sent (the service's ALL) */
    const char *enterprise_project_id; /* e.g. "0"; NULL: not sent */
    int limit;                         /* 10, 20 or 50; 0: 50 */
    /* Called after each page with the certificates found so far and the page's total_count. */
    void (*progress)(size_t found, size_t total_count, void *ctx);
    void *ctx;
} scm_list_filter;

/*
 * Lists the certificates f selects (f may be NULL), page after page, each page retried as a
 * query is (SCM_SHIM_RETRIES) within the client's timeout: offset is the number of certificates
 * skipped, and a page shorter than asked, an empty page or an offset reaching the last page's
 * total_count ends it; past the first page's total_count / limit + SCM_LIST_PAGE_MARGIN pages,
 * or at a full page (not the first) of certificates listed already (a service ignoring offset),
 * the listing fails (SCM_E_PARSE) rather than run on. IDs are kept once each, in the order
 * first listed (a certificate added or removed meanwhile shifts the pages: a repeat is dropped);
 * an item without a valid ID is skipped with a warning. On SCM_OK *ids (n of them, each and the
 * array freed with free) and *total_count (the last page's, clamped to SCM_LIST_MAX_IDS); on
 * failure the SCM_E_* code, the client's error set as a query's, and nothing returned.
 */
int scm__client_list(scm_client *c, const scm_list_filter *f, char ***ids, size_t *n,
                     size_t *total_count);

#endif
