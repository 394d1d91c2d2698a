/*
 * cli.c - shared pieces of scm-shim; see cli.h.
 * owns: the shared flags, turning them into scm_config and scm_shim_client_options, the
 * command's error lines and input reading; must not: set environment variables to configure
 * the library, or read secrets from anywhere but the environment.
 */
#include "cli.h"
#include "log.h"

#include "regions.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Largest input file read (a v3 body is a few KiB). */
#define CLI_MAX_INPUT (16L * 1024 * 1024)

int cli_error(int status, const char *fmt, ...)
{
    char text[2048], shown[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* Messages carry the service's error_msg and input lines: no CR, LF, ESC or BEL gets through.
     */
    scm__log_escape(shown, sizeof shown, text);
    fprintf(stderr, "scm-shim: %s\n", shown);
    return status;
}

void cli_config_init(cli_config *c)
{
    const scm_shim_client_options unset = SCM_SHIM_CLIENT_OPTIONS_INIT;
    memset(c, 0, sizeof *c);
    c->opts = unset;
    c->cfg.endpoint = getenv("SCM_ENDPOINT");
    c->cfg.project_id = getenv("SCM_PROJECT_ID");
    c->cfg.access_key = getenv("SCM_AK");
    c->cfg.secret_key = getenv("SCM_SK");
    c->cfg.auth_token = getenv("SCM_TOKEN");
}

scm_client *cli_client_new(const cli_config *c)
{
    return scm_shim_client_new(&c->cfg, &c->opts);
}

int cli_shared_option(cli_config *c, int argc, char **argv, int *i, void (*help)(FILE *))
{
    const char *opt = argv[*i];
    char *end;
    if (strcmp(opt, "--help") == 0) {
        help(stdout);
        return CLI_OK;
    }
    if (strcmp(opt, "--endpoint") != 0 && strcmp(opt, "--project-id") != 0 &&
        strcmp(opt, "--region") != 0 && strcmp(opt, "--timeout-ms") != 0)
        return CLI_NOT_OURS;
    if (*i + 1 >= argc)
        return cli_error(CLI_USAGE, "%s needs a value", opt);
    ++*i;
    if (strcmp(opt, "--endpoint") == 0) {
        c->cfg.endpoint = argv[*i];
    } else if (strcmp(opt, "--region") == 0) {
        /* scm_config has no member for it; the library checks it when the client is made. */
        c->opts.region = argv[*i];
    } else if (strcmp(opt, "--project-id") == 0) {
        c->cfg.project_id = argv[*i];
    } else {
        errno = 0;
        c->cfg.timeout_ms = strtol(argv[*i], &end, 10);
        if (errno != 0 || *end != '\0' || c->cfg.timeout_ms <= 0)
            return cli_error(CLI_USAGE, "--timeout-ms takes a positive number of milliseconds");
    }
    return CLI_TAKEN;
}

/* " cn-north-4 ap-southeast-1 ...": the region IDs for the help text. */
#define REGION_ID(id, endpoint) " " id

void cli_config_help(FILE *out)
{
    fputs(
        "Connection options:\n"
        "  --endpoint URL      SCM endpoint (default: $SCM_ENDPOINT)\n"
        "  --region ID         an SCM region, whose endpoint serves when no endpoint is\n"
        "                      given (default: $HUAWEICLOUD_SDK_REGION), one of\n"
        "                     " SCM_REGIONS(
            REGION_ID) "\n"
                       "  --project-id ID     project ID (default: $SCM_PROJECT_ID, "
                       "$HUAWEICLOUD_SDK_PROJECT_ID)\n"
                       "  --timeout-ms N      whole-request timeout (default 30000)\n"
                       "Environment (secrets are read only from here):\n"
                       "  SCM_AK, SCM_SK      access key and secret key (or HUAWEICLOUD_SDK_AK, "
                       "_SK)\n"
                       "  SCM_TOKEN           IAM token for X-Auth-Token, when there is no AK\n"
                       "  HUAWEICLOUD_SDK_SECURITY_TOKEN  temporary credentials' security token\n"
                       "  HUAWEICLOUD_SDK_DOMAIN_ID  account ID: global credentials, X-Domain-Id "
                       "on v3\n"
                       "                      instead of X-Project-Id\n"
                       "  SCM_SHIM_BACKEND    v3 (default) or legacy\n"
                       "  SCM_SHIM_V3_ENDPOINT, SCM_SHIM_LEGACY_ENDPOINT  per-backend endpoint "
                       "overrides\n"
                       "  SCM_SHIM_MAPPING    a replacement mapping table (mapping/mapping.json "
                       "format)\n"
                       "  SCM_SHIM_ANNOTATE   1: append the \"_shim\" field report to JSON bodies\n"
                       "  SCM_SHIM_SHADOW     1: also ask the other backend and compare (see "
                       "README)\n"
                       "  SCM_SHIM_SHADOW_SAMPLE, SCM_SHIM_SHADOW_TIMEOUT_MS, SCM_SHIM_AUDIT_LOG,\n"
                       "  SCM_SHIM_AUDIT_VALUES  shadow sampling, its timeout, and its audit log\n",
        out);
}

char *cli_read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *data = NULL, *grown;
    size_t cap = 0, n = 0, got;
    if (f == NULL)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            if (cap > (size_t)CLI_MAX_INPUT + 8192 || (grown = realloc(data, cap)) == NULL) {
                errno = cap > (size_t)CLI_MAX_INPUT + 8192 ? EFBIG : ENOMEM;
                free(data);
                data = NULL;
                break;
            }
            data = grown;
        }
        got = fread(data + n, 1, cap - n - 1, f);
        n += got;
    } while (got > 0);
    if (data != NULL && ferror(f)) {
        errno = EIO;
        free(data);
        data = NULL;
    }
    if (f != stdin)
        fclose(f);
    if (data != NULL) {
        data[n] = '\0';
        *len = n;
    }
    return data;
}

int cli_print_json(const cJSON *doc)
{
    char *text = cJSON_Print(doc), *p;
    if (text == NULL)
        return cli_error(CLI_FAIL, "out of memory");
    for (p = text; *p; p++) {
        if (*p != '\t')
            putchar(*p);
        else if (p > text && p[-1] == ':')
            putchar(' ');
        else
            fputs("  ", stdout);
    }
    putchar('\n');
    cJSON_free(text);
    return CLI_OK;
}
