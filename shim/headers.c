/*
 * headers.c - a request's header list; see headers.h.
 * owns: the lines and their memory; must not: know HTTP or any transport.
 */
#include "headers.h"

#include <openssl/crypto.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * The lines, NUL-terminated one after another in one block (a request's few lines cost one
 * allocation, not one each), and where each starts. The block grows by copying, wiping the
 * old one, so no copy of a signature or token is left in freed memory.
 */
struct scm_headers {
    char *text;
    size_t len, cap;
    size_t off[SCM_HEADERS_MAX];
    size_t n;
};

/* Room for a GET's signed set and an Authorization value without growing. */
#define FIRST_CAP 512

scm_headers *scm__headers_new(void)
{
    return calloc(1, sizeof(scm_headers));
}

void scm__headers_free(scm_headers *h)
{
    if (h == NULL)
        return;
    if (h->text != NULL)
        OPENSSL_cleanse(h->text, h->len);
    free(h->text);
    free(h);
}

/* Makes room for need more bytes; SCM_OK or SCM_E_NOMEM (h unchanged). */
static int reserve(scm_headers *h, size_t need)
{
    size_t cap = h->cap ? h->cap : FIRST_CAP;
    char *grown;
    if (need <= h->cap - h->len)
        return SCM_OK;
    if (need > SIZE_MAX / 2 - h->len)
        return SCM_E_NOMEM;
    while (cap - h->len < need)
        cap *= 2;
    if ((grown = malloc(cap)) == NULL)
        return SCM_E_NOMEM;
    if (h->text != NULL) {
        memcpy(grown, h->text, h->len);
        OPENSSL_cleanse(h->text, h->len);
        free(h->text);
    }
    h->text = grown;
    h->cap = cap;
    return SCM_OK;
}

int scm__headers_add(scm_headers *h, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value);
    char *line;
    if (h->n == SCM_HEADERS_MAX || reserve(h, nl + 2 + vl + 1) != SCM_OK)
        return SCM_E_NOMEM;
    line = h->text + h->len;
    memcpy(line, name, nl);
    memcpy(line + nl, ": ", 2);
    memcpy(line + nl + 2, value, vl + 1);
    h->off[h->n++] = h->len;
    h->len += nl + 2 + vl + 1;
    return SCM_OK;
}

size_t scm__headers_count(const scm_headers *h)
{
    return h != NULL ? h->n : 0;
}

const char *scm__headers_line(const scm_headers *h, size_t i)
{
    return h->text + h->off[i];
}

const char *scm__headers_get(const scm_headers *h, const char *name)
{
    size_t i, len = strlen(name);
    for (i = 0; i < scm__headers_count(h); i++) {
        const char *line = scm__headers_line(h, i);
        if (strncasecmp(line, name, len) == 0 && line[len] == ':')
            return line + len + 2;
    }
    return NULL;
}
