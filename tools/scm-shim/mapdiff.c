/*
 * mapdiff.c - scm-shim mapping --diff: what a table file changes against the built-in table.
 * owns: the per-field difference list; must not: load or check a table itself (map_file.c and
 * map_load.c do) or print the table (cmd_mapping.c does).
 */
#include "mapdiff.h"

#include "cli.h"
#include "log.h"
#include "maptable.h"

#include <string.h>

/* Room for one value as printed, escaped. */
#define SHOWN_MAX 160

/*
 * v with its control characters as \xNN, in buf: a table's values may have been learnt from a
 * service's answers (audit --suggest-mapping), and never reach a terminal raw.
 */
static const char *shown(char *buf, const char *v)
{
    scm__log_escape(buf, SHOWN_MAX, v);
    return buf;
}

/* A row's sources as the markdown table writes them: "a, b or c", "–" for none. */
static void sources(const scm_map_row *r, char *out, size_t n)
{
    size_t j, k, len = 0;
    out[0] = '\0';
    if (r->nv3 == 0)
        snprintf(out, n, "–");
    for (j = 0; j < r->nv3; j++)
        for (k = 0; k < r->v3[j].nspellings && len < n; k++)
            len += (size_t)snprintf(out + len, n - len, "%s%s",
                                    k   ? " or "
                                    : j ? ", "
                                        : "",
                                    r->v3[j].spelling[k].text);
}

static const char *pair_to(const scm_map_row *r, const char *from)
{
    size_t j;
    for (j = 0; j < r->nvalues; j++)
        if (strcmp(r->values[j].from, from) == 0)
            return r->values[j].to;
    return NULL;
}

/* "; " before each difference but the first, the field's name before that. */
static void sep(const scm_map_row *r, int *said)
{
    fputs(*said ? "; " : "", stdout);
    if (!*said)
        printf("- `%s`: ", r->field->name);
    *said = 1;
}

/* Prints what differs in b against a; returns 1 when something does. */
static int diff_row(const scm_map_row *a, const scm_map_row *b)
{
    char sa[256], sb[256], e1[SHOWN_MAX], e2[SHOWN_MAX], e3[SHOWN_MAX];
    const char *to;
    size_t j;
    int said = 0;
    sources(a, sa, sizeof sa);
    sources(b, sb, sizeof sb);
    if (strcmp(sa, sb) != 0) {
        sep(a, &said);
        printf("v3 %s → %s", sa, sb);
    }
    if (a->rule != b->rule) {
        sep(a, &said);
        printf("rule %s → %s", scm__rule_name(a->rule), scm__rule_name(b->rule));
    }
    if ((a->affix == NULL) != (b->affix == NULL) ||
        (a->affix != NULL && strcmp(a->affix, b->affix) != 0)) {
        sep(a, &said);
        printf("affix `%s` → `%s`", shown(e1, a->affix ? a->affix : ""),
               shown(e2, b->affix ? b->affix : ""));
    }
    if (a->cls != b->cls) {
        sep(a, &said);
        printf("class %s → %s", scm__class_name(a->cls), scm__class_name(b->cls));
    }
    for (j = 0; j < a->nvalues; j++) {
        if ((to = pair_to(b, a->values[j].from)) != NULL && strcmp(to, a->values[j].to) == 0)
            continue;
        sep(a, &said);
        printf("`%s`→`%s` → %s%s%s", shown(e1, a->values[j].from), shown(e2, a->values[j].to),
               to ? "`" : "", to ? shown(e3, to) : "no pair", to ? "`" : "");
    }
    for (j = 0; j < b->nvalues; j++)
        if (pair_to(a, b->values[j].from) == NULL) {
            sep(a, &said);
            printf("new pair `%s`→`%s`", shown(e1, b->values[j].from), shown(e2, b->values[j].to));
        }
    if (strcmp(a->description, b->description) != 0) {
        sep(a, &said);
        fputs("description changed", stdout);
    }
    if (said)
        putchar('\n');
    return said;
}

int mapping_diff(const char *path)
{
    scm_map file;
    scm_error err;
    size_t i, n = 0;
    if (scm__map_load_file(path, &file, &err) != SCM_OK)
        return cli_error(CLI_USAGE, "%s: %s", path, err.msg);
    for (i = 0; i < scm__map_builtin.nrows; i++) {
        const scm_map_row *a = &scm__map_builtin.rows[i];
        n += (size_t)diff_row(a, scm__map_find(&file, a->field->name));
    }
    if (file.api != scm__map_builtin.api) {
        puts("- the table reads another API's bodies");
        n++;
    }
    printf("%zu of %zu fields differ from the built-in table.\n", n, scm__map_builtin.nrows);
    scm__map_free(&file);
    return CLI_OK;
}
