/*
 * main.c - scm-shim: query through the shim, convert v3 bodies offline, print the mapping table.
 * owns: the dispatch to the commands of commands.h; must not: do any command's work or hold
 * help text (commands.c does).
 */
#include "cli.h"
#include "commands.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_error(CLI_USAGE, "no command given; 'scm-shim --help' lists the commands");
#define CLI_RUN(name)                                                                              \
    if (strcmp(argv[1], #name) == 0)                                                               \
        return cmd_##name(argc - 1, argv + 1);
    CLI_COMMANDS(CLI_RUN)
#undef CLI_RUN
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
        return cmd_version(argc - 1, argv + 1);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        cli_usage(stdout);
        return CLI_OK;
    }
    /* Not listed: the build runs it to write completion.bash from the table. */
    if (argc == 3 && strcmp(argv[1], "--completion") == 0 && strcmp(argv[2], "bash") == 0) {
        cli_completion_bash(stdout);
        return CLI_OK;
    }
    return cli_unknown_command(argv[1]);
}
