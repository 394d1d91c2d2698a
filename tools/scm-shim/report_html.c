/*
 * report_html.c - the audit summary as one self-contained HTML page; see report_html.h.
 * owns: the page (markup, inline CSS and JS, the escaping of everything the service, the log
 * or the table wrote) and the --format html option; must not: count or compare (summary.c and
 * compare.c do), load any asset from the network, or print secrets.
 */
#include "report_html.h"

#include "cli.h"
#include "commands.h"
#include "maptable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One heat-map colour per comparison class, in scm_cmp order ("R G B" for CSS rgb()). */
static const char *const colour[] = {"22 163 74", "13 148 136", "217 119 6", "220 38 38",
                                     "107 33 168"};
_Static_assert(sizeof colour / sizeof *colour == SCM_CMP_COUNT_, "one colour per class");

static const char *const class_doc[] = {
#define X(id, name, doc) doc,
    SCM_CMP_CLASSES(X)
#undef X
};

int report_html_take_page(int *argc, char **argv, summary_opts *o)
{
    int i, k;
    for (i = 1; i + 1 < *argc; i++) {
        if (strcmp(argv[i], "--format") != 0 || strcmp(argv[i + 1], "html") != 0)
            continue;
        /* A FILE that looks like an option is a forgotten FILE ("./-x" names such a file). */
        if (i + 2 >= *argc || argv[i + 2][0] == '-' || argv[i + 2][0] == '\0')
            return cli_usage_error(argv[0], "--format html takes the page's FILE");
        o->page = argv[i + 2];
        for (k = i + 2; k + 1 < *argc; k++)
            argv[k] = argv[k + 1];
        argv[--*argc] = NULL;
    }
    return CLI_OK;
}

/* Text or a quoted attribute value: the five HTML specials as entities, controls as \xNN. */
static void esc(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&')
            fputs("&amp;", out);
        else if (ch == '<')
            fputs("&lt;", out);
        else if (ch == '>')
            fputs("&gt;", out);
        else if (ch == '"')
            fputs("&quot;", out);
        else if (ch == '\'')
            fputs("&#39;", out);
        else if (ch < 0x20 || ch == 0x7f)
            fprintf(out, "\\x%02X", ch);
        else
            fputc(ch, out);
    }
}

/* A JSON value as escaped text ("?" when absent or on OOM). */
static void esc_json(FILE *out, const cJSON *v)
{
    char *text = v != NULL ? cJSON_PrintUnformatted(v) : NULL;
    esc(out, text != NULL ? text : "?");
    cJSON_free(text);
}

/* A differing value pair {"legacy": .., "v3": ..}: "legacy <code>..</code>, v3 <code>..</code>". */
static void value_pair(FILE *out, const cJSON *pair)
{
    fputs("legacy <code>", out);
    esc_json(out, cJSON_GetObjectItemCaseSensitive(pair, "legacy"));
    fputs("</code>, v3 <code>", out);
    esc_json(out, cJSON_GetObjectItemCaseSensitive(pair, "v3"));
    fputs("</code>", out);
}

static void head(FILE *out)
{
    size_t c;
    /* default-src 'none': even a value that escaped the escaping could load nothing. */
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>scm-shim audit</title>\n<style>\n"
          "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328}\n"
          "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin-top:1.5em}\n"
          "header{padding:.8em 1em;border-radius:6px;border-left:8px solid}\n"
          ".go{background:#e8f5ec;border-color:rgb(22 163 74)}"
          ".nogo{background:#fdecec;border-color:rgb(220 38 38)}\n"
          "table{border-collapse:collapse}th,td{padding:.25em .5em;border-bottom:1px solid #d0d7de;"
          "text-align:left;vertical-align:top}\n"
          "td.n{text-align:right;font-variant-numeric:tabular-nums;min-width:4.5em}\n"
          "td.heat{background:rgb(var(--rgb) / var(--a))}td.dark{color:#fff}\n"
          "code{font:12px ui-monospace,monospace;background:#f6f8fa;padding:0 .2em}\n"
          ".ex{display:block}.note{background:#fff8c5;padding:.5em 1em;border-radius:6px}\n"
          ".counts td{font-size:1.3em}small{color:#59636e}\n"
          "form{margin:.5em 0}label{margin-right:1em}\n",
          out);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, ".c-%s{--rgb:%s}", scm__cmp_name((scm_cmp)c), colour[c]);
    fputs("\n</style>\n</head>\n<body>\n", out);
}

