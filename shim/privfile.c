/* privfile.c - owner-only regular files; see privfile.h. */
#include "privfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Refuses what is not a regular file of ours and takes group and other bits away. */
static int vet(int fd, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        return -1;
    }
    if (st.st_uid != geteuid()) {
        snprintf(err, errlen, "owned by another user (uid %ld)", (long)st.st_uid);
        return -1;
    }
    if ((st.st_mode & 077) != 0 && fchmod(fd, st.st_mode & 0700) != 0) {
        snprintf(err, errlen, "readable by others and cannot be made private: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int scm__privfile_open(const char *path, int flags, char *err, size_t errlen)
{
    /* O_NONBLOCK: a FIFO must not hang the open; it is refused by vet() anyway. */
    int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd < 0) {
        /* ENXIO: a FIFO without a reader, opened for writing. */
        snprintf(err, errlen, "%s",
                 errno == ELOOP   ? "a symbolic link"
                 : errno == ENXIO ? "not a regular file"
                                  : strerror(errno));
        return -1;
    }
    if (vet(fd, err, errlen) != 0) {
        close(fd);
        return -1;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int scm__privfile_check(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), rc;
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s", errno == ELOOP ? "a symbolic link" : strerror(errno));
        return -1;
    }
    rc = vet(fd, err, errlen);
    close(fd);
    return rc;
}
