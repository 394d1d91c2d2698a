/*
 * backend.c - the backend table, and one query to one backend: its request
 * and what its answer means; see backend.h.
 * owns: the list of backends, request URLs and headers, reading an answer;
 * must not: read or write a client (every input is passed), retry, sleep,
 * or touch the capture store (client.c's capture step does).
 */
#include "backend.h"

#include "json.h"
#include "request.h"
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One entry per backend, indexed by scm_backend, the way curl lists its TLS backends. */
static const scm_backend_ops *const BACKENDS[SCM_BACKEND_COUNT] = {
    [SCM_BACKEND_V3] = &scm__backend_v3,
    [SCM_BACKEND_LEGACY] = &scm__backend_legacy,
};

const scm_backend_ops *scm__backend_ops(scm_backend b)
{
    return BACKENDS[b];
}

int scm__is_service_error(int rc)
{
    return rc == SCM_E_AUTH || rc == SCM_E_NOT_FOUND || rc == SCM_E_SERVER;
}

static int status_rc(long status)
{
    if (status == 401 || status == 403)
        return SCM_E_AUTH;
    if (status == 404)
        return SCM_E_NOT_FOUND;
    return SCM_E_SERVER;
}

/* The prefix of b's endpoint: base is scheme://host[/prefix], and the prefix is part of the path
 * sent, so of the path signed. */
static const char *endpoint_prefix(const scm_endpoint *ep)
{
    return strstr(ep->base, "://") + 3 + strlen(ep->host);
}

/*
 * Prepares req to GET path (the endpoint's prefix included) with the nquery parameters from
 * backend b; see scm__backend_prepare. The URL carries the parameters encoded as they are
 * signed, so what the service decodes is what was signed.
 */
static int prepare(scm_http_req *req, const scm_settings *cfg, scm_backend b, const char *path,
                   const scm_kv *query, size_t nquery, time_t now, long timeout_ms)
{
    const scm_endpoint *ep = &cfg->ep[b];
    scm_headers *headers;
    scm_buf url;
    size_t i;

    scm__buf_init(&url);
    scm__buf_append(&url, ep->base, (size_t)(endpoint_prefix(ep) - ep->base));
    scm__buf_puts(&url, path);
    for (i = 0; i < nquery; i++) {
        scm__buf_putc(&url, i == 0 ? '?' : '&');
        scm__sign_encode(&url, query[i].name, strlen(query[i].name));
        scm__buf_putc(&url, '=');
        scm__sign_encode(&url, query[i].value, strlen(query[i].value));
    }
    headers =
        scm__request_headers(cfg, scm__http_req_signer(req), b, ep->host, path, query, nquery, now);
    if (url.oom || headers == NULL) {
        scm__buf_free(&url);
        scm__headers_free(headers);
        return SCM_E_NOMEM;
    }
    scm__http_req_prepare(req, url.data, headers, timeout_ms, cfg->connect_timeout_ms,
                          cfg->ca_file);
    scm__buf_free(&url); /* the request copies it */
    return SCM_OK;
}

int scm__backend_prepare(scm_http_req *req, const scm_settings *cfg, scm_backend b,
                         const char *cert_id, time_t now, long timeout_ms)
{
    char path[512];
    int n = scm__backend_ops(b)->path(path, sizeof path, endpoint_prefix(&cfg->ep[b]),
                                      cfg->project_id, cert_id);
    if (n < 0 || (size_t)n >= sizeof path)
        return SCM_E_NOMEM;
    return prepare(req, cfg, b, path, NULL, 0, now, timeout_ms);
}

int scm__backend_prepare_list(scm_http_req *req, const scm_settings *cfg, const scm_kv *query,
                              size_t nquery, time_t now, long timeout_ms)
{
    char path[512];
    int n = snprintf(path, sizeof path, "%s/v3/scm/certificates",
                     endpoint_prefix(&cfg->ep[SCM_BACKEND_V3]));
    if (n < 0 || (size_t)n >= sizeof path)
        return SCM_E_NOMEM;
    return prepare(req, cfg, SCM_BACKEND_V3, path, query, nquery, now, timeout_ms);
}

