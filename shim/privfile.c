/*
 * privfile.c - owner-only regular files; see privfile.h.
 * owns: the checks on the audit log and the capture store before they are used;
 * must not: write to them, log (the caller decides what a refusal means).
 */
#include "privfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Refuses what is not a regular file of ours (SCM_E_INVALID_PARAM) and takes group and other bits
 * away. */
static int vet(int fd, scm_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s", strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "not a regular file");
    }
    if (st.st_uid != geteuid()) {
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "owned by another user (uid %ld)",
                         (long)st.st_uid);
    }
    if ((st.st_mode & 077) != 0 && fchmod(fd, st.st_mode & 0700) != 0) {
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "readable by others and cannot be made private: %s", strerror(errno));
    }
    return SCM_OK;
}

int scm__privfile_open(const char *path, int flags, scm_error *err)
{
    /* O_NONBLOCK: a FIFO must not hang the open; it is refused by vet() anyway. */
    int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd < 0) {
        /* ENXIO: a FIFO without a reader, opened for writing. */
        scm__fail(err, SCM__ERR_INVALID_PARAM, "%s",
                  errno == ELOOP   ? "a symbolic link"
                  : errno == ENXIO ? "not a regular file"
                                   : strerror(errno));
        return -1;
    }
    if (vet(fd, err) != SCM_OK) {
        close(fd);
        return -1;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        scm__fail(err, SCM__ERR_INVALID_PARAM, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int scm__privfile_check(const char *path, scm_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), rc;
    if (fd < 0) {
        if (errno == ENOENT)
            return SCM_OK;
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s",
                         errno == ELOOP ? "a symbolic link" : strerror(errno));
    }
    rc = vet(fd, err);
    close(fd);
    return rc;
}
