/*
 * frozen.c - the frozen structs' descriptor as data (frozen.h).
 * owns: scm__frozen[], expanded from SCM_FROZEN_FIELDS / SCM_FROZEN_AUTH_FIELDS against
 * include/scm_client.h; must not: know any mapping rule or v3 name.
 */
#include "frozen.h"

#include "scm_client.h"

#include <string.h>

const scm_frozen_field scm__frozen[] = {
#define X(m, key, type) {key, key, 0, SCM_FT_##type, offsetof(scm_cert_details, m)},
    SCM_FROZEN_FIELDS(X)
#undef X
#define X(m, key, type) {SCM_FROZEN_AUTH_PREFIX key, key, 1, SCM_FT_##type, offsetof(scm_auth, m)},
        SCM_FROZEN_AUTH_FIELDS(X)
#undef X
};

_Static_assert(sizeof scm__frozen / sizeof scm__frozen[0] == SCM__FROZEN_COUNT,
               "the field indices do not match the descriptor");

const scm_frozen_field *scm__frozen_find(const char *name)
{
    size_t i;
    for (i = 0; i < SCM__FROZEN_COUNT; i++)
        if (strcmp(scm__frozen[i].name, name) == 0)
            return &scm__frozen[i];
    return NULL;
}
