/*
 * client_new.c - the client's lifetime: scm_client_new, scm_shim_client_new
 * (defaults, then the environment, then the caller's options) and
 * scm_client_free.
 * owns: making a client whole (settings, the table in force, the CA check,
 * the transport, the audit log and capture store it opens) and freeing it;
 * must not: read the environment itself (settings.c and map_file.c do) or
 * make a request.
 */
#include "audit.h"
#include "backend.h"
#include "capture.h"
#include "client.h"
#include "export.h"
#include "json.h"
#include "log.h"
#include "report.h"
#include "sign.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* options->mapping over SCM_SHIM_MAPPING: a file, "" the built-in table, NULL the variable. */
static int load_map(scm_client *c, const char *given, scm_error *err)
{
    scm_error why;
    if (given == NULL)
        return scm__map_from_env(&c->loaded, &c->map, err) != SCM_OK ? SCM_E_INVALID_PARAM : 0;
    c->map = &scm__map_builtin;
    if (given[0] == '\0')
        return 0;
    if (scm__map_load_file(given, &c->loaded, &why) != SCM_OK)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "scm_shim_client_options.mapping=%s: %s",
                         given, why.msg);
    c->map = &c->loaded;
    return 0;
}

/* Everything but the allocation; 0 or an SCM_E_* code with err. */
static int client_init(scm_client *c, const scm_config *config,
                       const scm_shim_client_options *options, scm_error *err)
{
    int b, rc;

    if ((rc = scm__settings_init(&c->cfg, config, options, err)) != 0 ||
        (rc = load_map(c, options != NULL ? options->mapping : NULL, err)) != 0)
        return rc;
    /* A CA bundle that cannot work would fail every call, late: refuse it now. */
    if (c->cfg.ca_file != NULL && (rc = scm__http_check_ca_file(c->cfg.ca_file, err)) != SCM_OK)
        return rc;
    c->transport = scm__http_transport_new();
    for (b = 0; b < SCM_BACKEND_COUNT; b++)
        c->req[b] = scm__http_req_new();
    if (c->transport == NULL || c->req[0] == NULL || c->req[1] == NULL)
        return scm__fail(err, SCM__ERR_NOMEM, "cannot initialise libcurl");
    if (c->cfg.token == NULL) {
        if ((c->signer = scm__signer_new(c->cfg.sk, strlen(c->cfg.sk))) == NULL)
            return scm__fail(err, SCM__ERR_NOMEM, "cannot initialise OpenSSL's HMAC-SHA256");
        for (b = 0; b < SCM_BACKEND_COUNT; b++)
            scm__http_req_set_signer(c->req[b], c->signer);
    }
    c->shadow_configured = c->cfg.shadow;
    scm__backend_file_init(&c->backend_file);
    scm__client_follow_backend_file(c);
    /* Any call may be shadowed (the backend file turns shadow mode on) or served by the other
     * backend (SCM_SHIM_FALLBACK, fall-forward by default), and each of those is a line. */
    if (c->cfg.audit_log != NULL)
        c->audit_log = scm__audit_log_open(c->cfg.audit_log);
    if (c->cfg.capture != NULL)
        c->capture = scm__capture_open(c->cfg.capture, c->cfg.timeout_ms);
    c->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)c;
    return SCM_OK;
}

/* Counts the problems it passes on. */
typedef struct problems {
    scm_problem_fn *each;
    void *arg;
    int count;
} problems;

static void count_problem(const scm_error *e, void *arg)
{
    problems *p = arg;
    p->count++;
    p->each(e, p->arg);
}

SCM_EXPORT int scm__client_check(const scm_config *config, const scm_shim_client_options *options,
                                 scm_problem_fn *problem, void *arg)
{
    problems p = {problem, arg, 0};
    scm_client c;
    scm_error err;
    int settled;

    memset(&c, 0, sizeof c);
    scm__error_clear(&err);
    settled = scm__settings_resolve(&c.cfg, config, options, count_problem, &p, &err) == SCM_OK;
    scm__error_clear(&err);
    if (load_map(&c, options != NULL ? options->mapping : NULL, &err) != 0)
        count_problem(&err, &p);
    scm__error_clear(&err);
    if (settled && c.cfg.ca_file != NULL && scm__http_check_ca_file(c.cfg.ca_file, &err) != SCM_OK)
        count_problem(&err, &p);
    scm__settings_free(&c.cfg);
    scm__map_free(&c.loaded);
    return p.count;
}

SCM_EXPORT scm_client *scm_shim_client_new(const scm_config *config,
                                           const scm_shim_client_options *options)
{
    scm_client *c = calloc(1, sizeof *c);
    scm_error err;

    scm__last_error_set("%s", "");
    scm__error_clear(&err);
    if (c == NULL) {
        scm__last_error_set("out of memory");
        scm__log(SCM_LOG_ERROR, "out of memory");
        return NULL;
    }
    if (client_init(c, config, options, &err) == SCM_OK)
        return c;
    scm__utf8_cut(err.msg);
    /* Legacy programs see the reason on stderr (unless SCM_SHIM_LOG=off); new code reads it. */
    scm__last_error_set("%s", err.msg);
    scm__log(SCM_LOG_ERROR, "%s", err.msg);
    scm_client_free(c);
    return NULL;
}

SCM_EXPORT scm_client *scm_client_new(const scm_config *config)
{
    return scm_shim_client_new(config, NULL);
}

SCM_EXPORT void scm_client_free(scm_client *client)
{
    int b;
    if (client == NULL)
        return;
    for (b = 0; b < SCM_BACKEND_COUNT; b++)
        scm__http_req_free(client->req[b]);
    scm__transport_free(client->transport);
    scm__signer_free(client->signer);
    scm__audit_log_close(client->audit_log);
    scm__capture_close(client->capture);
    scm__settings_free(&client->cfg);
    scm__map_free(&client->loaded);
    scm__report_free(client->last_report);
    free(client);
}
