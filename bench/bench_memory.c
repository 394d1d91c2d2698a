/*
 * bench_memory.c - benchmark 5: memory over many calls in one process.
 *
 *   bench_memory CALLS CHECKPOINT CERT_ID...
 *
 * Configuration from SCM_ENDPOINT, SCM_PROJECT_ID, SCM_AK + SCM_SK or SCM_TOKEN.
 * One client makes CALLS JSON-interface calls, cycling through the IDs, and
 * reads the peak (VmHWM) and current (VmRSS) resident set size from
 * /proc/self/status after CHECKPOINT calls and at the end; growth is the
 * peak's. Every call must succeed. Prints one line of key=value. Also the
 * program run under valgrind --leak-check=full with a smaller CALLS.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* A "Name:   N kB" line of /proc/self/status, in KiB. */
static long status_kib(const char *name)
{
    FILE *f = fopen("/proc/self/status", "r");
    size_t len = strlen(name);
    char line[256];
    long kib = -1;
    if (f == NULL)
        bench_die("cannot read /proc/self/status");
    while (kib < 0 && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, name, len) == 0 && line[len] == ':')
            kib = strtol(line + len + 1, NULL, 10);
    fclose(f);
    if (kib < 0)
        bench_die("no %s in /proc/self/status", name);
    return kib;
}

int main(int argc, char **argv)
{
    scm_config cfg = bench_config();
    long calls, checkpoint, i, hwm_at = 0, rss_at = 0, hwm_end, rss_end;
    size_t nids;
    struct rusage ru;
    scm_client *c;

    if (argc < 4)
        bench_die("usage: bench_memory CALLS CHECKPOINT CERT_ID...");
    calls = bench_count("CALLS", argv[1]);
    checkpoint = bench_count("CHECKPOINT", argv[2]);
    if (checkpoint >= calls)
        bench_die("CHECKPOINT must be smaller than CALLS");
    nids = (size_t)argc - 3;
    c = bench_client(&cfg);
    for (i = 0; i < calls; i++) {
        bench_query(c, argv[3 + (size_t)i % nids]);
        if (i + 1 == checkpoint) {
            hwm_at = status_kib("VmHWM");
            rss_at = status_kib("VmRSS");
        }
    }
    hwm_end = status_kib("VmHWM");
    rss_end = status_kib("VmRSS");
    getrusage(RUSAGE_SELF, &ru);
    printf("calls=%ld checkpoint=%ld hwm_kib_at=%ld hwm_kib_end=%ld growth_kib=%ld rss_kib_at=%ld "
           "rss_kib_end=%ld maxrss_kib=%ld\n",
           calls, checkpoint, hwm_at, hwm_end, hwm_end - hwm_at, rss_at, rss_end, ru.ru_maxrss);
    scm_client_free(c);
    return 0;
}
