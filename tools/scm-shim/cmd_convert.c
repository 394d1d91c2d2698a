/*
 * cmd_convert.c - scm-shim convert: a v3 body in, the legacy body and its field report out.
 * owns: the convert command's flags and output; must not: convert anything itself (it calls
 * scm_shim_convert, the public API).
 */
#include "cli.h"
#include "scm_shim.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fputs("usage: scm-shim convert [FILE|-]\n"
          "Reads a v3 body (GET /v3/scm/certificates/{id}) from FILE or stdin, no network, and\n"
          "prints {\"legacy\": <legacy body>, \"fields\": {<legacy field>: <class>},\n"
          "\"unmapped\": [<fields whose value had no rule>], \"absent\": [<fields whose v3 source\n"
          "was absent or null>], \"v3_only\": [<v3 members not used>]}, with \"spellings\":\n"
          "{<field>: <older v3 name that served it>} and \"captured_at\" when they apply.\n"
          "SCM_SHIM_MAPPING selects a replacement table.\n",
          out);
}

int cmd_convert(int argc, char **argv)
{
    const char *path = "-";
    char *input, *legacy = NULL, *report_json = NULL;
    scm_shim_report *report = NULL;
    cJSON *out = NULL, *rep = NULL, *it;
    size_t len = 0;
    int rc;

    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        help(stdout);
        return CLI_OK;
    }
    if (argc > 2) {
        help(stderr);
        return cli_error(CLI_USAGE, "convert takes one FILE");
    }
    if (argc == 2)
        path = argv[1];
    if ((input = cli_read_all(path, &len)) == NULL)
        return cli_error(CLI_FAIL, "cannot read %s: %s", strcmp(path, "-") == 0 ? "stdin" : path,
                         strerror(errno));
    rc = scm_shim_convert(input, len, &legacy, &report);
    free(input);
    if (rc != SCM_OK)
        return cli_error(rc == SCM_E_INVALID_PARAM ? CLI_USAGE : CLI_FAIL, "%s",
                         scm_shim_last_error());
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
