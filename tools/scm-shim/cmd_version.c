/*
 * cmd_version.c - scm-shim version: the version of the library the command runs on.
 * owns: that one line; must not: read any configuration.
 */
#include "cli.h"
#include "commands.h"
#include "scm_shim.h"

int cmd_version(int argc, char **argv)
{
    cli_args a = {cli_command_find("version"), argc, argv, 0};
    const cli_option *opt;
    const char *value;
    int rc = cli_next(&a, &opt, &value);
    if (rc == CLI_NEXT)
        return cli_usage_error("version", "unexpected argument '%s'", value);
    if (rc != CLI_END)
        return rc;
    printf("scm-shim %s\n", scm_shim_version());
    return CLI_OK;
}
