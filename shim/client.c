/*
 * client.c - the frozen entry points: client lifetime and the details query,
 * answered by the selected backend and, in shadow mode, compared with the
 * other one.
 */
#include "client.h"

#include "audit.h"
#include "backend.h"
#include "capture.h"
#include "details.h"
#include "export.h"
#include "json.h"
#include "legacy_json.h"
#include "log.h"
#include "report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

SCM_EXPORT scm_client *scm_client_new(const scm_config *config)
{
    char err[768];
    scm_error map_err;
    scm_client *c = calloc(1, sizeof *c);
    int b;

    scm__last_error_set("%s", "");
    if (c == NULL) {
        scm__last_error_set("out of memory");
        scm__log(SCM_LOG_ERROR, "out of memory");
        return NULL;
    }
    if (scm__settings_init(&c->cfg, config, err, sizeof err) != 0)
        goto bad;
    if (scm__map_from_env(&c->loaded, &c->map, &map_err) != 0) {
        snprintf(err, sizeof err, "%.*s", (int)sizeof err - 1, map_err.msg);
        goto bad;
    }
    /* A CA bundle that cannot work would fail every call, late: refuse it now. */
    if (c->cfg.ca_file != NULL && scm__http_check_ca_file(c->cfg.ca_file, err, sizeof err) != 0)
        goto bad;
    if ((c->cfg.backend == SCM_BACKEND_LEGACY || c->cfg.shadow) && c->cfg.project_id == NULL) {
        snprintf(err, sizeof err,
                 "the legacy backend%s needs a project ID: give project_id or "
                 "HUAWEICLOUD_SDK_PROJECT_ID",
                 c->cfg.backend == SCM_BACKEND_LEGACY ? "" : " (shadowed by SCM_SHIM_SHADOW)");
        goto bad;
    }
    c->http = scm__http_new();
    for (b = 0; b < SCM_BACKEND_COUNT; b++)
        c->req[b] = scm__http_req_new();
    if (c->http == NULL || c->req[0] == NULL || c->req[1] == NULL) {
        snprintf(err, sizeof err, "cannot initialise libcurl");
        goto bad;
    }
    if (c->cfg.shadow && c->cfg.audit_log != NULL)
        c->audit_log = scm__audit_log_open(c->cfg.audit_log);
    if (c->cfg.capture != NULL)
        c->capture = scm__capture_open(c->cfg.capture, c->cfg.timeout_ms);
    c->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)c;
    return c;
bad:
    scm__utf8_cut(err);
    /* Legacy programs see the reason on stderr (unless SCM_SHIM_LOG=off); new code reads it. */
    scm__last_error_set("%s", err);
    scm__log(SCM_LOG_ERROR, "%s", err);
    scm_client_free(c);
    return NULL;
}

SCM_EXPORT void scm_client_free(scm_client *client)
{
    int b;
    if (client == NULL)
        return;
    for (b = 0; b < SCM_BACKEND_COUNT; b++)
        scm__http_req_free(client->req[b]);
    scm__http_free(client->http);
    scm__audit_log_close(client->audit_log);
    scm__capture_close(client->capture);
    scm__settings_free(&client->cfg);
    scm__map_free(&client->loaded);
    scm__report_free(client->last_report);
    free(client);
}

