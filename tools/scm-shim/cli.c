/*
 * cli.c - shared pieces of scm-shim; see cli.h.
 * owns: the shared flags, turning them into scm_config and scm_shim_client_options, the
 * command's error lines and input reading; must not: set environment variables to configure
 * the library, or read keys itself (the library's chain does).
 */
#include "cli.h"
#include "log.h"

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

/*
 * What the library's errors call the settings the command fills: the user
 * changes a flag or one of the command's variables, not a struct member. The
 * keys come from the SDKs' chain alone, so the command sets none ("").
 */
static const scm_shim_setting_name SETTING_NAMES[] = {
    {"endpoint", "--endpoint or SCM_ENDPOINT"},
    {"project_id", "--project-id or SCM_PROJECT_ID"},
    {"timeout_ms", "--timeout-ms"},
    {"access_key", ""},
    {"secret_key", ""},
    {"auth_token", "SCM_TOKEN"},
    {"region", "--region"},
    {"backend", "--backend"},
    {"annotate", "--annotate"},
    {NULL, NULL}};

void cli_config_init(cli_config *c)
{
    const scm_shim_client_options unset = SCM_SHIM_CLIENT_OPTIONS_INIT;
    memset(c, 0, sizeof *c);
    c->opts = unset;
    c->opts.setting_names = SETTING_NAMES;
    c->cfg.endpoint = getenv("SCM_ENDPOINT");
    c->cfg.project_id = getenv("SCM_PROJECT_ID");
    /* The SDKs have no variable for an IAM token: the command's own, as scm_config.auth_token. */
    c->cfg.auth_token = getenv("SCM_TOKEN");
}

scm_client *cli_client_new(const cli_config *c)
{
    const char *ak = getenv("SCM_AK"), *sdk_ak = getenv("HUAWEICLOUD_SDK_AK");
    /* The names the legacy sample programs read: a user moving to scm-shim is told once. */
    if (ak != NULL && ak[0] != '\0' && (sdk_ak == NULL || sdk_ak[0] == '\0'))
        cli_error(0, "warning: SCM_AK and SCM_SK are not read; the keys come from "
                     "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or ~/.huaweicloud/credentials");
    return scm_shim_client_new(&c->cfg, &c->opts);
}

int cli_connection_option(cli_config *c, const char *opt, const char *value)
{
    char *end;
    if (strcmp(opt, "--endpoint") == 0) {
        c->cfg.endpoint = value;
    } else if (strcmp(opt, "--region") == 0) {
        /* scm_config has no member for it; the library checks it when the client is made. */
        c->opts.region = value;
    } else if (strcmp(opt, "--project-id") == 0) {
        c->cfg.project_id = value;
    } else if (strcmp(opt, "--timeout-ms") == 0) {
        errno = 0;
        c->cfg.timeout_ms = strtol(value, &end, 10);
        if (errno != 0 || *end != '\0' || c->cfg.timeout_ms <= 0)
            return cli_error(CLI_USAGE, "--timeout-ms takes a positive number of milliseconds");
    } else {
        return CLI_NOT_OURS;
    }
    return CLI_TAKEN;
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
