/*
 * bench_calls.c - benchmark 2: the wall time of CALLS sequential calls through
 * the frozen interface (scm_query_cert_details_json, one client) against CALLS
 * plain libcurl GETs of the same URL on one reused easy handle.
 *
 *   bench_calls CERT_ID CALLS ROUNDS
 *
 * Configuration from SCM_ENDPOINT (http://HOST:PORT), SCM_PROJECT_ID, SCM_AK +
 * SCM_SK or SCM_TOKEN. With SCM_AK the floor sends the headers the library
 * sends (Accept, Host, X-Project-Id, X-Sdk-Date, Authorization), signed once
 * before the run, so the emulator checks a signature for both sides and only
 * the library's per-call work differs; without SCM_AK (the emulator runs
 * --no-auth) the floor is a bare GET.
 *
 * Each round times one block of CALLS per side; the side that goes first
 * alternates, and the result is the ratio of the medians over ROUNDS, so
 * drifts in machine load hit both sides alike. Both sides first make 50
 * untimed calls (connection set-up, caches). Prints one line of key=value.
 */
#include "bench.h"
#include "buf.h"
#include "sign.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WARM_UP 50

typedef struct floor_client {
    CURL *easy;
    struct curl_slist *headers;
    scm_buf body;
    long connects; /* new connections opened over the whole run */
} floor_client;

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    scm_buf *b = userdata;
    return scm__buf_append(b, data, size * nmemb) == SCM_OK ? size * nmemb : 0;
}

static struct curl_slist *add(struct curl_slist *list, const char *name, const char *value)
{
    char line[512];
    snprintf(line, sizeof line, "%s: %s", name, value);
    if ((list = curl_slist_append(list, line)) == NULL)
        bench_die("out of memory");
    return list;
}

/* The library's header set for GET path, signed once with the configured AK/SK. */
static struct curl_slist *signed_headers(const scm_config *cfg, const char *host, const char *path)
{
    char date[SCM_SIGN_DATE_LEN + 1], *auth;
    scm_kv kv[3];
    size_t n = 0;
    struct curl_slist *list = add(NULL, "Accept", "application/json");

    scm__sign_format_date(time(NULL), date);
    list = add(list, "Host", host);
    kv[n++] = (scm_kv){"host", host};
    kv[n++] = (scm_kv){"x-sdk-date", date};
    if (cfg->project_id != NULL) {
        list = add(list, "X-Project-Id", cfg->project_id);
        kv[n++] = (scm_kv){"x-project-id", cfg->project_id};
    }
    list = add(list, "X-Sdk-Date", date);
    auth = scm__sign_authorization("GET", path, NULL, 0, kv, n, "", 0, date, cfg->access_key,
                                   cfg->secret_key);
    if (auth == NULL)
        bench_die("cannot sign the floor's request");
    list = add(list, "Authorization", auth);
    free(auth);
    return list;
}

static void floor_init(floor_client *f, const scm_config *cfg, const char *cert_id)
{
    char path[128], url[512];
    const char *host = strstr(cfg->endpoint, "://");

    if (host == NULL || strncmp(cfg->endpoint, "http://", 7) != 0)
        bench_die("SCM_ENDPOINT must be http://HOST:PORT");
    host += 3;
    snprintf(path, sizeof path, "/v3/scm/certificates/%s", cert_id);
    snprintf(url, sizeof url, "%s%s", cfg->endpoint, path);
    memset(f, 0, sizeof *f);
    if ((f->easy = curl_easy_init()) == NULL)
        bench_die("curl_easy_init failed");
    curl_easy_setopt(f->easy, CURLOPT_URL, url);
    curl_easy_setopt(f->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(f->easy, CURLOPT_WRITEDATA, &f->body);
    if (cfg->access_key != NULL) {
        f->headers = signed_headers(cfg, host, path);
        curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, f->headers);
    }
}

static void floor_get(floor_client *f)
{
    long status = 0, connects = 0;
    CURLcode rc;
    scm__buf_reset(&f->body);
    if ((rc = curl_easy_perform(f->easy)) != CURLE_OK)
        bench_die("floor GET: %s", curl_easy_strerror(rc));
    curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(f->easy, CURLINFO_NUM_CONNECTS, &connects);
    if (status != 200)
        bench_die("floor GET: HTTP %ld", status);
    f->connects += connects;
}

static double shim_block(scm_client *c, const char *cert_id, long n)
{
    double t0 = bench_now();
    long i;
    for (i = 0; i < n; i++)
        bench_query(c, cert_id);
    return bench_now() - t0;
}

static double floor_block(floor_client *f, long n)
{
    double t0 = bench_now();
    long i;
    for (i = 0; i < n; i++)
        floor_get(f);
    return bench_now() - t0;
}

int main(int argc, char **argv)
{
    scm_config cfg = bench_config();
    const char *cert_id;
    double *shim_s, *floor_s, shim_med, floor_med;
    long calls, rounds, r, port = 0;
    floor_client f;
    scm_client *c;

    if (argc != 4)
        bench_die("usage: bench_calls CERT_ID CALLS ROUNDS");
    cert_id = argv[1];
    calls = bench_count("CALLS", argv[2]);
    rounds = bench_count("ROUNDS", argv[3]);
    if ((shim_s = calloc((size_t)rounds, sizeof *shim_s)) == NULL ||
        (floor_s = calloc((size_t)rounds, sizeof *floor_s)) == NULL)
        bench_die("out of memory");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        bench_die("curl_global_init failed");
    c = bench_client(&cfg);
    floor_init(&f, &cfg, cert_id);

    shim_block(c, cert_id, WARM_UP);
    floor_block(&f, WARM_UP);
    for (r = 0; r < rounds; r++) {
        if (r % 2 == 0) {
            shim_s[r] = shim_block(c, cert_id, calls);
            floor_s[r] = floor_block(&f, calls);
        } else {
            floor_s[r] = floor_block(&f, calls);
            shim_s[r] = shim_block(c, cert_id, calls);
        }
    }
    fputs("ms per round, shim/floor:", stderr);
    for (r = 0; r < rounds; r++)
        fprintf(stderr, " %.1f/%.1f", shim_s[r] * 1e3, floor_s[r] * 1e3);
    fputc('\n', stderr);
    curl_easy_getinfo(f.easy, CURLINFO_LOCAL_PORT, &port);
    shim_med = bench_median(shim_s, (size_t)rounds);
    floor_med = bench_median(floor_s, (size_t)rounds);
    printf("calls=%ld rounds=%ld shim_s=%.4f floor_s=%.4f shim_us=%.1f floor_us=%.1f ratio=%.3f "
           "total_per_side=%ld floor_port=%ld floor_connects=%ld\n",
           calls, rounds, shim_med, floor_med, shim_med / (double)calls * 1e6,
           floor_med / (double)calls * 1e6, shim_med / floor_med, WARM_UP + calls * rounds, port,
           f.connects);

    scm_client_free(c);
    curl_slist_free_all(f.headers);
    curl_easy_cleanup(f.easy);
    scm__buf_free(&f.body);
    free(shim_s);
    free(floor_s);
    curl_global_cleanup();
    return 0;
}
