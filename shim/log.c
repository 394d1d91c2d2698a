/* log.c - SCM_SHIM_LOG-filtered diagnostics; see log.h. */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const LEVEL_NAMES[] = {"error", "warn", "info", "debug"};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static scm_log_level threshold = SCM_LOG_WARN;
static int unknown_level;

static void read_level(void)
{
    const char *v = getenv("SCM_SHIM_LOG");
    int i;
    if (v == NULL || v[0] == '\0')
        return;
    if (strcmp(v, "off") == 0) {
        threshold = SCM_LOG_OFF;
        return;
    }
    for (i = 0; i <= SCM_LOG_DEBUG; i++)
        if (strcmp(v, LEVEL_NAMES[i]) == 0) {
            threshold = (scm_log_level)i;
            return;
        }
    unknown_level = 1;
}

int scm_log_enabled(scm_log_level level)
{
    pthread_once(&once, read_level);
    return level != SCM_LOG_OFF && level <= threshold;
}

void scm_log(scm_log_level level, const char *fmt, ...)
{
    static int warned;
    char line[1200];
    va_list ap;
    int n;

    if (!scm_log_enabled(level))
        return;
    if (unknown_level && !__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
        scm_log(SCM_LOG_WARN, "SCM_SHIM_LOG takes off, error, warn, info or debug; using warn");
    n = snprintf(line, sizeof line, "scmshim: %s: ", LEVEL_NAMES[level]);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    /* One write, so lines from several threads do not interleave. */
    n = (int)write(STDERR_FILENO, line, strlen(line));
    (void)n;
}
