/*
 * bench_shadow.c - benchmark 3: the latency of a shadowed call (SCM_SHIM_SHADOW=1:
 * v3 answers, legacy is asked at the same time and compared) against an
 * unshadowed one, with the emulator delaying every answer (--latency-ms).
 *
 *   bench_shadow CERT_ID CALLS
 *
 * Configuration from SCM_ENDPOINT, SCM_PROJECT_ID (shadow mode needs it), SCM_AK +
 * SCM_SK or SCM_TOKEN; SCM_SHIM_AUDIT_LOG, when set, receives the shadowed calls'
 * lines. Two clients in one process, one made with SCM_SHIM_SHADOW=1 (read at
 * creation); their calls alternate, and which goes first alternates too. One
 * untimed call each opens the connections. Prints one line of key=value.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

static double timed_query(scm_client *c, const char *cert_id)
{
    double t0 = bench_now();
    bench_query(c, cert_id);
    return bench_now() - t0;
}

static double mean(const double *v, long n)
{
    double sum = 0;
    long i;
    for (i = 0; i < n; i++)
        sum += v[i];
    return sum / (double)n;
}

int main(int argc, char **argv)
{
    scm_config cfg = bench_config();
    double *shadowed, *plain, shadowed_mean, plain_mean, shadowed_med, plain_med;
    scm_client *with, *without;
    const char *cert_id;
    long calls, i;

    if (argc != 3)
        bench_die("usage: bench_shadow CERT_ID CALLS");
    cert_id = argv[1];
    calls = bench_count("CALLS", argv[2]);
    if ((shadowed = calloc((size_t)calls, sizeof *shadowed)) == NULL ||
        (plain = calloc((size_t)calls, sizeof *plain)) == NULL)
        bench_die("out of memory");
    setenv("SCM_SHIM_SHADOW", "1", 1);
    with = bench_client(&cfg);
    unsetenv("SCM_SHIM_SHADOW");
    without = bench_client(&cfg);

    bench_query(with, cert_id);
    bench_query(without, cert_id);
    for (i = 0; i < calls; i++) {
        if (i % 2 == 0) {
            shadowed[i] = timed_query(with, cert_id);
            plain[i] = timed_query(without, cert_id);
        } else {
            plain[i] = timed_query(without, cert_id);
            shadowed[i] = timed_query(with, cert_id);
        }
    }
    shadowed_mean = mean(shadowed, calls);
    plain_mean = mean(plain, calls);
    /* bench_median sorts: the last element is then the slowest call. */
    shadowed_med = bench_median(shadowed, (size_t)calls);
    plain_med = bench_median(plain, (size_t)calls);
    printf("calls=%ld shadowed_ms=%.2f plain_ms=%.2f shadowed_mean_ms=%.2f plain_mean_ms=%.2f "
           "shadowed_max_ms=%.2f plain_max_ms=%.2f ratio=%.3f\n",
           calls, shadowed_med * 1e3, plain_med * 1e3, shadowed_mean * 1e3, plain_mean * 1e3,
           shadowed[calls - 1] * 1e3, plain[calls - 1] * 1e3, shadowed_med / plain_med);

    scm_client_free(with);
    scm_client_free(without);
    free(shadowed);
    free(plain);
    return 0;
}
