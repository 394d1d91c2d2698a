/*
 * commands.c - the command table; see commands.h.
 * owns: every command's synopsis, help text, options and environment variables, and what is
 * made from them (usage, help, option recognition, hints, the completion script); must not:
 * act on an option (each cmd_*.c does) or read the environment.
 */
#include "commands.h"

#include "cli.h"
#include "regions.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

/* " cn-north-4 ap-southeast-1 ...": the region IDs for --region's line. */
#define REGION_ID(id, endpoint) " " id

static const cli_option client_options[] = {
    {"--endpoint", "URL", "SCM endpoint (over SCM_ENDPOINT)"},
    {"--region", "ID", "a region whose endpoint serves when none is given:" SCM_REGIONS(REGION_ID)},
    {"--project-id", "ID", "project ID (over SCM_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID)"},
    {"--timeout-ms", "N", "whole-request timeout in milliseconds (default 30000)"},
    {NULL, NULL, NULL}};

static const cli_option summary_options[] = {
    {"--format", "table|json|csv|html",
     "table for people, json, csv (the per-field table alone), or html FILE: one page to FILE"},
    {"--problems", "FILE", "also write the certificates with a mismatch or an error as CSV"},
    {"--values", NULL, "show the differing values"},
    {"--fail-on-mismatch", NULL, "exit 1 when a certificate has a mismatch"},
    {NULL, NULL, NULL}};

/* Printed as one "-h, --help" line. */
static const cli_option help_options[] = {
    {"-h", NULL, "this help"}, {"--help", NULL, "this help"}, {NULL, NULL, NULL}};

static const cli_option no_options[] = {{NULL, NULL, NULL}};

/* The variables the command and, for a command that makes a client, the library read. */
typedef struct cli_env {
    const char *name;
    const char *doc;
    unsigned uses; /* shown by the commands with one of these CLI_USES_* */
} cli_env;

