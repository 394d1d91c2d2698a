/*
 * version.c - scm_shim_version.
 * owns: the version string (from scm_shim.h's SCM_SHIM_VERSION_*); must not: depend on any
 * other module, so every tool can report the version of the library it loaded.
 */
#include "export.h"
#include "scm_shim.h"

#define STR_(x) #x
#define STR(x) STR_(x)

SCM_EXPORT const char *scm_shim_version(void)
{
    return STR(SCM_SHIM_VERSION_MAJOR) "." STR(SCM_SHIM_VERSION_MINOR) "." STR(
        SCM_SHIM_VERSION_PATCH);
}
