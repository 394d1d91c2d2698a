/* http.c - talks HTTP through libcurl; see http.h. */
#include "http.h"

#include <ctype.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scm_http {
    CURLM *multi;
};

struct scm_http_req {
    CURL *easy;
    struct curl_slist *headers;
    scm_http_response resp;
    CURLcode rc;
    int too_large;
    char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int scm__http_global_init(void)
{
    pthread_once(&global_once, global_init);
    return global_rc == CURLE_OK ? 0 : -1;
}

time_t scm__http_response_date(const scm_http_response *resp)
{
    time_t t = resp->date[0] != '\0' ? curl_getdate(resp->date, NULL) : 0;
    return t > 0 ? t : 0;
}

scm_http *scm__http_new(void)
{
    scm_http *h;
    if (scm__http_global_init() != 0 || (h = calloc(1, sizeof *h)) == NULL)
        return NULL;
    if ((h->multi = curl_multi_init()) == NULL) {
        free(h);
        return NULL;
    }
    return h;
}

void scm__http_free(scm_http *h)
{
    if (h == NULL)
        return;
    curl_multi_cleanup(h->multi);
    free(h);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    scm_http_req *r = userdata;
    size_t n = size * nmemb;
    if (r->resp.body.len + n > (size_t)SCM_HTTP_MAX_BODY) {
        r->too_large = 1;
        return 0; /* makes curl stop the transfer with CURLE_WRITE_ERROR */
    }
    return scm__buf_append(&r->resp.body, data, n) == 0 ? n : 0;
}

/*
 * Keeps an X-Request-Id value: trimmed, cut at SCM_HTTP_REQUEST_ID_MAX bytes,
 * every byte that is not printable ASCII made '?', so no header can reach a
 * log or a message with a control character or a broken UTF-8 sequence.
 */
static void keep_request_id(char *dst, const char *v, size_t len)
{
    size_t i;
    while (len > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len > 0 &&
           (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    if (len > SCM_HTTP_REQUEST_ID_MAX)
        len = SCM_HTTP_REQUEST_ID_MAX;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        dst[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    dst[len] = '\0';
}

/*
 * Retry-After's delta-seconds, clamped while it is read so no value (2^63, a
 * hundred digits) can overflow; -1 when it is not that form (an HTTP date is
 * rare from this service).
 */
static long parse_retry_after(const char *v)
{
    long secs = 0;
    int digits = 0;
    while (*v == ' ' || *v == '\t')
        v++;
    for (; *v >= '0' && *v <= '9'; v++, digits++)
        if (secs < SCM_HTTP_MAX_RETRY_AFTER)
            secs = secs * 10 + (*v - '0');
    while (isspace((unsigned char)*v))
        v++;
    if (digits == 0 || *v != '\0')
        return -1;
    return secs < SCM_HTTP_MAX_RETRY_AFTER ? secs : SCM_HTTP_MAX_RETRY_AFTER;
}

/* Keeps the response headers the client acts on or reports: Retry-After, Date, X-Request-Id. */
static size_t on_header(char *line, size_t size, size_t nitems, void *userdata)
{
    scm_http_req *r = userdata;
    size_t n = size * nitems;
    char value[128];
    const char *colon = memchr(line, ':', n);
    size_t name_len, vlen;

    if (colon == NULL)
        return n;
    name_len = (size_t)(colon - line);
    vlen = n - name_len - 1;
    if (name_len == 12 && strncasecmp(line, "X-Request-Id", 12) == 0) {
        keep_request_id(r->resp.request_id, colon + 1, vlen);
        return n;
    }
    if (vlen >= sizeof value)
        return n;
    memcpy(value, colon + 1, vlen);
    value[vlen] = '\0';
    if (name_len == 11 && strncasecmp(line, "Retry-After", 11) == 0) {
        r->resp.retry_after = parse_retry_after(value);
    } else if (name_len == 4 && strncasecmp(line, "Date", 4) == 0 && vlen < sizeof r->resp.date) {
        memcpy(r->resp.date, value, vlen + 1);
    }
    return n;
}

int scm__http_check_ca_file(const char *path, char *err, size_t errlen)
{
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509_OBJECT) * objs;
    int ok = store != NULL && X509_STORE_load_file(store, path) == 1 &&
             (objs = X509_STORE_get0_objects(store)) != NULL && sk_X509_OBJECT_num(objs) > 0;
    X509_STORE_free(store);
    if (!ok)
        snprintf(err, errlen, "SCM_SHIM_CA_FILE=%s: not a readable PEM bundle of CA certificates",
                 path);
    return ok ? 0 : -1;
}

void scm__http_req_take_header(scm_http_req *r, const char *line, size_t len)
{
    on_header((char *)line, 1, len, r);
}

const scm_http_response *scm__http_req_response(const scm_http_req *r)
{
    return &r->resp;
}

/* Adds the SCM_SHIM_CA_FILE bundle to the system's trust store of a new TLS context. */
static CURLcode add_ca_file(CURL *easy, void *ssl_ctx, void *path)
{
    X509_STORE *store = SSL_CTX_get_cert_store((SSL_CTX *)ssl_ctx);
    (void)easy;
    return X509_STORE_load_file(store, path) == 1 ? CURLE_OK : CURLE_SSL_CACERT_BADFILE;
}

scm_http_req *scm__http_req_new(void)
{
    scm_http_req *r;
    if (scm__http_global_init() != 0 || (r = calloc(1, sizeof *r)) == NULL)
        return NULL;
    if ((r->easy = curl_easy_init()) == NULL) {
        free(r);
        return NULL;
    }
    scm__buf_init(&r->resp.body);
    /* Options that never change; curl_easy_reset is not used, so settings stay. */
    curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "scmshim/" SCM_SHIM_VERSION_STRING);
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
    return r;
}

void scm__http_req_free(scm_http_req *r)
{
    if (r == NULL)
        return;
    curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    scm__buf_free(&r->resp.body);
    free(r);
}

void scm__http_req_prepare(scm_http_req *r, const char *url, struct curl_slist *headers,
                           long timeout_ms, long connect_timeout_ms, const char *ca_file)
{
    curl_slist_free_all(r->headers);
    r->headers = headers;
    scm__buf_reset(&r->resp.body);
    r->resp.status = 0;
    r->resp.seconds = 0;
    r->resp.retry_after = -1;
    r->resp.date[0] = '\0';
    r->resp.request_id[0] = '\0';
    r->too_large = 0;
    r->errbuf[0] = '\0';
    r->rc = CURLE_FAILED_INIT;
    curl_easy_setopt(r->easy, CURLOPT_URL, url);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
                     connect_timeout_ms < timeout_ms ? connect_timeout_ms : timeout_ms);
    curl_easy_setopt(r->easy, CURLOPT_SSL_CTX_FUNCTION, ca_file != NULL ? add_ca_file : NULL);
    curl_easy_setopt(r->easy, CURLOPT_SSL_CTX_DATA, (void *)ca_file);
}

void scm__http_run(scm_http *h, scm_http_req *const *reqs, size_t n)
{
    int running = 0, left;
    size_t i;
    CURLMsg *msg;

    for (i = 0; i < n; i++)
        if (curl_multi_add_handle(h->multi, reqs[i]->easy) != CURLM_OK)
            reqs[i]->rc = CURLE_OUT_OF_MEMORY;
    do {
        if (curl_multi_perform(h->multi, &running) != CURLM_OK)
            break;
        while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (i = 0; i < n; i++)
                if (reqs[i]->easy == msg->easy_handle)
                    reqs[i]->rc = msg->data.result;
        }
        /* Each transfer has its own timeout, so this loop always ends. */
        if (running && curl_multi_poll(h->multi, NULL, 0, 1000, NULL) != CURLM_OK)
            break;
    } while (running);
    for (i = 0; i < n; i++) {
        curl_easy_getinfo(reqs[i]->easy, CURLINFO_RESPONSE_CODE, &reqs[i]->resp.status);
        curl_easy_getinfo(reqs[i]->easy, CURLINFO_TOTAL_TIME, &reqs[i]->resp.seconds);
        curl_multi_remove_handle(h->multi, reqs[i]->easy);
        /* An empty body leaves data NULL; callers always get a string. */
        scm__buf_append(&reqs[i]->resp.body, "", 0);
    }
}

scm_http_result scm__http_req_result(const scm_http_req *r, const scm_http_response **resp,
                                     char *err, size_t errlen)
{
    *resp = &r->resp;
    if (r->rc == CURLE_OK && r->resp.body.oom)
        return SCM_HTTP_NOMEM;
    if (r->rc == CURLE_OK)
        return SCM_HTTP_OK;
    if (r->rc == CURLE_WRITE_ERROR && r->too_large) {
        snprintf(err, errlen, "response body larger than %ld bytes", SCM_HTTP_MAX_BODY);
        return SCM_HTTP_TOO_LARGE;
    }
    /* Our body buffer could not grow. (curl's own CURLE_OUT_OF_MEMORY is mostly an oversized
     * header.) */
    if (r->rc == CURLE_WRITE_ERROR)
        return SCM_HTTP_NOMEM;
    snprintf(err, errlen, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->rc));
    switch (r->rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return SCM_HTTP_TLS;
    default:
        return SCM_HTTP_NETWORK;
    }
}
