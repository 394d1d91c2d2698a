/*
 * fleet.c - one call per certificate, N at once; see fleet.h.
 * owns: the worker threads, their clients and the progress line, ID lists; must not: know
 * what a job does with its certificate.
 */
#include "fleet.h"

#include "cli.h"
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

int fleet_add_id(char ***ids, size_t *n, const char *id)
{
    char **grown = realloc(*ids, (*n + 1) * sizeof *grown);
    if (grown == NULL)
        return cli_error(CLI_FAIL, "out of memory");
    *ids = grown;
    if ((grown[*n] = strdup(id)) == NULL)
        return cli_error(CLI_FAIL, "out of memory");
    ++*n;
    return CLI_OK;
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
