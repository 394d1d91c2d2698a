/*
 * cmd_audit.c - scm-shim audit: asks both backends for every certificate of a
 * fleet (N in flight) and prints where they diverge, per field; or the same
 * summary over a shadow-mode audit log (--log).
 * owns: the audit command's flags, its fleet job and log reading; must not: compare fields
 * itself (compare.c/audit.c do) or format the summary (summary.c does).
 */
#include "audit.h"
#include "cli.h"
#include "commands.h"
#include "fleet.h"
#include "json.h"
#include "listing.h"
#include "report_html.h"
#include "suggest.h"
#include "summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* What the workers fill in, by input position. */
typedef struct audit_job {
    char **ids;
    int values;
    scm_audit_record **records;
    char **failures; /* why a record is missing */
} audit_job;

static void audit_one(scm_client *c, size_t i, void *ctx)
{
    audit_job *j = ctx;
    if (scm__client_audit(c, j->ids[i], j->values, &j->records[i]) != SCM_OK)
        j->failures[i] = strdup(scm_client_error_msg(c));
}

/* Errors of both sides for the summary: {"legacy": {...}, "v3": {...}}. */
static cJSON *record_errors(const scm_audit_record *r)
{
    cJSON *o = cJSON_CreateObject();
    int b;
    for (b = 0; b < SCM_BACKEND_COUNT; b++) {
        cJSON *s = cJSON_AddObjectToObject(o, scm__backend_name((scm_backend)b));
        cJSON_AddNumberToObject(s, "rc", r->side[b].rc);
        cJSON_AddNumberToObject(s, "http_status", (double)r->side[b].http_status);
        cJSON_AddStringToObject(s, "error_code", r->side[b].error_code);
    }
    return o;
}

/* An input line that is no certificate ID: an error of the audit, not of either backend. */
static int add_unusable_id(summary *sum, const char *id)
{
    scm_cmp *cls = calloc(SCM__FROZEN_COUNT, sizeof *cls);
    cJSON *errors = cJSON_CreateObject(), *input = cJSON_AddObjectToObject(errors, "input");
    size_t i;
    int rc;
    for (i = 0; cls != NULL && i < SCM__FROZEN_COUNT; i++)
        cls[i] = SCM_CMP_ERROR;
    rc = cls != NULL && input != NULL &&
                 cJSON_AddStringToObject(input, "error_code", "not a certificate ID") != NULL &&
                 summary_add(sum, id, SCM_CMP_ERROR, cls, NULL, NULL, errors) == 0
             ? CLI_OK
             : cli_error(CLI_FAIL, "out of memory");
    cJSON_Delete(errors);
    free(cls);
    return rc;
}

static int run_fleet(cli_config *conf, char **ids, size_t nids, int concurrency, int values,
                     summary *sum, suggest *sg)
{
    audit_job j = {ids, sg != NULL ? SCM_AUDIT_VALUES_ALL : values,
                   calloc(nids ? nids : 1, sizeof *j.records),
                   calloc(nids ? nids : 1, sizeof *j.failures)};
    unsigned char *bad = calloc(nids ? nids : 1, 1);
    size_t i;
    int rc;

    if (j.records == NULL || j.failures == NULL || bad == NULL) {
        free(j.records);
        free(j.failures);
        free(bad);
        return cli_error(CLI_FAIL, "out of memory");
    }
    /* Every ID is checked before the first request: a bad line costs only itself. */
    fleet_unusable_ids(ids, nids, bad);
    rc = fleet_run(conf, nids, bad, concurrency, "audited", audit_one, &j);
    for (i = 0; i < nids; i++) {
        scm_audit_record *r = j.records[i];
        if (rc == CLI_OK && bad[i]) {
            rc = add_unusable_id(sum, ids[i]);
        } else if (rc == CLI_OK && r == NULL) {
            /* An unusable ID or configuration: say so and stop. */
            rc = cli_error(CLI_USAGE, "%s: %s", ids[i], j.failures[i] ? j.failures[i] : "failed");
        } else if (rc == CLI_OK) {
            cJSON *errors = r->overall == SCM_CMP_ERROR ? record_errors(r) : NULL;
            if (summary_add(sum, r->cert_id, r->overall, r->fields, r->reasons,
                            values ? r->values : NULL, errors) != 0 ||
                (r->overall != SCM_CMP_ERROR &&
                 suggest_add(sg, r->cert_id, r->fields, r->values, r->v3_members) != 0))
                rc = cli_error(CLI_FAIL, "out of memory");
            cJSON_Delete(errors);
        }
        scm__audit_record_free(r);
        free(j.failures[i]);
    }
    free(j.records);
    free(j.failures);
    free(bad);
    return rc;
}