/* xorshift64*: sampling and jitter need no cryptographic quality. */
static double uniform(scm_client *c)
{
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (double)((c->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Whether this call is shadowed: SCM_SHIM_SHADOW, then a SCM_SHIM_SHADOW_SAMPLE draw. */
static int sampled(scm_client *c)
{
    if (!c->cfg.shadow || c->cfg.shadow_sample <= 0.0)
        return 0;
    return c->cfg.shadow_sample >= 1.0 || uniform(c) < c->cfg.shadow_sample;
}

long scm__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Idempotent GETs are worth another try after these; other 4xx never. A 500
 * with an SCM. code is the service's answer to a business error, not a
 * transient failure: asking again only adds latency.
 */
static int retryable(const scm_answer *a)
{
    long s = a->resp != NULL ? a->resp->status : 0;
    if (a->rc == SCM_E_NETWORK)
        return 1;
    if (s == 500 && strncmp(a->err.code, "SCM.", 4) == 0)
        return 0;
    return a->rc == SCM_E_SERVER && (s == 429 || s == 500 || s == 502 || s == 503 || s == 504);
}

/* Beyond this the service's 15-minute window may be at risk: believe its Date. */
#define SKEW_TOLERANCE_S 60

/* A 401 to a signed request whose Date says our clock is off: learn the offset. */
static int learn_skew(scm_client *c, const scm_answer *a)
{
    time_t date;
    long skew;
    if (a->rc != SCM_E_AUTH || a->resp == NULL || a->resp->status != 401 || c->cfg.ak == NULL ||
        (date = scm__http_response_date(a->resp)) == 0)
        return 0;
    skew = (long)(date - time(NULL));
    if (labs(skew - c->clock_offset) <= SKEW_TOLERANCE_S)
        return 0;
    scm__log(SCM_LOG_WARN,
             "clock skew of %+ld s against %s (its Date header); signing with its time", skew,
             c->cfg.ep[a->backend].host);
    c->clock_offset = skew;
    return 1;
}

/* Exponential backoff with jitter, or the service's Retry-After. */
static long backoff_ms(scm_client *c, const scm_answer *a, int attempt)
{
    long cap = attempt < 5 ? 100L << attempt : 2000;
    /* Clamped to SCM_HTTP_MAX_RETRY_AFTER when parsed, so the product fits. */
    if (a->resp != NULL && a->resp->retry_after >= 0)
        return a->resp->retry_after * 1000;
    if (cap > 2000)
        cap = 2000;
    return cap / 2 + (long)(uniform(c) * (double)(cap / 2));
}

/* Sleeps ms (>= 0), resuming after signals; -1 when the sleep itself fails (never spin on it). */
static int sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

/*
 * Asks the selected backend, and the other one too when `both`; each answer
 * lands in answers[backend]. The selected backend is retried (SCM_SHIM_RETRIES)
 * within the caller's timeout; the other side is asked once, with
 * other_timeout, at the same time as the first attempt.
 */
static int ask(scm_client *c, const char *cert_id, int both, long other_timeout,
               scm_answer *answers)
{
    scm_backend primary = c->cfg.backend,
                other = primary == SCM_BACKEND_V3 ? SCM_BACKEND_LEGACY : SCM_BACKEND_V3;
    scm_answer *a = &answers[primary];
    long deadline = c->deadline = scm__now_ms() + c->cfg.timeout_ms, left, wait;
    int attempt, skew_retried = 0;
    scm_error rejected; /* the 401 that taught the clock offset */
    scm_http_req *reqs[2];

    memset(answers, 0, SCM_BACKEND_COUNT * sizeof *answers);
    answers[SCM_BACKEND_V3].backend = SCM_BACKEND_V3;
    answers[SCM_BACKEND_LEGACY].backend = SCM_BACKEND_LEGACY;
    if (!scm__valid_id(cert_id))
        return a->rc = scm__fail(&a->err, SCM__ERR_INVALID_PARAM,
                                 "cert_id must be 1-64 characters of A-Z a-z 0-9 _ -");
    /* The shadow request may use the caller's time, never more: the served answer waits for it. */
    if (both && other_timeout > c->cfg.timeout_ms)
        other_timeout = c->cfg.timeout_ms;
    for (attempt = 0;; attempt++) {
        size_t n = 0;
        left = deadline - scm__now_ms();
        if (scm__backend_prepare(c, primary, cert_id, left > 0 ? left : 1) != SCM_OK ||
            (both && scm__backend_prepare(c, other, cert_id, other_timeout) != SCM_OK))
            return a->rc = scm__fail(&a->err, SCM__ERR_NOMEM, NULL);
        reqs[n++] = c->req[primary];
        if (both)
            reqs[n++] = c->req[other];
        scm__http_run(c->http, reqs, n);
        scm__answer_clear(a);
        scm__backend_answer(c, primary, a);
        scm__answer_expect_id(a, cert_id);
        scm__log(SCM_LOG_DEBUG, "%s %s: %s, HTTP %ld, %.0f ms, attempt %d%s%s",
                 scm__backend_name(primary), cert_id, a->rc == SCM_OK ? "ok" : a->err.code,
                 a->resp->status, a->resp->seconds * 1000.0, attempt + 1,
                 a->resp->request_id[0] ? ", request id " : "", a->resp->request_id);
        if (both) {
            scm__backend_answer(c, other, &answers[other]);
            scm__answer_expect_id(&answers[other], cert_id);
            both = 0;
        }
        if (!skew_retried && learn_skew(c, a)) {
            skew_retried = 1;
            rejected = a->err;
            attempt--; /* a corrected clock is not a retry */
            continue;
        }
        /* A corrected retry cut short by the deadline must not hide the 401 behind a timeout. */
        if (skew_retried && a->rc == SCM_E_NETWORK && deadline - scm__now_ms() <= 0) {
            a->rc = SCM_E_AUTH;
            a->err = rejected;
            break;
        }
        if (a->rc == SCM_OK || a->permanent || !retryable(a) || attempt >= c->cfg.retries)
            break;
        wait = backoff_ms(c, a, attempt);
        /* As a difference, so no sum can overflow: a wait past the deadline leaves no attempt. */
        if (wait >= deadline - scm__now_ms())
            break;
        scm__log(SCM_LOG_INFO, "%s %s: %s%s%s; retrying in %ld ms", scm__backend_name(primary),
                 cert_id, a->err.code, a->resp->request_id[0] ? ", request id " : "",
                 a->resp->request_id, wait);
        if (sleep_ms(wait) != 0)
            break;
    }
    return a->rc;
}

/*
 * Compares the two answers into a record. served_details is the object the
 * caller gets, when there is one; the other side's is made here.
 */
static scm_audit_record *compare_answers(const scm_client *c, const char *cert_id,
                                         scm_answer *answers,
                                         const scm_cert_details *served_details, int values)
{
    scm_backend served = c->cfg.backend;
    const scm_cert_details *d[SCM_BACKEND_COUNT];
    scm_cert_details *made[SCM_BACKEND_COUNT] = {NULL, NULL};
    scm_answer copy[SCM_BACKEND_COUNT];
    scm_audit_record *r;
    int b;

    /* Work on copies so the served answer's code and error stay as the caller sees them. */
    memcpy(copy, answers, sizeof copy);
    for (b = 0; b < SCM_BACKEND_COUNT; b++) {
        if (b == (int)served && served_details != NULL)
            d[b] = served_details;
        else
            d[b] = scm__answer_details(c, &copy[b], &made[b]) == SCM_OK ? made[b] : NULL;
    }
    r = scm__audit_compare(cert_id, served, copy, d, values);
    for (b = 0; b < SCM_BACKEND_COUNT; b++)
        scm_cert_details_free(made[b]);
    return r;
}

/* Feeds the capture store from a legacy answer served as bytes, leaving the answer as it is. */
static void capture_only(const scm_client *c, const scm_answer *served)
{
    scm_answer copy = *served;
    scm_cert_details *d = NULL;
    scm__answer_details(c, &copy, &d);
    scm_cert_details_free(d);
}

/* Shadow mode's epilogue: compare and append the audit line. Never touches the served result. */
static void shadow_audit(scm_client *c, const char *cert_id, scm_answer *answers,
                         const scm_cert_details *served_details)
{
    scm_audit_record *r = compare_answers(c, cert_id, answers, served_details, c->cfg.audit_values);
    char *line = r != NULL ? scm__audit_record_line(r) : NULL;
    if (line != NULL)
        scm__audit_log_write(c->audit_log, line);
    free(line);
    scm__audit_record_free(r);
}

/* Starts a query: clears the error state, the request ID and the last report. */
static void begin(scm_client *c)
{
    scm__error_clear(&c->err);
    c->request_id[0] = '\0';
    scm__report_free(c->last_report);
    c->last_report = NULL;
}

/* Ends a query: keeps the served answer's request ID, and its failure or the report of its object.
 */
static int end(scm_client *c, scm_answer *served, const scm_cert_details *d)
{
    if (served->resp != NULL)
        memcpy(c->request_id, served->resp->request_id, sizeof c->request_id);
    if (served->rc == SCM_OK && (c->last_report = scm__report_copy(scm__details_report(d))) == NULL)
        served->rc = scm__fail(&served->err, SCM__ERR_NOMEM, NULL);
    if (served->rc != SCM_OK)
        c->err = served->err;
    return served->rc;
}

SCM_EXPORT int scm_query_cert_details(scm_client *client, const char *cert_id,
                                      scm_cert_details **out)
{
    scm_answer answers[SCM_BACKEND_COUNT], *served;
    int shadowed, rc;

    if (out != NULL)
        *out = NULL;
    if (client == NULL)
        return SCM_E_INVALID_PARAM;
    begin(client);
    if (out == NULL)
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM, "out must not be NULL");
    served = &answers[client->cfg.backend];
    shadowed = scm__valid_id(cert_id) && sampled(client);
    ask(client, cert_id, shadowed, client->cfg.shadow_timeout_ms, answers);
    scm__answer_details(client, served, out);
    if (shadowed)
        shadow_audit(client, cert_id, answers, *out);
    rc = end(client, served, *out);
    if (rc != SCM_OK) {
        scm_cert_details_free(*out);
        *out = NULL;
    }
    scm__answer_clear(&answers[0]);
    scm__answer_clear(&answers[1]);
    return rc;
}

/* A legacy-shaped {"error_code","error_msg"} body for an error: the reason, as the service gave it.
 */
static char *error_body(const scm_error *e)
{
    cJSON *o = cJSON_CreateObject();
    char *s = NULL, reason[SCM_ERR_MSG_MAX];
    snprintf(reason, sizeof reason, "%.*s", (int)e->reason_len, e->msg);
    if (o != NULL && cJSON_AddStringToObject(o, "error_code", e->code) != NULL &&
        cJSON_AddStringToObject(o, "error_msg", reason) != NULL)
        s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* Whether an error body has the frozen header's {"error_code","error_msg"} shape (not
 * {"code","message"}). */
static int legacy_shaped(const cJSON *doc)
{
    return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "error_code")) &&
           cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "error_msg"));
}

