/*
 * summary.c - the per-field audit summary; see summary.h.
 * owns: counting audit records per field and class, the table, JSON and CSV forms, and the
 * read-only views report_html.c builds the page from; must not: compare values or run requests.
 */
#include "summary.h"

#include "report_html.h"

#include "cli.h"
#include "client.h"
#include "log.h"
#include "maptable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct field_stats {
    size_t count[SCM_CMP_COUNT_];
    size_t because[SCM_WHY_COUNT_]; /* the expected ones, by reason */
    char *examples[SCM_CMP_COUNT_][SUMMARY_EXAMPLES];
    cJSON *example_values[SCM_CMP_COUNT_][SUMMARY_EXAMPLES]; /* {"legacy", "v3"}, with --values */
} field_stats;

struct summary {
    field_stats *fields; /* one per built-in row */
    size_t certs;
    size_t damaged; /* audit-log lines that were not records */
    size_t results[SCM_CMP_COUNT_];
    cJSON *problems; /* [{"cert_id", "result", "fields", "values"?, "errors"?}] */
};

summary *summary_new(void)
{
    summary *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->fields = calloc(SCM__FROZEN_COUNT, sizeof *s->fields);
    s->problems = cJSON_CreateArray();
    if (s->fields == NULL || s->problems == NULL) {
        summary_free(s);
        return NULL;
    }
    return s;
}

void summary_free(summary *s)
{
    size_t i, c, k;
    if (s == NULL)
        return;
    for (i = 0; s->fields != NULL && i < SCM__FROZEN_COUNT; i++)
        for (c = 0; c < SCM_CMP_COUNT_; c++)
            for (k = 0; k < SUMMARY_EXAMPLES; k++) {
                free(s->fields[i].examples[c][k]);
                cJSON_Delete(s->fields[i].example_values[c][k]);
            }
    free(s->fields);
    cJSON_Delete(s->problems);
    free(s);
}

int summary_add(summary *s, const char *cert_id, scm_cmp result, const scm_cmp *fields,
                const scm_cmp_reason *reasons, const cJSON *values, const cJSON *errors)
{
    size_t i, k;
    cJSON *p, *names;

    s->certs++;
    s->results[result]++;
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        field_stats *f = &s->fields[i];
        size_t n = f->count[fields[i]]++;
        if (fields[i] == SCM_CMP_EXPECTED)
            f->because[reasons != NULL ? reasons[i] : SCM_WHY_NONE]++;
        if (fields[i] == SCM_CMP_MATCH || n >= SUMMARY_EXAMPLES)
            continue;
        if ((f->examples[fields[i]][n] = strdup(cert_id)) == NULL)
            return -1;
        f->example_values[fields[i]][n] =
            cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(values, scm__frozen[i].name), 1);
    }
    if (result != SCM_CMP_MISMATCH && result != SCM_CMP_ERROR)
        return 0;
    if ((p = cJSON_CreateObject()) == NULL)
        return -1;
    cJSON_AddItemToArray(s->problems, p);
    cJSON_AddStringToObject(p, "cert_id", cert_id);
    cJSON_AddStringToObject(p, "result", scm__cmp_name(result));
    names = cJSON_AddArrayToObject(p, "fields");
    for (i = 0; result == SCM_CMP_MISMATCH && i < SCM__FROZEN_COUNT; i++)
        if (fields[i] == SCM_CMP_MISMATCH)
            cJSON_AddItemToArray(names, cJSON_CreateString(scm__frozen[i].name));
    if (values != NULL && result == SCM_CMP_MISMATCH) {
        cJSON *v = cJSON_CreateObject();
        cJSON_AddItemToObject(p, "values", v);
        for (k = 0; k < (size_t)cJSON_GetArraySize(names); k++) {
            const char *name = cJSON_GetArrayItem(names, (int)k)->valuestring;
            cJSON_AddItemToObject(
                v, name, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(values, name), 1));
        }
    }
    if (errors != NULL && result == SCM_CMP_ERROR)
        cJSON_AddItemToObject(p, "errors", cJSON_Duplicate(errors, 1));
    return 0;
}