/* Whether a parsed line has what add_log_line reads. */
static int is_record(const cJSON *line)
{
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(line, "result");
    int c;
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(line, "cert_id")) ||
        !cJSON_IsString(result) ||
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(line, "fields")))
        return 0;
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        if (strcmp(result->valuestring, scm__cmp_name((scm_cmp)c)) == 0)
            return 1;
    return 0;
}

/* One audit-log line into the summary: unknown fields are ignored, missing ones count as error. */
static int add_log_line(summary *sum, suggest *sg, const cJSON *line, int values, size_t lineno)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(line, "cert_id");
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(line, "result");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(line, "fields");
    const cJSON *reasons = cJSON_GetObjectItemCaseSensitive(line, "reasons");
    scm_cmp *cls, overall = SCM_CMP_COUNT_;
    scm_cmp_reason *why;
    cJSON *errors = NULL;
    size_t i;
    int c, rc;

    if (!cJSON_IsString(id) || !cJSON_IsString(result) || !cJSON_IsObject(fields))
        return cli_error(CLI_FAIL, "line %zu: not an audit record", lineno);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        if (strcmp(result->valuestring, scm__cmp_name((scm_cmp)c)) == 0)
            overall = (scm_cmp)c;
    if (overall == SCM_CMP_COUNT_)
        return cli_error(CLI_FAIL, "line %zu: unknown result \"%s\"", lineno, result->valuestring);
    cls = calloc(SCM__FROZEN_COUNT, sizeof *cls);
    why = calloc(SCM__FROZEN_COUNT, sizeof *why);
    if (cls == NULL || why == NULL) {
        free(cls);
        free(why);
        return cli_error(CLI_FAIL, "out of memory");
    }
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(fields, scm__frozen[i].name);
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(reasons, scm__frozen[i].name);
        /* Lines written before reasons were recorded leave them unknown. */
        why[i] = cJSON_IsString(w) ? scm__cmp_reason_from_name(w->valuestring) : SCM_WHY_NONE;
        cls[i] = SCM_CMP_ERROR;
        for (c = 0; cJSON_IsString(f) && c < SCM_CMP_COUNT_; c++)
            if (strcmp(f->valuestring, scm__cmp_name((scm_cmp)c)) == 0)
                cls[i] = (scm_cmp)c;
    }
    if (overall == SCM_CMP_ERROR && (errors = cJSON_CreateObject()) != NULL) {
        cJSON_AddItemToObject(errors, "legacy",
                              cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(line, "legacy"), 1));
        cJSON_AddItemToObject(errors, "v3",
                              cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(line, "v3"), 1));
    }
    rc = summary_add(sum, id->valuestring, overall, cls, why,
                     values ? cJSON_GetObjectItemCaseSensitive(line, "values") : NULL, errors);
    if (rc == 0 && overall != SCM_CMP_ERROR)
        rc = suggest_add(sg, id->valuestring, cls, cJSON_GetObjectItemCaseSensitive(line, "values"),
                         NULL);
    cJSON_Delete(errors);
    free(cls);
    free(why);
    return rc == 0 ? CLI_OK : cli_error(CLI_FAIL, "out of memory");
}

