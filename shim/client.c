/* client.c - the frozen entry points: client lifetime and the details query on either backend. */
#include "client.h"

#include "convert.h"
#include "details.h"
#include "export.h"
#include "json.h"
#include "legacy_json.h"
#include "report.h"
#include "request.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A boolean SCM_SHIM_* variable: unset, "" or "0" is off, "1" on, anything else an error. */
static int read_flag(const char *name, int *on, char *err, size_t errlen)
{
    const char *v = getenv(name);
    *on = v != NULL && strcmp(v, "1") == 0;
    if (v != NULL && v[0] != '\0' && strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
        snprintf(err, errlen, "%s must be 1 or 0", name);
        return -1;
    }
    return 0;
}

/* The table: SCM_SHIM_MAPPING's when set, else the built-in one. */
static int load_map(scm_client *c, char *err, size_t errlen)
{
    const char *path = getenv("SCM_SHIM_MAPPING");
    char why[512];
    c->map = &scm_map_builtin;
    if (path == NULL || path[0] == '\0')
        return 0;
    if (scm_map_load_file(path, &c->loaded, why, sizeof why) != 0) {
        snprintf(err, errlen, "SCM_SHIM_MAPPING=%s: %s", path, why);
        return -1;
    }
    c->map = &c->loaded;
    return 0;
}

SCM_EXPORT scm_client *scm_client_new(const scm_config *config)
{
    char err[768];
    scm_client *c = calloc(1, sizeof *c);

    if (c == NULL) {
        fprintf(stderr, "scmshim: out of memory\n");
        return NULL;
    }
    if (scm_settings_init(&c->cfg, config, err, sizeof err) != 0 ||
        read_flag("SCM_SHIM_ANNOTATE", &c->annotate, err, sizeof err) != 0 ||
        load_map(c, err, sizeof err) != 0)
        goto bad;
    if (c->cfg.backend == SCM_BACKEND_LEGACY && c->cfg.project_id == NULL) {
        snprintf(err, sizeof err, "the legacy backend needs a project ID: give project_id or "
                                  "HUAWEICLOUD_SDK_PROJECT_ID");
        goto bad;
    }
    if ((c->http = scm_http_new()) == NULL) {
        snprintf(err, sizeof err, "cannot initialise libcurl");
        goto bad;
    }
    return c;
bad:
    fprintf(stderr, "scmshim: %s\n", err);
    scm_client_free(c);
    return NULL;
}

SCM_EXPORT void scm_client_free(scm_client *client)
{
    if (client == NULL)
        return;
    scm_http_free(client->http);
    scm_settings_free(&client->cfg);
    scm_map_free(&client->loaded);
    scm_report_free(client->last_report);
    free(client);
}

static int status_rc(long status)
{
    if (status == 401 || status == 403)
        return SCM_E_AUTH;
    if (status == 404)
        return SCM_E_NOT_FOUND;
    return SCM_E_SERVER;
}

/* A failure that is the service's answer, which the JSON API reports as a body. */
static int is_service_error(int rc)
{
    return rc == SCM_E_AUTH || rc == SCM_E_NOT_FOUND || rc == SCM_E_SERVER;
}

/* One service answer, read by the query functions. */
typedef struct answer {
    const scm_http_response *resp;
    cJSON *doc; /* the 2xx body parsed, or the error body when it is one */
} answer;

