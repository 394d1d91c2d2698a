/* main.c - uses the installed headers and library. */
#include <scm_client.h>
#include <scm_shim.h>
#include <stdio.h>

int main(void)
{
    printf("scmshim %s\n", scm_shim_version());
    return scm_client_error_code(NULL)[0] == '\0' ? 0 : 1;
}
