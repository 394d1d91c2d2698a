/*
 * map_identity.c - the identity table of the legacy API (scm__map_legacy):
 * each frozen field copied from its own legacy member, so that a legacy body
 * is read by the same engine (convert.c) as a v3 one.
 * owns: that table, generated from frozen.h; must not: hold any rule of the
 * v3 mapping (mapping/mapping.json does).
 */
#include "maptable.h"

#define IDENTITY_RULE_STRING SCM_RULE_COPY
#define IDENTITY_RULE_INT SCM_RULE_COPY
#define IDENTITY_RULE_ARRAY SCM_RULE_EACH

/* A top-level member read from the member of its own key; an element member from the element's. */
#define TOP(m, key, type)                                                                          \
    {&scm__frozen[SCM__FIELD_##m],                                                                 \
     {{{{key, NULL, key, 0}}, 1}},                                                                 \
     1,                                                                                            \
     IDENTITY_RULE_##type,                                                                         \
     SCM_CLASS_EXACT,                                                                              \
     NULL,                                                                                         \
     0,                                                                                            \
     "the legacy member " key,                                                                     \
     NULL},
#define AUTH(m, key, type)                                                                         \
    {&scm__frozen[SCM__AUTH_##m],                                                                  \
     {{{{SCM_FROZEN_AUTH_PREFIX key, SCM_FROZEN_AUTH_ARRAY, key, 1}}, 1}},                         \
     1,                                                                                            \
     IDENTITY_RULE_##type,                                                                         \
     SCM_CLASS_EXACT,                                                                              \
     NULL,                                                                                         \
     0,                                                                                            \
     "the legacy element member " key,                                                             \
     NULL},

static const scm_map_row rows[] = {SCM_FROZEN_FIELDS(TOP) SCM_FROZEN_AUTH_FIELDS(AUTH)};

const scm_map scm__map_legacy = {SCM_API_LEGACY, rows, SCM__FROZEN_COUNT, NULL};
