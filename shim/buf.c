/*
 * buf.c - growable byte buffer.
 * owns: the growable byte buffer and its size checks; must not: interpret the bytes it holds.
 */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void scm__buf_init(scm_buf *b)
{
    memset(b, 0, sizeof *b);
}

void scm__buf_free(scm_buf *b)
{
    free(b->data);
    scm__buf_init(b);
}

void scm__buf_reset(scm_buf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* Room for len more bytes and a NUL; SCM_OK, or SCM_E_NOMEM with oom set. */
static int room(scm_buf *b, size_t len)
{
    size_t need, cap = b->cap ? b->cap : 64;
    char *p;
    if (b->oom)
        return SCM_E_NOMEM;
    if (len < b->cap - b->len && b->data != NULL)
        return SCM_OK;
    if (len > SIZE_MAX / 2 - b->len) {
        b->oom = 1;
        return SCM_E_NOMEM;
    }
    need = b->len + len + 1;
    while (cap < need)
        cap *= 2;
    p = realloc(b->data, cap);
    if (p == NULL) {
        b->oom = 1;
        return SCM_E_NOMEM;
    }
    b->data = p;
    b->cap = cap;
    return SCM_OK;
}

int scm__buf_reserve(scm_buf *b, size_t len)
{
    int rc = room(b, len);
    if (rc == SCM_OK)
        b->data[b->len] = '\0';
    return rc;
}

int scm__buf_append(scm_buf *b, const void *data, size_t len)
{
    if (room(b, len) != SCM_OK)
        return SCM_E_NOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return SCM_OK;
}

int scm__buf_puts(scm_buf *b, const char *s)
{
    return scm__buf_append(b, s, strlen(s));
}

int scm__buf_putc(scm_buf *b, char c)
{
    return scm__buf_append(b, &c, 1);
}

char *scm__buf_take(scm_buf *b)
{
    char *p;
    if (b->oom || scm__buf_append(b, "", 0) != SCM_OK) {
        scm__buf_free(b);
        return NULL;
    }
    p = b->data;
    scm__buf_init(b);
    return p;
}

void scm__str_copy(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}
