/* fleet.h - running one call per certificate over a fleet: N clients in flight, progress on a
 * terminal. */
#ifndef SCM_SHIM_FLEET_H
#define SCM_SHIM_FLEET_H

#include "cli.h"

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

/* Appends a copy of id to *ids (grown by one); CLI_OK or CLI_FAIL (said). */
int fleet_add_id(char ***ids, size_t *n, const char *id);

/*
 * Checks every ID before any request: bad[i] = 1 (and a line on stderr) for
 * one that cannot be a certificate ID. Returns how many there are.
 */
size_t fleet_unusable_ids(char *const *ids, size_t n, unsigned char *bad);

/* Parses --concurrency's value; 0, or -1 (reported). */
int fleet_concurrency(const char *value, int *out);

#endif
