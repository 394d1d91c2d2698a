/*
 * client.c - the frozen query entry points (client_new.c makes and frees the client):
 * a linear pipeline: fetch (with retries) -> decode -> capture -> report ->
 * shadow compare.
 * Switch day: the fetch step may start on legacy (v3's breaker open) or hand a failed answer
 * to the other backend (fall_over), and each call first follows SCM_SHIM_BACKEND_FILE.
 * owns: the order of the steps, the deadline, the client's state between
 * calls (the backend in force, the breaker); must not: build requests or read answers
 * (backend.c), decide what is retried or how long to wait (retry.c) or when the other backend
 * serves (fallback.c), or speak HTTP (the transport).
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
#include "retry.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Whether this call is shadowed: SCM_SHIM_SHADOW, then a SCM_SHIM_SHADOW_SAMPLE draw. */
static int sampled(scm_client *c)
{
    if (!c->cfg.shadow || c->cfg.shadow_sample <= 0.0)
        return 0;
    return c->cfg.shadow_sample >= 1.0 || scm__rng_uniform(&c->rng) < c->cfg.shadow_sample;
}

void scm__client_set_transport(scm_client *c, scm_transport *t)
{
    scm__transport_free(c->transport);
    c->transport = t;
}

/* One call on its way through the pipeline. */
typedef struct query {
    const char *cert_id;
    scm_backend served;
    scm_served_how how; /* whether served took over from the backend the call started on */
    int skipped;        /* the configured backend was not asked (its breaker is open) */
    int shadowed;
    scm_answer answers[SCM_BACKEND_COUNT];        /* as fetched; the served one is the call's */
    scm_answer seen[SCM_BACKEND_COUNT];           /* as the compare sees them: decoded too */
    scm_cert_details *objects[SCM_BACKEND_COUNT]; /* decoded, or NULL */
} query;

static void query_start(scm_client *c, query *q, const char *cert_id, int shadowed)
{
    int b;
    memset(q, 0, sizeof *q);
    q->cert_id = cert_id;
    q->served = c->cfg.backend;
    q->shadowed = shadowed;
    for (b = 0; b < SCM_BACKEND_COUNT; b++)
        q->answers[b].backend = (scm_backend)b;
}

static void query_end(query *q)
{
    int b;
    for (b = 0; b < SCM_BACKEND_COUNT; b++) {
        scm_cert_details_free(q->objects[b]);
        scm__answer_clear(&q->answers[b]);
    }
}

/*
 * attempts: asks the served backend, and the other one too when `both`; each
 * answer lands in q->answers[backend]. The served backend is retried
 * (SCM_SHIM_RETRIES, retry.h) until the call's deadline (c->deadline); the other side is
 * asked once, with other_timeout, at the same time as the first attempt.
 */