static void verdict(FILE *out, const summary *s)
{
    size_t certs = summary_certs(s), damaged = summary_damaged(s);
    size_t mismatch = summary_results(s, SCM_CMP_MISMATCH);
    size_t error = summary_results(s, SCM_CMP_ERROR);
    int go = certs > 0 && mismatch == 0 && error == 0 && damaged == 0;

    fprintf(out, "<header class=\"%s\" id=\"verdict\">\n<h1>", go ? "go" : "nogo");
    if (go)
        fprintf(out, "Go: every certificate compared, no mismatch");
    else if (certs == 0)
        fprintf(out, "No go: nothing was compared");
    else if (mismatch > 0)
        fprintf(out, "No go: %zu certificate%s mismatch", mismatch, mismatch == 1 ? "" : "s");
    else
        fprintf(out, "No go yet: not every certificate could be compared");
    fprintf(out,
            "</h1>\n<p>%zu certificate%s, %zu compared; %zu mismatch, %zu error; %zu damaged log "
            "line%s skipped.</p>\n</header>\n",
            certs, certs == 1 ? "" : "s", certs - error, mismatch, error, damaged,
            damaged == 1 ? "" : "s");
}

static void counts(FILE *out, const summary *s)
{
    size_t c;
    fputs("<h2>Certificates per class</h2>\n<table class=\"counts\" id=\"counts\">\n<tr>", out);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, "<th title=\"%s\">%s</th>", class_doc[c], scm__cmp_name((scm_cmp)c));
    fputs("</tr>\n<tr>", out);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, "<td class=\"n\" data-class=\"%s\">%zu</td>", scm__cmp_name((scm_cmp)c),
                summary_results(s, (scm_cmp)c));
    fputs("</tr>\n</table>\n<p><small>", out);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, "%s<b>%s</b>: %s", c ? "; " : "", scm__cmp_name((scm_cmp)c), class_doc[c]);
    fputs(".</small></p>\n", out);
}

/* Shown only when the page runs its script: without it every row stays visible. */
static void filters(FILE *out)
{
    size_t c;
    fputs("<form id=\"filters\" hidden>\n<label>field <input type=\"search\" id=\"q\" "
          "placeholder=\"name contains\"></label>\n",
          out);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, "<label><input type=\"checkbox\" value=\"%s\" checked> %s</label>\n",
                scm__cmp_name((scm_cmp)c), scm__cmp_name((scm_cmp)c));
    fputs("<output id=\"shown\"></output>\n</form>\n", out);
}

/* One heat-map cell: shaded by the share of certificates in that class for the field. */
static void heat_cell(FILE *out, scm_cmp c, size_t n, size_t certs)
{
    size_t pct = certs > 0 ? (n * 100 + certs / 2) / certs : 0;
    /* Any count at all is visible (10%); a full column is strong but readable (90%). */
    size_t alpha = n > 0 ? 10 + pct * 80 / 100 : 0;
    fprintf(out, "<td class=\"n heat c-%s%s\" style=\"--a:%zu%%\" title=\"%zu%% of %zu\">%zu</td>",
            scm__cmp_name(c), alpha > 55 ? " dark" : "", alpha, pct, certs, n);
}

static void examples_cell(FILE *out, const summary *s, size_t field)
{
    size_t c, k;
    fputs("<td>", out);
    for (c = SCM_CMP_MATCH + 1; c < SCM_CMP_COUNT_; c++) {
        const cJSON *values;
        const char *id = summary_example(s, field, (scm_cmp)c, 0, &values);
        if (id == NULL)
            continue;
        fprintf(out, "<span class=\"ex\"><b>%s</b>:", scm__cmp_name((scm_cmp)c));
        for (k = 0; id != NULL; id = summary_example(s, field, (scm_cmp)c, ++k, &values)) {
            fputs(" <code>", out);
            esc(out, id);
            fputs("</code>", out);
            if (values == NULL)
                continue;
            fputs(" (", out);
            value_pair(out, values);
            fputc(')', out);
        }
        fputs("</span>", out);
    }
    fputs("</td>", out);
}

