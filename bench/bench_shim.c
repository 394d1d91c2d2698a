/*
 * bench_shim.c - the shim's side of the per-call measurements (issue 13): CALLS
 * calls through the frozen interface on one client, cycling through the IDs.
 *
 *   bench_shim struct|json CALLS CERT_ID...
 *
 * Configuration from SCM_ENDPOINT, SCM_PROJECT_ID, SCM_AK + SCM_SK or SCM_TOKEN;
 * the backend, shadow mode and the rest from the library's own variables
 * (SCM_SHIM_BACKEND, SCM_SHIM_SHADOW, ...), read when the client is made.
 * struct: scm_query_cert_details + scm_cert_details_free; json:
 * scm_query_cert_details_json + scm_free. Every ID is asked once first and
 * must succeed (exit 1 otherwise; run.sh checks in the emulator's log that
 * every request was answered 200, as the bare clients check theirs). Run
 * under callgrind with CALLS and 2 x CALLS, the difference is the
 * steady-state cost of CALLS calls. Prints one line of key=value, with the
 * process CPU time (user + system) of the measured calls, for the Node SDK
 * comparison.
 * owns: the shim driver of bench/run.sh; must not: reach into the library's internals.
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void one_call(scm_client *c, int json, const char *cert_id)
{
    scm_cert_details *d = NULL;
    int rc;
    if (json) {
        bench_query(c, cert_id);
    } else {
        rc = scm_query_cert_details(c, cert_id, &d);
        if (rc != SCM_OK)
            bench_die("%s: rc %d, %s: %s", cert_id, rc, scm_client_error_code(c),
                      scm_client_error_msg(c));
        scm_cert_details_free(d);
    }
}

int main(int argc, char **argv)
{
    scm_config cfg = bench_config();
    long calls, i;
    size_t nids, k;
    double t0, cpu;
    int json;
    scm_client *c;

    if (argc < 4 || (strcmp(argv[1], "struct") != 0 && strcmp(argv[1], "json") != 0))
        bench_die("usage: bench_shim struct|json CALLS CERT_ID...");
    json = strcmp(argv[1], "json") == 0;
    calls = bench_count("CALLS", argv[2]);
    nids = (size_t)argc - 3;
    c = bench_client(&cfg);
    for (k = 0; k < nids; k++)
        one_call(c, json, argv[3 + k]);
    t0 = cpu_seconds();
    for (i = 0; i < calls; i++)
        one_call(c, json, argv[3 + (size_t)i % nids]);
    cpu = cpu_seconds() - t0;
    printf("calls=%ld ids=%zu cpu_us_per_call=%.2f\n", calls, nids, cpu / (double)calls * 1e6);
    scm_client_free(c);
    return 0;
}
