/*
 * log.h - the library's diagnostics on stderr, filtered by SCM_SHIM_LOG
 * (error, warn (default), info, debug, off). Callers pass only what may be
 * shown: never a header, a key, a token or a signature.
 */
#ifndef SCM_SHIM_LOG_H
#define SCM_SHIM_LOG_H

#include <stddef.h>

typedef enum {
    SCM_LOG_OFF = -1,
    SCM_LOG_ERROR,
    SCM_LOG_WARN,
    SCM_LOG_INFO,
    SCM_LOG_DEBUG
} scm_log_level;

/*
 * An SCM_SHIM_LOG value's level in *level (unset or "": warn); 0, or -1 when v
 * is none of off, error, warn, info, debug (then *level is warn).
 */
int scm__log_level_parse(const char *v, scm_log_level *level);
/* Whether messages of this level are shown. */
int scm__log_enabled(scm_log_level level);
/*
 * Copies s into out (n bytes with the NUL), control characters written as
 * \xNN, cut on a whole character when it does not fit.
 */
void scm__log_escape(char *out, size_t n, const char *s);
/* Writes "scmshim: <level>: <message>\n" as one write when the level is enabled, controls escaped.
 */
void scm__log(scm_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