static void field_table(FILE *out, const summary *s, const scm_map *map, const char *table)
{
    char why[512];
    size_t i, c, certs = summary_certs(s);

    fputs("<h2>Per legacy field</h2>\n<p>Rule and class from ", out);
    esc(out, table);
    fputs(" (the table in force now; an audit log was compared by the table of the process "
          "that wrote it).</p>\n",
          out);
    filters(out);
    fputs("<table id=\"fields\">\n<thead><tr><th>field</th>", out);
    for (c = 0; c < SCM_CMP_COUNT_; c++)
        fprintf(out, "<th>%s</th>", scm__cmp_name((scm_cmp)c));
    fputs("<th>rule</th><th>class</th><th>expected because</th><th>examples</th></tr></thead>\n"
          "<tbody>\n",
          out);
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_map_row *r = scm__map_find(map, scm__frozen[i].name);
        fputs("<tr data-field=\"", out);
        esc(out, scm__frozen[i].name);
        fputs("\"><th><code>", out);
        esc(out, scm__frozen[i].name);
        fputs("</code></th>", out);
        for (c = 0; c < SCM_CMP_COUNT_; c++)
            heat_cell(out, (scm_cmp)c, summary_count(s, i, (scm_cmp)c), certs);
        fputs("<td>", out);
        esc(out, r != NULL ? scm__rule_name(r->rule) : "-");
        fputs("</td><td>", out);
        esc(out, r != NULL ? scm__class_name(r->cls) : "-");
        fputs("</td><td>", out);
        summary_because_text(s, i, why, sizeof why);
        esc(out, why);
        fputs("</td>", out);
        examples_cell(out, s, i);
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

/* A side's failure: its error code ("ok" when none) and, when plausible, its HTTP status. */
static void side_error(FILE *out, const cJSON *side)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(side, "error_code");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(side, "http_status");
    fputs("<b>", out);
    esc(out, side->string != NULL ? side->string : "?");
    fputs("</b>: <code>", out);
    esc(out, cJSON_IsString(code) && code->valuestring[0] ? code->valuestring : "ok");
    fputs("</code>", out);
    /* From a log file: only a real status code is shown. */
    if (cJSON_IsNumber(status) && status->valuedouble >= 100 && status->valuedouble <= 599)
        fprintf(out, " HTTP %d", (int)status->valuedouble);
    fputc(' ', out);
}

