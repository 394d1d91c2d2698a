/*
 * main.c - scm-shim: query through the shim, convert v3 bodies offline, print the mapping table.
 * owns: the command list and dispatch; must not: do any command's work.
 */
#include "cli.h"
#include "scm_shim.h"

#include <string.h>

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: scm-shim COMMAND [OPTIONS]\n"
        "Commands:\n"
        "  get [--backend legacy|v3] [--annotate] CERT_ID   the legacy-layout body\n"
        "  convert [FILE|-]                 a v3 body in, legacy body and field report out\n"
        "  mapping [--format markdown|json] the field mapping table\n"
        "  audit [--ids FILE | CERT_ID...]  both backends per certificate: where fields diverge\n"
        "  audit --log FILE                 the same summary over a shadow-mode audit log\n"
        "  diff LEGACY.json V3.json         two captured bodies compared offline\n"
        "  doctor                           checks configuration, endpoints, TLS, auth, clock\n"
        "  capture [--ids FILE | CERT_ID...] keeps what only v2 knows (SCM_SHIM_CAPTURE)\n"
        "  capture --stats|--export|--purge CERT_ID|--purge --all  the capture store\n"
        "  version                          the library version\n"
        "Run 'scm-shim COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "get") == 0)
        return cmd_get(argc - 1, argv + 1);
    if (strcmp(argv[1], "convert") == 0)
        return cmd_convert(argc - 1, argv + 1);
    if (strcmp(argv[1], "mapping") == 0)
        return cmd_mapping(argc - 1, argv + 1);
    if (strcmp(argv[1], "audit") == 0)
        return cmd_audit(argc - 1, argv + 1);
    if (strcmp(argv[1], "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (strcmp(argv[1], "doctor") == 0)
        return cmd_doctor(argc - 1, argv + 1);
    if (strcmp(argv[1], "capture") == 0)
        return cmd_capture(argc - 1, argv + 1);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0 ||
        strcmp(argv[1], "-V") == 0) {
        printf("scm-shim %s\n", scm_shim_version());
        return CLI_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    return cli_error(CLI_USAGE, "unknown command '%s'; 'scm-shim --help' lists the commands",
                     argv[1]);
}
