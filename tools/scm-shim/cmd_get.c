/*
 * cmd_get.c - scm-shim get: one query through the library, the legacy-layout body on stdout.
 * owns: the get command's flags (--backend and --annotate as options); must not: reach past
 * the public API for the query itself.
 */
#include "cli.h"
#include "commands.h"
#include "scm_shim.h"

#include <stdlib.h>
#include <string.h>

int cmd_get(int argc, char **argv)
{
    cli_args a = {cli_command_find("get"), argc, argv, 0};
    const char *cert_id = NULL, *value;
    const cli_option *opt;
    cli_config conf;
    scm_client *client;
    char *body = NULL;
    int rc;

    cli_config_init(&conf);
    while ((rc = cli_next(&a, &opt, &value)) == CLI_NEXT) {
        if (cli_is(opt, "--annotate")) {
            conf.opts.annotate = 1;
        } else if (cli_is(opt, "--backend")) {
            if (strcmp(value, "legacy") != 0 && strcmp(value, "v3") != 0)
                return cli_error(CLI_USAGE, "--backend takes legacy or v3");
            conf.opts.backend = value;
        } else if (opt != NULL) {
            if (cli_connection_option(&conf, opt->name, value) != CLI_TAKEN)
                return CLI_USAGE;
        } else if (cert_id != NULL) {
            return cli_usage_error("get", "one CERT_ID only, not '%s' too", value);
        } else {
            cert_id = value;
        }
    }
    if (rc != CLI_END)
        return rc;
    if (cert_id == NULL)
        return cli_usage_error("get", "no CERT_ID given");
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
