/*
 * fixtures.c - counting the fixture pairs; see fixtures.h.
 * owns: what a fixture pair is (a directory with legacy.json and v3.json); must not: read or
 * judge the fixtures' contents (the tests that use them do).
 */
#include "fixtures.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int has(const char *dir, const char *name, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", dir, name, file);
    return access(path, R_OK) == 0;
}

size_t tu_fixture_pairs(const char *dir, size_t *dirs)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t pairs = 0, n = 0;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strchr(e->d_name, '.') != NULL) /* ., .., README.md */
            continue;
        n++;
        pairs += has(dir, e->d_name, "legacy.json") && has(dir, e->d_name, "v3.json");
    }
    if (d != NULL)
        closedir(d);
    if (dirs != NULL)
        *dirs = n;
    return pairs;
}