static int attempts(scm_client *c, query *q, int both, long other_timeout)
{
    scm_backend primary = q->served, other = scm__backend_ops(primary)->shadow;
    scm_answer *a = &q->answers[primary];
    long deadline = c->deadline, left, wait;
    int attempt, skew_retried = 0;
    scm_error rejected; /* the 401 that taught the clock offset */
    scm_http_req *reqs[2];

    if (!scm__valid_id(q->cert_id))
        return a->rc = scm__fail(&a->err, SCM__ERR_INVALID_PARAM,
                                 "cert_id must be 1-64 characters of A-Z a-z 0-9 _ -");
    /* The shadow request may use the caller's time, never more: the served answer waits for it. */
    if (both && other_timeout > c->cfg.timeout_ms)
        other_timeout = c->cfg.timeout_ms;
    for (attempt = 0;; attempt++) {
        time_t now = time(NULL) + c->clock_offset;
        size_t n = 0;
        left = deadline - scm__now_ms();
        if (scm__backend_prepare(c->req[primary], &c->cfg, primary, q->cert_id, now,
                                 left > 0 ? left : 1) != SCM_OK ||
            (both && scm__backend_prepare(c->req[other], &c->cfg, other, q->cert_id, now,
                                          other_timeout) != SCM_OK))
            return a->rc = scm__fail(&a->err, SCM__ERR_NOMEM, NULL);
        reqs[n++] = c->req[primary];
        if (both)
            reqs[n++] = c->req[other];
        scm__transport_run(c->transport, reqs, n, deadline);
        scm__answer_clear(a);
        scm__backend_answer(c->req[primary], primary, a);
        scm__answer_expect_id(a, q->cert_id);
        scm__log(SCM_LOG_DEBUG, "%s %s: %s, HTTP %ld, %.0f ms, attempt %d%s%s",
                 scm__backend_name(primary), q->cert_id, a->rc == SCM_OK ? "ok" : a->err.code,
                 a->resp->status, a->resp->seconds * 1000.0, attempt + 1,
                 a->resp->request_id[0] ? ", request id " : "", a->resp->request_id);
        if (both) {
            scm__backend_answer(c->req[other], other, &q->answers[other]);
            scm__answer_expect_id(&q->answers[other], q->cert_id);
            both = 0;
        }
        if (!skew_retried && scm__retry_learn_skew(&c->clock_offset, a, c->cfg.ak != NULL,
                                                   c->cfg.ep[primary].host)) {
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
        if (!scm__retry_again(a, attempt, c->cfg.retries))
            break;
        wait = scm__retry_backoff_ms(a, attempt, &c->rng);
        /* As a difference, so no sum can overflow: a wait past the deadline leaves no attempt. */
        if (wait >= deadline - scm__now_ms())
            break;
        scm__log(SCM_LOG_INFO, "%s %s: %s%s%s; retrying in %ld ms", scm__backend_name(primary),
                 q->cert_id, a->err.code, a->resp->request_id[0] ? ", request id " : "",
                 a->resp->request_id, wait);
        if (scm__sleep_ms(wait) != SCM_OK)
            break;
    }
    return a->rc;
}

/* Whether backend b can be asked: its endpoint, and the project ID its path may need. */
static int usable(const scm_client *c, scm_backend b)
{
    return c->cfg.ep[b].base != NULL &&
           (!scm__backend_ops(b)->needs_project || c->cfg.project_id != NULL);
}

/* v3's answer a (when a request was made) in its breaker, the breaker's turns in the log. */
static void breaker_note(scm_client *c, const scm_answer *a)
{
    int turned;
    if (a->resp == NULL)
        return;
    turned = scm__breaker_record(&c->breaker, a, scm__now_ms(), c->cfg.breaker_failures,
                                 c->cfg.breaker_cooldown_ms);
    if (turned > 0 && c->cfg.fallback == SCM_FALLBACK_LEGACY)
        scm__log(SCM_LOG_WARN,
                 "v3 failed %d times in a row (%s): the legacy backend serves calls first for "
                 "%ld ms, then v3 is probed again",
                 c->breaker.failures, a->err.code, c->cfg.breaker_cooldown_ms);
    else if (turned < 0 && c->cfg.fallback == SCM_FALLBACK_LEGACY)
        scm__log(SCM_LOG_INFO, "v3 answered again: calls start on v3");
}

/*
 * After the attempts on the backend the call started on (q->served), the attempts on the
 * other one when SCM_SHIM_FALLBACK says it serves that answer, within the same deadline.
 * Returns the served answer's code (rc when the first one stays served).
 */
static int fall_over(scm_client *c, query *q, int rc)
{
    scm_backend first = q->served, other = scm__backend_ops(first)->shadow;
    const scm_answer *a = &q->answers[first];

    if (first == SCM_BACKEND_V3)
        breaker_note(c, a);
    if (q->how != SCM_SERVED_FIRST ||
        (q->how = scm__fallback_next(c->cfg.fallback, first, a, usable(c, other),
                                     c->deadline - scm__now_ms())) == SCM_SERVED_FIRST)
        return rc;
    if (q->how == SCM_SERVED_FORWARD) {
        /* The legacy API does not come back: every later call starts on v3. */
        scm__log(SCM_LOG_WARN,
                 "the legacy API answered HTTP 404 %s (the API does not exist): serving from v3 "
                 "from now on (SCM_SHIM_FALLBACK=%s)",
                 a->err.code, scm__fallback_mode_name(c->cfg.fallback));
        c->cfg.backend = SCM_BACKEND_V3;
        c->cfg.backend_from = SCM_ORIGIN_FORWARD;
    } else
        scm__log(SCM_LOG_INFO, "v3 %s: %s after its retries; served by legacy", q->cert_id,
                 a->err.code);
    q->served = other;
    rc = attempts(c, q, 0, 0);
    if (other == SCM_BACKEND_V3)
        breaker_note(c, &q->answers[other]);
    return rc;
}

/*
 * fetch: the attempts, on the backend the call starts on (the configured one, or legacy while
 * v3's breaker is open) then, with fall_back, on the other one when it serves that answer
 * (fall_over). An audit asks both as they are: no fallback, no breaker. The answers as the
 * compare starts from them, whatever ended the attempts.
 */
static int fetch(scm_client *c, query *q, int both, long other_timeout, int fall_back)
{
    int rc;

    c->deadline = scm__now_ms() + c->cfg.timeout_ms;
    if (fall_back) {
        q->served = scm__fallback_first(&c->breaker, c->cfg.fallback, q->served,
                                        usable(c, SCM_BACKEND_LEGACY), scm__now_ms());
        if (q->served != c->cfg.backend) {
            q->how = SCM_SERVED_FALLBACK;
            /* Its side of the audit line says why it has no answer (a shadow request gives one). */
            q->skipped = !both;
            q->answers[c->cfg.backend].rc =
                scm__fail(&q->answers[c->cfg.backend].err, SCM__ERR_BREAKER_OPEN, NULL);
        }
    }
    rc = attempts(c, q, both, other_timeout);
    if (fall_back)
        rc = fall_over(c, q, rc);
    memcpy(q->seen, q->answers, sizeof q->seen);
    return rc;
}

void scm__client_follow_backend_file(scm_client *c)
{
    scm_file_value v;
    scm_backend b;
    int shadow;

    if (c->cfg.backend_file == NULL ||
        !scm__backend_file_poll(&c->backend_file, c->cfg.backend_file, scm__now_ms(), &v))
        return;
    b = v == SCM_FILE_LEGACY ? SCM_BACKEND_LEGACY : SCM_BACKEND_V3;
    shadow = v == SCM_FILE_SHADOW ? 1 : c->shadow_configured;
    if (!usable(c, b) || (shadow && !usable(c, scm__backend_ops(b)->shadow))) {
        scm__log(SCM_LOG_WARN,
                 "SCM_SHIM_BACKEND_FILE=%s names %s, but %s has no endpoint or project ID; "
                 "keeping %s",
                 c->cfg.backend_file, scm__backend_file_value_name(v),
                 usable(c, b) ? "the other backend" : "that backend",
                 scm__backend_name(c->cfg.backend));
        return;
    }
    if (b != c->cfg.backend || shadow != c->cfg.shadow)
        scm__log(SCM_LOG_INFO, "backend %s%s (SCM_SHIM_BACKEND_FILE=%s)", scm__backend_name(b),
                 shadow ? ", shadowed" : "", c->cfg.backend_file);
    c->cfg.backend = b;
    c->cfg.shadow = shadow;
    c->cfg.backend_from = SCM_ORIGIN_FILE;
}

/*
 * decode: the object of b's answer. When the caller gets it (`served`), a
 * failure to decode is the call's; otherwise only the compare sees it.
 */
static void decode(const scm_client *c, query *q, scm_backend b, int served)
{
    scm__answer_details(c->map, &q->seen[b], &q->objects[b]);
    if (served)
        q->answers[b] = q->seen[b];
}

/* capture: the capture store's part in b's object (backend.h), once it is decoded. */
static void capture(const scm_client *c, query *q, scm_backend b)
{
    if (q->objects[b] != NULL)
        scm__backend_ops(b)->capture(c->capture, c->map, q->objects[b],
                                     c->deadline - scm__now_ms());
}

/*
 * report: keeps the served answer's request ID, and its failure or the report
 * of its object; an answer served as the service sent it has every field exact.
 */
static int report(scm_client *c, query *q)
{
    scm_answer *served = &q->answers[q->served];
    const scm_backend_ops *ops = scm__backend_ops(q->served);
    const scm_cert_details *d = q->objects[q->served];
    if (served->resp != NULL)
        memcpy(c->request_id, served->resp->request_id, sizeof c->request_id);
    if (served->rc == SCM_OK) {
        c->last_report = d != NULL && !ops->serves_own_body
                             ? scm__report_share(scm__details_report(d))
                             : scm__report_new(ops->name, SCM_CLASS_EXACT);
        if (c->last_report == NULL)
            served->rc = scm__fail(&served->err, SCM__ERR_NOMEM, NULL);
        else
            scm__report_set_fallback(c->last_report, scm__served_how_name(q->how));
        /* The object's own report too: the legacy backend's is not the client's. */
        if (d != NULL)
            scm__report_set_fallback(scm__details_report(d), scm__served_how_name(q->how));
    }
    if (served->rc != SCM_OK)
        c->err = served->err;
    return served->rc;
}

/* The sides not decoded yet, decoded (in table order) and captured. */
static void decode_rest(const scm_client *c, query *q)
{
    int b;
    for (b = 0; b < SCM_BACKEND_COUNT; b++) {
        if (q->objects[b] != NULL)
            continue;
        decode(c, q, (scm_backend)b, 0);
        capture(c, q, (scm_backend)b);
    }
}

/* compare: every side decoded and captured, then compared into a record. Never touches the
 * served result. */
static scm_audit_record *compare(const scm_client *c, query *q, int values)
{
    decode_rest(c, q);
    return scm__audit_compare(q->cert_id, q->served, q->seen,
                              (const scm_cert_details *const *)q->objects, values);
}

/*
 * shadow compare: shadow mode's epilogue, the audit line. Without a log nothing is compared;
 * the other side is still decoded and captured when there is a store to learn from it.
 */
static void shadow_compare(scm_client *c, query *q)
{
    scm_audit_record *r;
    char *line;
    if (c->audit_log == NULL) {
        if (c->capture != NULL)
            decode_rest(c, q);
        return;
    }
    r = compare(c, q, c->cfg.audit_values);
    if (r != NULL)
        r->fallback = scm__served_how_name(q->how);
    line = r != NULL ? scm__audit_record_line(r) : NULL;
    if (line != NULL)
        scm__audit_log_write(c->audit_log, line);
    free(line);
    scm__audit_record_free(r);
}

/*
 * Whether the call's audit line is written: a shadowed call's, and, when there is a log, a call
 * served by the other backend (switch day's fallbacks are counted), both backends asked or the
 * configured one skipped by its breaker.
 */
static int audited(const scm_client *c, const query *q)
{
    return q->shadowed || (q->how != SCM_SERVED_FIRST && c->audit_log != NULL &&
                           (q->skipped || q->answers[SCM_BACKEND_V3].resp != NULL) &&
                           q->answers[SCM_BACKEND_LEGACY].resp != NULL);
}

/*
 * Starts a call: clears the error state, the request ID and the last report, and follows
 * SCM_SHIM_BACKEND_FILE.
 */
static void begin(scm_client *c)
{
    scm__error_clear(&c->err);
    c->request_id[0] = '\0';
    scm__report_free(c->last_report);
    c->last_report = NULL;
    scm__client_follow_backend_file(c);
}

SCM_EXPORT int scm_query_cert_details(scm_client *client, const char *cert_id,
                                      scm_cert_details **out)
{
    query q;
    int rc;

    if (out != NULL)
        *out = NULL;
    if (client == NULL)
        return SCM_E_INVALID_PARAM;
    begin(client);
    if (out == NULL)
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM, "out must not be NULL");
    query_start(client, &q, cert_id, scm__valid_id(cert_id) && sampled(client));
    fetch(client, &q, q.shadowed, client->cfg.shadow_timeout_ms, 1);
    decode(client, &q, q.served, 1);
    capture(client, &q, q.served);
    rc = report(client, &q);
    if (audited(client, &q))
        shadow_compare(client, &q);
    if (rc == SCM_OK) {
        *out = q.objects[q.served];
        q.objects[q.served] = NULL;
    }
    query_end(&q);
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
    const scm_backend_ops *ops;
    scm_answer *served;
    query q;
    int rc;

    if (json_out != NULL)
        *json_out = NULL;
    if (client == NULL)
        return SCM_E_INVALID_PARAM;
    begin(client);
    if (json_out == NULL)
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM, "json_out must not be NULL");
    query_start(client, &q, cert_id, scm__valid_id(cert_id) && sampled(client));
    fetch(client, &q, q.shadowed, client->cfg.shadow_timeout_ms, 1);
    ops = scm__backend_ops(q.served);
    served = &q.answers[q.served];
    /*
     * A body served as the service sent it needs its object only for the
     * capture store, and the compare decodes it when shadowed.
     */
    if (!ops->serves_own_body)
        decode(client, &q, q.served, 1);
    else if (!q.shadowed && client->capture != NULL)
        decode(client, &q, q.served, 0);
    capture(client, &q, q.served);
    rc = report(client, &q);
    if (audited(client, &q))
        shadow_compare(client, &q);
    if (rc == SCM_OK && ops->serves_own_body)
        *json_out = legacy_body(client, served, client->last_report);
    else if (rc == SCM_OK)
        *json_out = scm__legacy_json(q.objects[q.served],
                                     client->cfg.annotate ? client->last_report : NULL);
    else if (ops->serves_own_body && legacy_shaped(served->doc) && scm__is_service_error(rc))
        *json_out = strdup(served->resp->body.data); /* the legacy service's own error body */
    else if (scm__is_service_error(rc))
        *json_out = error_body(&client->err);
    if (*json_out == NULL && (rc == SCM_OK || scm__is_service_error(rc))) {
        rc = scm__fail(&client->err, SCM__ERR_NOMEM, NULL);
        scm__report_free(client->last_report);
        client->last_report = NULL;
    }
    query_end(&q);
    return rc;
}

