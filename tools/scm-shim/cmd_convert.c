/*
 * cmd_convert.c - scm-shim convert: a v3 body in, the legacy body and its field report out.
 * owns: the convert command's arguments, refusing what is not a v3 body, and the output; must
 * not: convert anything itself (it calls scm_shim_convert, the public API).
 */
#include "body.h"
#include "cli.h"
#include "commands.h"
#include "json.h"
#include "scm_shim.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The input parsed and checked to be a v3 body before the library sees it; CLI_OK or reported. */
static int check_v3(const char *shown, const char *input, size_t len)
{
    cJSON *doc = scm__json_parse(input, len);
    const char *why = NULL;
    body_kind kind = body_kind_of(doc, &why);
    cJSON_Delete(doc);
    if (doc == NULL)
        return cli_error(CLI_USAGE, "%s: not valid JSON", shown);
    if (kind == BODY_LEGACY)
        return cli_error(CLI_USAGE, "%s: a legacy (v2) body; convert takes a v3 body", shown);
    if (kind != BODY_V3)
        return cli_error(CLI_USAGE, "%s: %s; convert takes a v3 body", shown, why);
    return CLI_OK;
}

int cmd_convert(int argc, char **argv)
{
    cli_args a = {cli_command_find("convert"), argc, argv, 0};
    const char *path = NULL, *value, *shown;
    const cli_option *opt;
    char *input, *legacy = NULL, *report_json = NULL;
    scm_shim_report *report = NULL;
    cJSON *out = NULL, *rep = NULL, *it;
    size_t len = 0;
    int rc;

    while ((rc = cli_next(&a, &opt, &value)) == CLI_NEXT) {
        if (path != NULL)
            return cli_usage_error("convert", "one FILE only, not '%s' too", value);
        path = value;
    }
    if (rc != CLI_END)
        return rc;
    path = path != NULL ? path : "-";
    shown = strcmp(path, "-") == 0 ? "stdin" : path;
    if ((input = cli_read_all(path, &len)) == NULL)
        return cli_error(CLI_USAGE, "cannot read %s: %s", shown, strerror(errno));
    if ((rc = check_v3(shown, input, len)) != CLI_OK) {
        free(input);
        return rc;
    }
    rc = scm_shim_convert(input, len, &legacy, &report);
    free(input);
    if (rc != SCM_OK)
        /* A body the library cannot convert is an input error like the others. */
        return cli_error(rc == SCM_E_NOMEM ? CLI_FAIL : CLI_USAGE, "%s", scm_shim_last_error());
    report_json = scm_shim_report_json(report);
    out = cJSON_CreateObject();
    rep = report_json ? cJSON_Parse(report_json) : NULL;
    if (out != NULL && rep != NULL) {
        cJSON_AddItemToObject(out, "legacy", cJSON_Parse(legacy));
        /* Everything of the report but its backend, which is always v3 here. */
        cJSON_DeleteItemFromObjectCaseSensitive(rep, "backend");
        while ((it = rep->child) != NULL)
            cJSON_AddItemToObject(out, it->string, cJSON_DetachItemViaPointer(rep, it));
        rc = cli_print_json(out);
    } else {
        rc = cli_error(CLI_FAIL, "out of memory");
    }
    cJSON_Delete(out);
    cJSON_Delete(rep);
    scm_free(report_json);
    scm_free(legacy);
    scm_shim_report_free(report);
    return rc;
}
