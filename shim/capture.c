/*
 * capture.c - the SQLite capture store; see capture.h.
 * owns: the SQLite capture store: its schema, storing what only v2 knew, restoring it into a
 * v3 answer (classed captured, with the time), stats, export and purge, each wait bounded by
 * the caller's budget; must not: fetch anything, class a field other than captured, or fail a
 * call (a broken or locked store only turns capturing off, with a warning).
 */
#include "capture.h"

#include "details.h"
#include "json.h"
#include "log.h"
#include "privfile.h"
#include "report.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct scm_capture {
    sqlite3 *db;
    sqlite3_stmt *upsert;
    sqlite3_stmt *select;
    char *path;
    int broken; /* a failure was seen: the store is off from then on */
};

/* The longest a call waits for another process's lock when the caller gives no deadline. */
#define CAPTURE_MAX_WAIT_MS 5000L

/* element is the auth element's domain_name for auth[] fields, "" for top-level ones. */
static const char SCHEMA[] = "CREATE TABLE IF NOT EXISTS captured ("
                             " cert_id TEXT NOT NULL, field TEXT NOT NULL, element TEXT NOT NULL,"
                             " value TEXT NOT NULL, captured_at INTEGER NOT NULL,"
                             " PRIMARY KEY (cert_id, field, element)) WITHOUT ROWID";

static atomic_flag reported = ATOMIC_FLAG_INIT;

/* Reports the first failure of the process; the store is off for this client. */
static void fail(scm_capture *cap, const char *what, const char *why)
{
    if (!atomic_flag_test_and_set(&reported))
        scm__log(SCM_LOG_WARN, "SCM_SHIM_CAPTURE=%s: %s: %s; going on without the capture store",
                 cap->path, what,
                 why != NULL       ? why
                 : cap->db != NULL ? sqlite3_errmsg(cap->db)
                                   : "cannot open");
    cap->broken = 1;
}

