/* buf.h - growable NUL-terminated byte buffer used to build requests and bodies. */
#ifndef SCM_SHIM_BUF_H
#define SCM_SHIM_BUF_H

#include "scm_client.h"

#include <stddef.h>

typedef struct scm_buf {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    int oom; /* sticky: set on the first failed allocation */
} scm_buf;

void scm__buf_init(scm_buf *b);
void scm__buf_free(scm_buf *b);
void scm__buf_reset(scm_buf *b);
/*
 * The appends return SCM_OK, or SCM_E_NOMEM when this or an earlier append
 * failed (oom is sticky, so a builder may check once at the end).
 */
int scm__buf_append(scm_buf *b, const void *data, size_t len);
/* Room for len more bytes in one allocation, for a builder that knows about how much it writes. */
int scm__buf_reserve(scm_buf *b, size_t len);
int scm__buf_puts(scm_buf *b, const char *s);
int scm__buf_putc(scm_buf *b, char c);
/* Transfers ownership of the data to the caller (malloc'd, NUL-terminated) or NULL on OOM. */
char *scm__buf_take(scm_buf *b);

/* src into dst (size > 0 bytes), cut to size - 1 bytes and terminated: snprintf's "%s" without
 * printf. */
void scm__str_copy(char *dst, size_t size, const char *src);

#endif
