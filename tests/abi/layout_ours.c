/*
 * layout_ours.c - offsets, sizes and constants as our header declares them.
 * owns: expanding layout.h and shim/frozen.h against include/scm_client.h; must not:
 * include the frozen copy (layout_frozen.c does).
 */
#include "scm_client.h"
#include "layout.h"

#define MEMBER(type, m)                                                                            \
    {#type "." #m " offset", offsetof(type, m)}, {#type "." #m " size", sizeof(((type *)0)->m)},
#define DETAILS_MEMBER(m, key, type) MEMBER(scm_cert_details, m)
#define AUTH_MEMBER(m, key, type) MEMBER(scm_auth, m)
#define CONSTANT(c) {#c, (size_t)(c)},

const struct layout_entry layout_ours[] = {
    LAYOUT_MEMBERS(MEMBER) SCM_FROZEN_FIELDS(DETAILS_MEMBER) SCM_FROZEN_AUTH_FIELDS(AUTH_MEMBER)
        LAYOUT_CONSTANTS(CONSTANT){"sizeof scm_config", sizeof(scm_config)},
    {"sizeof scm_auth", sizeof(scm_auth)},
    {"sizeof scm_cert_details", sizeof(scm_cert_details)},
    {0, 0}};