static void problems(FILE *out, const summary *s)
{
    const cJSON *p, *it;
    fprintf(out, "<h2>Certificates with a mismatch or an error (%d)</h2>\n",
            cJSON_GetArraySize(summary_problems(s)));
    fputs("<table id=\"problems\">\n<thead><tr><th>certificate</th><th>result</th>"
          "<th>fields</th><th>errors</th><th>values</th></tr></thead>\n<tbody>\n",
          out);
    cJSON_ArrayForEach(p, summary_problems(s))
    {
        const char *result = cJSON_GetObjectItemCaseSensitive(p, "result")->valuestring;
        fprintf(out, "<tr data-result=\"%s\"><td><code>", result);
        esc(out, cJSON_GetObjectItemCaseSensitive(p, "cert_id")->valuestring);
        fprintf(out, "</code></td><td class=\"heat dark c-%s\" style=\"--a:90%%\">%s</td><td>",
                result, result);
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "fields"))
        {
            fputs("<code>", out);
            esc(out, it->valuestring);
            fputs("</code> ", out);
        }
        fputs("</td><td>", out);
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "errors")) side_error(out, it);
        fputs("</td><td>", out);
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(p, "values"))
        {
            fputs("<span class=\"ex\"><code>", out);
            esc(out, it->string);
            fputs("</code>: ", out);
            value_pair(out, it);
            fputs("</span>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

/*
 * The summary as JSON for the filters: '<', '>' and '&' written as \u escapes (valid JSON
 * anywhere they occur, in strings), so no value can end the script element. -1 on OOM.
 */
static int data_script(FILE *out, const summary *s)
{
    cJSON *doc = summary_json(s);
    char *text = doc != NULL ? cJSON_PrintUnformatted(doc) : NULL, *p;
    cJSON_Delete(doc);
    if (text == NULL)
        return -1;
    fputs("<script type=\"application/json\" id=\"audit-data\">", out);
    for (p = text; *p; p++) {
        if (*p == '<' || *p == '>' || *p == '&')
            fprintf(out, "\\u%04x", (unsigned)*p);
        else
            fputc(*p, out);
    }
    fputs("</script>\n", out);
    cJSON_free(text);
    return 0;
}

/*
 * The filters: a field shows when its name holds the text and one of its counts is in a checked
 * class; a problem row when its result is checked. "#q=auth&classes=mismatch,error" presets
 * them (links, and the browser test).
 */
static const char script[] =
    "<script>\n"
    "(function () {\n"
    "  var data = JSON.parse(document.getElementById('audit-data').textContent);\n"
    "  var byName = {};\n"
    "  data.fields.forEach(function (f) { byName[f.field] = f; });\n"
    "  var form = document.getElementById('filters'), q = document.getElementById('q');\n"
    "  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox]'));\n"
    "  var hash = new URLSearchParams(location.hash.slice(1));\n"
    "  if (hash.has('q')) q.value = hash.get('q');\n"
    "  if (hash.has('classes')) {\n"
    "    var want = hash.get('classes').split(',');\n"
    "    boxes.forEach(function (b) { b.checked = want.indexOf(b.value) >= 0; });\n"
    "  }\n"
    "  function apply() {\n"
    "    var text = q.value.toLowerCase(), shown = 0, rows;\n"
    "    var on = boxes.filter(function (b) { return b.checked; })\n"
    "      .map(function (b) { return b.value; });\n"
    "    rows = document.querySelectorAll('#fields tbody tr');\n"
    "    rows.forEach(function (tr) {\n"
    "      var f = byName[tr.dataset.field];\n"
    "      tr.hidden = tr.dataset.field.toLowerCase().indexOf(text) < 0 ||\n"
    "        !on.some(function (c) { return f && f[c] > 0; });\n"
    "      if (!tr.hidden) shown++;\n"
    "    });\n"
    "    document.querySelectorAll('#problems tbody tr').forEach(function (tr) {\n"
    "      tr.hidden = on.indexOf(tr.dataset.result) < 0;\n"
    "    });\n"
    "    document.getElementById('shown').textContent = shown + ' of ' + rows.length + "
    "' fields';\n"
    "  }\n"
    "  form.addEventListener('input', apply);\n"
    "  form.addEventListener('submit', function (e) { e.preventDefault(); });\n"
    "  form.hidden = false;\n"
    "  apply();\n"
    "})();\n"
    "</script>\n";

static int write_page(FILE *out, const summary *s, const summary_opts *o, const scm_map *map,
                      const char *table)
{
    head(out);
    verdict(out, s);
    counts(out, s);
    if (o->values)
        fputs("<p class=\"note\" id=\"personal-data\">This page holds the certificates' field "
              "values (--values): names, phone numbers and e-mail addresses are personal data. "
              "Share and keep it as you would the audit log.</p>\n",
              out);
    field_table(out, s, map, table);
    problems(out, s);
    if (data_script(out, s) != 0)
        return -1;
    fputs(script, out);
    fputs("</body>\n</html>\n", out);
    return 0;
}

int report_html_write(const summary *s, const summary_opts *o, const char *path)
{
    const char *env = getenv("SCM_SHIM_MAPPING");
    char table[1024];
    const scm_map *map;
    scm_map loaded;
    scm_error err;
    FILE *out;
    int rc;

    if (path == NULL)
        return cli_usage_error("audit", "--format html takes the page's FILE");
    if (scm__map_from_env(&loaded, &map, &err) != SCM_OK)
        return cli_error(CLI_USAGE, "%s", err.msg);
    snprintf(table, sizeof table, "%s%s", env != NULL && env[0] ? "SCM_SHIM_MAPPING=" : "",
             env != NULL && env[0] ? env : "the built-in table");
    if ((out = fopen(path, "w")) == NULL) {
        scm__map_free(&loaded);
        return cli_error(CLI_USAGE, "cannot write %s: %s", path, strerror(errno));
    }
    rc = write_page(out, s, o, map, table);
    scm__map_free(&loaded);
    if (rc != 0) {
        fclose(out);
        return cli_error(CLI_FAIL, "out of memory");
    }
    rc = ferror(out);
    if (fclose(out) != 0 || rc)
        return cli_error(CLI_USAGE, "cannot write %s: %s", path, strerror(errno));
    cli_error(CLI_OK, "audit page written to %s", path);
    return CLI_OK;
}
