/*
 * cmd_capture.c - scm-shim capture: fills the capture store (SCM_SHIM_CAPTURE) from the
 * legacy backend ahead of its switch-off, and shows, exports or purges what it holds.
 * owns: the capture command's flags and its fleet job; must not: touch the store's schema
 * (capture.c does) or configure its clients through the environment.
 */
#include "capture.h"
#include "cli.h"
#include "fleet.h"
#include "listing.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(FILE *out)
{
    fputs("usage: scm-shim capture [--ids FILE | CERT_ID... | --all [--status S]\n"
          "                        [--enterprise-project-id ID] [--page-size 10|20|50]]\n"
          "                        [--concurrency N]\n"
          "       scm-shim capture --stats | --export | --purge CERT_ID | --purge --all\n"
          "Asks the legacy backend for each certificate (N at once, default 8) and keeps, in\n"
          "the SQLite store named by SCM_SHIM_CAPTURE, the fields v3 cannot supply (the table's\n"
          "missing and lossy fields, and what it held under older tables: personal data). --stats\n"
          "counts what it holds and says, per field, whether it still serves it; --export\n"
          "prints it as JSON lines; --purge removes one certificate's values or, with --all,\n"
          "everything. --all captures every certificate v3 lists (filters as in audit --all).\n"
          "A certificate counts as captured only once its values are in the store.\n"
          "Exit status: 0 every certificate captured; 1 some could not be read or stored, an\n"
          "ID was unusable, or the list could not be read; 2 usage or configuration error (a\n"
          "store that cannot be opened included).\n",
          out);
    cli_config_help(out);
}

typedef struct capture_job {
    char **ids;
    scm_capture *store; /* one connection, its writes serialised by lock */
    const scm_map *map;
    pthread_mutex_t lock;
    atomic_size_t failed;
} capture_job;

/* Reads one certificate from v2, then stores it as its own step, so a store failure is counted. */
static void capture_one(scm_client *c, size_t i, void *ctx)
{
    capture_job *j = ctx;
    scm_cert_details *d = NULL;
    scm_capture_result stored;
    if (scm_query_cert_details(c, j->ids[i], &d) != SCM_OK) {
        cli_error(CLI_FAIL, "%s: %s", j->ids[i], scm_client_error_msg(c));
        atomic_fetch_add(&j->failed, 1);
        return;
    }
    pthread_mutex_lock(&j->lock);
    stored = scm__capture_store(j->store, j->map, d, SCM_CAPTURE_WAIT_MS);
    pthread_mutex_unlock(&j->lock);
    if (stored != SCM_CAPTURE_STORED) {
        cli_error(CLI_FAIL, "%s: read from v2 but not stored", j->ids[i]);
        atomic_fetch_add(&j->failed, 1);
    }
    scm_cert_details_free(d);
}

/* Captures the fleet into store; the exit status. */
static int capture_fleet(cli_config *conf, const char *store, char **ids, size_t nids,
                         int concurrency)
{
    unsigned char *bad = calloc(nids ? nids : 1, 1);
    size_t unusable;
    scm_map loaded;
    scm_error err;
    capture_job j;
    int rc;

    if (bad == NULL)
        return cli_error(CLI_FAIL, "out of memory");
    if (scm__map_from_env(&loaded, &j.map, &err) != SCM_OK) {
        free(bad);
        return cli_error(CLI_USAGE, "%s", err.msg);
    }
    /* The store must work before a single certificate is read: it is the whole point. */
    if ((j.store = scm__capture_open(store, SCM_CAPTURE_WAIT_MS)) == NULL) {
        scm__map_free(&loaded);
        free(bad);
        return cli_error(CLI_USAGE,
                         "SCM_SHIM_CAPTURE=%s: the store cannot be used; nothing captured", store);
    }
    unusable = fleet_unusable_ids(ids, nids, bad);
    /* Capturing asks the legacy backend, whichever one the environment selects, unshadowed; this
     * command stores, not the clients. */
    conf->opts.backend = "legacy";
    conf->opts.shadow = 0;
    conf->opts.capture = "";
    j.ids = ids;
    pthread_mutex_init(&j.lock, NULL);
    atomic_init(&j.failed, unusable);
    rc = fleet_run(conf, nids, bad, concurrency, "captured", capture_one, &j);
    if (rc == CLI_OK) {
        size_t failed = atomic_load(&j.failed);
        printf("captured %zu certificate%s, %zu failed\n", nids - failed,
               nids - failed == 1 ? "" : "s", failed);
        if (failed > 0)
            rc = CLI_FAIL;
    }
    pthread_mutex_destroy(&j.lock);
    scm__capture_close(j.store);
    scm__map_free(&loaded);
    free(bad);
    return rc;
}

static void print_time(const char *label, long long t)
{
    char when[32] = "-";
    time_t tt = (time_t)t;
    struct tm tm;
    if (t > 0 && gmtime_r(&tt, &tm) != NULL)
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%-13s%s\n", label, when);
}

/* One line of --stats per field held: whether the table in force still lets the store serve it. */
static void print_field(const char *field, long long values, void *ctx)
{
    const scm_map_row *r = field != NULL ? scm__map_find(ctx, field) : NULL;
    printf("  %-20s %8lld  %s\n", field != NULL ? field : "?", values,
           r == NULL                ? "not served: no such field in the table"
           : scm__capture_serves(r) ? "served"
                                    : "not served: v3 supplies it");
}