/* An endpoint for every backend, and the project ID those that name it need. */
static int every_backend_configured(const scm_settings *s)
{
    int b;
    for (b = 0; b < SCM_BACKEND_COUNT; b++)
        if (s->ep[b].base == NULL ||
            (scm__backend_ops((scm_backend)b)->needs_project && s->project_id == NULL))
            return 0;
    return 1;
}

int scm__client_audit(scm_client *client, const char *cert_id, int values, scm_audit_record **out)
{
    query q;
    *out = NULL;
    begin(client);
    if (!every_backend_configured(&client->cfg))
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM,
                         "an audit needs both backends: an endpoint for each and a project ID");
    query_start(client, &q, cert_id, 1);
    if (fetch(client, &q, 1, client->cfg.timeout_ms, 0) == SCM_E_INVALID_PARAM) {
        query_end(&q);
        return scm__fail(&client->err, SCM__ERR_INVALID_PARAM,
                         "cert_id must be 1-64 characters of A-Z a-z 0-9 _ -");
    }
    *out = compare(client, &q, values);
    query_end(&q);
    return *out != NULL ? SCM_OK : scm__fail(&client->err, SCM__ERR_NOMEM, NULL);
}

void scm__backend_probe(scm_client *c, scm_backend b, const char *cert_id, scm_answer *a)
{
    scm_http_req *req = c->req[b];
    memset(a, 0, sizeof *a);
    a->backend = b;
    if (scm__backend_prepare(req, &c->cfg, b, cert_id, time(NULL) + c->clock_offset,
                             c->cfg.timeout_ms) != SCM_OK) {
        a->rc = scm__fail(&a->err, SCM__ERR_NOMEM, NULL);
        return;
    }
    scm__transport_run(c->transport, &req, 1, scm__now_ms() + c->cfg.timeout_ms);
    scm__backend_answer(req, b, a);
}
