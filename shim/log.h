/*
 * log.h - the library's diagnostics on stderr, filtered by SCM_SHIM_LOG
 * (error, warn (default), info, debug, off). Callers pass only what may be
 * shown: never a header, a key, a token or a signature.
 */
#ifndef SCM_SHIM_LOG_H
#define SCM_SHIM_LOG_H

typedef enum { SCM_LOG_OFF = -1, SCM_LOG_ERROR, SCM_LOG_WARN, SCM_LOG_INFO, SCM_LOG_DEBUG } scm_log_level;

/* Whether messages of this level are shown. */
int  scm_log_enabled(scm_log_level level);
/* Writes "scmshim: <level>: <message>\n" as one write when the level is enabled. */
void scm_log(scm_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
