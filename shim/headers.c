/*
 * headers.c - a request's header list; see headers.h.
 * owns: the lines and their memory; must not: know HTTP or any transport.
 */
#include "headers.h"

#include "buf.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct scm_headers {
    char **lines;
    size_t n, cap;
};

scm_headers *scm__headers_new(void)
{
    return calloc(1, sizeof(scm_headers));
}

void scm__headers_free(scm_headers *h)
{
    size_t i;
    if (h == NULL)
        return;
    for (i = 0; i < h->n; i++) {
        OPENSSL_cleanse(h->lines[i], strlen(h->lines[i]));
        free(h->lines[i]);
    }
    free(h->lines);
    free(h);
}

int scm__headers_add(scm_headers *h, const char *name, const char *value)
{
    scm_buf line;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        char **grown = realloc(h->lines, cap * sizeof *grown);
        if (grown == NULL)
            return SCM_E_NOMEM;
        h->lines = grown;
        h->cap = cap;
    }
    scm__buf_init(&line);
    scm__buf_puts(&line, name);
    scm__buf_puts(&line, ": ");
    scm__buf_puts(&line, value);
    if (line.oom) {
        OPENSSL_cleanse(line.data, line.len);
        scm__buf_free(&line);
        return SCM_E_NOMEM;
    }
    h->lines[h->n++] = scm__buf_take(&line);
    return SCM_OK;
}

size_t scm__headers_count(const scm_headers *h)
{
    return h != NULL ? h->n : 0;
}

const char *scm__headers_line(const scm_headers *h, size_t i)
{
    return h->lines[i];
}

const char *scm__headers_get(const scm_headers *h, const char *name)
{
    size_t i, len = strlen(name);
    for (i = 0; i < scm__headers_count(h); i++)
        if (strncasecmp(h->lines[i], name, len) == 0 && h->lines[i][len] == ':')
            return h->lines[i] + len + 2;
    return NULL;
}