static const char *error_member(const cJSON *doc, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(doc, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Maps a non-2xx answer to its code, keeping the service's error_code and error_msg. */
static int answer_error(scm_client *c, answer *a)
{
    const char *code, *msg;
    long status = a->resp->status;
    a->doc = scm_json_parse(a->resp->body.data, a->resp->body.len);
    code = error_member(a->doc, "error_code");
    msg = error_member(a->doc, "error_msg");
    if (code != NULL && msg != NULL)
        return scm_error_set(c, status_rc(status), status, code, "%s", msg);
    cJSON_Delete(a->doc);
    a->doc = NULL;
    return scm_error_set(c, status_rc(status), status, SCM_SHIM_ERR_HTTP,
                         "HTTP %ld without an SCM error body", status);
}

/*
 * GET the certificate from backend b: SCM_OK with a->doc the body (an
 * object), or the failure recorded on c.
 */
static int fetch(scm_client *c, scm_backend b, const char *cert_id, answer *a)
{
    const scm_endpoint *ep = &c->cfg.ep[b];
    char path[256], why[CURL_ERROR_SIZE + 64], *url;
    struct curl_slist *headers;
    scm_http_result r;
    size_t url_len;

    memset(a, 0, sizeof *a);
    scm_error_clear(c);
    scm_report_free(c->last_report);
    c->last_report = NULL;
    if (!scm_valid_id(cert_id))
        return scm_error_set(c, SCM_E_INVALID_PARAM, 0, SCM_SHIM_ERR_INVALID_PARAM,
                             "cert_id must be 1-64 characters of A-Z a-z 0-9 _ -");
    if (b == SCM_BACKEND_LEGACY)
        snprintf(path, sizeof path, "/v2/%s/scm/cert/%s", c->cfg.project_id, cert_id);
    else
        snprintf(path, sizeof path, "/v3/scm/certificates/%s", cert_id);
    url_len = strlen(ep->base) + strlen(path) + 1;
    url = malloc(url_len);
    headers = scm_request_headers(&c->cfg, ep->host, path, time(NULL));
    if (url == NULL || headers == NULL) {
        free(url);
        curl_slist_free_all(headers);
        return scm_error_set(c, SCM_E_NOMEM, 0, SCM_SHIM_ERR_NOMEM, "out of memory");
    }
    snprintf(url, url_len, "%s%s", ep->base, path);
    r = scm_http_get(c->http, url, headers, c->cfg.timeout_ms, &a->resp, why, sizeof why);
    free(url);
    curl_slist_free_all(headers);

    switch (r) {
    case SCM_HTTP_NETWORK:
        return scm_error_set(c, SCM_E_NETWORK, 0, SCM_SHIM_ERR_NETWORK, "%s", why);
    case SCM_HTTP_NOMEM:
        return scm_error_set(c, SCM_E_NOMEM, 0, SCM_SHIM_ERR_NOMEM, "out of memory");
    case SCM_HTTP_TOO_LARGE:
        return scm_error_set(c, a->resp->status / 100 == 2 ? SCM_E_PARSE : status_rc(a->resp->status),
                             a->resp->status, SCM_SHIM_ERR_PARSE, "%s", why);
    case SCM_HTTP_OK:
        break;
    }
    if (a->resp->status / 100 != 2)
        return answer_error(c, a);
    a->doc = scm_json_parse(a->resp->body.data, a->resp->body.len);
    if (!cJSON_IsObject(a->doc)) {
        cJSON_Delete(a->doc);
        a->doc = NULL;
        return scm_error_set(c, SCM_E_PARSE, a->resp->status, SCM_SHIM_ERR_PARSE,
                             "HTTP %ld answer is not a JSON object", a->resp->status);
    }
    return SCM_OK;
}

/* The object of a 2xx answer from backend b, its failure recorded on c. */
static int to_details(scm_client *c, scm_backend b, const answer *a, scm_cert_details **out)
{
    char why[256];
    int rc = b == SCM_BACKEND_LEGACY ? scm_details_from_legacy(a->doc, out, why, sizeof why)
                                     : scm_convert_v3(c->map, a->doc, out, why, sizeof why);
    if (rc == SCM_E_PARSE)
        return scm_error_set(c, rc, a->resp->status, SCM_SHIM_ERR_PARSE, "%s", why);
    if (rc == SCM_E_NOMEM)
        return scm_error_set(c, rc, 0, SCM_SHIM_ERR_NOMEM, "out of memory");
    if ((c->last_report = scm_report_copy(scm_details_report(*out))) == NULL) {
        scm_cert_details_free(*out);
        *out = NULL;
        return scm_error_set(c, SCM_E_NOMEM, 0, SCM_SHIM_ERR_NOMEM, "out of memory");
    }
    return SCM_OK;
}

SCM_EXPORT int scm_query_cert_details(scm_client *client, const char *cert_id,
                                      scm_cert_details **out)
{
    answer a;
    int rc;

    if (out != NULL)
        *out = NULL;
    if (client == NULL)
        return SCM_E_INVALID_PARAM;
    if (out == NULL)
        return scm_error_set(client, SCM_E_INVALID_PARAM, 0, SCM_SHIM_ERR_INVALID_PARAM,
                             "out must not be NULL");
    rc = fetch(client, client->cfg.backend, cert_id, &a);
    if (rc == SCM_OK)
        rc = to_details(client, client->cfg.backend, &a, out);
    cJSON_Delete(a.doc);
    return rc;
}

/* A legacy-shaped {"error_code","error_msg"} body from the client's error state. */
static char *error_body(const scm_client *c)
{
    cJSON *o = cJSON_CreateObject();
    char *s = NULL;
    if (o != NULL && cJSON_AddStringToObject(o, "error_code", c->err_code) != NULL &&
        cJSON_AddStringToObject(o, "error_msg", c->err_msg) != NULL)
        s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* The legacy service's own body, with "_shim" inserted before its closing brace when asked. */
static char *legacy_body(const scm_client *c, const answer *a)
{
    const char *body = a->resp->body.data;
    size_t end = a->resp->body.len;
    scm_buf b;
    if (!c->annotate)
        return strdup(body);
    while (end > 0 && body[end - 1] != '}')
        end--;
    scm_buf_init(&b);
    scm_buf_append(&b, body, end - 1);
    while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
        b.len--;
    scm_buf_puts(&b, cJSON_GetArraySize(a->doc) ? ",\n  \"_shim\": " : "\n  \"_shim\": ");
    scm_report_put_json(&b, c->last_report, 2, 1);
    scm_buf_puts(&b, "\n}\n");
    return scm_buf_take(&b);
}

SCM_EXPORT int scm_query_cert_details_json(scm_client *client, const char *cert_id,
                                           char **json_out)
{
    scm_backend b;
    scm_cert_details *d = NULL;
    answer a;
    int rc;

    if (json_out != NULL)
        *json_out = NULL;
    if (client == NULL)
        return SCM_E_INVALID_PARAM;
    if (json_out == NULL)
        return scm_error_set(client, SCM_E_INVALID_PARAM, 0, SCM_SHIM_ERR_INVALID_PARAM,
                             "json_out must not be NULL");
    b = client->cfg.backend;
    rc = fetch(client, b, cert_id, &a);
    if (rc == SCM_OK && b == SCM_BACKEND_LEGACY) {
        client->last_report = scm_report_new(scm_backend_name(b), SCM_CLASS_EXACT);
        *json_out = client->last_report != NULL ? legacy_body(client, &a) : NULL;
    } else if (rc == SCM_OK) {
        rc = to_details(client, b, &a, &d);
        if (rc == SCM_OK)
            *json_out = scm_legacy_json(d, client->annotate ? client->last_report : NULL);
    } else if (b == SCM_BACKEND_LEGACY && a.doc != NULL && is_service_error(rc)) {
        *json_out = strdup(a.resp->body.data); /* the legacy service's own error body */
    } else if (is_service_error(rc)) {
        *json_out = error_body(client);
    }
    if (*json_out == NULL && (rc == SCM_OK || is_service_error(rc))) {
        rc = scm_error_set(client, SCM_E_NOMEM, 0, SCM_SHIM_ERR_NOMEM, "out of memory");
        scm_report_free(client->last_report);
        client->last_report = NULL;
    }
    scm_cert_details_free(d);
    cJSON_Delete(a.doc);
    return rc;
}
