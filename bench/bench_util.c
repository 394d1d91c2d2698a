/* bench_util.c - see bench.h. */
#include "bench.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void bench_die(const char *fmt, ...)
{
    va_list ap;
    fputs("bench: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

long bench_count(const char *name, const char *value)
{
    char *end;
    long n;
    errno = 0;
    n = strtol(value, &end, 10);
    if (errno != 0 || *end != '\0' || n <= 0)
        bench_die("%s must be a positive number, not '%s'", name, value);
    return n;
}

scm_config bench_config(void)
{
    scm_config cfg = {0};
    cfg.endpoint = getenv("SCM_ENDPOINT");
    cfg.project_id = getenv("SCM_PROJECT_ID");
    cfg.access_key = getenv("SCM_AK");
    cfg.secret_key = getenv("SCM_SK");
    cfg.auth_token = getenv("SCM_TOKEN");
    if (cfg.endpoint == NULL)
        bench_die("SCM_ENDPOINT is not set");
    return cfg;
}

scm_client *bench_client(const scm_config *cfg)
{
    scm_client *c = scm_client_new(cfg);
    if (c == NULL)
        bench_die("scm_client_new failed");
    return c;
}

void bench_query(scm_client *c, const char *cert_id)
{
    char *json = NULL;
    int rc = scm_query_cert_details_json(c, cert_id, &json);
    if (rc != SCM_OK)
        bench_die("%s: rc %d, %s: %s", cert_id, rc, scm_client_error_code(c),
                  scm_client_error_msg(c));
    scm_free(json);
}