/* --stats, --export, --purge: work on the store itself. */
static int maintain(const char *store, const char *action, const char *cert_id)
{
    scm_capture *cap = scm__capture_open(store, SCM_CAPTURE_WAIT_MS);
    scm_capture_stats st;
    const scm_map *map;
    scm_map loaded;
    long long removed = 0;
    scm_error err;
    int rc = CLI_OK;

    if (cap == NULL)
        return CLI_USAGE; /* the reason is on stderr */
    if (strcmp(action, "--stats") == 0) {
        if (scm__map_from_env(&loaded, &map, &err) != SCM_OK) {
            rc = cli_error(CLI_USAGE, "%s", err.msg);
        } else if (scm__capture_stats_get(cap, &st) != 0) {
            rc = cli_error(CLI_FAIL, "%s: cannot read the store", store);
        } else {
            printf("%-13s%lld\n%-13s%lld\n", "certificates", st.certificates, "values", st.values);
            print_time("oldest", st.oldest);
            print_time("newest", st.newest);
            printf("fields (values; whether the store serves them under the table in force):\n");
            if (scm__capture_field_counts(cap, print_field, (void *)map) != 0)
                rc = cli_error(CLI_FAIL, "%s: cannot read the store", store);
        }
        scm__map_free(&loaded);
    } else if (strcmp(action, "--export") == 0) {
        if (scm__capture_export(cap, stdout) != 0)
            rc = cli_error(CLI_FAIL, "%s: cannot read the store", store);
    } else if (scm__capture_purge(cap, cert_id, &removed) != 0) {
        rc = cli_error(CLI_FAIL, "%s: cannot purge", store);
    } else {
        printf("purged %lld value%s%s%s\n", removed, removed == 1 ? "" : "s", cert_id ? " of " : "",
               cert_id ? cert_id : "");
    }
    scm__capture_close(cap);
    return rc;
}

int cmd_capture(int argc, char **argv)
{
    const char *ids_file = NULL, *action = NULL, *purge_id = NULL,
               *store = getenv("SCM_SHIM_CAPTURE");
    char **ids = NULL;
    size_t nids = 0, k;
    int concurrency = 8, i, rc = CLI_OK;
    listing_opts list = {0, NULL, NULL, 0};
    cli_config conf;

    cli_config_init(&conf);
    for (i = 1; i < argc; i++) {
        int taken = cli_shared_option(&conf, argc, argv, &i, help);
        if (taken == CLI_NOT_OURS)
            taken = listing_option(&list, argc, argv, &i);
        if (taken == CLI_TAKEN)
            continue;
        if (taken != CLI_NOT_OURS)
            return taken;
        if (strcmp(argv[i], "--ids") == 0 && i + 1 < argc) {
            ids_file = argv[++i];
        } else if (strcmp(argv[i], "--concurrency") == 0 && i + 1 < argc) {
            if (fleet_concurrency(argv[++i], &concurrency) != 0)
                return CLI_USAGE;
        } else if (strcmp(argv[i], "--stats") == 0 || strcmp(argv[i], "--export") == 0) {
            action = argv[i];
        } else if (strcmp(argv[i], "--purge") == 0 && i + 1 < argc) {
            action = argv[i];
            /* --purge --all empties the store. */
            purge_id = strcmp(argv[++i], "--all") == 0 ? NULL : argv[i];
        } else if (argv[i][0] == '-') {
            help(stderr);
            return cli_error(CLI_USAGE, "unexpected argument '%s'", argv[i]);
        } else {
            char **grown = realloc(ids, (nids + 1) * sizeof *grown);
            if (grown == NULL)
                return cli_error(CLI_FAIL, "out of memory");
            ids = grown;
            ids[nids++] = argv[i];
        }
    }
    if ((rc = listing_check(&list, nids > 0 || ids_file != NULL || action != NULL)) != CLI_OK) {
        free(ids);
        return rc;
    }
    if (store == NULL || store[0] == '\0')
        rc = cli_error(CLI_USAGE, "set SCM_SHIM_CAPTURE to the store's path");
    else if (action != NULL && (nids > 0 || ids_file != NULL))
        rc = cli_error(CLI_USAGE, "%s takes no certificate IDs", action);
    else if (action != NULL)
        rc = maintain(store, action, purge_id);
    else if (nids == 0 && ids_file == NULL && !list.all)
        rc = cli_error(CLI_USAGE, "give --ids FILE, CERT_IDs or --all");
    if (rc != CLI_OK || action != NULL) {
        free(ids);
        return rc;
    }
    /* argv's IDs are not ours to free; copy them so every entry is. */
    for (k = 0; k < nids; k++)
        ids[k] = strdup(ids[k]);
    if (ids_file != NULL)
        rc = fleet_read_ids(ids_file, &ids, &nids);
    if (rc == CLI_OK && list.all)
        rc = listing_ids(&conf, &list, CLI_FAIL, &ids, &nids);
    if (rc == CLI_OK)
        rc = capture_fleet(&conf, store, ids, nids, concurrency);
    for (k = 0; k < nids; k++)
        free(ids[k]);
    free(ids);
    return rc;
}
