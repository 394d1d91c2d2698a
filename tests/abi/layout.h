/*
 * layout.h - the members of the frozen structs for the layout test: those of
 * scm_cert_details and scm_auth come from the library's descriptor
 * (shim/frozen.h), the others are listed here. Each of layout_frozen.c and
 * layout_ours.c expands them against one header (both use the guard
 * SCM_CLIENT_H, so they cannot share a file).
 */
#ifndef SCM_ABI_LAYOUT_H
#define SCM_ABI_LAYOUT_H

#include "../../shim/frozen.h"

#include <stddef.h>

/* The members the descriptor does not describe: the config, and auth's count. */
#define LAYOUT_MEMBERS(X)                                                                          \
    X(scm_config, endpoint)                                                                        \
    X(scm_config, project_id)                                                                      \
    X(scm_config, access_key)                                                                      \
    X(scm_config, secret_key)                                                                      \
    X(scm_config, auth_token)                                                                      \
    X(scm_config, timeout_ms)                                                                      \
    X(scm_cert_details, auth_count)

#define LAYOUT_CONSTANTS(X)                                                                        \
    X(SCM_OK)                                                                                      \
    X(SCM_E_INVALID_PARAM)                                                                         \
    X(SCM_E_NETWORK)                                                                               \
    X(SCM_E_AUTH)                                                                                  \
    X(SCM_E_NOT_FOUND)                                                                             \
    X(SCM_E_SERVER)                                                                                \
    X(SCM_E_PARSE)                                                                                 \
    X(SCM_E_NOMEM)

struct layout_entry {
    const char *name;
    size_t value; /* offset, size or constant */
};

#endif