void summary_damaged_line(summary *s)
{
    s->damaged++;
}

int summary_option(summary_opts *o, const char *arg, const char *name)
{
    if (strcmp(arg, "--values") == 0) {
        o->values = 1;
    } else if (strcmp(arg, "--fail-on-mismatch") == 0) {
        o->fail_on_mismatch = 1;
    } else if (strcmp(arg, "--problems") == 0) {
        o->problems = name;
    } else if (strcmp(arg, "--format") == 0) {
        if (strcmp(name, "table") == 0) {
            o->format = SUMMARY_TABLE;
        } else if (strcmp(name, "json") == 0) {
            o->format = SUMMARY_JSON;
        } else if (strcmp(name, "csv") == 0) {
            o->format = SUMMARY_CSV;
        } else if (strcmp(name, "html") == 0) {
            o->format = SUMMARY_HTML;
        } else {
            return cli_error(CLI_USAGE, "--format takes table, json, csv or html FILE");
        }
    } else {
        return CLI_NOT_OURS;
    }
    return CLI_TAKEN;
}

cJSON *summary_json(const summary *s)
{
    cJSON *o = cJSON_CreateObject(), *results, *fields, *f, *ex, *because;
    size_t i, c, k;

    cJSON_AddNumberToObject(o, "certificates", (double)s->certs);
    cJSON_AddNumberToObject(o, "compared", (double)(s->certs - s->results[SCM_CMP_ERROR]));
    cJSON_AddNumberToObject(o, "damaged_lines", (double)s->damaged);
    results = cJSON_AddObjectToObject(o, "results");
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        cJSON_AddNumberToObject(results, scm__cmp_name((scm_cmp)c), (double)s->results[c]);
    fields = cJSON_AddArrayToObject(o, "fields");
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        f = cJSON_CreateObject();
        cJSON_AddItemToArray(fields, f);
        cJSON_AddStringToObject(f, "field", scm__frozen[i].name);
        for (c = 0; c < SCM_CMP_COUNT_; c++)
            cJSON_AddNumberToObject(f, scm__cmp_name((scm_cmp)c), (double)s->fields[i].count[c]);
        because = cJSON_AddObjectToObject(f, "expected_because");
        for (c = 0; c < SCM_WHY_COUNT_; c++)
            if (s->fields[i].because[c] > 0)
                cJSON_AddNumberToObject(because,
                                        c == SCM_WHY_NONE ? "unknown"
                                                          : scm__cmp_reason_name((scm_cmp_reason)c),
                                        (double)s->fields[i].because[c]);
        ex = cJSON_AddObjectToObject(f, "examples");
        for (c = SCM_CMP_MATCH + 1; c < SCM_CMP_COUNT_; c++) {
            cJSON *list = cJSON_AddArrayToObject(ex, scm__cmp_name((scm_cmp)c));
            for (k = 0; k < SUMMARY_EXAMPLES && s->fields[i].examples[c][k] != NULL; k++)
                cJSON_AddItemToArray(list, cJSON_CreateString(s->fields[i].examples[c][k]));
        }
    }
    cJSON_AddItemToObject(o, "problems", cJSON_Duplicate(s->problems, 1));
    return o;
}

/* Example IDs of one field for the table: "expected: a b c; mismatch: d". */
static void examples_text(const field_stats *f, char *out, size_t n)
{
    size_t c, k, len = 0;
    out[0] = '\0';
    for (c = SCM_CMP_MATCH + 1; c < SCM_CMP_COUNT_; c++) {
        if (f->examples[c][0] == NULL)
            continue;
        len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s:", len ? "; " : "",
                                scm__cmp_name((scm_cmp)c));
        for (k = 0; k < SUMMARY_EXAMPLES && f->examples[c][k] != NULL; k++)
            len += (size_t)snprintf(out + len, len < n ? n - len : 0, " %s", f->examples[c][k]);
    }
}

