/* map_file.c - loads a replacement mapping table (SCM_SHIM_MAPPING) and binds it to the legacy layout. */
#include "maptable.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest table file accepted; the real one is a few KiB. */
#define MAP_FILE_MAX (1024 * 1024)

int scm_map_load_file(const char *path, scm_map *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *data;
    size_t len;
    int rc;

    memset(out, 0, sizeof *out);
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    data = malloc(MAP_FILE_MAX + 1);
    if (data == NULL) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    len = fread(data, 1, MAP_FILE_MAX + 1, f);
    rc = ferror(f);
    fclose(f);
    if (rc || len > MAP_FILE_MAX) {
        free(data);
        snprintf(err, errlen, "%s: %s", path, rc ? "read error" : "larger than 1 MiB");
        return -1;
    }
    rc = scm_map_parse(data, len, out, err, errlen);
    free(data);
    if (rc == 0 && (rc = scm_map_bind(out, &scm_map_builtin, err, errlen)) != 0)
        scm_map_free(out);
    return rc;
}

int scm_map_from_env(scm_map *loaded, const scm_map **map, char *err, size_t errlen)
{
    const char *path = getenv("SCM_SHIM_MAPPING");
    char why[512];
    memset(loaded, 0, sizeof *loaded);
    *map = &scm_map_builtin;
    if (path == NULL || path[0] == '\0')
        return 0;
    if (scm_map_load_file(path, loaded, why, sizeof why) != 0) {
        snprintf(err, errlen, "SCM_SHIM_MAPPING=%s: %s", path, why);
        return -1;
    }
    *map = loaded;
    return 0;
}
