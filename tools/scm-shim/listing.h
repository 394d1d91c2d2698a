/* listing.h - `--all` for the fleet commands: every certificate of the account as an ID list,
 * through v3 ListCertificates, with its progress and its count line. */
#ifndef SCM_SHIM_LISTING_H
#define SCM_SHIM_LISTING_H

#include "cli.h"

#include <stddef.h>

typedef struct listing_opts {
    int all;                           /* --all */
    const char *status;                /* --status S, e.g. ISSUED (ALL: every status) */
    const char *enterprise_project_id; /* --enterprise-project-id ID (all: every project) */
    int page_size;                     /* --page-size 10|20|50; 0: 50 */
} listing_opts;

#define LISTING_OPTS_INIT                                                                          \
    {                                                                                              \
        0, NULL, NULL, 0                                                                           \
    }

/*
 * Applies --all, --status, --enterprise-project-id or --page-size (value: its argument):
 * CLI_TAKEN, CLI_NOT_OURS, or CLI_USAGE (said) for a page size other than 10, 20 or 50.
 */
int listing_option(listing_opts *o, const char *name, const char *value);

/*
 * CLI_USAGE (said) when o's options do not go with the rest of the command line: filters
 * without --all, or --all with another source of IDs or another job (has_others); else CLI_OK.
 */
int listing_check(const listing_opts *o, int has_others);

/*
 * Appends the ID of every certificate the listing finds to *ids (*n of them), on a client made
 * from conf; "listed i/N" on stderr while it runs when stderr is a terminal, then always the
 * line "listed N certificates (total_count M)", saying so when N and M differ or total_count
 * changed from page to page. *incomplete is then 1 (said on stderr): the account changed while
 * it was paged, or the service miscounts, so certificates may be missing from the list. Returns
 * CLI_OK, CLI_USAGE (configuration, said) or fail_status when the list could not be read (said).
 */
int listing_ids(const cli_config *conf, const listing_opts *o, int fail_status, char ***ids,
                size_t *n, int *incomplete);

#endif
