/*
 * map_file.c - loads a replacement mapping table (SCM_SHIM_MAPPING).
 * owns: reading the file and the environment; must not: check the table
 * (map_load.c does).
 */
#include "maptable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The largest table file accepted; the real one is a few KiB. */
#define MAP_FILE_MAX (1024 * 1024)

int scm__map_load_file(const char *path, scm_map *out, scm_error *err)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    char *data;
    ssize_t n = 0;
    size_t len = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (fd < 0) {
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s: %s", path, strerror(errno));
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s: not a regular file", path);
    }
    if ((data = malloc(MAP_FILE_MAX + 1)) == NULL) {
        close(fd);
        return scm__fail(err, SCM__ERR_NOMEM, NULL);
    }
    while (len <= MAP_FILE_MAX && (n = read(fd, data + len, MAP_FILE_MAX + 1 - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        len += (size_t)n;
    }
    rc = n < 0;
    close(fd);
    if (rc || len > MAP_FILE_MAX) {
        free(data);
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s: %s", path,
                         rc ? "read error" : "larger than 1 MiB");
    }
    rc = scm__map_parse(data, len, out, err);
    free(data);
    return rc;
}

int scm__map_from_env(scm_map *loaded, const scm_map **map, scm_error *err)
{
    const char *path = getenv("SCM_SHIM_MAPPING");
    scm_error why;
    int rc;
    memset(loaded, 0, sizeof *loaded);
    *map = &scm__map_builtin;
    if (path == NULL || path[0] == '\0')
        return SCM_OK;
    if ((rc = scm__map_load_file(path, loaded, &why)) != SCM_OK)
        return scm__error_set(err, rc, 0, why.code, "SCM_SHIM_MAPPING=%s: %s", path, why.msg);
    *map = loaded;
    return SCM_OK;
}
