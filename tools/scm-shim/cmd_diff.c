/*
 * cmd_diff.c - scm-shim diff: two captured bodies (legacy and v3) compared offline, per field.
 * owns: its arguments, reading the two files (refused the wrong way round) and printing the
 * summary; must not: compare fields or classify
 * differences itself (audit.c and compare.c do).
 */
#include "audit.h"
#include "body.h"
#include "cli.h"
#include "commands.h"
#include "convert.h"
#include "details.h"
#include "json.h"
#include "report_html.h"
#include "summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Reads and parses one file into *doc; CLI_OK or a reported failure. */
static int load(const char *path, cJSON **doc)
{
    size_t len = 0;
    char *text = cli_read_all(path, &len);
    if (text == NULL)
        return cli_error(CLI_USAGE, "cannot read %s: %s", path, strerror(errno));
    *doc = scm__json_parse(text, len);
    free(text);
    return *doc != NULL ? CLI_OK : cli_error(CLI_USAGE, "%s: not valid JSON", path);
}

/* Decodes one side; CLI_OK or a reported failure. */
static int decode(const char *path, const cJSON *doc, scm_backend b, const scm_map *map,
                  scm_cert_details **out)
{
    scm_error why;
    int rc = scm__backend_ops(b)->decode(map, doc, out, &why);
    if (rc == SCM_E_NOMEM)
        return cli_error(CLI_FAIL, "out of memory");
    return rc == SCM_OK ? CLI_OK : cli_error(CLI_USAGE, "%s: %s", path, why.msg);
}

/* Both sides decoded, once they are known not to be the wrong way round. */
static int load_sides(const char *const files[2], const scm_map *map, scm_cert_details **d)
{
    cJSON *doc[2] = {NULL, NULL};
    int rc = load(files[0], &doc[0]);
    if (rc == CLI_OK)
        rc = load(files[1], &doc[1]);
    if (rc == CLI_OK && body_kind_of(doc[0], NULL) == BODY_V3 &&
        body_kind_of(doc[1], NULL) == BODY_LEGACY)
        rc = cli_error(CLI_USAGE, "the first file is a v3 body and the second a legacy one: "
                                  "swapped? diff takes LEGACY.json V3.json");
    if (rc == CLI_OK)
        rc = decode(files[0], doc[0], SCM_BACKEND_LEGACY, map, &d[SCM_BACKEND_LEGACY]);
    if (rc == CLI_OK)
        rc = decode(files[1], doc[1], SCM_BACKEND_V3, map, &d[SCM_BACKEND_V3]);
    cJSON_Delete(doc[0]);
    cJSON_Delete(doc[1]);
    return rc;
}

int cmd_diff(int argc, char **argv)
{
    cli_args a = {cli_command_find("diff"), argc, argv, 0};
    const char *files[2] = {NULL, NULL}, *value;
    summary_opts opts = SUMMARY_OPTS_INIT;
    const cli_option *opt;
    int nfiles = 0, rc;
    scm_cert_details *d[SCM_BACKEND_COUNT] = {NULL, NULL};
    scm_answer answers[SCM_BACKEND_COUNT];
    scm_audit_record *r = NULL;
    summary *sum = NULL;
    const scm_map *map;
    scm_map loaded;
    scm_error err;

    if ((rc = report_html_take_page(&argc, argv, &opts)) != CLI_OK)
        return rc;
    a.argc = argc;
    while ((rc = cli_next(&a, &opt, &value)) == CLI_NEXT) {
        if (opt != NULL) {
            if (summary_option(&opts, opt->name, value) != CLI_TAKEN)
                return CLI_USAGE;
        } else if (nfiles < 2) {
            files[nfiles++] = value;
        } else {
            return cli_usage_error("diff", "two files only, not '%s' too", value);
        }
    }
    if (rc != CLI_END)
        return rc;
    if (nfiles != 2)
        return cli_usage_error("diff", "needs LEGACY.json and V3.json");
    if (scm__map_from_env(&loaded, &map, &err) != SCM_OK)
        return cli_error(CLI_USAGE, "%s", err.msg);
    rc = load_sides(files, map, d);
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