static const char *error_member(const cJSON *doc, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(doc, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/*
 * A non-2xx answer: its code, keeping the service's error_code and error_msg,
 * or the code and message of the {"code","message"} bodies some gateways send
 * (the official SDKs read both).
 */
static void answer_error(scm_answer *a)
{
    const char *code, *msg;
    long status = a->resp->status;
    a->doc = scm__json_tree_parse(a->resp->body.data, a->resp->body.len);
    code = error_member(a->doc, "error_code");
    msg = error_member(a->doc, "error_msg");
    if (code == NULL || msg == NULL) {
        code = error_member(a->doc, "code");
        msg = error_member(a->doc, "message");
    }
    if (code != NULL && msg != NULL) {
        a->rc = scm__error_set(&a->err, status_rc(status), status, code, "%s", msg);
        return;
    }
    scm__json_tree_free(a->doc);
    a->doc = NULL;
    a->rc = scm__fail_status(&a->err, SCM__ERR_HTTP, status_rc(status), status,
                             "HTTP %ld without an SCM error body", status);
}

/* What the request got: SCM_OK with the body parsed, or the failure. */
static void read_answer(const scm_http_req *req, scm_answer *a)
{
    switch (scm__http_req_result(req, &a->resp, &a->err)) {
    case SCM_HTTP_NETWORK:
        a->rc = scm__error_rc(SCM__ERR_NETWORK);
        return;
    case SCM_HTTP_TLS:
        /* Another try would fail the same way, only later. */
        a->permanent = 1;
        a->rc = scm__error_rc(SCM__ERR_TLS);
        return;
    case SCM_HTTP_NOMEM:
        a->rc = scm__error_rc(SCM__ERR_NOMEM);
        return;
    case SCM_HTTP_TOO_LARGE:
        a->rc = a->resp->status / 100 == 2 ? SCM_E_PARSE : status_rc(a->resp->status);
        return;
    case SCM_HTTP_OK:
        break;
    }
    if (a->resp->status / 100 != 2) {
        answer_error(a);
        return;
    }
    a->doc = scm__json_tree_parse(a->resp->body.data, a->resp->body.len);
    if (!cJSON_IsObject(a->doc)) {
        scm__json_tree_free(a->doc);
        a->doc = NULL;
        a->rc = scm__fail_status(&a->err, SCM__ERR_PARSE, SCM_E_PARSE, a->resp->status,
                                 "HTTP %ld answer is not a JSON object", a->resp->status);
        return;
    }
    a->rc = SCM_OK;
}

void scm__backend_answer(const scm_http_req *req, scm_backend b, scm_answer *a)
{
    memset(a, 0, sizeof *a);
    a->backend = b;
    read_answer(req, a);
    if (a->rc != SCM_OK)
        scm__error_note_request_id(&a->err, a->resp->request_id);
}

int scm__answer_expect_id(scm_answer *a, const char *cert_id)
{
    const cJSON *id;
    if (a->rc != SCM_OK)
        return a->rc;
    id = cJSON_GetObjectItemCaseSensitive(a->doc, scm__backend_ops(a->backend)->id_key);
    if (cJSON_IsString(id) && strcmp(id->valuestring, cert_id) == 0)
        return SCM_OK;
    a->rc =
        scm__fail_status(&a->err, SCM__ERR_PARSE, SCM_E_PARSE, a->resp->status,
                         "HTTP %ld answer is not certificate %s's details (%s)", a->resp->status,
                         cert_id, cJSON_IsString(id) ? "another certificate's ID" : "no ID");
    scm__json_tree_free(a->doc);
    a->doc = NULL;
    return a->rc;
}

int scm__answer_details(const scm_map *map, scm_answer *a, scm_cert_details **out)
{
    scm_error why;
    int rc;
    *out = NULL;
    if (a->rc != SCM_OK)
        return a->rc;
    rc = scm__backend_ops(a->backend)->decode(map, a->doc, out, &why);
    if (rc == SCM_E_PARSE) {
        a->rc = scm__fail_status(&a->err, SCM__ERR_PARSE, rc, a->resp->status, "%s", why.msg);
        scm__error_note_request_id(&a->err, a->resp->request_id);
    } else if (rc == SCM_E_NOMEM)
        a->rc = scm__fail(&a->err, SCM__ERR_NOMEM, NULL);
    return rc;
}

void scm__answer_clear(scm_answer *a)
{
    scm__json_tree_free(a->doc);
    a->doc = NULL;
}
