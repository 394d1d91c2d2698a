/* fleet.h - running one call per certificate over a fleet: N clients in flight, progress on a
 * terminal. */
#ifndef SCM_SHIM_FLEET_H
#define SCM_SHIM_FLEET_H

#include "cli.h"
#include "listing.h"

#include <stddef.h>

#define FLEET_MAX_CONCURRENCY 256

/* One item's work on a worker's own client; its outcome is the callee's to record. */
typedef void (*fleet_fn)(scm_client *client, size_t index, void *ctx);

/*
 * Calls fn for items 0..n-1 but those skip marks (skip may be NULL) from
 * `concurrency` threads, each with its own
 * client made from conf (checked once first: CLI_USAGE when unusable). Shows
 * "<verb> i/n" on stderr when it is a terminal and the run takes more than
 * a moment. Returns CLI_OK, CLI_USAGE or CLI_FAIL.
 */
int fleet_run(const cli_config *conf, size_t n, const unsigned char *skip, int concurrency,
              const char *verb, fleet_fn fn, void *ctx);

/*
 * Reads certificate IDs, one per line, spaces and tabs around them trimmed
 * ('#' comments and blank lines skipped); CLI_OK or a reported error.
 */
int fleet_read_ids(const char *path, char ***ids, size_t *n);

/* What audit and capture read the same way from their command lines: the certificates. */
typedef struct fleet_args {
    const char *ids_file; /* --ids FILE */
    char **ids;           /* the CERT_ID operands, copied, then the file's */
    size_t nids;
    int concurrency;     /* --concurrency N */
    listing_opts list;   /* --all and its filters: the IDs from v3 ListCertificates */
    int list_incomplete; /* the listing may have missed certificates (listing_ids) */
} fleet_args;

#define FLEET_ARGS_INIT                                                                            \
    {                                                                                              \
        NULL, NULL, 0, 8, LISTING_OPTS_INIT, 0                                                     \
    }

/* A fleet command's own options: CLI_TAKEN, CLI_NOT_OURS, or the exit status (said). */
struct cli_option;
typedef int (*fleet_own_option)(void *ctx, const struct cli_option *opt, const char *value);

/*
 * Reads a fleet command's argv: CERT_IDs, --ids and --concurrency into *f, its own options
 * through own, the connection options into conf. CLI_END, or the exit status (said).
 */
int fleet_parse(const char *command, int argc, char **argv, cli_config *conf, fleet_args *f,
                fleet_own_option own, void *ctx);
/*
 * Adds --ids' file to the IDs, or with --all every certificate v3 lists (on a client made from
 * conf), once the command line is read whole; CLI_OK, or said: CLI_USAGE, or list_failed when
 * the listing could not be read. f->list_incomplete says whether the listing may have missed
 * certificates: the command must then not exit 0.
 */
int fleet_args_read(const cli_config *conf, fleet_args *f, int list_failed);
void fleet_args_free(fleet_args *f);

/*
 * Checks every ID before any request: bad[i] = 1 (and a line on stderr) for
 * one that cannot be a certificate ID. Returns how many there are.
 */
size_t fleet_unusable_ids(char *const *ids, size_t n, unsigned char *bad);

/* Parses --concurrency's value; 0, or -1 (reported). */
int fleet_concurrency(const char *value, int *out);

#endif
