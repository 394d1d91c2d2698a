/*
 * log.c - SCM_SHIM_LOG-filtered diagnostics; see log.h.
 * owns: the SCM_SHIM_LOG threshold, escaping control characters, and writing each diagnostic
 * line to stderr in one write; must not: be given a header, a key, a token or a signature
 * (callers pass only what may be shown), or write anywhere but stderr.
 */
#include "log.h"

#include "json.h"

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

int scm__log_level_parse(const char *v, scm_log_level *level)
{
    int i;
    *level = SCM_LOG_WARN;
    if (v == NULL || v[0] == '\0')
        return 0;
    if (strcmp(v, "off") == 0) {
        *level = SCM_LOG_OFF;
        return 0;
    }
    for (i = 0; i <= SCM_LOG_DEBUG; i++)
        if (strcmp(v, LEVEL_NAMES[i]) == 0) {
            *level = (scm_log_level)i;
            return 0;
        }
    return -1;
}

static void read_level(void)
{
    unknown_level = scm__log_level_parse(getenv("SCM_SHIM_LOG"), &threshold) != 0;
}

int scm__log_enabled(scm_log_level level)
{
    pthread_once(&once, read_level);
    return level != SCM_LOG_OFF && level <= threshold;
}

void scm__log_escape(char *out, size_t n, const char *s)
{
    static const char HEX[] = "0123456789abcdef";
    size_t len = 0;
    if (n == 0)
        return;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != 0x7f) {
            if (len + 1 >= n)
                break;
            out[len++] = (char)c;
        } else {
            /* CR, LF, ESC, BEL...: a service's text must not forge lines or drive the terminal. */
            if (len + 4 >= n)
                break;
            out[len++] = '\\';
            out[len++] = 'x';
            out[len++] = HEX[c >> 4];
            out[len++] = HEX[c & 15];
        }
    }
    out[len] = '\0';
    scm__utf8_cut(out);
}

void scm__log(scm_log_level level, const char *fmt, ...)
{
    static int warned;
    char text[1024], line[1200];
    va_list ap;
    int n;

    if (!scm__log_enabled(level))
        return;
    if (unknown_level && !__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
        scm__log(SCM_LOG_WARN, "SCM_SHIM_LOG takes off, error, warn, info or debug; using warn");
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    n = snprintf(line, sizeof line, "scmshim: %s: ", LEVEL_NAMES[level]);
    scm__log_escape(line + n, sizeof line - (size_t)n - 1, text);
    strcat(line, "\n");
    /* One write, so lines from several threads do not interleave. */
    n = (int)write(STDERR_FILENO, line, strlen(line));
    (void)n;
}
