/*
 * bench_bare.c - the bare C clients the shim's instructions per call are held
 * against (issue 13). Built twice: bench_bare_token (X-Auth-Token) and, with
 * BARE_SIGN, bench_bare_sign (a per-call SDK-HMAC-SHA256 signature made with
 * OpenSSL's one-shot SHA256() and HMAC(), written out here from the spec and
 * sharing nothing with the library's signing code).
 *
 *   bench_bare_token|bench_bare_sign [--json] CALLS CERT_ID...
 *
 * Configuration from SCM_ENDPOINT (http://HOST:PORT), SCM_PROJECT_ID, SCM_TOKEN
 * or SCM_AK + SCM_SK. One reused libcurl easy handle; each call GETs
 * /v3/scm/certificates/{id} (IDs in turn), requires HTTP 200, cJSON_Parse-s the
 * body and frees it; with --json it also cJSON_Print-s the parsed body, as a
 * JSON-API caller gets text back. Before the CALLS, every ID is asked once and
 * must be answered 200 (exit 1 otherwise), so a client that measures errors
 * cannot pass. Run under callgrind with CALLS and 2 x CALLS: the difference is
 * the steady-state cost of CALLS calls, start-up and the check cancel.
 * owns: the bare clients; must not: use anything of the library's.
 */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef BARE_SIGN
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <time.h>
#endif

typedef struct body {
    char *data;
    size_t len, cap;
} body;

_Noreturn static void die(const char *what)
{
    fprintf(stderr, "bench_bare: %s\n", what);
    exit(1);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    body *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->data, cap);
        if (p == NULL)
            return 0;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

#ifdef BARE_SIGN
static void hex(const unsigned char *md, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The headers of one signed GET of path: X-Project-Id, X-Sdk-Date, Authorization. */
static struct curl_slist *sign(const char *host, const char *path, const char *project,
                               const char *ak, const char *sk)
{
    char date[17], canon[1024], sts[160], hash[65], sig[65], line[512];
    unsigned char md[SHA256_DIGEST_LENGTH];
    unsigned int md_len = 0;
    struct curl_slist *h = NULL;
    time_t now = time(NULL);
    struct tm tm;
    int n;

    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
    /* The canonical URI ends in '/'; an empty body's hash is a constant. */
    n = snprintf(canon, sizeof canon,
                 "GET\n%s/\n\nhost:%s\nx-project-id:%s\nx-sdk-date:%s\n\n"
                 "host;x-project-id;x-sdk-date\n"
                 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                 path, host, project, date);
    if (n < 0 || (size_t)n >= sizeof canon)
        die("canonical request too long");
    SHA256((const unsigned char *)canon, (size_t)n, md);
    hex(md, sizeof md, hash);
    n = snprintf(sts, sizeof sts, "SDK-HMAC-SHA256\n%s\n%s", date, hash);
    if (HMAC(EVP_sha256(), sk, (int)strlen(sk), (const unsigned char *)sts, (size_t)n, md,
             &md_len) == NULL)
        die("HMAC failed");
    hex(md, md_len, sig);
    snprintf(line, sizeof line, "X-Project-Id: %s", project);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "X-Sdk-Date: %s", date);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line,
             "Authorization: SDK-HMAC-SHA256 Access=%s, SignedHeaders=host;x-project-id;"
             "x-sdk-date, Signature=%s",
             ak, sig);
    h = curl_slist_append(h, line);
    if (h == NULL)
        die("out of memory");
    return h;
}
#endif

static const char *need(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "bench_bare: %s is not set\n", name);
        exit(1);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *endpoint = need("SCM_ENDPOINT"), *host;
    struct curl_slist *headers = NULL;
    int json = 0, first;
    long calls, k, status;
    char url[512], path[256];
    body b = {0};
    CURL *easy;
#ifdef BARE_SIGN
    const char *project = need("SCM_PROJECT_ID"), *ak = need("SCM_AK"), *sk = need("SCM_SK");
#else
    char line[512];
    snprintf(line, sizeof line, "X-Auth-Token: %s", need("SCM_TOKEN"));
#endif

    if (argc > 1 && strcmp(argv[1], "--json") == 0)
        json = 1;
    first = 2 + json;
    if (argc <= first || (calls = strtol(argv[first - 1], NULL, 10)) <= 0)
        die("usage: bench_bare_token|bench_bare_sign [--json] CALLS CERT_ID...");
    if (strncmp(endpoint, "http://", 7) != 0)
        die("SCM_ENDPOINT must be http://HOST:PORT");
    host = endpoint + 7;
#ifndef BARE_SIGN
    (void)host; /* only a signature covers it */
#endif
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || (easy = curl_easy_init()) == NULL)
        die("cannot initialise libcurl");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &b);
#ifndef BARE_SIGN
    if ((headers = curl_slist_append(NULL, line)) == NULL)
        die("out of memory");
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
#endif

    /* k < 0: the check, one GET per ID; then the measured calls. */
    for (k = -(long)(argc - first); k < calls; k++) {
        const char *id = argv[first + (k < 0 ? k + argc - first : k % (argc - first))];
        cJSON *doc;
        CURLcode rc;
        snprintf(path, sizeof path, "/v3/scm/certificates/%s", id);
        snprintf(url, sizeof url, "%s%s", endpoint, path);
        curl_easy_setopt(easy, CURLOPT_URL, url);
#ifdef BARE_SIGN
        headers = sign(host, path, project, ak, sk);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
#endif
        b.len = 0;
        status = 0;
        rc = curl_easy_perform(easy);
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        if (rc != CURLE_OK || status != 200) {
            fprintf(stderr, "bench_bare: GET %s: %s, HTTP %ld\n", path, curl_easy_strerror(rc),
                    status);
            return 1;
        }
#ifdef BARE_SIGN
        curl_slist_free_all(headers);
        headers = NULL;
#endif
        if ((doc = cJSON_ParseWithLength(b.data, b.len)) == NULL)
            die("a body does not parse");
        if (json) {
            char *text = cJSON_Print(doc);
            if (text == NULL)
                die("cJSON_Print failed");
            cJSON_free(text);
        }
        cJSON_Delete(doc);
    }
    printf("calls=%ld ids=%d\n", calls, argc - first);
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    curl_global_cleanup();
    free(b.data);
    return 0;
}
