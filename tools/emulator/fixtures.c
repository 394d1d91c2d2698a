/*
 * fixtures.c - reads the fixture folders into memory so requests never touch the filesystem.
 * owns: reading the fixture folders into memory at startup; must not: touch the filesystem
 * once startup is over.
 */
#include "fixtures.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Generous: tests serve multi-megabyte bodies to exercise the client's size cap. */
#define EMU_BODY_MAX (256L * 1024 * 1024)

int emu_valid_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n == EMU_ID_MAX || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                 (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return n > 0;
}

/* Reads dirfd/name whole; a missing file leaves *b empty and is not an error. */
static int read_body(int dirfd, const char *name, emu_body *b, char *err, size_t errlen,
                     const char *id)
{
    struct stat st;
    size_t got = 0;
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s/%s: %s", id, name, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > EMU_BODY_MAX) {
        snprintf(err, errlen, "%s/%s: not a regular file of at most %ld bytes", id, name,
                 EMU_BODY_MAX);
        close(fd);
        return -1;
    }
    /* One spare byte so an empty file still gets a non-NULL buffer. */
    b->data = malloc((size_t)st.st_size + 1);
    if (b->data == NULL) {
        snprintf(err, errlen, "%s/%s: out of memory", id, name);
        close(fd);
        return -1;
    }
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, b->data + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(err, errlen, "%s/%s: short read", id, name);
            close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    b->len = got;
    close(fd);
    return 0;
}

static int cmp_cert(const void *a, const void *b)
{
    return strcmp(((const emu_cert *)a)->id, ((const emu_cert *)b)->id);
}

int emu_store_load(emu_store *s, const char *dir, char *err, size_t errlen)
{
    DIR *d;
    struct dirent *ent;
    size_t cap = 0;

    memset(s, 0, sizeof *s);
    d = opendir(dir);
    if (d == NULL) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    while ((ent = readdir(d)) != NULL) {
        struct stat st;
        emu_cert *c;
        int certfd;

        /* Folders with other names (README.md, ., ..) can never be requested. */
        if (!emu_valid_id(ent->d_name) || fstatat(dirfd(d), ent->d_name, &st, 0) != 0 ||
            !S_ISDIR(st.st_mode))
            continue;
        if (s->n == cap) {
            emu_cert *p = realloc(s->certs, (cap ? cap * 2 : 32) * sizeof *p);
            if (p == NULL) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            s->certs = p;
            cap = cap ? cap * 2 : 32;
        }
        c = &s->certs[s->n];
        memset(c, 0, sizeof *c);
        strcpy(c->id, ent->d_name);
        s->n++;
        certfd = openat(dirfd(d), ent->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (certfd < 0) {
            snprintf(err, errlen, "%s: %s", ent->d_name, strerror(errno));
            goto fail;
        }
        if (read_body(certfd, "legacy.json", &c->legacy, err, errlen, c->id) != 0 ||
            read_body(certfd, "v3.json", &c->v3, err, errlen, c->id) != 0) {
            close(certfd);
            goto fail;
        }
        close(certfd);
    }
    closedir(d);
    if (s->n)
        qsort(s->certs, s->n, sizeof *s->certs, cmp_cert);
    return 0;
fail:
    closedir(d);
    emu_store_free(s);
    return -1;
}

const emu_body *emu_store_find(const emu_store *s, const char *id, enum emu_api api)
{
    emu_cert key;
    const emu_cert *c;
    const emu_body *b;

    if (!emu_valid_id(id) || s->n == 0)
        return NULL;
    strcpy(key.id, id);
    c = bsearch(&key, s->certs, s->n, sizeof *s->certs, cmp_cert);
    if (c == NULL)
        return NULL;
    b = api == EMU_API_V2 ? &c->legacy : api == EMU_API_V3 ? &c->v3 : NULL;
    return b != NULL && b->data != NULL ? b : NULL;
}

void emu_store_free(emu_store *s)
{
    size_t i;
    for (i = 0; i < s->n; i++) {
        free(s->certs[i].legacy.data);
        free(s->certs[i].v3.data);
    }
    free(s->certs);
    memset(s, 0, sizeof *s);
}
