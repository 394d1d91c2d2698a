/*
 * backend_file.h - SCM_SHIM_BACKEND_FILE: a file naming the backend a running process uses
 * ("v3", "legacy" or "shadow"), looked at when a call starts, at most once per interval, and
 * re-read only when its identity (device, inode, size, mtime) changed. No thread: the caller's
 * calls drive it.
 */
#ifndef SCM_SHIM_BACKEND_FILE_H
#define SCM_SHIM_BACKEND_FILE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* How often the file is looked at, at most (ms). */
#define SCM_BACKEND_FILE_INTERVAL_MS 1000L
/* The longest content read: the longest value and its whitespace fit many times over. */
#define SCM_BACKEND_FILE_MAX 64

/* What the file names. */
typedef enum {
    SCM_FILE_V3 = 0, /* the v3 backend, shadow mode as configured */
    SCM_FILE_LEGACY, /* the legacy backend, shadow mode as configured */
    SCM_FILE_SHADOW  /* the v3 backend, every call also asked of legacy and compared */
} scm_file_value;

typedef struct scm_backend_file {
    long interval_ms; /* SCM_BACKEND_FILE_INTERVAL_MS; a test may shorten it */
    long checked_at;  /* scm__now_ms of the last look; meaningful once looked is set */
    int looked;
    int known;  /* the identity below is the file's when last read (or found unusable) */
    dev_t dev;  /* ... */
    ino_t ino;  /* ... */
    off_t size; /* ... */
    struct timespec mtime;
    int warned; /* the failure last warned about (an errno; -1 a bad value), 0: none */
} scm_backend_file;

void scm__backend_file_init(scm_backend_file *f);

/* "v3", "legacy" or "shadow" with ASCII whitespace around it; 0, or -1 for anything else. */
int scm__backend_file_parse(const char *buf, size_t len, scm_file_value *out);

/* "v3", "legacy", "shadow". */
const char *scm__backend_file_value_name(scm_file_value v);

/*
 * Looks at path when interval_ms passed since the last look (now: scm__now_ms). Returns 1
 * with *out when the file is new or changed and names a backend; 0 when it is not time, the
 * file is unchanged, or it is missing, unreadable or holds a bad value: each warned about
 * once (until the file changes), the caller keeping its backend.
 */
int scm__backend_file_poll(scm_backend_file *f, const char *path, long now, scm_file_value *out);

#endif
