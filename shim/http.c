/*
 * http.c - the libcurl transport; see http.h.
 * owns: every libcurl call and type (<curl/curl.h> is included nowhere else
 * in the library but settings.c's URL parser), TLS trust, the connection
 * cache; must not: interpret statuses or bodies, retry, or know a backend.
 */
#include "transport.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct curl_transport {
    scm_transport base;
    CURLM *multi;
    /* One easy handle per batch slot, reused: slot 0 always carries the served backend. */
    CURL *easy[SCM_TRANSPORT_BATCH_MAX];
    /*
     * Each slot's header list for curl: the request's lines. No Accept of our own: curl's
     * default stands (an SCM answer is JSON whatever is asked), one line less for curl to
     * check. The nodes are ours and point at the request's own lines (curl reads the list,
     * never copies or frees it), so a call allocates nothing for its headers.
     */
    struct curl_slist lines[SCM_TRANSPORT_BATCH_MAX][SCM_HEADERS_MAX];
    char errbuf[SCM_TRANSPORT_BATCH_MAX][CURL_ERROR_SIZE];
} curl_transport;

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

int scm__http_check_ca_file(const char *path, scm_error *err)
{
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509_OBJECT) * objs;
    int ok = store != NULL && X509_STORE_load_file(store, path) == 1 &&
             (objs = X509_STORE_get0_objects(store)) != NULL && sk_X509_OBJECT_num(objs) > 0;
    X509_STORE_free(store);
    if (ok)
        return SCM_OK;
    return scm__fail(err, SCM__ERR_INVALID_PARAM,
                     "SCM_SHIM_CA_FILE=%s: not a readable PEM bundle of CA certificates", path);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    size_t n = size * nmemb;
    /* 0 makes curl stop the transfer with CURLE_WRITE_ERROR. */
    return scm__http_req_take_body(userdata, data, n) == 0 ? n : 0;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *userdata)
{
    scm__http_req_take_header(userdata, line, size * nitems);
    return size * nitems;
}

/* Adds the SCM_SHIM_CA_FILE bundle to the system's trust store of a new TLS context. */
static CURLcode add_ca_file(CURL *easy, void *ssl_ctx, void *path)
{
    X509_STORE *store = SSL_CTX_get_cert_store((SSL_CTX *)ssl_ctx);
    (void)easy;
    return X509_STORE_load_file(store, path) == 1 ? CURLE_OK : CURLE_SSL_CACERT_BADFILE;
}

static CURL *easy_new(char *errbuf)
{
    CURL *easy = curl_easy_init();
    if (easy == NULL)
        return NULL;
    /* Options that never change; curl_easy_reset is not used, so settings stay. */
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "scmshim/" SCM_SHIM_VERSION_STRING);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
    return easy;
}

/* Slot i set up for r: its headers as curl's list, its URL, timeouts and trust. */
static void setup(curl_transport *t, size_t i, scm_http_req *r)
{
    CURL *easy = t->easy[i];
    struct curl_slist *list = t->lines[i];
    size_t k, n = scm__headers_count(r->headers);

    /* curl only reads the lines: the casts drop a const it honours. */
    for (k = 0; k < n; k++) {
        list[k].data = (char *)scm__headers_line(r->headers, k);
        list[k].next = k + 1 < n ? &list[k + 1] : NULL;
    }
    t->errbuf[i][0] = '\0';
    curl_easy_setopt(easy, CURLOPT_URL, r->url);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, n > 0 ? list : NULL);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, r->timeout_ms);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, r->connect_timeout_ms);
    curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, r->ca_file != NULL ? add_ca_file : NULL);
    curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, (void *)r->ca_file);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, r);
}

/* How a transfer ended, as the transport interface says it. */
static void finish(scm_http_req *r, CURL *easy, CURLcode rc, const char *errbuf)
{
    double seconds = 0;
    const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    scm_http_result result = SCM_HTTP_NETWORK;

    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r->resp.status);
    curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME, &seconds);
    switch (rc) {
    case CURLE_OK:
        result = SCM_HTTP_OK;
        why = NULL;
        break;
    case CURLE_WRITE_ERROR:
        /* Our body buffer could not grow, or the body is too large (curl's own
         * CURLE_OUT_OF_MEMORY is mostly an oversized header). */
        result = r->too_large ? SCM_HTTP_TOO_LARGE : SCM_HTTP_NOMEM;
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        result = SCM_HTTP_TLS;
        break;
    default:
        break;
    }
    scm__http_req_finish(r, result, seconds, why);
}

static void curl_run(scm_transport *base, scm_http_req *const *reqs, size_t n, long deadline_ms)
{
    curl_transport *t = (curl_transport *)base;
    CURLcode rc[SCM_TRANSPORT_BATCH_MAX];
    int running = 0, left, added[SCM_TRANSPORT_BATCH_MAX] = {0};
    long wait;
    size_t i;
    CURLMsg *msg;

    if (n > SCM_TRANSPORT_BATCH_MAX)
        n = SCM_TRANSPORT_BATCH_MAX;
    for (i = 0; i < n; i++) {
        /* Until curl says otherwise, a transfer ended by the deadline timed out. */
        rc[i] = CURLE_OPERATION_TIMEDOUT;
        setup(t, i, reqs[i]);
        if (curl_multi_add_handle(t->multi, t->easy[i]) != CURLM_OK)
            rc[i] = CURLE_OUT_OF_MEMORY;
        else
            added[i] = 1;
    }
    do {
        if (curl_multi_perform(t->multi, &running) != CURLM_OK)
            break;
        while ((msg = curl_multi_info_read(t->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (i = 0; i < n; i++)
                if (t->easy[i] == msg->easy_handle)
                    rc[i] = msg->data.result;
        }
        /*
         * Each transfer has its own timeout, so this loop always ends; the
         * deadline is a backstop, late enough for curl to say why it stopped.
         */
        if (!running || (wait = deadline_ms + SCM_TRANSPORT_DEADLINE_GRACE_MS - scm__now_ms()) <= 0)
            break;
        if (curl_multi_poll(t->multi, NULL, 0, wait < 1000 ? (int)wait : 1000, NULL) != CURLM_OK)
            break;
    } while (running);
    for (i = 0; i < n; i++) {
        if (added[i])
            curl_multi_remove_handle(t->multi, t->easy[i]);
        finish(reqs[i], t->easy[i], rc[i], t->errbuf[i]);
    }
}

static void curl_free_transport(scm_transport *base)
{
    curl_transport *t = (curl_transport *)base;
    size_t i;
    for (i = 0; i < SCM_TRANSPORT_BATCH_MAX; i++)
        curl_easy_cleanup(t->easy[i]);
    curl_multi_cleanup(t->multi);
    free(t);
}

static const scm_transport_ops CURL_TRANSPORT = {
    .name = "libcurl",
    .run = curl_run,
    .free = curl_free_transport,
};

scm_transport *scm__http_transport_new(void)
{
    curl_transport *t;
    size_t i;
    if (scm__http_global_init() != 0 || (t = calloc(1, sizeof *t)) == NULL)
        return NULL;
    t->base.ops = &CURL_TRANSPORT;
    t->multi = curl_multi_init();
    for (i = 0; i < SCM_TRANSPORT_BATCH_MAX; i++)
        t->easy[i] = easy_new(t->errbuf[i]);
    if (t->multi == NULL || t->easy[0] == NULL || t->easy[1] == NULL) {
        curl_free_transport(&t->base);
        return NULL;
    }
    return &t->base;
}
