/*
 * listing.c - `--all`: the account's certificates as the fleet's ID list; see listing.h.
 * owns: the listing options, the listing's progress and count line; must not: page or read
 * the service's answers (the library's scm__client_list does) or run the fleet (fleet.c).
 */
#include "listing.h"

#include "list.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int listing_option(listing_opts *o, const char *name, const char *value)
{
    if (strcmp(name, "--all") == 0) {
        o->all = 1;
    } else if (strcmp(name, "--status") == 0) {
        o->status = value;
    } else if (strcmp(name, "--enterprise-project-id") == 0) {
        o->enterprise_project_id = value;
    } else if (strcmp(name, "--page-size") == 0) {
        if (strcmp(value, "10") != 0 && strcmp(value, "20") != 0 && strcmp(value, "50") != 0)
            return cli_error(CLI_USAGE, "--page-size takes 10, 20 or 50");
        o->page_size = atoi(value);
    } else {
        return CLI_NOT_OURS;
    }
    return CLI_TAKEN;
}

int listing_check(const listing_opts *o, int has_others)
{
    if (!o->all && (o->status != NULL || o->enterprise_project_id != NULL || o->page_size != 0))
        return cli_error(CLI_USAGE,
                         "--status, --enterprise-project-id and --page-size go with --all");
    if (o->all && has_others)
        return cli_error(CLI_USAGE, "--all goes alone: no certificate IDs, --ids, --log or store "
                                    "action with it");
    return CLI_OK;
}

/* What the pages said of the account while they were read. */
typedef struct paging {
    int shown;          /* "listed i/N" on a terminal */
    size_t pages;       /* pages read so far */
    size_t first_total; /* the first page's total_count */
    int total_changed;  /* a later page's total_count differed from it */
} paging;

/* After each page: the total_count kept track of, and "listed i/N" over itself on a terminal. */
static void progress(size_t found, size_t total_count, void *ctx)
{
    paging *p = ctx;
    if (p->pages++ == 0)
        p->first_total = total_count;
    else if (total_count != p->first_total)
        p->total_changed = 1;
    if (p->shown)
        fprintf(stderr, "\rlisted %zu/%zu", found, total_count);
}

int listing_ids(const cli_config *conf, const listing_opts *o, int fail_status, char ***ids,
                size_t *n, int *incomplete)
{
    paging p = {isatty(2), 0, 0, 0};
    scm_list_filter f = {o->status, o->enterprise_project_id, o->page_size, progress, &p};
    cli_config quiet = *conf;
    char **found = NULL, **grown;
    size_t nfound = 0, total = 0, k;
    scm_client *c;
    int rc;

    *incomplete = 0;
    /* Listing is neither a query to shadow nor one to capture. */
    quiet.opts.shadow = 0;
    quiet.opts.capture = "";
    if ((c = cli_client_new(&quiet)) == NULL)
        return CLI_USAGE;
    rc = scm__client_list(c, &f, &found, &nfound, &total);
    if (p.shown && p.pages > 0)
        fputc('\n', stderr);
    if (rc != SCM_OK) {
        rc = cli_error(rc == SCM_E_INVALID_PARAM ? CLI_USAGE : fail_status,
                       "cannot list the certificates: %s", scm_client_error_msg(c));
        scm_client_free(c);
        return rc;
    }
    scm_client_free(c);
    if (nfound != total)
        fprintf(stderr,
                "listed %zu certificates (total_count %zu: they differ; the account changed "
                "while it was listed, or the service counts otherwise)\n",
                nfound, total);
    else if (p.total_changed)
        fprintf(stderr,
                "listed %zu certificates (total_count %zu, %zu on the first page: the account "
                "changed while it was listed)\n",
                nfound, total, p.first_total);
    else
        fprintf(stderr, "listed %zu certificates (total_count %zu)\n", nfound, total);
    /* Offset paging over a changing account shifts the pages: one added before the offset
     * repeats an item, one removed skips one nobody saw. Either way certificates may be missing,
     * and a run that may not have seen every certificate must not look like a complete one. */
    if (nfound != total || p.total_changed) {
        *incomplete = 1;
        cli_error(CLI_FAIL, "the listing may have missed certificates: the run counts as "
                            "incomplete (run it again to list the account at rest)");
    }
    grown = realloc(*ids, (*n + nfound + 1) * sizeof *grown);
    if (grown != NULL) {
        *ids = grown;
        for (k = 0; k < nfound; k++)
            (*ids)[(*n)++] = found[k];
    } else {
        for (k = 0; k < nfound; k++)
            free(found[k]);
    }
    free(found);
    return grown != NULL ? CLI_OK : cli_error(CLI_FAIL, "out of memory");
}
