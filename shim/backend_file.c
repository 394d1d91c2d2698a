/*
 * backend_file.c - SCM_SHIM_BACKEND_FILE's watch; see backend_file.h.
 * owns: when the file is looked at, reading it (bounded, no FIFO or device read), what a
 * value means, its warnings; must not: change a client (client.c applies the value) or keep
 * the file open between looks.
 */
#include "backend_file.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const VALUES[] = {
    [SCM_FILE_V3] = "v3",
    [SCM_FILE_LEGACY] = "legacy",
    [SCM_FILE_SHADOW] = "shadow",
};

const char *scm__backend_file_value_name(scm_file_value v)
{
    return VALUES[v];
}

void scm__backend_file_init(scm_backend_file *f)
{
    memset(f, 0, sizeof *f);
    f->interval_ms = SCM_BACKEND_FILE_INTERVAL_MS;
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int scm__backend_file_parse(const char *buf, size_t len, scm_file_value *out)
{
    size_t i;
    while (len > 0 && space(buf[len - 1]))
        len--;
    while (len > 0 && space(buf[0])) {
        buf++;
        len--;
    }
    for (i = 0; i < sizeof VALUES / sizeof VALUES[0]; i++)
        if (len == strlen(VALUES[i]) && memcmp(buf, VALUES[i], len) == 0) {
            *out = (scm_file_value)i;
            return 0;
        }
    return -1;
}

/* At most SCM_BACKEND_FILE_MAX + 1 bytes of a regular file: more is a bad value anyway. */
static ssize_t read_bounded(const char *path, char *buf, size_t size)
{
    struct stat st;
    ssize_t n, got = 0;
    /* O_NONBLOCK: a FIFO put in the file's place must not hang the caller's call. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    while ((size_t)got < size && (n = read(fd, buf + got, size - (size_t)got)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            got = -1;
            break;
        }
        got += n;
    }
    close(fd);
    return got;
}

static int same_identity(const scm_backend_file *f, const struct stat *st)
{
    return f->known && f->dev == st->st_dev && f->ino == st->st_ino && f->size == st->st_size &&
           f->mtime.tv_sec == st->st_mtim.tv_sec && f->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* A stat or read failure, warned about once until another failure or a success. */
static void warn_failure(scm_backend_file *f, const char *path, int e)
{
    if (f->warned == e)
        return;
    f->warned = e;
    scm__log(SCM_LOG_WARN, "SCM_SHIM_BACKEND_FILE=%s: %s; keeping the backend in force", path,
             e == EINVAL ? "not a regular file" : strerror(e));
}

int scm__backend_file_poll(scm_backend_file *f, const char *path, long now, scm_file_value *out)
{
    char buf[SCM_BACKEND_FILE_MAX + 1];
    struct stat st;
    ssize_t n;

    if (f->looked && now - f->checked_at < f->interval_ms)
        return 0;
    f->looked = 1;
    f->checked_at = now;
    if (stat(path, &st) != 0) {
        f->known = 0; /* whatever comes back is read */
        warn_failure(f, path, errno);
        return 0;
    }
    if (same_identity(f, &st))
        return 0;
    f->known = 1;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->size = st.st_size;
    f->mtime = st.st_mtim;
    if ((n = read_bounded(path, buf, sizeof buf)) < 0) {
        f->known = 0; /* a chmod does not change the identity: look again next time */
        warn_failure(f, path, errno);
        return 0;
    }
    if ((size_t)n > SCM_BACKEND_FILE_MAX || scm__backend_file_parse(buf, (size_t)n, out) != 0) {
        /* Once per content (its identity is kept), and the content is not repeated: it may be
         * anything, of any length. */
        f->warned = -1;
        scm__log(SCM_LOG_WARN,
                 "SCM_SHIM_BACKEND_FILE=%s must hold \"v3\", \"legacy\" or \"shadow\"; keeping "
                 "the backend in force",
                 path);
        return 0;
    }
    f->warned = 0;
    return 1;
}