/* Why a field's differences were expected: "absent 2, lossy 1", or "" when none were. */
static void because_text(const field_stats *f, char *out, size_t n)
{
    size_t c, len = 0;
    out[0] = '\0';
    for (c = 0; c < SCM_WHY_COUNT_; c++)
        if (f->because[c] > 0)
            len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s %zu", len ? ", " : "",
                                    c == SCM_WHY_NONE ? "unknown"
                                                      : scm__cmp_reason_name((scm_cmp_reason)c),
                                    f->because[c]);
}

/* Readable in 100 columns: 20 + 5 x 9 = 65 for the counts, the rest for examples. */
#define EXAMPLES_WIDTH 33

static void print_table(const summary *s, FILE *out)
{
    char ex[512];
    size_t i, c;
    int why_title = 0;
    const cJSON *p, *it;

    fprintf(out, "%-20s", "field");
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, " %8s", scm__cmp_name((scm_cmp)c));
    fprintf(out, "  examples\n");
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const field_stats *f = &s->fields[i];
        examples_text(f, ex, sizeof ex);
        if (strlen(ex) > EXAMPLES_WIDTH)
            strcpy(ex + EXAMPLES_WIDTH - 3, "...");
        fprintf(out, "%-20s", scm__frozen[i].name);
        for (c = 0; c < SCM_CMP_COUNT_; c++)
            fprintf(out, " %8zu", f->count[c]);
        fprintf(out, "  %s\n", ex);
    }
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        because_text(&s->fields[i], ex, sizeof ex);
        if (ex[0] == '\0')
            continue;
        if (!why_title++)
            fprintf(out, "\nwhy the expected differences are expected:\n");
        fprintf(out, "  %-20s %s\n", scm__frozen[i].name, ex);
    }
    fprintf(out, "\n%zu certificate%s, %zu compared:", s->certs, s->certs == 1 ? "" : "s",
            s->certs - s->results[SCM_CMP_ERROR]);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, "%s %zu %s", c ? "," : "", s->results[c], scm__cmp_name((scm_cmp)c));
    fputc('\n', out);
    if (s->damaged > 0)
        fprintf(out, "%zu damaged line%s skipped\n", s->damaged, s->damaged == 1 ? "" : "s");
    if (cJSON_GetArraySize(s->problems) == 0)
        return;
    fprintf(out, "\ncertificates with a mismatch or an error:\n");
    cJSON_ArrayForEach(p, s->problems)
    {
        const cJSON *values = cJSON_GetObjectItemCaseSensitive(p, "values");
        fprintf(out, "  %-20s %-8s", cJSON_GetObjectItemCaseSensitive(p, "cert_id")->valuestring,
                cJSON_GetObjectItemCaseSensitive(p, "result")->valuestring);
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "fields"))
            fprintf(out, " %s", it->valuestring);
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "errors"))
        {
            const cJSON *code = cJSON_GetObjectItemCaseSensitive(it, "error_code");
            char shown[2 * SCM_ERR_CODE_MAX];
            /* The service chose that code: shown with its control characters escaped. */
            scm__log_escape(shown, sizeof shown,
                            cJSON_IsString(code) && code->valuestring[0] ? code->valuestring
                                                                         : "ok");
            fprintf(out, " %s: %s", it->string, shown);
        }
        fputc('\n', out);
        cJSON_ArrayForEach(it, values)
        {
            char *l = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(it, "legacy"));
            char *v = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(it, "v3"));
            fprintf(out, "      %s: legacy %s, v3 %s\n", it->string, l ? l : "?", v ? v : "?");
            cJSON_free(l);
            cJSON_free(v);
        }
    }
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_csv(const summary *s, FILE *out)
{
    char ex[512];
    size_t i, c;

    fputs("field", out);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, ",%s", scm__cmp_name((scm_cmp)c));
    fputs(",examples,expected_because\n", out);
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const field_stats *f = &s->fields[i];
        examples_text(f, ex, sizeof ex);
        csv_field(out, scm__frozen[i].name);
        for (c = 0; c < SCM_CMP_COUNT_; c++)
            fprintf(out, ",%zu", f->count[c]);
        fputc(',', out);
        csv_field(out, ex);
        because_text(f, ex, sizeof ex);
        fputc(',', out);
        csv_field(out, ex);
        fputc('\n', out);
    }
}

