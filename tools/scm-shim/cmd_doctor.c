/*
 * cmd_doctor.c - scm-shim doctor: checks the library it runs on (the installed one), the
 * configuration, then reaches each backend's endpoint and reports TLS, authentication and
 * clock skew, one line per check.
 * owns: the checks and their verdict lines; must not: change the configuration it diagnoses
 * beyond its own client's options (no retries), or print a secret.
 */
#include "backend.h"
#include "cli.h"
#include "commands.h"
#include "client.h"
#include "log.h"
#include "scm_symbols.h"

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A certificate ID no service has: a 404 proves the request was authenticated. */
#define PROBE_ID "scmshimdoctorprobe"
/* The service rejects X-Sdk-Date more than 15 minutes off; warn well before. */
#define SKEW_WARN_S 60
#define SKEW_FAIL_S (15 * 60)

static int failures;

static void verdict(const char *v, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void verdict(const char *v, const char *check, const char *fmt, ...)
{
    char text[1024], shown[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* Verdicts quote what the service answered: controls escaped. */
    scm__log_escape(shown, sizeof shown, text);
    printf("%-4s  %-24s %s\n", v, check, shown);
    if (strcmp(v, "FAIL") == 0)
        failures++;
}

static void check_backend(scm_client *c, scm_backend b)
{
    const scm_endpoint *ep = &c->cfg.ep[b];
    const char *name = scm__backend_name(b);
    char check[32];
    scm_answer a;
    long skew;

    snprintf(check, sizeof check, "%s endpoint", name);
    if (ep->base == NULL) {
        verdict("skip", check, "no endpoint configured");
        return;
    }
    if (scm__backend_ops(b)->needs_project && c->cfg.project_id == NULL) {
        verdict("skip", check, "no project ID (the legacy path needs one)");
        return;
    }
    scm__backend_probe(c, b, PROBE_ID, &a);
    if (a.rc == SCM_E_NETWORK) {
        verdict("FAIL", check, "%s: %s", ep->base, a.err.msg);
        scm__answer_clear(&a);
        return;
    }
    verdict("ok", check, "%s answered HTTP %ld in %.0f ms", ep->base, a.resp->status,
            a.resp->seconds * 1000.0);
    snprintf(check, sizeof check, "%s TLS", name);
    if (strncmp(ep->base, "https://", 8) == 0)
        verdict("ok", check, "certificate and host name verified%s",
                c->cfg.ca_file ? " (with SCM_SHIM_CA_FILE)" : "");
    else
        verdict("warn", check, "not used: the endpoint is http://");
    snprintf(check, sizeof check, "%s authentication", name);
    if (a.rc == SCM_E_AUTH)
        verdict("FAIL", check, "HTTP %ld %s: %s", a.resp->status, a.err.code, a.err.msg);
    else if (a.rc == SCM_E_NOT_FOUND || a.rc == SCM_OK)
        verdict("ok", check, "%s accepted", c->cfg.ak != NULL ? "AK/SK signature" : "X-Auth-Token");
    else
        verdict("warn", check, "undetermined: HTTP %ld %s", a.resp->status, a.err.code);
    snprintf(check, sizeof check, "%s clock", name);
    if (scm__http_response_date(a.resp) == 0) {
        verdict("warn", check, "no Date header to compare with");
    } else {
        skew = (long)(scm__http_response_date(a.resp) - time(NULL));
        if (labs(skew) <= SKEW_WARN_S)
            verdict("ok", check, "skew %+ld s", skew);
        else
            verdict(labs(skew) > SKEW_FAIL_S ? "FAIL" : "warn", check,
                    "skew %+ld s: signed requests are rejected past 15 minutes (the library "
                    "corrects its clock after one 401, but fix the system clock)",
                    skew);
    }
    scm__answer_clear(&a);
}

/* The backend in force, where it came from, and what switch day's fallbacks would do. */
static void check_switch(const scm_client *c)
{
    scm_backend_origin from = (scm_backend_origin)c->cfg.backend_from;
    verdict("ok", "backend in force", "%s%s, from %s%s%s", scm__backend_name(c->cfg.backend),
            c->cfg.shadow ? " (shadowed)" : "", scm__backend_origin_name(from),
            from == SCM_ORIGIN_FILE ? "=" : "", from == SCM_ORIGIN_FILE ? c->cfg.backend_file : "");
    if (c->cfg.backend_file != NULL && from != SCM_ORIGIN_FILE)
        verdict("warn", "backend file",
                "SCM_SHIM_BACKEND_FILE=%s not followed (the reason is above)", c->cfg.backend_file);
    if (c->cfg.fallback == SCM_FALLBACK_LEGACY)
        verdict("ok", "fallback",
                "legacy: forward when v2 is gone, legacy when v3 fails "
                "(breaker after %d failures, %ld ms cool-down)",
                c->cfg.breaker_failures, c->cfg.breaker_cooldown_ms);
    else
        verdict("ok", "fallback", "%s%s", scm__fallback_mode_name(c->cfg.fallback),
                c->cfg.fallback == SCM_FALLBACK_FORWARD ? ": v3 serves when the legacy API is gone"
                                                        : "");
}

/* The frozen interface's functions (scm_client.h): what every legacy binary needs of the library.
 */
#define FROZEN_NAME(name) name,
static const char *const FROZEN[] = {SCM_FROZEN_SYMBOLS(FROZEN_NAME)};
#undef FROZEN_NAME

/*
 * The library this process actually loaded (found by the dynamic loader, as a
 * legacy binary finds it), its version and whether it exports the frozen
 * functions.
 */
static void check_library(void)
{
    scm_client *(*entry)(const scm_config *) = scm_client_new;
    char path[PATH_MAX], dir[PATH_MAX], missing[512] = "";
    size_t i, n = 0;
    void *addr, *self;
    Dl_info info;

    memcpy(&addr, &entry, sizeof addr);
    if (dladdr(addr, &info) == 0 || info.dli_fname == NULL) {
        verdict("FAIL", "library", "cannot tell which libscmclient was loaded");
        return;
    }
    /* The directory resolved, the name kept: libscmclient.so.1 is what a legacy binary asks for. */
    snprintf(dir, sizeof dir, "%s", info.dli_fname);
    if (realpath(dirname(dir), path) == NULL)
        snprintf(path, sizeof path, "%s", dirname(dir));
    snprintf(dir, sizeof dir, "%s", info.dli_fname);
    verdict("ok", "library", "%s/%s, version %s", path, basename(dir), scm_shim_version());
    self = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    for (i = 0; i < sizeof FROZEN / sizeof FROZEN[0]; i++)
        if (self == NULL || dlsym(self, FROZEN[i]) == NULL)
            n += (size_t)snprintf(missing + n, n < sizeof missing ? sizeof missing - n : 0, " %s",
                                  FROZEN[i]);
    if (self != NULL)
        dlclose(self);
    if (missing[0] != '\0')
        verdict("FAIL", "frozen symbols", "not exported:%s", missing);
    else
        verdict("ok", "frozen symbols", "all %zu of scm_client.h exported", i);
}

extern char **environ;

/* A variable of the library's prefix it does not read is most likely a typo: say so, not FAIL. */
static void check_variable_names(void)
{
    char name[128];
    const char *near;
    size_t n;
    char **e;
    for (e = environ; *e != NULL; e++) {
        if (strncmp(*e, "SCM_SHIM_", 9) != 0)
            continue;
        n = strcspn(*e, "=");
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), *e);
        if ((near = cli_variable_unknown(name)) != NULL)
            verdict("warn", "variables", "%s is not a variable of this library%s%s%s", name,
                    near[0] ? " (did you mean " : "", near, near[0] ? "?)" : "");
    }
}

