/* http.c - talks HTTP through libcurl; see http.h. */
#include "http.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scm_http {
    CURL             *easy;
    scm_http_response resp;
    int               too_large;
    char              errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int scm_http_global_init(void)
{
    pthread_once(&global_once, global_init);
    return global_rc == CURLE_OK ? 0 : -1;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    scm_http *h = userdata;
    size_t n = size * nmemb;
    if (h->resp.body.len + n > (size_t)SCM_HTTP_MAX_BODY) {
        h->too_large = 1;
        return 0; /* makes curl stop the transfer with CURLE_WRITE_ERROR */
    }
    return scm_buf_append(&h->resp.body, data, n) == 0 ? n : 0;
}

scm_http *scm_http_new(void)
{
    scm_http *h;
    if (scm_http_global_init() != 0)
        return NULL;
    h = calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    h->easy = curl_easy_init();
    if (h->easy == NULL) {
        free(h);
        return NULL;
    }
    scm_buf_init(&h->resp.body);
    return h;
}

void scm_http_free(scm_http *h)
{
    if (h == NULL)
        return;
    curl_easy_cleanup(h->easy);
    scm_buf_free(&h->resp.body);
    free(h);
}

/* Options set before each transfer: curl_easy_reset is not used, so the connection cache survives. */
static void set_options(scm_http *h, const char *url, const struct curl_slist *headers,
                        long timeout_ms)
{
    CURL *e = h->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "scmshim/" SCM_SHIM_VERSION_STRING);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
}

scm_http_result scm_http_get(scm_http *h, const char *url, const struct curl_slist *headers,
                             long timeout_ms, const scm_http_response **resp,
                             char *err, size_t errlen)
{
    CURLcode rc;

    scm_buf_reset(&h->resp.body);
    h->resp.status = 0;
    h->too_large = 0;
    h->errbuf[0] = '\0';
    *resp = &h->resp;
    set_options(h, url, headers, timeout_ms);
    rc = curl_easy_perform(h->easy);
    curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &h->resp.status);
    if (rc == CURLE_OK && h->resp.body.oom)
        return SCM_HTTP_NOMEM;
    if (rc == CURLE_OK) {
        /* An empty body leaves data NULL; callers always get a string. */
        if (scm_buf_append(&h->resp.body, "", 0) != 0)
            return SCM_HTTP_NOMEM;
        return SCM_HTTP_OK;
    }
    if (rc == CURLE_WRITE_ERROR && h->too_large) {
        snprintf(err, errlen, "response body larger than %ld bytes", SCM_HTTP_MAX_BODY);
        return SCM_HTTP_TOO_LARGE;
    }
    if (rc == CURLE_WRITE_ERROR || rc == CURLE_OUT_OF_MEMORY)
        return SCM_HTTP_NOMEM;
    snprintf(err, errlen, "%s", h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
    return SCM_HTTP_NETWORK;
}