static const cli_env variables[] = {
    {"SCM_ENDPOINT", "SCM endpoint", CLI_USES_CLIENT},
    {"SCM_PROJECT_ID", "project ID", CLI_USES_CLIENT},
    {"SCM_TOKEN", "IAM token for X-Auth-Token (first: over the keys below)", CLI_USES_CLIENT},
    {"HUAWEICLOUD_SDK_AK", "access key (keys are never taken from a flag)", CLI_USES_CLIENT},
    {"HUAWEICLOUD_SDK_SK", "secret key", CLI_USES_CLIENT},
    {"HUAWEICLOUD_SDK_SECURITY_TOKEN", "security token of HUAWEICLOUD_SDK_AK's temporary key",
     CLI_USES_CLIENT},
    {"SCM_AK", "not read (the legacy programs' name): warns when set without HUAWEICLOUD_SDK_AK",
     CLI_USES_CLIENT},
    {"SCM_SK", "not read either: HUAWEICLOUD_SDK_SK", CLI_USES_CLIENT},
    {"HUAWEICLOUD_SDK_CREDENTIALS_FILE",
     "the SDKs' credentials file, when no key is set (default ~/.huaweicloud/credentials)",
     CLI_USES_CLIENT},
    {"HUAWEICLOUD_SDK_PROJECT_ID", "project ID, when SCM_PROJECT_ID is not set", CLI_USES_CLIENT},
    {"HUAWEICLOUD_SDK_DOMAIN_ID", "account ID: global credentials, X-Domain-Id on v3",
     CLI_USES_CLIENT},
    {"HUAWEICLOUD_SDK_REGION", "the region, when --region is not given", CLI_USES_CLIENT},
    {"SCM_SHIM_BACKEND", "v3 (default) or legacy", CLI_USES_CLIENT},
    {"SCM_SHIM_BACKEND_FILE", "a file naming the backend: v3, legacy or shadow", CLI_USES_CLIENT},
    {"SCM_SHIM_FALLBACK", "forward (default), legacy or off: switch day's fallback",
     CLI_USES_CLIENT},
    {"SCM_SHIM_BREAKER_FAILURES", "v3 failures in a row before legacy is asked first (default 5)",
     CLI_USES_CLIENT},
    {"SCM_SHIM_BREAKER_COOLDOWN_MS", "how long legacy is asked first (default 30000)",
     CLI_USES_CLIENT},
    {"SCM_SHIM_V3_ENDPOINT", "the v3 backend's endpoint override", CLI_USES_CLIENT},
    {"SCM_SHIM_LEGACY_ENDPOINT", "the legacy backend's endpoint override", CLI_USES_CLIENT},
    {"SCM_SHIM_ANNOTATE", "1: append the \"_shim\" field report to JSON bodies", CLI_USES_CLIENT},
    {"SCM_SHIM_SHADOW", "1: also ask the other backend and compare", CLI_USES_CLIENT},
    {"SCM_SHIM_SHADOW_SAMPLE", "fraction of calls shadowed, 0.0 to 1.0", CLI_USES_CLIENT},
    {"SCM_SHIM_SHADOW_TIMEOUT_MS", "the shadow request's timeout", CLI_USES_CLIENT},
    {"SCM_SHIM_AUDIT_LOG", "file receiving one JSON line per shadowed call", CLI_USES_CLIENT},
    {"SCM_SHIM_AUDIT_VALUES", "1: audit lines carry the differing values", CLI_USES_CLIENT},
    {"SCM_SHIM_RETRIES", "retries after the first attempt, 0 to 10 (default 3)", CLI_USES_CLIENT},
    {"SCM_SHIM_CONNECT_TIMEOUT_MS", "longest connection attempt (default 3000)", CLI_USES_CLIENT},
    {"SCM_SHIM_CA_FILE", "a PEM bundle of CAs trusted besides the system's", CLI_USES_CLIENT},
    {"SCM_SHIM_CAPTURE", "path of the SQLite capture store", CLI_USES_CLIENT | CLI_USES_CAPTURE},
    {"SCM_SHIM_MAPPING", "a replacement mapping table (mapping/mapping.json format)",
     CLI_USES_CLIENT | CLI_USES_MAPPING},
    {"SCM_SHIM_LOG", "off, error, warn (default), info or debug: diagnostics on stderr",
     CLI_USES_LOG},
};

static const cli_option get_options[] = {
    {"--backend", "legacy|v3", "the backend asked (over SCM_SHIM_BACKEND)"},
    {"--annotate", NULL, "append the \"_shim\" field report (over SCM_SHIM_ANNOTATE)"},
    {NULL, NULL, NULL}};

static const cli_option mapping_options[] = {
    {"--format", "markdown|json", "markdown (default) for people, json for scripts"},
    {"--diff", "FILE", "per field, what the table FILE changes against the built-in one"},
    {NULL, NULL, NULL}};

/* --all and its filters: the fleet commands' IDs from v3 ListCertificates (listing.c). */
#define LISTING_OPTIONS                                                                            \
    {"--all", NULL, "every certificate v3 ListCertificates lists, instead of IDs"},                \
        {"--status", "S", "with --all: only certificates in status S (ALL: any)"},                 \
        {"--enterprise-project-id", "ID",                                                          \
         "with --all: only that enterprise project's (all: any)"},                                 \
        {"--page-size", "10|20|50", "with --all: certificates per page (default 50)"},

static const cli_option audit_options[] = {
    {"--ids", "FILE", "certificate IDs, one per line (- for stdin)"},
    LISTING_OPTIONS{"--log", "FILE", "summarise a shadow-mode audit log instead of querying"},
    {"--concurrency", "N", "certificates in flight, 1 to 256 (default 8)"},
    {"--suggest-mapping", "FILE",
     "also write a table learnt from the pairs seen, and FILE.changes.md with the evidence"},
    {"--min-observations", "N",
     "certificates a suggested change needs (default 5; with --suggest-mapping)"},
    {NULL, NULL, NULL}};

