/*
 * cmd_mapping.c - scm-shim mapping: the compiled-in (or SCM_SHIM_MAPPING) table for
 * people (markdown, also MIGRATION.md's field table) and for scripts (json).
 * owns: the table's two printed forms; must not: load or check a table itself (map_file.c
 * and map_load.c do).
 */
#include "cli.h"
#include "commands.h"
#include "mapdiff.h"
#include "maptable.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/*
 * Markdown cell text: '|' would end the cell, and a control character (a table may hold what a
 * service answered: audit --suggest-mapping) is written as \xNN, never raw to a terminal.
 */
static void cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else if ((unsigned char)*s < 0x20 || *s == 0x7f)
            printf("\\x%02x", (unsigned char)*s);
        else
            putchar(*s);
    }
}

/* The rule and class legends come from the same X-macros the loader checks names against. */
static void print_legend(void)
{
    puts("Rules:");
    puts("");
#define X(id, name, nsrc, affix, doc)                                                              \
    printf("- `%s` (%d v3 member%s): %s\n", name, nsrc, nsrc == 1 ? "" : "s", doc);
    SCM_RULES(X)
#undef X
    puts("");
    puts("Classes:");
    puts("");
#define X(id, name, doc) printf("- **%s**: %s\n", name, doc);
    SCM_CLASSES(X)
#undef X
}

static void print_markdown(const scm_map *map)
{
    size_t i, j, k;
    puts("| legacy field | v3 source | rule | class | description |");
    puts("|---|---|---|---|---|");
    for (i = 0; i < map->nrows; i++) {
        const scm_map_row *r = &map->rows[i];
        printf("| `%s` | ", r->field->name);
        if (r->nv3 == 0)
            fputs("–", stdout);
        for (j = 0; j < r->nv3; j++)
            for (k = 0; k < r->v3[j].nspellings; k++)
                printf("%s`%s`", k ? " or " : j ? ", " : "", r->v3[j].spelling[k].text);
        printf(" | %s", scm__rule_name(r->rule));
        if (r->affix != NULL) {
            fputs(" `", stdout);
            cell(r->affix);
            putchar('`');
        }
        for (j = 0; j < r->nvalues; j++) {
            printf("%s`", j ? ", " : ": ");
            cell(r->values[j].from);
            fputs("`→`", stdout);
            cell(r->values[j].to);
            putchar('`');
        }
        printf(" | %s | ", scm__class_name(r->cls));
        cell(r->description);
        puts(" |");
    }
    puts("");
    print_legend();
}

static int print_json(const scm_map *map)
{
    cJSON *rows = cJSON_CreateArray(), *row, *arr, *alt;
    int rc;
    size_t i, j, k;
    for (i = 0; rows != NULL && i < map->nrows; i++) {
        const scm_map_row *r = &map->rows[i];
        row = cJSON_CreateObject();
        cJSON_AddItemToArray(rows, row);
        cJSON_AddStringToObject(row, "legacy", r->field->name);
        cJSON_AddStringToObject(row, "type", scm__field_type_name(r->field->type));
        arr = cJSON_AddArrayToObject(row, "v3");
        /* As in mapping.json: a path, or the array of its spellings. */
        for (j = 0; j < r->nv3; j++) {
            if (r->v3[j].nspellings == 1) {
                cJSON_AddItemToArray(arr, cJSON_CreateString(r->v3[j].spelling[0].text));
                continue;
            }
            alt = cJSON_CreateArray();
            cJSON_AddItemToArray(arr, alt);
            for (k = 0; k < r->v3[j].nspellings; k++)
                cJSON_AddItemToArray(alt, cJSON_CreateString(r->v3[j].spelling[k].text));
        }
        cJSON_AddStringToObject(row, "rule", scm__rule_name(r->rule));
        if (r->affix != NULL)
            cJSON_AddStringToObject(row, "affix", r->affix);
        cJSON_AddStringToObject(row, "class", scm__class_name(r->cls));
        if (r->nvalues > 0) {
            cJSON *values = cJSON_AddObjectToObject(row, "values");
            for (j = 0; j < r->nvalues; j++)
                cJSON_AddStringToObject(values, r->values[j].from, r->values[j].to);
        }
        cJSON_AddStringToObject(row, "description", r->description);
    }
    rc = rows != NULL ? cli_print_json(rows) : cli_error(CLI_FAIL, "out of memory");
    cJSON_Delete(rows);
    return rc;
}

int cmd_mapping(int argc, char **argv)
{
    cli_args a = {cli_command_find("mapping"), argc, argv, 0};
    const char *format = "markdown", *value;
    const cli_option *opt;
    scm_error err;
    scm_map loaded;
    const scm_map *map;
    int rc;

    while ((rc = cli_next(&a, &opt, &value)) == CLI_NEXT) {
        if (cli_is(opt, "--diff"))
            return mapping_diff(value);
        if (!cli_is(opt, "--format"))
            return cli_usage_error("mapping", "unexpected argument '%s'", value);
        format = value;
    }
    if (rc != CLI_END)
        return rc;
    if (strcmp(format, "markdown") != 0 && strcmp(format, "json") != 0)
        return cli_error(CLI_USAGE, "--format takes markdown or json");
    if (scm__map_from_env(&loaded, &map, &err) != SCM_OK)
        return cli_error(CLI_USAGE, "%s", err.msg);
    rc = CLI_OK;
    if (strcmp(format, "markdown") == 0)
        print_markdown(map);
    else
        rc = print_json(map);
    scm__map_free(&loaded);
    return rc;
}