static int run_log(const char *path, int values, summary *sum, suggest *sg)
{
    size_t len = 0, lineno = 0;
    char *text = cli_read_all(path, &len), *line, *save = NULL;
    int rc = CLI_OK;
    if (text == NULL)
        return cli_error(CLI_USAGE, "cannot read %s: %s", path, strerror(errno));
    for (line = strtok_r(text, "\n", &save); line != NULL && rc == CLI_OK;
         line = strtok_r(NULL, "\n", &save)) {
        cJSON *doc = scm__json_parse(line, strlen(line));
        lineno++;
        if (doc == NULL || !is_record(doc)) {
            /* A line cut short by a full disk or a crash: skipped and counted, the rest still read.
             */
            cli_error(CLI_FAIL, "%s: line %zu is not an audit record; skipped", path, lineno);
            summary_damaged_line(sum);
        } else {
            rc = add_log_line(sum, sg, doc, values, lineno);
        }
        cJSON_Delete(doc);
    }
    free(text);
    return rc;
}

/* What the command line asks for. */
typedef struct audit_args {
    fleet_args fleet;
    const char *log_file;
    summary_opts out;
    suggest_opts learn; /* --suggest-mapping, --min-observations */
} audit_args;

/* --log and the summary's options. */
static int audit_option(void *ctx, const cli_option *opt, const char *value)
{
    audit_args *w = ctx;
    int taken;
    if (cli_is(opt, "--log")) {
        w->log_file = value;
        return CLI_TAKEN;
    }
    taken = suggest_option(&w->learn, opt->name, value);
    return taken != CLI_NOT_OURS ? taken : summary_option(&w->out, opt->name, value);
}

/* Reads argv into *w; CLI_END, or the exit status (said). */
static int parse(int argc, char **argv, cli_config *conf, audit_args *w)
{
    const fleet_args *f = &w->fleet;
    int rc = fleet_parse("audit", argc, argv, conf, &w->fleet, audit_option, w);
    if (rc == CLI_END && listing_check(&f->list, f->ids_file != NULL || f->nids > 0 ||
                                                     w->log_file != NULL) != CLI_OK)
        return CLI_USAGE;
    if (rc == CLI_END && w->learn.path == NULL && w->learn.min_observations != 0)
        return cli_usage_error("audit", "--min-observations goes with --suggest-mapping");
    if (rc == CLI_END && w->log_file != NULL && (f->ids_file != NULL || f->nids > 0))
        return cli_usage_error("audit", "--log takes no certificate IDs");
    if (rc == CLI_END && w->log_file == NULL && f->ids_file == NULL && f->nids == 0 && !f->list.all)
        return cli_usage_error("audit", "give --ids FILE, CERT_IDs, --all or --log FILE");
    return rc;
}

/* What the command line asked for; the exit status. */
static int run(cli_config *conf, audit_args *w)
{
    fleet_args *f = &w->fleet;
    summary *sum;
    suggest *sg = NULL;
    /* The table to learn from is checked before --all pages through the account. */
    int rc = suggest_begin(&w->learn, &sg);
    if (rc == CLI_OK)
        rc = fleet_args_read(conf, f, CLI_INCOMPLETE);
    if (rc == CLI_OK && (sum = summary_new()) == NULL)
        rc = cli_error(CLI_FAIL, "out of memory");
    if (rc == CLI_OK) {
        rc = w->log_file != NULL
                 ? run_log(w->log_file, w->out.values, sum, sg)
                 : run_fleet(conf, f->ids, f->nids, f->concurrency, w->out.values, sum, sg);
        if (rc == CLI_OK)
            rc = suggest_finish(sg, summary_finish(sum, &w->out));
        /* Certificates the listing may have missed were not compared: never a go. */
        if (rc == CLI_OK && f->list_incomplete)
            rc = CLI_INCOMPLETE;
        summary_free(sum);
    }
    suggest_free(sg);
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    audit_args w = {FLEET_ARGS_INIT, NULL, SUMMARY_OPTS_INIT, {NULL, 0}};
    cli_config conf;
    int rc;

    cli_config_init(&conf);
    suggest_opts_init(&w.learn);
    if ((rc = report_html_take_page(&argc, argv, &w.out)) == CLI_OK &&
        (rc = parse(argc, argv, &conf, &w)) == CLI_END)
        rc = run(&conf, &w);
    fleet_args_free(&w.fleet);
    return rc;
}
