/* bench.h - helpers shared by the benchmark programs (driven by bench/run.sh). */
#ifndef SCM_BENCH_H
#define SCM_BENCH_H

#include "scm_client.h"

#include <stddef.h>

/* Prints "bench: <message>" to stderr and exits 1. */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Monotonic clock, in seconds. */
double bench_now(void);

/* The median of n values (sorts them in place). */
double bench_median(double *v, size_t n);

/* A positive count from argv; dies with the argument's name otherwise. */
long bench_count(const char *name, const char *value);

/*
 * The client configuration from the environment, as scm-shim reads it:
 * SCM_ENDPOINT (required), SCM_PROJECT_ID, SCM_AK, SCM_SK, SCM_TOKEN.
 */
scm_config bench_config(void);

/* A client from cfg; dies with the library's reason (on stderr) when it cannot be made. */
scm_client *bench_client(const scm_config *cfg);

/* One JSON-interface query that must succeed; the body is freed. Dies otherwise. */
void bench_query(scm_client *c, const char *cert_id);

#endif