static const cli_option capture_options[] = {
    {"--ids", "FILE", "certificate IDs, one per line (- for stdin)"},
    LISTING_OPTIONS{"--concurrency", "N", "certificates in flight, 1 to 256 (default 8)"},
    {"--stats", NULL, "count what the store holds, and whether it still serves each field"},
    {"--export", NULL, "print the store as JSON lines"},
    {"--purge", "CERT_ID|--all", "remove one certificate's values, or everything"},
    {NULL, NULL, NULL}};

static const cli_command get_cmd = {
    "get",
    "[--backend legacy|v3] [--annotate] [OPTIONS] CERT_ID",
    "the certificate's body in the legacy layout, through the library",
    "Prints the certificate's body in the legacy layout, as scm_query_cert_details_json\n"
    "returns it.\n"
    "Exit status: 0 printed; 1 the service or the network failed; 2 usage or configuration\n"
    "error.\n",
    get_options,
    CLI_USES_CLIENT | CLI_USES_LOG};

static const cli_command convert_cmd = {
    "convert",
    "[FILE|-]",
    "a v3 body in, the legacy body and its field report out (offline)",
    "Reads a v3 body (GET /v3/scm/certificates/{id}) from FILE or stdin (-, the default),\n"
    "no network, and prints {\"legacy\": <legacy body>, \"fields\": {<legacy field>: <class>},\n"
    "\"unmapped\": [<fields whose value had no rule>], \"absent\": [<fields whose v3 source\n"
    "was absent or null>], \"v3_only\": [<v3 members not used>]}, with \"spellings\":\n"
    "{<field>: <older v3 name that served it>} and \"captured_at\" when they apply.\n"
    "A v3 body is a JSON object with a string \"id\" and no \"cert_id\", \"cert_name\" or\n"
    "\"auth\" (the legacy layout's); anything else is refused.\n"
    "Exit status: 0 converted; 2 usage error, or an input that cannot be read or is no v3\n"
    "body.\n",
    no_options,
    CLI_USES_MAPPING | CLI_USES_CAPTURE | CLI_USES_LOG | CLI_TAKES_FILES};

static const cli_command mapping_cmd = {
    "mapping",
    "[--format markdown|json]",
    "the field mapping table",
    "Prints the field mapping table (SCM_SHIM_MAPPING's when set).\n"
    "Exit status: 0 printed; 2 usage error or an unusable table.\n",
    mapping_options,
    CLI_USES_MAPPING | CLI_USES_LOG};

static const cli_command audit_cmd = {
    "audit",
    "[--ids FILE | CERT_ID...] [--concurrency N] [OUTPUT OPTIONS] [OPTIONS]\n"
    "--log FILE [OUTPUT OPTIONS]",
    "both backends per certificate, or an audit log: where fields diverge",
    "Asks the legacy and the v3 backend for each certificate (N at once) and prints, for\n"
    "every legacy field, how many certificates match, differ as expected (lossy, missing or\n"
    "unmapped), mismatch (nothing explains it) or failed on one side (error), with example\n"
    "IDs, then the certificates with a mismatch or an error (in table and json; with csv,\n"
    "stdout holds the per-field table alone and --problems FILE receives those certificates\n"
    "as cert_id,result,fields). --log summarises SCM_SHIM_AUDIT_LOG lines instead of querying.\n"
    "IDs are checked before the first request; a line that is no certificate ID is\n"
    "reported and counted as an error. A --log line that is not a record is skipped and\n"
    "counted.\n"
    "Exit status: 0 every certificate compared, no mismatch; 1 a mismatch with\n"
    "--fail-on-mismatch; 2 usage, input or configuration error; 3 not every certificate\n"
    "could be compared (an error on one side, an unusable ID, a damaged log line, an --all\n"
    "listing that failed or may have missed certificates, or nothing to compare).\n",
    audit_options,
    CLI_USES_CLIENT | CLI_USES_SUMMARY | CLI_USES_LOG};

