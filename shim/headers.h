/*
 * headers.h - the header lines of one request ("Name: value"), in order: the
 * library's own list, so no module but the libcurl transport names a libcurl
 * type. The lines may hold a signature or a token: they are wiped when freed.
 */
#ifndef SCM_SHIM_HEADERS_H
#define SCM_SHIM_HEADERS_H

#include "scm_client.h"

#include <stddef.h>

typedef struct scm_headers scm_headers;

/* The most lines a list holds: a request sends at most six (request.c). */
#define SCM_HEADERS_MAX 8

/* An empty list, or NULL on OOM. */
scm_headers *scm__headers_new(void);
void scm__headers_free(scm_headers *h);
/* Appends "name: value"; SCM_OK, or SCM_E_NOMEM (h unchanged; also when h is full). */
int scm__headers_add(scm_headers *h, const char *name, const char *value);
size_t scm__headers_count(const scm_headers *h);
/* Line i ("Name: value"), 0 <= i < count; valid until the next add. */
const char *scm__headers_line(const scm_headers *h, size_t i);
/* The value of the first header called name (case-insensitive), or NULL; valid until the next
 * add. */
const char *scm__headers_get(const scm_headers *h, const char *name);

#endif
