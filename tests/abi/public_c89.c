/* public_c89.c - compiled with -std=c89 -pedantic -Werror: the public headers stay C89-clean. */
#include "scm_client.h"
#include "scm_shim.h"

int public_c89_compiles(void);
int public_c89_compiles(void)
{
    return SCM_OK;
}