static const cli_command diff_cmd = {
    "diff",
    "[OUTPUT OPTIONS] LEGACY.json V3.json",
    "two captured bodies (legacy, then v3) compared offline",
    "Compares a body captured from GET /v2/{project_id}/scm/cert/{id} with one from\n"
    "GET /v3/scm/certificates/{id}, offline, with the same classes and output as audit.\n"
    "The legacy body comes first: two files given the other way round are refused.\n"
    "Exit status: 0 no mismatch; 1 a mismatch with --fail-on-mismatch; 2 usage error, or an\n"
    "input that cannot be read or is not the body it should be.\n",
    no_options,
    CLI_USES_SUMMARY | CLI_USES_MAPPING | CLI_USES_LOG | CLI_TAKES_FILES};

static const cli_command doctor_cmd = {
    "doctor",
    "[OPTIONS]",
    "checks the library, configuration, endpoints, TLS, auth, clock",
    "Checks the library loaded (its path, version and frozen symbols) and the\n"
    "configuration, then reaches each backend's endpoint and reports\n"
    "TLS, authentication and clock skew, one line per check (ok, warn, FAIL, skip).\n"
    "Exit status: 0 no FAIL; 1 a check failed; 2 usage error or unusable configuration.\n",
    no_options,
    CLI_USES_CLIENT | CLI_USES_LOG};

static const cli_command capture_cmd = {
    "capture",
    "[--ids FILE | CERT_ID...] [--concurrency N] [OPTIONS]\n"
    "--stats | --export | --purge CERT_ID | --purge --all",
    "keeps what only v2 knows in the capture store (SCM_SHIM_CAPTURE), or shows it",
    "Asks the legacy backend for each certificate (N at once) and keeps, in the SQLite\n"
    "store named by SCM_SHIM_CAPTURE, the fields v3 cannot supply (the table's missing and\n"
    "lossy fields, and what it held under older tables: personal data). A certificate\n"
    "counts as captured only once its values are in the store.\n"
    "Exit status: 0 every certificate captured; 1 some could not be read or stored, an ID\n"
    "was unusable, or the --all listing failed or may have missed certificates; 2 usage or\n"
    "configuration error (a store that cannot be opened included, checked before --all\n"
    "lists).\n",
    capture_options,
    CLI_USES_CLIENT | CLI_USES_CAPTURE | CLI_USES_LOG};

static const cli_command version_cmd = {"version",
                                        "",
                                        "the library version (also --version, -V)",
                                        "Prints the version of the library the command runs on.\n",
                                        no_options,
                                        0};

#define CLI_ENTRY(name) &name##_cmd,
static const cli_command *const commands[] = {CLI_COMMANDS(CLI_ENTRY)};
#undef CLI_ENTRY
#define NCOMMANDS (sizeof commands / sizeof commands[0])
#define NVARIABLES (sizeof variables / sizeof variables[0])

