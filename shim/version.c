/* version.c - scm_shim_version. */
#include "export.h"
#include "scm_shim.h"

#define STR_(x) #x
#define STR(x) STR_(x)

SCM_EXPORT const char *scm_shim_version(void)
{
    return STR(SCM_SHIM_VERSION_MAJOR) "." STR(SCM_SHIM_VERSION_MINOR) "." STR(
        SCM_SHIM_VERSION_PATCH);
}
