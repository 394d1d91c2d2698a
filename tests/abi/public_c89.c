/* public_c89.c - compiled with -std=c89 -pedantic -Werror: the public headers stay C89-clean. */
#include "scm_client.h"
#include "scm_shim.h"

int public_c89_compiles(void);
int public_c89_compiles(void)
{
    /* The options initialiser is a C89 aggregate initialiser too. */
    scm_shim_client_options options = SCM_SHIM_CLIENT_OPTIONS_INIT;
    return options.version == SCM_SHIM_CLIENT_OPTIONS_VERSION ? SCM_OK : SCM_E_INVALID_PARAM;
}