const cli_command *cli_command_find(const char *name)
{
    size_t i;
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

#define NLISTS 4

/* The option lists a command accepts, in help order. */
static void option_lists(const cli_command *c, const cli_option *lists[NLISTS])
{
    lists[0] = c->options;
    lists[1] = c->uses & CLI_USES_SUMMARY ? summary_options : no_options;
    lists[2] = c->uses & CLI_USES_CLIENT ? client_options : no_options;
    lists[3] = help_options;
}

/* Help lines fit in 100 columns: 2 + 20 + 1 for the names, the rest for the docs. */
#define DOC_COLUMN 23
#define DOC_WIDTH (100 - DOC_COLUMN)

/* "  left  doc": doc starts on a line of its own when left is too long for the column, and
 * wraps at spaces. */
static void print_entry(FILE *out, const char *left, const char *doc)
{
    size_t n;
    fprintf(out, "  %-*s", DOC_COLUMN - 2, left);
    if (strlen(left) >= DOC_COLUMN - 2)
        fprintf(out, "\n%*s", DOC_COLUMN, "");
    while (strlen(doc) > DOC_WIDTH) {
        for (n = DOC_WIDTH; n > 0 && doc[n] != ' '; n--)
            ;
        n = n > 0 ? n : DOC_WIDTH;
        fprintf(out, "%.*s\n%*s", (int)n, doc, DOC_COLUMN, "");
        doc += n + (doc[n] == ' ');
    }
    fprintf(out, "%s\n", doc);
}

static void print_options(FILE *out, const char *title, const cli_option *o)
{
    char left[64];
    fprintf(out, "%s:\n", title);
    for (; o->name != NULL; o++) {
        snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        print_entry(out, left, o->doc);
    }
}

static void print_variables(FILE *out, unsigned uses)
{
    size_t i;
    int title = 0;
    for (i = 0; i < NVARIABLES; i++) {
        if ((variables[i].uses & uses) == 0)
            continue;
        if (!title++)
            fputs("Environment:\n", out);
        print_entry(out, variables[i].name, variables[i].doc);
    }
}

void cli_usage(FILE *out)
{
    size_t i;
    fputs("usage: scm-shim COMMAND [OPTIONS]\nCommands:\n", out);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fputs("Run 'scm-shim COMMAND --help' for a command's options and the variables it reads.\n",
          out);
    print_variables(out, ~0u);
}

void cli_command_help(const cli_command *c, FILE *out)
{
    const char *form = c->synopsis, *end;
    int first = 1;
    do {
        end = strchr(form, '\n');
        fprintf(out, "%s scm-shim %s%s%.*s\n", first ? "usage:" : "      ", c->name,
                *form ? " " : "", end ? (int)(end - form) : (int)strlen(form), form);
        first = 0;
        form = end ? end + 1 : NULL;
    } while (form != NULL);
    fputs(c->about, out);
    print_options(out, "Options", c->options);
    print_entry(out, "-h, --help", help_options[0].doc);
    if (c->uses & CLI_USES_SUMMARY)
        print_options(out, "Output options (OUTPUT OPTIONS)", summary_options);
    if (c->uses & CLI_USES_CLIENT)
        print_options(out, "Connection options (OPTIONS)", client_options);
    print_variables(out, c->uses);
}

/* Levenshtein distance of a and b, their first 63 bytes. */
static size_t distance(const char *a, const char *b)
{
    size_t row[64], la = strlen(a), lb = strlen(b), i, j, diag, up;
    la = la < 63 ? la : 63;
    lb = lb < 63 ? lb : 63;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            up = row[j];
            row[j] = a[i - 1] == b[j - 1] ? diag : 1 + (diag < up ? diag : up);
            if (row[j - 1] + 1 < row[j])
                row[j] = row[j - 1] + 1;
            diag = up;
        }
    }
    return row[lb];
}

/* Whether candidate is close enough to word to be what was meant. */
static int close_to(const char *word, const char *candidate, size_t *best)
{
    size_t d = distance(word, candidate), limit = strlen(word) / 3;
    if (d > (limit > 2 ? limit : 2) || d >= *best)
        return 0;
    *best = d;
    return 1;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return cli_error(CLI_USAGE, "%s: %s; 'scm-shim %s --help' lists the options", cmd, text, cmd);
}

static int unknown_option(const cli_command *c, const char *arg)
{
    const cli_option *lists[NLISTS], *o, *near = NULL;
    size_t best = (size_t)-1, l;
    option_lists(c, lists);
    for (l = 0; l < NLISTS; l++)
        for (o = lists[l]; o->name != NULL; o++)
            if (close_to(arg, o->name, &best))
                near = o;
    if (near != NULL)
        return cli_usage_error(c->name, "unknown option '%s' (did you mean %s?)", arg, near->name);
    return cli_usage_error(c->name, "unknown option '%s'", arg);
}

const char *cli_variable_unknown(const char *name)
{
    const char *near = "";
    size_t best = (size_t)-1, i;
    for (i = 0; i < NVARIABLES; i++) {
        if (strcmp(name, variables[i].name) == 0)
            return NULL;
        if (close_to(name, variables[i].name, &best))
            near = variables[i].name;
    }
    return near;
}

