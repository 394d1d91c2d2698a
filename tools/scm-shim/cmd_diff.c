/*
 * cmd_diff.c - scm-shim diff: two captured bodies (legacy and v3) compared offline, per field.
 * owns: reading the two files and printing the summary; must not: compare fields or classify
 * differences itself (audit.c and compare.c do).
 */
#include "audit.h"
#include "cli.h"
#include "convert.h"
#include "details.h"
#include "json.h"
#include "summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fputs("usage: scm-shim diff [--format table|json|csv] [--values] [--fail-on-mismatch]\n"
          "                     LEGACY.json V3.json\n"
          "Compares a body captured from GET /v2/{project_id}/scm/cert/{id} with one from\n"
          "GET /v3/scm/certificates/{id}, offline, with the same classes and output as audit.\n"
          "SCM_SHIM_MAPPING selects a replacement table.\n",
          out);
}

/* Reads and parses one side into an object; CLI_OK or a reported failure. */
static int load_side(const char *path, scm_backend b, const scm_map *map, scm_cert_details **out)
{
    size_t len = 0;
    char *text = cli_read_all(path, &len);
    scm_error why;
    cJSON *doc;
    int rc;

    if (text == NULL)
        return cli_error(CLI_USAGE, "cannot read %s: %s", path, strerror(errno));
    doc = scm__json_parse(text, len);
    free(text);
    if (doc == NULL)
        return cli_error(CLI_FAIL, "%s: not valid JSON", path);
    rc = scm__backend_ops(b)->decode(map, doc, out, &why);
    cJSON_Delete(doc);
    if (rc != SCM_OK)
        return cli_error(CLI_FAIL, "%s: %s", path, rc == SCM_E_NOMEM ? "out of memory" : why.msg);
    return CLI_OK;
}

int cmd_diff(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    summary_opts opts = {SUMMARY_TABLE, 0, 0};
    int nfiles = 0, i, rc, taken;
    scm_cert_details *d[SCM_BACKEND_COUNT] = {NULL, NULL};
    scm_answer answers[SCM_BACKEND_COUNT];
    scm_audit_record *r = NULL;
    summary *sum = NULL;
    const scm_map *map;
    scm_map loaded;
    scm_error err;

    for (i = 1; i < argc; i++) {
        if ((taken = summary_option(&opts, argc, argv, &i)) == CLI_TAKEN)
            continue;
        if (taken != CLI_NOT_OURS)
            return taken;
        if (strcmp(argv[i], "--help") == 0) {
            help(stdout);
            return CLI_OK;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            help(stderr);
            return cli_error(CLI_USAGE, "unexpected argument '%s'", argv[i]);
        } else if (nfiles < 2) {
            files[nfiles++] = argv[i];
        } else {
            return cli_error(CLI_USAGE, "diff takes two files");
        }
    }
    if (nfiles != 2) {
        help(stderr);
        return cli_error(CLI_USAGE, "diff takes LEGACY.json and V3.json");
    }
    if (scm__map_from_env(&loaded, &map, &err) != SCM_OK)
        return cli_error(CLI_USAGE, "%s", err.msg);
    rc = load_side(files[0], SCM_BACKEND_LEGACY, map, &d[SCM_BACKEND_LEGACY]);
    if (rc == CLI_OK)
        rc = load_side(files[1], SCM_BACKEND_V3, map, &d[SCM_BACKEND_V3]);
    if (rc == CLI_OK) {
        memset(answers, 0, sizeof answers);
        r = scm__audit_compare(
            d[SCM_BACKEND_LEGACY]->cert_id[0] ? d[SCM_BACKEND_LEGACY]->cert_id : files[0],
            SCM_BACKEND_V3, answers, (const scm_cert_details *const *)d, opts.values);
        sum = summary_new();
        if (r == NULL || sum == NULL ||
            summary_add(sum, r->cert_id, r->overall, r->fields, r->reasons, r->values, NULL) != 0)
            rc = cli_error(CLI_FAIL, "out of memory");
    }
    if (rc == CLI_OK)
        rc = summary_finish(sum, &opts);
    summary_free(sum);
    scm__audit_record_free(r);
    scm_cert_details_free(d[0]);
    scm_cert_details_free(d[1]);
    scm__map_free(&loaded);
    return rc;
}