static void config_problem(const scm_error *e, void *arg)
{
    (void)arg;
    verdict("FAIL", "configuration", "%s", e->msg);
}

/* Where the client's keys came from, as its user set them. */
static const char *credentials_origin(const scm_client *c, char *buf, size_t n)
{
    switch (c->cfg.cred_source) {
    case SCM_CRED_ENV:
        return "HUAWEICLOUD_SDK_AK";
    case SCM_CRED_FILE:
        snprintf(buf, n, "%s", c->cfg.cred_file);
        return buf;
    case SCM_CRED_CONFIG:
        break;
    }
    return "SCM_TOKEN"; /* the command's one credential of its own */
}

int cmd_doctor(int argc, char **argv)
{
    cli_args a = {cli_command_find("doctor"), argc, argv, 0};
    const cli_option *opt;
    const char *value;
    cli_config conf;
    scm_client *c;
    char origin[4300];
    int rc;

    cli_config_init(&conf);
    while ((rc = cli_next(&a, &opt, &value)) == CLI_NEXT) {
        if (opt == NULL)
            return cli_usage_error("doctor", "unexpected argument '%s'", value);
        if (cli_connection_option(&conf, opt->name, value) != CLI_TAKEN)
            return CLI_USAGE;
    }
    if (rc != CLI_END)
        return rc;
    check_library();
    /* One answer per check: a retried failure would only take longer. */
    conf.opts.retries = 0;
    check_variable_names();
    /* Every problem, not the first: the user fixes them in one go. */
    if (scm__client_check(&conf.cfg, &conf.opts, config_problem, NULL) > 0 ||
        (c = cli_client_new(&conf)) == NULL) {
        if (failures == 0)
            verdict("FAIL", "configuration", "unusable (the reason is above)");
        return CLI_USAGE;
    }
    verdict("ok", "configuration", "backend %s, %s from %s%s", scm__backend_name(c->cfg.backend),
            c->cfg.ak != NULL ? (c->cfg.security_token ? "AK/SK with a security token" : "AK/SK")
                              : "X-Auth-Token",
            credentials_origin(c, origin, sizeof origin),
            c->cfg.domain_id != NULL    ? ", global credentials (X-Domain-Id on v3)"
            : c->cfg.project_id != NULL ? ", project credentials (X-Project-Id)"
                                        : "");
    check_switch(c);
    check_backend(c, SCM_BACKEND_V3);
    check_backend(c, SCM_BACKEND_LEGACY);
    scm_client_free(c);
    return failures ? CLI_FAIL : CLI_OK;
}
