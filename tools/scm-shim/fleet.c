/*
 * fleet.c - one call per certificate, N at once; see fleet.h.
 * owns: the worker threads, their clients and the progress line, ID lists; must not: know
 * what a job does with its certificate.
 */
#include "fleet.h"

#include "cli.h"
#include "commands.h"
#include "log.h"
#include "settings.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct fleet {
    const cli_config *conf;
    size_t n;
    fleet_fn fn;
    const unsigned char *skip;
    void *ctx;
    atomic_size_t next;
    atomic_size_t done;
} fleet;

static void *worker(void *arg)
{
    fleet *f = arg;
    scm_client *c = cli_client_new(f->conf);
    size_t i;
    while ((i = atomic_fetch_add(&f->next, 1)) < f->n) {
        if (c != NULL && (f->skip == NULL || !f->skip[i]))
            f->fn(c, i, f->ctx);
        atomic_fetch_add(&f->done, 1);
    }
    scm_client_free(c);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int fleet_run(const cli_config *conf, size_t n, const unsigned char *skip, int concurrency,
              const char *verb, fleet_fn fn, void *ctx)
{
    pthread_t threads[FLEET_MAX_CONCURRENCY];
    scm_client *probe;
    fleet f;
    int t, started = 0, progress = isatty(2);
    double t0 = now_s(), last = 0;

    /* One client first, so a bad configuration is reported once, not by every worker. */
    if ((probe = cli_client_new(conf)) == NULL)
        return CLI_USAGE;
    scm_client_free(probe);
    memset(&f, 0, sizeof f);
    f.conf = conf;
    f.n = n;
    f.fn = fn;
    f.skip = skip;
    f.ctx = ctx;
    for (t = 0; t < concurrency && (size_t)t < n; t++)
        if (pthread_create(&threads[t], NULL, worker, &f) == 0)
            started++;
    if (started == 0 && n > 0)
        return cli_error(CLI_FAIL, "cannot start a worker thread");
    while (progress && atomic_load(&f.done) < n) {
        double now = now_s();
        if (now - t0 > 1.0 && now - last > 0.2) {
            fprintf(stderr, "\r%s %zu/%zu", verb, atomic_load(&f.done), n);
            last = now;
        }
        usleep(50000);
    }
    for (t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    if (progress && last > 0)
        fprintf(stderr, "\r%s %zu/%zu\n", verb, n, n);
    return CLI_OK;
}

/* line without the spaces and tabs around it (in place). */
static char *trim(char *line)
{
    char *end = line + strlen(line);
    while (*line == ' ' || *line == '\t')
        line++;
    while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return line;
}

int fleet_read_ids(const char *path, char ***ids, size_t *n)
{
    size_t len = 0, cap = *n;
    char *text = cli_read_all(path, &len), *line, *save = NULL;
    if (text == NULL)
        return cli_error(CLI_USAGE, "cannot read %s: %s", path, strerror(errno));
    for (line = strtok_r(text, "\r\n", &save); line != NULL; line = strtok_r(NULL, "\r\n", &save)) {
        line = trim(line);
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (*n == cap) {
            char **grown = realloc(*ids, (cap = cap ? cap * 2 : 64) * sizeof *grown);
            if (grown == NULL) {
                free(text);
                return cli_error(CLI_FAIL, "out of memory");
            }
            *ids = grown;
        }
        if (((*ids)[(*n)++] = strdup(line)) == NULL) {
            free(text);
            return cli_error(CLI_FAIL, "out of memory");
        }
    }
    free(text);
    return CLI_OK;
}

/* An operand (opt NULL: a CERT_ID), --ids or --concurrency: CLI_TAKEN, CLI_NOT_OURS, or said. */
static int fleet_option(fleet_args *f, const cli_option *opt, const char *value)
{
    char **grown;
    if (cli_is(opt, "--ids")) {
        f->ids_file = value;
    } else if (cli_is(opt, "--concurrency")) {
        if (fleet_concurrency(value, &f->concurrency) != 0)
            return CLI_USAGE;
    } else if (opt != NULL) {
        return listing_option(&f->list, opt->name, value);
    } else {
        /* Grown one at a time: fleet_read_ids takes the array as full. */
        if ((grown = realloc(f->ids, (f->nids + 1) * sizeof *grown)) == NULL)
            return cli_error(CLI_FAIL, "out of memory");
        f->ids = grown;
        if ((grown[f->nids] = strdup(value)) == NULL)
            return cli_error(CLI_FAIL, "out of memory");
        f->nids++;
    }
    return CLI_TAKEN;
}

int fleet_parse(const char *command, int argc, char **argv, cli_config *conf, fleet_args *f,
                fleet_own_option own, void *ctx)
{
    cli_args a = {cli_command_find(command), argc, argv, 0};
    const cli_option *opt;
    const char *value;
    int rc, taken;

    while ((rc = cli_next(&a, &opt, &value)) == CLI_NEXT) {
        taken = fleet_option(f, opt, value);
        if (taken == CLI_NOT_OURS)
            taken = own(ctx, opt, value);
        if (taken == CLI_NOT_OURS)
            taken = cli_connection_option(conf, opt->name, value);
        /* An option of the table nobody takes is this program's mistake, not the caller's. */
        if (taken == CLI_NOT_OURS)
            return cli_error(CLI_FAIL, "%s: %s is not handled", command, opt->name);
        if (taken != CLI_TAKEN)
            return taken;
    }
    return rc;
}

int fleet_args_read(const cli_config *conf, fleet_args *f, int list_failed)
{
    if (f->list.all)
        return listing_ids(conf, &f->list, list_failed, &f->ids, &f->nids, &f->list_incomplete);
    return f->ids_file != NULL ? fleet_read_ids(f->ids_file, &f->ids, &f->nids) : CLI_OK;
}

void fleet_args_free(fleet_args *f)
{
    size_t i;
    for (i = 0; i < f->nids; i++)
        free(f->ids[i]);
    free(f->ids);
}

size_t fleet_unusable_ids(char *const *ids, size_t n, unsigned char *bad)
{
    size_t i, count = 0;
    for (i = 0; i < n; i++)
        if ((bad[i] = !scm__valid_id(ids[i])) != 0) {
            char shown[200];
            scm__log_escape(shown, sizeof shown, ids[i]);
            cli_error(CLI_FAIL,
                      "'%s' is not a certificate ID (1 to 64 of A-Z a-z 0-9 _ -): skipped", shown);
            count++;
        }
    return count;
}

int fleet_concurrency(const char *value, int *out)
{
    char *end;
    long n = strtol(value, &end, 10);
    if (*end != '\0' || n < 1 || n > FLEET_MAX_CONCURRENCY) {
        cli_error(CLI_USAGE, "--concurrency takes 1 to %d", FLEET_MAX_CONCURRENCY);
        return -1;
    }
    *out = (int)n;
    return 0;
}
