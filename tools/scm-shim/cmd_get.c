/*
 * cmd_get.c - scm-shim get: one query through the library, the legacy-layout body on stdout.
 * owns: the get command's flags (--backend and --annotate as options); must not: reach past
 * the public API for the query itself.
 */
#include "cli.h"
#include "scm_shim.h"

#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fputs("usage: scm-shim get [--backend legacy|v3] [--annotate] [OPTIONS] CERT_ID\n"
          "Prints the certificate's body in the legacy layout, as scm_query_cert_details_json\n"
          "returns it. --backend and --annotate override SCM_SHIM_BACKEND and SCM_SHIM_ANNOTATE.\n",
          out);
    cli_config_help(out);
}

int cmd_get(int argc, char **argv)
{
    const char *cert_id = NULL;
    cli_config conf;
    scm_client *client;
    char *body = NULL;
    int i, rc;

    cli_config_init(&conf);
    for (i = 1; i < argc; i++) {
        int taken = cli_shared_option(&conf, argc, argv, &i, help);
        if (taken == CLI_TAKEN)
            continue;
        if (taken != CLI_NOT_OURS)
            return taken;
        if (strcmp(argv[i], "--annotate") == 0) {
            conf.opts.annotate = 1;
        } else if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
            if (strcmp(argv[i + 1], "legacy") != 0 && strcmp(argv[i + 1], "v3") != 0)
                return cli_error(CLI_USAGE, "--backend takes legacy or v3");
            conf.opts.backend = argv[++i];
        } else if (argv[i][0] == '-' || cert_id != NULL) {
            help(stderr);
            return cli_error(CLI_USAGE, "unexpected argument '%s'", argv[i]);
        } else {
            cert_id = argv[i];
        }
    }
    if (cert_id == NULL) {
        help(stderr);
        return cli_error(CLI_USAGE, "no CERT_ID given");
    }
    client = cli_client_new(&conf);
    if (client == NULL)
        return CLI_USAGE; /* the library said why on stderr */
    rc = scm_query_cert_details_json(client, cert_id, &body);
    if (rc == SCM_OK) {
        fputs(body, stdout);
    } else {
        cli_error(CLI_FAIL, "%s: error %d, HTTP %ld, %s: %s", cert_id, rc,
                  scm_client_http_status(client), scm_client_error_code(client),
                  scm_client_error_msg(client));
    }
    scm_free(body);
    scm_client_free(client);
    return rc == SCM_OK ? CLI_OK : CLI_FAIL;
}
