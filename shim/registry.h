/*
 * registry.h - the objects this library has handed out and not yet freed, by
 * address. A pointer the caller made itself (a stack struct, its own malloc)
 * is not in it, so the public entry points can refuse it without reading a
 * byte past the frozen struct. Thread-safe.
 */
#ifndef SCM_SHIM_REGISTRY_H
#define SCM_SHIM_REGISTRY_H

#include "scm_client.h"

/* Records p; SCM_OK, or SCM_E_NOMEM. */
int scm__registry_add(const void *p);
/* Forgets p; 1 when it was recorded, 0 when not. */
int scm__registry_remove(const void *p);
/* 1 when p is recorded. */
int scm__registry_has(const void *p);

#endif