static int is_busy(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* Another writer held the store past this call's deadline: skipped for this call only, said once.
 */
static void busy(scm_capture *cap, const char *what)
{
    static atomic_flag said = ATOMIC_FLAG_INIT;
    if (!atomic_flag_test_and_set(&said))
        scm__log(SCM_LOG_WARN,
                 "SCM_SHIM_CAPTURE=%s: locked by another process past the call's deadline; "
                 "%s skipped for such calls",
                 cap->path, what);
}

/* Waits for locks at most budget_ms (and never longer than CAPTURE_MAX_WAIT_MS); 0 when no time is
 * left. */
static int wait_at_most(scm_capture *cap, long budget_ms)
{
    if (budget_ms <= 0)
        return 0;
    sqlite3_busy_timeout(cap->db,
                         (int)(budget_ms < CAPTURE_MAX_WAIT_MS ? budget_ms : CAPTURE_MAX_WAIT_MS));
    return 1;
}

/*
 * Sets the store up on first use: WAL, the table, the statements. 0 ready, 1
 * busy (try again on a later call), -1 unusable (reported, store off).
 */
static int ready(scm_capture *cap)
{
    int rc;
    if (cap->select != NULL)
        return 0;
    if ((rc = sqlite3_exec(cap->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL)) == SQLITE_OK)
        rc = sqlite3_exec(cap->db, SCHEMA, NULL, NULL, NULL);
    if (rc == SQLITE_OK &&
        (rc = sqlite3_prepare_v2(
             cap->db,
             "INSERT INTO captured (cert_id, field, element, value, captured_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (cert_id, field, element) "
             "DO UPDATE SET value = excluded.value, captured_at = excluded.captured_at",
             -1, &cap->upsert, NULL)) == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            cap->db, "SELECT field, element, value, captured_at FROM captured WHERE cert_id = ?1",
            -1, &cap->select, NULL);
    if (rc == SQLITE_OK)
        return 0;
    sqlite3_finalize(cap->upsert);
    cap->upsert = NULL;
    if (is_busy(rc))
        return 1;
    fail(cap, "not a usable capture store", NULL);
    return -1;
}

scm_capture *scm__capture_open(const char *path, long budget_ms)
{
    scm_capture *cap = calloc(1, sizeof *cap);
    char side[4200];
    scm_error why;
    int fd;

    if (cap == NULL || (cap->path = strdup(path)) == NULL) {
        free(cap);
        return NULL;
    }
    /*
     * Created (or vetted) here first: a regular file of ours, 0600, so SQLite's
     * -wal and -shm files, which copy its mode, are private too.
     */
    if ((fd = scm__privfile_open(path, O_RDWR | O_CREAT, &why)) < 0) {
        fail(cap, "open", why.msg);
        scm__capture_close(cap);
        return NULL;
    }
    close(fd);
    if ((snprintf(side, sizeof side, "%s-wal", path) < (int)sizeof side &&
         scm__privfile_check(side, &why) != SCM_OK) ||
        (snprintf(side, sizeof side, "%s-shm", path) < (int)sizeof side &&
         scm__privfile_check(side, &why) != SCM_OK)) {
        fail(cap, side, why.msg);
        scm__capture_close(cap);
        return NULL;
    }
    if (sqlite3_open_v2(path, &cap->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                            SQLITE_OPEN_NOFOLLOW,
                        NULL) != SQLITE_OK) {
        fail(cap, "open", NULL);
        scm__capture_close(cap);
        return NULL;
    }
    /* Several processes and threads write at once: WAL, and wait, but only as long as the caller
     * can. */
    if (wait_at_most(cap, budget_ms) && ready(cap) < 0) {
        scm__capture_close(cap);
        return NULL;
    }
    return cap;
}

void scm__capture_close(scm_capture *cap)
{
    if (cap == NULL)
        return;
    sqlite3_finalize(cap->upsert);
    sqlite3_finalize(cap->select);
    sqlite3_close(cap->db);
    free(cap->path);
    free(cap);
}

/* The fields worth keeping: v3 cannot supply them, or only in part. */
int scm__capture_serves(const scm_map_row *r)
{
    return r->field->type == SCM_FT_STRING &&
           (r->cls == SCM_CLASS_MISSING || r->cls == SCM_CLASS_LOSSY);
}

static int upsert(scm_capture *cap, const char *cert_id, const char *field, const char *element,
                  const char *value, long long when)
{
    int rc;
    sqlite3_reset(cap->upsert);
    sqlite3_bind_text(cap->upsert, 1, cert_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(cap->upsert, 2, field, -1, SQLITE_STATIC);
    sqlite3_bind_text(cap->upsert, 3, element, -1, SQLITE_STATIC);
    sqlite3_bind_text(cap->upsert, 4, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(cap->upsert, 5, when);
    rc = sqlite3_step(cap->upsert);
    sqlite3_reset(cap->upsert);
    return rc == SQLITE_DONE ? 0 : -1;
}

scm_capture_result scm__capture_store(scm_capture *cap, const scm_map *map,
                                      const scm_cert_details *legacy, long budget_ms)
{
    long long when = (long long)time(NULL);
    size_t i, k;
    int ok = 1, rc;

    if (cap == NULL || cap->broken)
        return SCM_CAPTURE_FAILED;
    if (legacy->cert_id[0] == '\0')
        return SCM_CAPTURE_STORED;
    if (!wait_at_most(cap, budget_ms) || (rc = ready(cap)) > 0 ||
        (rc == 0 && is_busy(rc = sqlite3_exec(cap->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)))) {
        busy(cap, "capturing");
        return SCM_CAPTURE_SKIPPED;
    }
    if (rc != SQLITE_OK) {
        if (!cap->broken)
            fail(cap, "begin", NULL);
        return SCM_CAPTURE_FAILED;
    }
    for (i = 0; ok && i < map->nrows; i++) {
        const scm_map_row *r = &map->rows[i];
        if (!scm__capture_serves(r))
            continue;
        if (!r->field->in_auth)
            ok = upsert(cap, legacy->cert_id, r->field->name, "",
                        *scm__details_str((void *)legacy, r->field), when) == 0;
        for (k = 0; r->field->in_auth && ok && k < legacy->auth_count; k++)
            ok = upsert(cap, legacy->cert_id, r->field->name, legacy->auth[k].domain_name,
                        *scm__details_str(&legacy->auth[k], r->field), when) == 0;
    }
    if (ok && is_busy(rc = sqlite3_exec(cap->db, "COMMIT", NULL, NULL, NULL))) {
        sqlite3_exec(cap->db, "ROLLBACK", NULL, NULL, NULL);
        busy(cap, "capturing");
        return SCM_CAPTURE_SKIPPED;
    }
    if (!ok || rc != SQLITE_OK) {
        fail(cap, "write", NULL);
        sqlite3_exec(cap->db, "ROLLBACK", NULL, NULL, NULL);
        return SCM_CAPTURE_FAILED;
    }
    return SCM_CAPTURE_STORED;
}

/* Puts a captured value into *slot when the row's class allows it; 1 when it did. */
static int restore(char **slot, const scm_map_row *r, const char *value)
{
    char *copy;
    /* A lossy value is served only while it is a refinement of what v3 says now. */
    if (r->cls == SCM_CLASS_LOSSY && strncmp(value, *slot, strlen(*slot)) != 0)
        return 0;
    if ((copy = strdup(value)) == NULL)
        return 0;
    free(*slot);
    *slot = copy;
    return 1;
}

void scm__capture_fill(scm_capture *cap, const scm_map *map, scm_cert_details *d, long budget_ms)
{
    scm_report *report = scm__details_report(d);
    size_t k;
    int rc;

    if (cap == NULL || cap->broken || d->cert_id[0] == '\0')
        return;
    if (!wait_at_most(cap, budget_ms) || (rc = ready(cap)) > 0) {
        busy(cap, "restoring captured values");
        return;
    }
    if (rc < 0)
        return;
    sqlite3_reset(cap->select);
    sqlite3_bind_text(cap->select, 1, d->cert_id, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(cap->select)) == SQLITE_ROW) {
        const char *field = (const char *)sqlite3_column_text(cap->select, 0);
        const char *element = (const char *)sqlite3_column_text(cap->select, 1);
        const char *value = (const char *)sqlite3_column_text(cap->select, 2);
        int value_len = sqlite3_column_bytes(cap->select, 2);
        long long when = sqlite3_column_int64(cap->select, 3);
        const scm_map_row *r = scm__map_find(map, field);
        int row = scm__report_index(field), done = 0;

        /* Only fields the table in force still calls missing or lossy are restored. */
        if (r == NULL || row < 0 || !scm__capture_serves(r) || value == NULL || element == NULL)
            continue;
        /* A damaged store must not make the library return invalid UTF-8 (or invalid JSON). */
        if (!scm__utf8_valid(value, (size_t)value_len)) {
            scm__log(SCM_LOG_WARN,
                     "SCM_SHIM_CAPTURE=%s: the value of %s for %s is not UTF-8 text; not served",
                     cap->path, r->field->name, d->cert_id);
            continue;
        }
        if (!r->field->in_auth)
            done = restore(scm__details_str(d, r->field), r, value);
        for (k = 0; r->field->in_auth && k < d->auth_count; k++)
            if (strcmp(d->auth[k].domain_name, element) == 0)
                done |= restore(scm__details_str(&d->auth[k], r->field), r, value);
        if (done) {
            scm__report_set_captured(report, (size_t)row, when);
        }
    }
    if (is_busy(rc))
        busy(cap, "restoring captured values");
    else if (rc != SQLITE_DONE)
        fail(cap, "read", NULL);
    sqlite3_reset(cap->select);
}

int scm__capture_stats_get(scm_capture *cap, scm_capture_stats *out)
{
    sqlite3_stmt *st;
    int rc;
    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(cap->db,
                           "SELECT COUNT(DISTINCT cert_id), COUNT(*), IFNULL(MIN(captured_at), 0), "
                           "IFNULL(MAX(captured_at), 0) FROM captured",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out->certificates = sqlite3_column_int64(st, 0);
        out->values = sqlite3_column_int64(st, 1);
        out->oldest = sqlite3_column_int64(st, 2);
        out->newest = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int scm__capture_field_counts(scm_capture *cap,
                              void (*each)(const char *field, long long values, void *ctx),
                              void *ctx)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(cap->db,
                           "SELECT field, COUNT(*) FROM captured GROUP BY field ORDER BY field", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        each((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1), ctx);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int scm__capture_export(scm_capture *cap, FILE *out)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(cap->db,
                           "SELECT cert_id, field, element, value, captured_at FROM captured "
                           "ORDER BY cert_id, field, element",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        char *line;
        cJSON_AddStringToObject(o, "cert_id", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(o, "field", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(o, "element", (const char *)sqlite3_column_text(st, 2));
        cJSON_AddStringToObject(o, "value", (const char *)sqlite3_column_text(st, 3));
        cJSON_AddNumberToObject(o, "captured_at", (double)sqlite3_column_int64(st, 4));
        line = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (line == NULL) {
            rc = SQLITE_NOMEM;
            break;
        }
        fprintf(out, "%s\n", line);
        cJSON_free(line);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int scm__capture_purge(scm_capture *cap, const char *cert_id, long long *removed)
{
    sqlite3_stmt *st;
    int rc;
    if (sqlite3_prepare_v2(cap->db,
                           cert_id != NULL ? "DELETE FROM captured WHERE cert_id = ?1"
                                           : "DELETE FROM captured",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (cert_id != NULL)
        sqlite3_bind_text(st, 1, cert_id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    *removed = sqlite3_changes64(cap->db);
    /* Personal data: make the space it held unreadable too. */
    if (rc == SQLITE_DONE)
        sqlite3_exec(cap->db, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM", NULL, NULL, NULL);
    return rc == SQLITE_DONE ? 0 : -1;
}