/* --problems' file: one CSV table of the certificates with a mismatch or an error. */
static void print_problems_csv(const summary *s, FILE *out)
{
    const cJSON *p, *it;

    fputs("cert_id,result,fields\n", out);
    cJSON_ArrayForEach(p, s->problems)
    {
        char names[1024] = "";
        size_t len = 0;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "fields")) len +=
            (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0, "%s%s",
                             len ? " " : "", it->valuestring);
        csv_field(out, cJSON_GetObjectItemCaseSensitive(p, "cert_id")->valuestring);
        fprintf(out, ",%s,", cJSON_GetObjectItemCaseSensitive(p, "result")->valuestring);
        csv_field(out, names);
        fputc('\n', out);
    }
}

static int summary_print(const summary *s, summary_format format)
{
    cJSON *doc;
    int rc;
    if (format == SUMMARY_TABLE) {
        print_table(s, stdout);
        return CLI_OK;
    }
    if (format == SUMMARY_CSV) {
        print_csv(s, stdout);
        return CLI_OK;
    }
    if ((doc = summary_json(s)) == NULL)
        return cli_error(CLI_FAIL, "out of memory");
    rc = cli_print_json(doc);
    cJSON_Delete(doc);
    return rc;
}

/* Writes --problems' file; CLI_OK or reported. */
static int write_problems(const summary *s, const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return cli_error(CLI_USAGE, "--problems %s: %s", path, strerror(errno));
    print_problems_csv(s, f);
    if (fclose(f) != 0)
        return cli_error(CLI_USAGE, "--problems %s: %s", path, strerror(errno));
    return CLI_OK;
}

size_t summary_certs(const summary *s)
{
    return s->certs;
}

size_t summary_damaged(const summary *s)
{
    return s->damaged;
}

size_t summary_results(const summary *s, scm_cmp c)
{
    return s->results[c];
}

size_t summary_count(const summary *s, size_t field, scm_cmp c)
{
    return s->fields[field].count[c];
}

void summary_because_text(const summary *s, size_t field, char *out, size_t n)
{
    because_text(&s->fields[field], out, n);
}

const char *summary_example(const summary *s, size_t field, scm_cmp c, size_t k,
                            const cJSON **values)
{
    *values = k < SUMMARY_EXAMPLES ? s->fields[field].example_values[c][k] : NULL;
    return k < SUMMARY_EXAMPLES ? s->fields[field].examples[c][k] : NULL;
}

const cJSON *summary_problems(const summary *s)
{
    return s->problems;
}

int summary_finish(const summary *s, const summary_opts *o)
{
    int rc =
        o->format == SUMMARY_HTML ? report_html_write(s, o, o->page) : summary_print(s, o->format);
    if (rc == CLI_OK && o->problems != NULL)
        rc = write_problems(s, o->problems);
    return rc != CLI_OK ? rc : summary_status(s, o);
}

int summary_status(const summary *s, const summary_opts *o)
{
    if (o->fail_on_mismatch && s->results[SCM_CMP_MISMATCH] > 0)
        return CLI_FAIL;
    /* What was not compared cannot be called safe. */
    if (s->results[SCM_CMP_ERROR] > 0 || s->damaged > 0 || s->certs == 0)
        return CLI_INCOMPLETE;
    return CLI_OK;
}
