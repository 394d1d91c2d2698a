/*
 * privfile.h - opening the files that hold audit lines and captured personal
 * data: never through a symbolic link, only a regular file owned by this
 * user, and never readable by others (an existing group- or world-readable
 * file is tightened to 0600).
 */
#ifndef SCM_SHIM_PRIVFILE_H
#define SCM_SHIM_PRIVFILE_H

#include "error.h"

/* open(path, flags | O_NOFOLLOW | O_CLOEXEC, 0600) with those checks; the fd, or -1 with err. */
int scm__privfile_open(const char *path, int flags, scm_error *err);

/* The same checks on an existing file, when there is one (SQLite's -wal and -shm files); SCM_OK
 * (also when there is none) or SCM_E_INVALID_PARAM with err. */
int scm__privfile_check(const char *path, scm_error *err);

#endif
