/* cli.h - shared pieces of the scm-shim command's subcommands. */
#ifndef SCM_SHIM_CLI_H
#define SCM_SHIM_CLI_H

#include "scm_client.h"
#include "scm_shim.h"

#include <stdio.h>

/* Exit statuses of every subcommand. */
#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2
/* A go/no-go command could not do all of its job (certificates not compared or not captured). */
#define CLI_INCOMPLETE 3

/* Prints "scm-shim: <message>" on stderr; returns status. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Client configuration from flags over the environment the legacy samples use
 * (SCM_ENDPOINT, SCM_PROJECT_ID, SCM_AK, SCM_SK, SCM_TOKEN; the library adds
 * HUAWEICLOUD_SDK_* and SCM_SHIM_*). Secrets come only from the environment.
 * What a flag or a command sets goes to the library as an option, never
 * through the environment.
 */
typedef struct cli_config {
    scm_config cfg;
    scm_shim_client_options opts;
} cli_config;

void cli_config_init(cli_config *c);
/* scm_shim_client_new(&c->cfg, &c->opts); NULL when unusable (the library said why on stderr). */
scm_client *cli_client_new(const cli_config *c);
/* What an option handler did with an option, besides CLI_USAGE (reported). */
#define CLI_TAKEN (-1)
#define CLI_NOT_OURS (-2)

/*
 * Applies one of the connection options every command making a client takes (see
 * commands.c): --endpoint, --region (over HUAWEICLOUD_SDK_REGION), --project-id, --timeout-ms.
 * Returns CLI_TAKEN, CLI_NOT_OURS, or CLI_USAGE for a bad value (reported).
 */
int cli_connection_option(cli_config *c, const char *opt, const char *value);

/*
 * Prints doc on stdout with two-space indents and ": " separators (cJSON's
 * formatter uses tabs; strings never hold a literal tab, cJSON escapes it).
 * Returns CLI_OK, or CLI_FAIL on OOM.
 */
struct cJSON;
int cli_print_json(const struct cJSON *doc);

/* Reads a whole file ("-" = stdin); malloc'd, NUL-terminated, length in *len. */
char *cli_read_all(const char *path, size_t *len);

#endif