int cli_unknown_command(const char *name)
{
    const cli_command *near = NULL;
    size_t best = (size_t)-1, i;
    for (i = 0; i < NCOMMANDS; i++)
        if (close_to(name, commands[i]->name, &best))
            near = commands[i];
    if (near != NULL)
        return cli_error(CLI_USAGE,
                         "unknown command '%s' (did you mean %s?); 'scm-shim --help' lists the "
                         "commands",
                         name, near->name);
    return cli_error(CLI_USAGE, "unknown command '%s'; 'scm-shim --help' lists the commands", name);
}

int cli_is(const cli_option *opt, const char *name)
{
    return opt != NULL && strcmp(opt->name, name) == 0;
}

int cli_next(cli_args *a, const cli_option **opt, const char **value)
{
    const cli_option *lists[NLISTS], *o;
    const char *arg;
    size_t l;

    if (++a->i >= a->argc)
        return CLI_END;
    arg = a->argv[a->i];
    *opt = NULL;
    *value = arg;
    if (arg[0] != '-' || arg[1] == '\0')
        return CLI_NEXT;
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
        cli_command_help(a->cmd, stdout);
        return CLI_OK;
    }
    option_lists(a->cmd, lists);
    for (l = 0; l < NLISTS; l++)
        for (o = lists[l]; o->name != NULL; o++)
            if (strcmp(arg, o->name) == 0) {
                *opt = o;
                *value = NULL;
                if (o->arg == NULL)
                    return CLI_NEXT;
                if (a->i + 1 >= a->argc)
                    return cli_usage_error(a->cmd->name, "%s needs a value (%s)", arg, o->arg);
                *value = a->argv[++a->i];
                return CLI_NEXT;
            }
    return unknown_option(a->cmd, arg);
}

/* What follows an option in the completion: a file, one of a few words ("a|b|c"), or nothing
 * offered (a number, an ID). */
static void completion_value(FILE *out, const cli_option *o)
{
    const char *p;
    if (o->arg != NULL && strcmp(o->arg, "FILE") == 0) {
        fprintf(out, "        %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", o->name);
    } else if (o->arg != NULL && strchr(o->arg, '|') != NULL && islower((unsigned char)o->arg[0])) {
        fprintf(out, "        %s) COMPREPLY=($(compgen -W \"", o->name);
        for (p = o->arg; *p; p++)
            fputc(*p == '|' ? ' ' : *p, out);
        fputs("\" -- \"$cur\")); return ;;\n", out);
    } else if (o->arg != NULL) {
        fprintf(out, "        %s) return ;;\n", o->name);
    }
}

void cli_completion_bash(FILE *out)
{
    const cli_option *lists[NLISTS], *o;
    size_t i, l;
    int first;

    fputs("# bash completion for scm-shim, generated by `scm-shim --completion bash` from its\n"
          "# command table (tools/scm-shim/commands.c): edit that, not this.\n"
          "_scm_shim()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"",
          out);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "%s%s", i ? " " : "", commands[i]->name);
    fputs(" --help\" -- \"$cur\"))\n        return\n    fi\n"
          "    case ${COMP_WORDS[1]} in\n",
          out);
    for (i = 0; i < NCOMMANDS; i++) {
        const cli_command *c = commands[i];
        option_lists(c, lists);
        fprintf(out, "    %s)\n        case $prev in\n", c->name);
        for (l = 0; l < NLISTS; l++)
            for (o = lists[l]; o->name != NULL; o++)
                completion_value(out, o);
        fputs("        esac\n        COMPREPLY=($(compgen -W \"", out);
        first = 0;
        for (l = 0; l < NLISTS; l++)
            for (o = lists[l]; o->name != NULL; o++)
                fprintf(out, "%s%s", first++ ? " " : "", o->name);
        fputs("\" -- \"$cur\"))\n", out);
        if (c->uses & CLI_TAKES_FILES)
            fputs("        COMPREPLY+=($(compgen -f -- \"$cur\"))\n", out);
        fputs("        ;;\n", out);
    }
    fputs("    esac\n}\ncomplete -F _scm_shim scm-shim\n", out);
}
