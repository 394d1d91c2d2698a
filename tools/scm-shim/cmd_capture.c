/*
 * cmd_capture.c - scm-shim capture: fills the capture store (SCM_SHIM_CAPTURE) from the
 * legacy backend ahead of its switch-off, and shows, exports or purges what it holds.
 * owns: the capture command's flags and its fleet job; must not: touch the store's schema
 * (capture.c does) or configure its clients through the environment.
 */
#include "capture.h"
#include "cli.h"
#include "commands.h"
#include "fleet.h"
#include "listing.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* Captures the fleet into store (open, the caller's); the exit status. */
static int capture_fleet(cli_config *conf, scm_capture *store, char **ids, size_t nids,
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
    j.store = store;
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

/* What the command line asks for. */
typedef struct capture_args {
    fleet_args fleet;
    const char *action, *purge_id;
} capture_args;

/* --stats, --export, --purge. */
static int capture_option(void *ctx, const cli_option *opt, const char *value)
{
    capture_args *w = ctx;
    if (!cli_is(opt, "--stats") && !cli_is(opt, "--export") && !cli_is(opt, "--purge"))
        return CLI_NOT_OURS;
    w->action = opt->name;
    /* --purge --all empties the store. */
    w->purge_id = value != NULL && strcmp(value, "--all") != 0 ? value : NULL;
    return CLI_TAKEN;
}

/* Reads argv into *w; CLI_END, or the exit status (said). */
static int parse(int argc, char **argv, cli_config *conf, capture_args *w)
{
    const fleet_args *f = &w->fleet;
    int rc = fleet_parse("capture", argc, argv, conf, &w->fleet, capture_option, w);
    if (rc == CLI_END &&
        listing_check(&f->list, f->nids > 0 || f->ids_file != NULL || w->action != NULL) != CLI_OK)
        return CLI_USAGE;
    if (rc == CLI_END && w->action != NULL && (f->nids > 0 || f->ids_file != NULL))
        return cli_usage_error("capture", "%s takes no certificate IDs", w->action);
    if (rc == CLI_END && w->action == NULL && f->nids == 0 && f->ids_file == NULL && !f->list.all)
        return cli_usage_error("capture", "give --ids FILE, CERT_IDs or --all");
    return rc;
}

/* What the command line asked for; the exit status. */
static int run(cli_config *conf, capture_args *w)
{
    const char *store = getenv("SCM_SHIM_CAPTURE");
    fleet_args *f = &w->fleet;
    scm_capture *cap;
    int rc;
    if (store == NULL || store[0] == '\0')
        return cli_error(CLI_USAGE, "set SCM_SHIM_CAPTURE to the store's path");
    if (w->action != NULL)
        return maintain(store, w->action, w->purge_id);
    /* The store must work before a single certificate is read, or even listed: it is the whole
     * point, and --all may page through a large account first. */
    if ((cap = scm__capture_open(store, SCM_CAPTURE_WAIT_MS)) == NULL)
        return cli_error(CLI_USAGE,
                         "SCM_SHIM_CAPTURE=%s: the store cannot be used; nothing captured", store);
    rc = fleet_args_read(conf, f, CLI_FAIL);
    if (rc == CLI_OK)
        rc = capture_fleet(conf, cap, f->ids, f->nids, f->concurrency);
    /* Certificates the listing may have missed were not captured: not a success. */
    if (rc == CLI_OK && f->list_incomplete)
        rc = CLI_FAIL;
    scm__capture_close(cap);
    return rc;
}

int cmd_capture(int argc, char **argv)
{
    capture_args w = {FLEET_ARGS_INIT, NULL, NULL};
    cli_config conf;
    int rc;

    cli_config_init(&conf);
    if ((rc = parse(argc, argv, &conf, &w)) == CLI_END)
        rc = run(&conf, &w);
    fleet_args_free(&w.fleet);
    return rc;
}