/* The legacy service's own body, with "_shim" inserted before its closing brace when asked. */
static char *legacy_body(const scm_client *c, const scm_answer *a, const scm_report *report)
{
    const char *body = a->resp->body.data;
    size_t end = a->resp->body.len;
    scm_buf b;
    if (!c->cfg.annotate)
        return strdup(body);
    while (end > 0 && body[end - 1] != '}')
        end--;
    scm__buf_init(&b);
    scm__buf_append(&b, body, end - 1);
    while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
        b.len--;
    scm__buf_puts(&b, cJSON_GetArraySize(a->doc) ? ",\n  \"_shim\": " : "\n  \"_shim\": ");
    scm__report_put_json(&b, report, 2, 1);
    scm__buf_puts(&b, "\n}\n");
    return scm__buf_take(&b);
}

SCM_EXPORT int scm_query_cert_details_json(scm_client *client, const char *cert_id, char **json_out)
{
    scm_answer answers[SCM_BACKEND_COUNT], *served;
    scm_cert_details *d = NULL;
    int shadowed, rc;

    if (json_out != NULL)
        *json_out = NULL;
    if (client == NULL)
        return SCM_E_INVALID_PARAM;
    begin(client);
    if (json_out == NULL)
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM, "json_out must not be NULL");
    served = &answers[client->cfg.backend];
    shadowed = scm__valid_id(cert_id) && sampled(client);
    ask(client, cert_id, shadowed, client->cfg.shadow_timeout_ms, answers);
    /* The legacy body goes out as the service sent it, so only v3 needs its object. */
    if (served->backend == SCM_BACKEND_V3)
        scm__answer_details(client, served, &d);
    if (shadowed)
        shadow_audit(client, cert_id, answers, d);
    else if (served->backend == SCM_BACKEND_LEGACY && client->capture != NULL)
        capture_only(client, served);
    /* A legacy answer's report: every field exact. */
    if (served->rc == SCM_OK && served->backend == SCM_BACKEND_LEGACY &&
        (d = scm__details_new("legacy")) == NULL)
        served->rc = scm__fail(&served->err, SCM__ERR_NOMEM, NULL);
    rc = end(client, served, d);
    if (rc == SCM_OK && served->backend == SCM_BACKEND_LEGACY)
        *json_out = legacy_body(client, served, client->last_report);
    else if (rc == SCM_OK)
        *json_out = scm__legacy_json(d, client->cfg.annotate ? client->last_report : NULL);
    else if (served->backend == SCM_BACKEND_LEGACY && legacy_shaped(served->doc) &&
             scm__is_service_error(rc))
        *json_out = strdup(served->resp->body.data); /* the legacy service's own error body */
    else if (scm__is_service_error(rc))
        *json_out = error_body(&client->err);
    if (*json_out == NULL && (rc == SCM_OK || scm__is_service_error(rc))) {
        rc = scm__fail(&client->err, SCM__ERR_NOMEM, NULL);
        scm__report_free(client->last_report);
        client->last_report = NULL;
    }
    scm_cert_details_free(d);
    scm__answer_clear(&answers[0]);
    scm__answer_clear(&answers[1]);
    return rc;
}

int scm__client_audit(scm_client *client, const char *cert_id, int values, scm_audit_record **out)
{
    scm_answer answers[SCM_BACKEND_COUNT];
    *out = NULL;
    begin(client);
    if (client->cfg.ep[SCM_BACKEND_V3].base == NULL ||
        client->cfg.ep[SCM_BACKEND_LEGACY].base == NULL || client->cfg.project_id == NULL)
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM,
                         "an audit needs both backends: an endpoint for each and a project ID");
    if (ask(client, cert_id, 1, client->cfg.timeout_ms, answers) == SCM_E_INVALID_PARAM)
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM,
                         "cert_id must be 1-64 characters of A-Z a-z 0-9 _ -");
    *out = compare_answers(client, cert_id, answers, NULL, values);
    scm__answer_clear(&answers[0]);
    scm__answer_clear(&answers[1]);
    return *out != NULL ? SCM_OK : scm__fail(&client->err, SCM__ERR_NOMEM, NULL);
}
