/*
 * capture.h - the capture store (SCM_SHIM_CAPTURE): while the legacy backend
 * answers, the values of the fields the table classes missing or lossy are
 * kept per certificate in SQLite; on the v3 backend they fill those fields
 * again. The store holds personal data: created 0600, never logged. A store
 * that cannot be used is reported once and is then treated as off: a caller's
 * answer never depends on it. Every call waits for another process's lock at
 * most budget_ms (the time left before the caller's deadline, at most 5 s);
 * a store still locked then is skipped for that call only (said once).
 */
#ifndef SCM_SHIM_CAPTURE_H
#define SCM_SHIM_CAPTURE_H

#include "maptable.h"
#include "scm_client.h"

#include <stdio.h>

typedef struct scm_capture scm_capture;

/* What a caller with no deadline of its own gives as budget_ms. */
#define SCM_CAPTURE_WAIT_MS 5000L

/*
 * Opens (creating with mode 0600) the store at path, or NULL (reported once)
 * when unusable. A store locked past budget_ms is set up on a later call.
 */
scm_capture *scm__capture_open(const char *path, long budget_ms);
void scm__capture_close(scm_capture *cap);

/* What a store did: a busy store is skipped, never waited on past the budget. */
typedef enum {
    SCM_CAPTURE_STORED,
    SCM_CAPTURE_SKIPPED, /* locked past budget_ms */
    SCM_CAPTURE_FAILED   /* cap NULL or off, or the write failed (reported once) */
} scm_capture_result;

/*
 * Stores legacy's missing and lossy fields (as map classes them) for its
 * cert_id; insert or update.
 */
scm_capture_result scm__capture_store(scm_capture *cap, const scm_map *map,
                                      const scm_cert_details *legacy, long budget_ms);

/*
 * Restores into d (rebuilt from v3 by map) the captured values of fields v3
 * cannot supply: a missing field takes its captured value; a lossy one only
 * while the captured value begins with what v3 says now. Restored fields are
 * classed captured in d's report, with their capture time.
 */
void scm__capture_fill(scm_capture *cap, const scm_map *map, scm_cert_details *d, long budget_ms);

/* For `scm-shim capture`: counts, JSON lines, and removal; 0, or -1 once the failure is logged. */
typedef struct scm_capture_stats {
    long long certificates, values, oldest, newest;
} scm_capture_stats;
int scm__capture_stats_get(scm_capture *cap, scm_capture_stats *out);
/* Calls each(field, values held, ctx) for every field the store holds values of, by name. */
int scm__capture_field_counts(scm_capture *cap,
                              void (*each)(const char *field, long long values, void *ctx),
                              void *ctx);
/*
 * 1 when the store keeps and serves values of r: the table classes it missing
 * or lossy. A store filled under an older table may hold other fields: v3's
 * values win for those, and they are never served.
 */
int scm__capture_serves(const scm_map_row *r);
int scm__capture_export(scm_capture *cap, FILE *out);
/* cert_id NULL purges everything; *removed gets the number of values removed. */
int scm__capture_purge(scm_capture *cap, const char *cert_id, long long *removed);

#endif
