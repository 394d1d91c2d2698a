/* buf.h - growable NUL-terminated byte buffer used to build requests and bodies. */
#ifndef SCM_SHIM_BUF_H
#define SCM_SHIM_BUF_H

#include <stddef.h>

typedef struct scm_buf {
    char  *data;   /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    int    oom;    /* sticky: set on the first failed allocation */
} scm_buf;

void  scm_buf_init(scm_buf *b);
void  scm_buf_free(scm_buf *b);
void  scm_buf_reset(scm_buf *b);
int   scm_buf_append(scm_buf *b, const void *data, size_t len);
int   scm_buf_puts(scm_buf *b, const char *s);
int   scm_buf_putc(scm_buf *b, char c);
/* Transfers ownership of the data to the caller (malloc'd, NUL-terminated) or NULL on OOM. */
char *scm_buf_take(scm_buf *b);

#endif
