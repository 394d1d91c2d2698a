/*
 * test_emulator.c - scm-emulator over plain libcurl: bodies, auth, faults, log, concurrency.
 * owns: these expectations of scm-emulator itself; must not: go through the library's client
 * (plain libcurl only), or leave an emulator behind (emu_hermetic).
 */
#include "buf.h"
#include "emu.h"
#include "fixtures.h"
#include "hermetic.h"
#include "sign.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define FIXTURES SCM_TEST_FIXTURES_DIR
#define CERT "scs1159493232269"
#define CERT2 "scs1343342290420"
#define MISSING "scs0000000000000"

static emu E; /* the emulator of the running test; the teardown stops it */

static void teardown(void)
{
    emu_stop(&E);
}

static void start(const char *const *extra)
{
    ck_assert_int_eq(emu_start(&E, NULL, extra), 0);
}

/*
 * Ends a test that passed so far: SIGTERM, and the emulator must exit 0 within 30 s. Under
 * SCM_SANITIZE its leak and UB reports make the exit status non-zero, so they fail the test.
 */
static void stop(void)
{
    char path[320], err[2048] = "";
    pid_t pid = E.pid;
    int status = 0, waited;
    size_t n = 0;
    FILE *f;

    ck_assert_int_gt(pid, 0);
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    for (waited = 0; waitpid(pid, &status, WNOHANG) == 0 && waited < 30000; waited += 5)
        usleep(5000);
    ck_assert_msg(waited < 30000, "emulator ignored SIGTERM");
    E.pid = 0;
    snprintf(path, sizeof path, "%s/stderr.log", E.dir);
    if ((f = fopen(path, "r")) != NULL) {
        n = fread(err, 1, sizeof err - 1, f);
        fclose(f);
    }
    err[n] = '\0';
    emu_stop(&E);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "emulator exit status 0x%x, stderr:\n%s", (unsigned)status, err);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* ---- HTTP with libcurl ---- */

typedef struct resp {
    CURLcode rc;
    long status;
    scm_buf body;
    char date[64];
    char retry_after[32];
    char content_type[64];
    char allow[32];
    char request_id[64];
    long local_port;
} resp;

static size_t on_body(char *p, size_t size, size_t n, void *cls)
{
    scm__buf_append(cls, p, size * n);
    return size * n;
}

/* Copies the value of header name (with trailing CR LF removed) when line is that header. */
static void grab_header(const char *line, size_t len, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name), vl;
    if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return;
    line += nl + 1;
    len -= nl + 1;
    while (len && *line == ' ') {
        line++;
        len--;
    }
    while (len && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    vl = len < outlen - 1 ? len : outlen - 1;
    memcpy(out, line, vl);
    out[vl] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *cls)
{
    resp *r = cls;
    grab_header(p, size * n, "Date", r->date, sizeof r->date);
    grab_header(p, size * n, "Retry-After", r->retry_after, sizeof r->retry_after);
    grab_header(p, size * n, "Content-Type", r->content_type, sizeof r->content_type);
    grab_header(p, size * n, "Allow", r->allow, sizeof r->allow);
    grab_header(p, size * n, "X-Request-Id", r->request_id, sizeof r->request_id);
    return size * n;
}

static void prepare(CURL *h, const char *url, struct curl_slist *headers, resp *r)
{
    memset(r, 0, sizeof *r);
    scm__buf_init(&r->body);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
}

static void finish(CURL *h, resp *r)
{
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &r->local_port);
}

/* One request on handle h (kept for keep-alive), or on a fresh handle when h is NULL. */
static void request(CURL *h, const char *method, const char *url, struct curl_slist *headers,
                    resp *r)
{
    CURL *own = h ? NULL : curl_easy_init();
    if (own)
        h = own;
    ck_assert_ptr_nonnull(h);
    prepare(h, url, headers, r);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, strcmp(method, "GET") ? method : NULL);
    curl_easy_setopt(h, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
    r->rc = curl_easy_perform(h);
    finish(h, r);
    if (own)
        curl_easy_cleanup(own);
}

static void resp_free(resp *r)
{
    scm__buf_free(&r->body);
}

static const char *body_of(const resp *r)
{
    return r->body.data ? r->body.data : "";
}

static char *url_of(const char *path)
{
    char *u = NULL;
    ck_assert_int_ge(asprintf(&u, "%s%s", E.url, path), 0);
    return u;
}

static char *v2_path(const char *project, const char *id)
{
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "/v2/%s/scm/cert/%s", project, id), 0);
    return p;
}

static char *v3_path(const char *id)
{
    char *p = NULL;
    ck_assert_int_ge(asprintf(&p, "/v3/scm/certificates/%s", id), 0);
    return p;
}

/* GET path with the given auth header list (may be NULL) on a fresh connection. */
static void get(const char *path, struct curl_slist *headers, resp *r)
{
    char *u = url_of(path);
    request(NULL, "GET", u, headers, r);
    free(u);
}

static struct curl_slist *token_headers(const char *token)
{
    char line[128];
    snprintf(line, sizeof line, "X-Auth-Token: %s", token);
    return curl_slist_append(NULL, line);
}

/* Headers for an AK/SK request signed at date t for path (+ query pairs). */
static struct curl_slist *signed_headers(const char *path, const scm_kv *query, size_t nquery,
                                         time_t t, const char *ak, const char *sk, int with_project,
                                         int send_project)
{
    char host[64], date[SCM_SIGN_DATE_LEN + 1], line[512];
    scm_kv h[3];
    size_t nh = 0;
    char *auth;
    struct curl_slist *list = NULL;

    snprintf(host, sizeof host, "127.0.0.1:%d", E.port);
    scm__sign_format_date(t, date);
    h[nh++] = (scm_kv){"host", host};
    h[nh++] = (scm_kv){"x-sdk-date", date};
    if (with_project)
        h[nh++] = (scm_kv){"x-project-id", EMU_PROJECT_ID};
    auth = scm__sign_authorization("GET", path, query, nquery, h, nh, "", 0, date, ak, sk);
    ck_assert_ptr_nonnull(auth);
    snprintf(line, sizeof line, "X-Sdk-Date: %s", date);
    list = curl_slist_append(list, line);
    if (send_project)
        list = curl_slist_append(list, "X-Project-Id: " EMU_PROJECT_ID);
    snprintf(line, sizeof line, "Authorization: %s", auth);
    list = curl_slist_append(list, line);
    free(auth);
    return list;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    scm_buf b;
    char chunk[4096];
    size_t n;
    ck_assert_msg(f != NULL, "cannot open %s", path);
    scm__buf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        scm__buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return scm__buf_take(&b);
}

static char *fixture(const char *id, const char *file, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", FIXTURES, id, file);
    return read_file(path, len);
}

static void assert_body_is_file(const resp *r, const char *id, const char *file)
{
    size_t len;
    char *want = fixture(id, file, &len);
    ck_assert_uint_eq(r->body.len, len);
    ck_assert_msg(memcmp(body_of(r), want, len) == 0, "%s/%s differs", id, file);
    free(want);
}

static void assert_error(const resp *r, long status, const char *code, const char *msg)
{
    cJSON *doc = cJSON_Parse(body_of(r));
    const cJSON *c, *m;
    ck_assert_int_eq(r->rc, CURLE_OK);
    ck_assert_int_eq(r->status, status);
    ck_assert_msg(doc != NULL, "error body is not JSON: %s", body_of(r));
    c = cJSON_GetObjectItemCaseSensitive(doc, "error_code");
    m = cJSON_GetObjectItemCaseSensitive(doc, "error_msg");
    ck_assert(cJSON_IsString(c) && cJSON_IsString(m));
    ck_assert_str_eq(c->valuestring, code);
    if (msg)
        ck_assert_str_eq(m->valuestring, msg);
    ck_assert_str_eq(r->content_type, "application/json");
    ck_assert_msg(r->date[0] != '\0', "no Date header");
    ck_assert_msg(strlen(r->request_id) == 32, "X-Request-Id '%s'", r->request_id);
    cJSON_Delete(doc);
}

/* The parsed log lines, as a JSON array. */
static cJSON *log_lines(void)
{
    char *text = emu_read_log(&E), *line, *save = NULL;
    cJSON *arr = cJSON_CreateArray();
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *o = cJSON_Parse(line);
        ck_assert_msg(o != NULL, "log line is not JSON: %s", line);
        cJSON_AddItemToArray(arr, o);
    }
    free(text);
    return arr;
}

static const char *str_member(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    ck_assert_msg(cJSON_IsString(v), "log member %s is not a string", name);
    return v->valuestring;
}

static double num_member(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    ck_assert_msg(cJSON_IsNumber(v), "log member %s is not a number", name);
    return v->valuedouble;
}

/* ---- bodies and routing ---- */

START_TEST(every_fixture_byte_exact_on_both_apis)
{
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    CURL *h = curl_easy_init();
    DIR *d = opendir(FIXTURES);
    struct dirent *ent;
    int certs = 0;

    start(NULL);
    ck_assert_ptr_nonnull(d);
    while ((ent = readdir(d)) != NULL) {
        char *p2, *p3, *u;
        resp r;
        if (ent->d_name[0] == '.')
            continue;
        p2 = v2_path(EMU_PROJECT_ID, ent->d_name);
        u = url_of(p2);
        request(h, "GET", u, auth, &r);
        ck_assert_int_eq(r.rc, CURLE_OK);
        ck_assert_int_eq(r.status, 200);
        ck_assert_str_eq(r.content_type, "application/json");
        ck_assert(r.date[0] != '\0');
        assert_body_is_file(&r, ent->d_name, "legacy.json");
        resp_free(&r);
        free(u);
        p3 = v3_path(ent->d_name);
        u = url_of(p3);
        request(h, "GET", u, auth, &r);
        ck_assert_int_eq(r.status, 200);
        assert_body_is_file(&r, ent->d_name, "v3.json");
        resp_free(&r);
        free(u);
        free(p2);
        free(p3);
        certs++;
    }
    closedir(d);
    ck_assert_int_gt(certs, 0);
    ck_assert_uint_eq((size_t)certs, tu_fixture_pairs(FIXTURES, NULL));
    ck_assert_int_eq(emu_log_count(&E, "\"auth\":\"ok-token\""), 2 * certs);
    ck_assert_int_eq(emu_log_count(&E, "\"status\":200"), 2 * certs);
    curl_easy_cleanup(h);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(head_has_headers_but_no_body)
{
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT), *u;
    resp r;
    start(NULL);
    u = url_of(p);
    request(NULL, "HEAD", u, auth, &r);
    ck_assert_int_eq(r.rc, CURLE_OK);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body.len, 0);
    resp_free(&r);
    free(u);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(unknown_cert_and_bad_ids_are_404)
{
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p, long_id[80];
    resp r;

    start(NULL);
    p = v2_path(EMU_PROJECT_ID, MISSING);
    get(p, auth, &r);
    ck_assert_int_eq(r.status, 404);
    ck_assert_str_eq(body_of(&r),
                     "{\"error_code\":\"SCM.0404\",\"error_msg\":\"certificate " MISSING
                     " not found\"}");
    resp_free(&r);
    free(p);

    p = v3_path(MISSING);
    get(p, auth, &r);
    assert_error(&r, 404, "SCM.0404", "certificate " MISSING " not found");
    resp_free(&r);
    free(p);

    p = v2_path("ffffffffffffffffffffffffffffffff", CERT);
    get(p, auth, &r);
    assert_error(&r, 404, "SCM.0404", NULL);
    resp_free(&r);
    free(p);

    /* Decoded to a"b\ : invalid, and echoed in error_msg only as escaped JSON. */
    get("/v3/scm/certificates/a%22b%5C", auth, &r);
    assert_error(&r, 404, "SCM.0404", "certificate a\"b\\ not found");
    resp_free(&r);

    get("/v3/scm/certificates/%2e%2e", auth, &r);
    assert_error(&r, 404, "SCM.0404", "certificate .. not found");
    resp_free(&r);

    memset(long_id, 'a', 65);
    long_id[65] = '\0';
    p = v3_path(long_id);
    get(p, auth, &r);
    assert_error(&r, 404, "SCM.0404", NULL);
    resp_free(&r);
    free(p);
    long_id[64] = '\0'; /* 64 characters is well-formed, merely unknown */
    p = v3_path(long_id);
    get(p, auth, &r);
    assert_error(&r, 404, "SCM.0404", NULL);
    resp_free(&r);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(other_paths_404_and_methods_405)
{
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT), *u;
    resp r;

    start(NULL);
    get("/", auth, &r);
    assert_error(&r, 404, "APIGW.0101", NULL);
    resp_free(&r);
    get("/v3/scm/certificate", auth, &r);
    assert_error(&r, 404, "APIGW.0101", NULL);
    resp_free(&r);
    get("/v3/scm/certificates/" CERT "/", auth, &r);
    assert_error(&r, 404, "APIGW.0101", NULL);
    resp_free(&r);

    u = url_of(p);
    request(NULL, "DELETE", u, auth, &r);
    assert_error(&r, 405, "APIGW.0101", NULL);
    ck_assert_str_eq(r.allow, "GET, HEAD");
    resp_free(&r);
    free(u);
    free(p);
    ck_assert_int_eq(emu_log_count(&E, "\"api\":\"other\""), 3);
    ck_assert_int_eq(emu_log_count(&E, "\"method\":\"DELETE\""), 1);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

/* The day v2 goes under running clients: its first N requests answered, then 404 APIGW.0101. */
START_TEST(disable_api_v2_after_n)
{
    static const char *const args[] = {"--disable-api-after", "v2:2", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p2 = v2_path(EMU_PROJECT_ID, CERT), *p3 = v3_path(CERT);
    resp r;
    int i;

    start(args);
    for (i = 0; i < 2; i++) {
        get(p2, auth, &r);
        ck_assert_int_eq(r.status, 200);
        assert_body_is_file(&r, CERT, "legacy.json");
        resp_free(&r);
    }
    for (i = 0; i < 2; i++) {
        get(p2, auth, &r);
        assert_error(&r, 404, "APIGW.0101", NULL);
        resp_free(&r);
    }
    get(p3, auth, &r); /* v3 is not counted and stays on */
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    free(p2);
    free(p3);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(disable_api_v2)
{
    static const char *const args[] = {"--disable-api", "v2", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p2 = v2_path(EMU_PROJECT_ID, CERT), *p3 = v3_path(CERT);
    resp r;

    start(args);
    get(p2, auth, &r);
    assert_error(&r, 404, "APIGW.0101", NULL);
    resp_free(&r);
    get(p3, auth, &r);
    ck_assert_int_eq(r.status, 200);
    assert_body_is_file(&r, CERT, "v3.json");
    resp_free(&r);
    free(p2);
    free(p3);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

/* ---- authentication ---- */

START_TEST(token_auth_failures_are_401)
{
    struct curl_slist *bad = token_headers("not-the-token");
    char *p = v3_path(CERT);
    resp r;

    start(NULL);
    get(p, NULL, &r);
    assert_error(&r, 401, "APIGW.0301", "missing credentials");
    resp_free(&r);
    get(p, bad, &r);
    assert_error(&r, 401, "APIGW.0301", "bad token");
    resp_free(&r);
    ck_assert_int_eq(emu_log_count(&E, "\"auth\":\"bad token\""), 1);
    ck_assert_int_eq(emu_log_count(&E, "\"auth\":\"missing credentials\""), 1);
    ck_assert_int_eq(emu_log_count(&E, "not-the-token"), 0);
    free(p);
    curl_slist_free_all(bad);
    stop();
}
END_TEST

START_TEST(no_auth_lets_everything_through)
{
    static const char *const args[] = {"--no-auth", NULL};
    char *p = v3_path(CERT);
    resp r;
    start(args);
    get(p, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    ck_assert_int_eq(emu_log_count(&E, "\"auth\":\"off\""), 1);
    free(p);
    stop();
}
END_TEST

START_TEST(aksk_signed_request_accepted)
{
    char *p2 = v2_path(EMU_PROJECT_ID, CERT), *p3 = v3_path(CERT);
    struct curl_slist *h;
    resp r;

    start(NULL);
    h = signed_headers(p2, NULL, 0, time(NULL), EMU_AK, EMU_SK, 1, 1);
    get(p2, h, &r);
    ck_assert_int_eq(r.status, 200);
    assert_body_is_file(&r, CERT, "legacy.json");
    resp_free(&r);
    curl_slist_free_all(h);

    h = signed_headers(p3, NULL, 0, time(NULL), EMU_AK, EMU_SK, 0, 0);
    get(p3, h, &r);
    ck_assert_int_eq(r.status, 200);
    assert_body_is_file(&r, CERT, "v3.json");
    resp_free(&r);
    curl_slist_free_all(h);
    ck_assert_int_eq(emu_log_count(&E, "\"auth\":\"ok-aksk\""), 2);
    ck_assert_int_eq(emu_log_count(&E, "\"signed_headers\":\"host;x-project-id;x-sdk-date\""), 1);
    ck_assert_int_eq(emu_log_count(&E, "\"signed_headers\":\"host;x-sdk-date\""), 1);
    /* No secret or signature material reaches the log. */
    ck_assert_int_eq(emu_log_count(&E, EMU_SK), 0);
    ck_assert_int_eq(emu_log_count(&E, "Signature"), 0);
    ck_assert_int_eq(emu_log_count(&E, EMU_AK), 0);
    free(p2);
    free(p3);
    stop();
}
END_TEST

START_TEST(aksk_query_arguments_are_signed)
{
    static const scm_kv q[] = {{"limit", "10"}, {"name", "a b"}, {"flag", ""}};
    char *p3 = v3_path(CERT), *u;
    struct curl_slist *h;
    resp r;

    start(NULL);
    h = signed_headers(p3, q, 3, time(NULL), EMU_AK, EMU_SK, 0, 0);
    ck_assert_int_ge(asprintf(&u, "%s%s?limit=10&name=a%%20b&flag=", E.url, p3), 0);
    request(NULL, "GET", u, h, &r);
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    free(u);
    /* The same signature does not cover a different query. */
    ck_assert_int_ge(asprintf(&u, "%s%s?limit=11&name=a%%20b&flag=", E.url, p3), 0);
    request(NULL, "GET", u, h, &r);
    assert_error(&r, 401, "APIGW.0301", "bad signature");
    resp_free(&r);
    free(u);
    curl_slist_free_all(h);
    free(p3);
    stop();
}
END_TEST

/* A page's IDs joined by spaces and its total_count; the body must be a listing. */
static void page_of(const resp *r, char *ids, size_t size, int *total)
{
    cJSON *doc = cJSON_Parse(body_of(r)), *it;
    const cJSON *certs = cJSON_GetObjectItemCaseSensitive(doc, "certificates");
    ck_assert_int_eq(r->status, 200);
    ck_assert(cJSON_IsArray(certs));
    ids[0] = '\0';
    cJSON_ArrayForEach(it, certs)
    {
        size_t len = strlen(ids);
        snprintf(ids + len, size - len, "%s%s", len ? " " : "",
                 cJSON_GetObjectItemCaseSensitive(it, "id")->valuestring);
    }
    *total = (int)cJSON_GetObjectItemCaseSensitive(doc, "total_count")->valuedouble;
    cJSON_Delete(doc);
}

START_TEST(list_pages_filters_and_bad_queries)
{
    static const char *const faults[] = {"--fault", "*:status=500", "--list-change",
                                         "remove:" CERT ":2", NULL};
    static const struct {
        const char *query;
        const char *ids; /* NULL: 400 */
        int total;
    } Q[] = {
        {"?limit=10&offset=10",
         "scs7396304647646 scs7788354407554 scs8543121890079 "
         "scs9454356128061 scs9595544421983 scs9859855983706",
         16},
        {"?limit=20&status=ISSUED&enterprise_project_id=0",
         "scs1159493232269 scs6167076094451 scs9454356128061", 3},
        {"?limit=50&status=ALL&enterprise_project_id=9f2c7a10-4b1e-4c55-9d0a-1b2c3d4e5f60",
         "scs4488023722227 scs5387027233194 scs6674810927136 scs7788354407554 scs8543121890079", 5},
        {"?offset=100", "", 15}, /* CERT left after two pages */
        {"?limit=7", NULL, 0},
        {"?limit=10&offset=-1", NULL, 0},
        /* CERT is still gone. */
        {"?limit=10&status=ISSUED", "scs6167076094451 scs9454356128061", 2},
    };
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char ids[1024];
    int total;
    size_t i;
    resp r;

    start(faults);
    for (i = 0; i < sizeof Q / sizeof Q[0]; i++) {
        char path[200];
        snprintf(path, sizeof path, "/v3/scm/certificates%s", Q[i].query);
        get(path, auth, &r);
        if (Q[i].ids == NULL) {
            assert_error(&r, 400, "SCM.0400", NULL);
        } else {
            page_of(&r, ids, sizeof ids, &total);
            ck_assert_msg(strcmp(ids, Q[i].ids) == 0, "%s: %s", Q[i].query, ids);
            ck_assert_int_eq(total, Q[i].total);
        }
        resp_free(&r);
    }
    /* The wildcard fault without api=list reached the certificate, not the listing. */
    get("/v3/scm/certificates/" CERT, auth, &r);
    ck_assert_int_eq(r.status, 500);
    resp_free(&r);
    ck_assert_int_eq(emu_log_count(&E, "\"path\":\"/v3/scm/certificates\",\"api\":\"v3\","
                                       "\"cert_id\":\"\""),
                     (int)(sizeof Q / sizeof Q[0]));
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(aksk_tampered_requests_rejected)
{
    char *p2 = v2_path(EMU_PROJECT_ID, CERT), *p3 = v3_path(CERT), *other = v3_path(CERT2);
    struct curl_slist *h, *it;
    resp r;

    start(NULL);
    /* Signature for one certificate, used for another. */
    h = signed_headers(other, NULL, 0, time(NULL), EMU_AK, EMU_SK, 0, 0);
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "bad signature");
    resp_free(&r);
    curl_slist_free_all(h);

    /* One hex digit of the signature flipped. */
    h = signed_headers(p3, NULL, 0, time(NULL), EMU_AK, EMU_SK, 0, 0);
    for (it = h; it; it = it->next)
        if (strncmp(it->data, "Authorization:", 14) == 0) {
            char *last = it->data + strlen(it->data) - 1;
            *last = *last == '0' ? '1' : '0';
        }
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "bad signature");
    resp_free(&r);
    curl_slist_free_all(h);

    /* Wrong SK, unknown AK. */
    h = signed_headers(p3, NULL, 0, time(NULL), EMU_AK, "wrong-secret", 0, 0);
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "bad signature");
    resp_free(&r);
    curl_slist_free_all(h);
    h = signed_headers(p3, NULL, 0, time(NULL), "HPUAOTHERAKID0000002", EMU_SK, 0, 0);
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "unknown access key");
    resp_free(&r);
    curl_slist_free_all(h);

    /* x-project-id signed but not sent. */
    h = signed_headers(p2, NULL, 0, time(NULL), EMU_AK, EMU_SK, 1, 0);
    get(p2, h, &r);
    assert_error(&r, 401, "APIGW.0301", "bad signature");
    resp_free(&r);
    curl_slist_free_all(h);

    /* Not the SDK-HMAC-SHA256 scheme at all. */
    h = curl_slist_append(NULL, "Authorization: Bearer abc");
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "bad signature");
    resp_free(&r);
    curl_slist_free_all(h);
    free(p2);
    free(p3);
    free(other);
    stop();
}
END_TEST

/* Headers for a v3 request signed with the scope header name: value (NULL: none) signed or not. */
static struct curl_slist *scoped_headers(const char *path, const char *name, const char *lname,
                                         const char *value, int sign_it)
{
    char host[64], date[SCM_SIGN_DATE_LEN + 1], line[512], *auth;
    scm_kv h[3];
    size_t nh = 0;
    struct curl_slist *list = NULL;

    snprintf(host, sizeof host, "127.0.0.1:%d", E.port);
    scm__sign_format_date(time(NULL), date);
    h[nh++] = (scm_kv){"host", host};
    h[nh++] = (scm_kv){"x-sdk-date", date};
    if (sign_it)
        h[nh++] = (scm_kv){lname, value};
    auth = scm__sign_authorization("GET", path, NULL, 0, h, nh, "", 0, date, EMU_AK, EMU_SK);
    snprintf(line, sizeof line, "X-Sdk-Date: %s", date);
    list = curl_slist_append(list, line);
    snprintf(line, sizeof line, "%s: %s", name, value);
    list = curl_slist_append(list, line);
    snprintf(line, sizeof line, "Authorization: %s", auth);
    list = curl_slist_append(list, line);
    free(auth);
    return list;
}

START_TEST(aksk_scope_headers_must_be_signed)
{
    static const struct {
        const char *name, *lname;
        int sign_it;
        long status;
    } cases[] = {
        {"X-Domain-Id", "x-domain-id", 1, 200},
        {"X-Domain-Id", "x-domain-id", 0, 401},
        {"X-Project-Id", "x-project-id", 1, 200},
        {"X-Project-Id", "x-project-id", 0, 401},
    };
    char *p3 = v3_path(CERT);
    struct curl_slist *h;
    resp r;
    size_t i;

    start(NULL);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h = scoped_headers(p3, cases[i].name, cases[i].lname, "0b1c2d3e4f5a60718293a4b5c6d7e8f9",
                           cases[i].sign_it);
        get(p3, h, &r);
        ck_assert_msg(r.status == cases[i].status, "%s signed %d: HTTP %ld", cases[i].name,
                      cases[i].sign_it, r.status);
        if (r.status == 401)
            assert_error(&r, 401, "APIGW.0301", "bad signature");
        resp_free(&r);
        curl_slist_free_all(h);
    }
    ck_assert_int_eq(emu_log_count(&E, "\"signed_headers\":\"host;x-domain-id;x-sdk-date\""), 1);
    free(p3);
    stop();
}
END_TEST

START_TEST(aksk_signed_headers_must_include_host_and_date)
{
    char *p3 = v3_path(CERT), date[SCM_SIGN_DATE_LEN + 1], line[512], *auth;
    scm_kv only_date[1];
    struct curl_slist *h = NULL;
    resp r;

    start(NULL);
    scm__sign_format_date(time(NULL), date);
    only_date[0] = (scm_kv){"x-sdk-date", date};
    auth = scm__sign_authorization("GET", p3, NULL, 0, only_date, 1, "", 0, date, EMU_AK, EMU_SK);
    snprintf(line, sizeof line, "X-Sdk-Date: %s", date);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "Authorization: %s", auth);
    h = curl_slist_append(h, line);
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "bad signature");
    resp_free(&r);
    curl_slist_free_all(h);
    free(auth);
    free(p3);
    stop();
}
END_TEST

START_TEST(aksk_date_window_is_15_minutes)
{
    char *p3 = v3_path(CERT);
    struct curl_slist *h;
    resp r;

    start(NULL);
    h = signed_headers(p3, NULL, 0, time(NULL) - 16 * 60, EMU_AK, EMU_SK, 0, 0);
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "signature expired");
    resp_free(&r);
    curl_slist_free_all(h);
    h = signed_headers(p3, NULL, 0, time(NULL) + 16 * 60, EMU_AK, EMU_SK, 0, 0);
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "signature expired");
    resp_free(&r);
    curl_slist_free_all(h);
    h = signed_headers(p3, NULL, 0, time(NULL) - 14 * 60, EMU_AK, EMU_SK, 0, 0);
    get(p3, h, &r);
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    curl_slist_free_all(h);
    free(p3);
    stop();
}
END_TEST

START_TEST(clock_offset_shifts_date_checks_and_header)
{
    static const char *const args[] = {"--clock-offset", "3600", NULL};
    char *p3 = v3_path(CERT);
    struct curl_slist *h;
    time_t served;
    resp r;

    start(args);
    h = signed_headers(p3, NULL, 0, time(NULL), EMU_AK, EMU_SK, 0, 0);
    get(p3, h, &r);
    assert_error(&r, 401, "APIGW.0301", "signature expired");
    served = curl_getdate(r.date, NULL);
    ck_assert_int_le(labs((long)(served - (time(NULL) + 3600))), 5);
    resp_free(&r);
    curl_slist_free_all(h);
    h = signed_headers(p3, NULL, 0, time(NULL) + 3600, EMU_AK, EMU_SK, 0, 0);
    get(p3, h, &r);
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    curl_slist_free_all(h);
    free(p3);
    stop();
}
END_TEST

/* ---- faults ---- */

START_TEST(fault_status_count_retry_after)
{
    static const char *const args[] = {"--fault", CERT ":status=503,count=2,retry_after=7",
                                       "--fault", CERT2 ":api=v3,status=500", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p3 = v3_path(CERT), *p2 = v2_path(EMU_PROJECT_ID, CERT2), *other = v3_path(CERT2);
    resp r;
    int i;

    start(args);
    for (i = 0; i < 2; i++) {
        get(p3, auth, &r);
        ck_assert_str_eq(body_of(&r),
                         "{\"error_code\":\"APIGW.503\",\"error_msg\":\"injected fault\"}");
        assert_error(&r, 503, "APIGW.503", "injected fault");
        ck_assert_str_eq(r.retry_after, "7");
        resp_free(&r);
    }
    get(p3, auth, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(r.retry_after, "");
    assert_body_is_file(&r, CERT, "v3.json");
    resp_free(&r);
    ck_assert_int_eq(emu_log_count(&E, "\"fault\":\"" CERT ":status=503,count=2,retry_after=7\""),
                     2);
    ck_assert_int_eq(emu_log_count(&E, "\"fault\":\"\""), 1);

    /* api=v3: the v2 API of the same certificate is untouched. */
    get(p2, auth, &r);
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    get(other, auth, &r);
    assert_error(&r, 500, "APIGW.500", "injected fault");
    resp_free(&r);
    free(p3);
    free(p2);
    free(other);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(fault_code_and_shape)
{
    static const char *const args[] = {
        "--fault", CERT ":status=500,code=SCM.0016",
        "--fault", CERT2 ":status=502,shape=code",
        "--fault", MISSING ":api=v3,status=500,code=SCM.0016,shape=code",
        NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *a = v3_path(CERT), *b = v2_path(EMU_PROJECT_ID, CERT2), *c = v3_path(MISSING);
    resp r;

    start(args);
    get(a, auth, &r);
    assert_error(&r, 500, "SCM.0016", "injected fault");
    resp_free(&r);
    get(b, auth, &r);
    ck_assert_int_eq(r.status, 502);
    ck_assert_str_eq(body_of(&r), "{\"code\":\"APIGW.502\",\"message\":\"injected fault\"}");
    ck_assert_uint_eq(strlen(r.request_id), 32);
    resp_free(&r);
    get(c, auth, &r);
    ck_assert_int_eq(r.status, 500);
    ck_assert_str_eq(body_of(&r), "{\"code\":\"SCM.0016\",\"message\":\"injected fault\"}");
    resp_free(&r);
    free(a);
    free(b);
    free(c);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(fault_wildcard_applies_to_every_cert)
{
    static const char *const args[] = {"--fault", "*:status=429,count=3", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *a = v3_path(CERT), *b = v2_path(EMU_PROJECT_ID, CERT2), *c = v3_path(MISSING);
    resp r;

    start(args);
    get(a, auth, &r);
    assert_error(&r, 429, "APIGW.429", NULL);
    resp_free(&r);
    get(b, auth, &r);
    assert_error(&r, 429, "APIGW.429", NULL);
    resp_free(&r);
    get(c, auth, &r);
    assert_error(&r, 429, "APIGW.429", NULL);
    resp_free(&r);
    get(c, auth, &r);
    assert_error(&r, 404, "SCM.0404", NULL);
    resp_free(&r);
    free(a);
    free(b);
    free(c);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(fault_malformed_body)
{
    static const char *const args[] = {"--fault", CERT ":body=malformed", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT);
    cJSON *doc;
    resp r;

    start(args);
    get(p, auth, &r);
    ck_assert_int_eq(r.rc, CURLE_OK);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_gt(r.body.len, 0);
    doc = cJSON_ParseWithLength(body_of(&r), r.body.len);
    ck_assert_ptr_null(doc);
    resp_free(&r);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(fault_truncated_body_is_a_transfer_error)
{
    static const char *const args[] = {"--fault", CERT ":body=truncated", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT);
    size_t len;
    char *want = fixture(CERT, "v3.json", &len);
    resp r;

    start(args);
    get(p, auth, &r);
    ck_assert_int_eq(r.rc, CURLE_PARTIAL_FILE);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body.len, len / 2);
    ck_assert(memcmp(body_of(&r), want, len / 2) == 0);
    resp_free(&r);
    ck_assert_int_eq(emu_log_count(&E, "body=truncated"), 1);
    free(want);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(fault_drop_closes_without_response)
{
    static const char *const args[] = {"--fault", CERT ":body=drop,count=1", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT);
    resp r;

    start(args);
    get(p, auth, &r);
    ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
    resp_free(&r);
    ck_assert_int_eq(emu_log_count(&E, "\"status\":0"), 1);
    get(p, auth, &r);
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(fault_latency_delays_only_its_cert)
{
    static const char *const args[] = {"--fault", CERT ":latency_ms=300", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *slow = v3_path(CERT), *fast = v3_path(CERT2);
    double t0, slow_ms, fast_ms;
    resp r;

    start(args);
    t0 = now_ms();
    get(slow, auth, &r);
    slow_ms = now_ms() - t0;
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    t0 = now_ms();
    get(fast, auth, &r);
    fast_ms = now_ms() - t0;
    ck_assert_int_eq(r.status, 200);
    resp_free(&r);
    ck_assert_msg(slow_ms >= 300, "slow request took %.0f ms", slow_ms);
    ck_assert_msg(fast_ms < 250, "fast request took %.0f ms", fast_ms);
    free(slow);
    free(fast);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

/* ---- log, keep-alive, concurrency ---- */

START_TEST(log_lines_and_keepalive_port)
{
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT), *u;
    CURL *h = curl_easy_init();
    cJSON *lines;
    const cJSON *a, *b;
    resp r1, r2;
    const char *t;

    start(NULL);
    u = url_of(p);
    request(h, "GET", u, auth, &r1);
    request(h, "GET", u, auth, &r2);
    ck_assert_int_eq(r1.status, 200);
    ck_assert_int_eq(r2.status, 200);
    lines = log_lines();
    ck_assert_int_eq(cJSON_GetArraySize(lines), 2);
    a = cJSON_GetArrayItem(lines, 0);
    b = cJSON_GetArrayItem(lines, 1);
    t = str_member(a, "time"); /* 2026-11-29T05:13:00.123Z */
    ck_assert_uint_eq(strlen(t), 24);
    ck_assert(t[4] == '-' && t[10] == 'T' && t[19] == '.' && t[23] == 'Z');
    ck_assert_str_eq(str_member(a, "method"), "GET");
    ck_assert_str_eq(str_member(a, "path"), p);
    ck_assert_str_eq(str_member(a, "api"), "v3");
    ck_assert_str_eq(str_member(a, "cert_id"), CERT);
    ck_assert_str_eq(str_member(a, "auth"), "ok-token");
    ck_assert_str_eq(str_member(a, "fault"), "");
    ck_assert_int_eq((int)num_member(a, "status"), 200);
    /* Same client port twice: curl kept the connection, and the log shows it. */
    ck_assert_int_gt((int)num_member(a, "client_port"), 0);
    ck_assert_int_eq((int)num_member(a, "client_port"), (int)r1.local_port);
    ck_assert_int_eq((int)num_member(a, "client_port"), (int)num_member(b, "client_port"));
    /* A fresh 32-hex-digit request ID per answer, the one the log names. */
    ck_assert_uint_eq(strlen(r1.request_id), 32);
    ck_assert_uint_eq(strspn(r1.request_id, "0123456789abcdef"), 32);
    ck_assert_str_ne(r1.request_id, r2.request_id);
    ck_assert_str_eq(str_member(a, "request_id"), r1.request_id);
    ck_assert_str_eq(str_member(b, "request_id"), r2.request_id);
    ck_assert_str_eq(str_member(a, "signed_headers"), "");
    ck_assert_int_eq(cJSON_GetArraySize(a), 11);
    ck_assert_int_eq(emu_log_count(&E, EMU_TOKEN), 0);
    cJSON_Delete(lines);
    resp_free(&r1);
    resp_free(&r2);
    curl_easy_cleanup(h);
    free(u);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

/* Runs one GET per handle concurrently; returns the wall time in ms. */
static double run_parallel(CURL **hs, resp *rs, int n, const char *url, struct curl_slist *auth,
                           CURLM *m)
{
    double t0 = now_ms();
    CURLMsg *msg;
    int running, left, i;
    for (i = 0; i < n; i++) {
        prepare(hs[i], url, auth, &rs[i]);
        curl_multi_add_handle(m, hs[i]);
    }
    do {
        ck_assert_int_eq(curl_multi_perform(m, &running), CURLM_OK);
        if (running)
            curl_multi_poll(m, NULL, 0, 1000, NULL);
    } while (running);
    while ((msg = curl_multi_info_read(m, &left)) != NULL)
        for (i = 0; i < n; i++)
            if (hs[i] == msg->easy_handle)
                rs[i].rc = msg->data.result;
    for (i = 0; i < n; i++) {
        finish(hs[i], &rs[i]);
        curl_multi_remove_handle(m, hs[i]);
    }
    return now_ms() - t0;
}

START_TEST(concurrent_requests_are_delayed_in_parallel)
{
    static const char *const args[] = {"--latency-ms", "200", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT), *u;
    CURL *hs[8];
    resp rs[8];
    CURLM *m = curl_multi_init();
    double ms;
    int i;

    start(args);
    u = url_of(p);
    for (i = 0; i < 8; i++)
        hs[i] = curl_easy_init();
    ms = run_parallel(hs, rs, 8, u, auth, m);
    fprintf(stderr, "8 concurrent requests, 200 ms latency each: %.0f ms\n", ms);
    for (i = 0; i < 8; i++) {
        ck_assert_int_eq(rs[i].rc, CURLE_OK);
        ck_assert_int_eq(rs[i].status, 200);
        resp_free(&rs[i]);
        curl_easy_cleanup(hs[i]);
    }
    ck_assert_msg(ms >= 200 && ms < 800, "8 x 200 ms took %.0f ms", ms);
    curl_multi_cleanup(m);
    free(u);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(sixteen_keepalive_clients_in_parallel)
{
    static const char *const args[] = {"--latency-ms", "50", NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT), *u;
    CURL *hs[16];
    resp rs[16];
    CURLM *m = curl_multi_init();
    double ms = 0;
    int i, round;

    start(args);
    u = url_of(p);
    for (i = 0; i < 16; i++)
        hs[i] = curl_easy_init();
    /* Round 0 opens the 16 connections; round 1 reuses them and is the one timed. */
    for (round = 0; round < 2; round++) {
        ms = run_parallel(hs, rs, 16, u, auth, m);
        for (i = 0; i < 16; i++) {
            ck_assert_int_eq(rs[i].status, 200);
            resp_free(&rs[i]);
        }
    }
    fprintf(stderr, "16 keep-alive clients, 50 ms latency each: %.0f ms\n", ms);
    ck_assert_msg(ms < 400, "16 x 50 ms took %.0f ms", ms);
    for (i = 0; i < 16; i++)
        curl_easy_cleanup(hs[i]);
    curl_multi_cleanup(m);
    free(u);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

START_TEST(sequential_keepalive_throughput)
{
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT), *u, needle[48];
    CURL *h = curl_easy_init();
    double t0, ms;
    resp r;
    long port = 0;
    int i, n = 2000;

    start(NULL);
    u = url_of(p);
    t0 = now_ms();
    for (i = 0; i < n; i++) {
        request(h, "GET", u, auth, &r);
        ck_assert_int_eq(r.status, 200);
        port = r.local_port;
        resp_free(&r);
    }
    ms = now_ms() - t0;
    fprintf(stderr, "%d sequential keep-alive requests: %.0f ms (%.0f/s)\n", n, ms,
            n * 1000.0 / ms);
    snprintf(needle, sizeof needle, "\"client_port\":%ld,", port);
    ck_assert_int_eq(emu_log_count(&E, needle), n);
    ck_assert_msg(ms < 20000, "%d requests took %.0f ms", n, ms);
    curl_easy_cleanup(h);
    free(u);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

/* ---- TLS ---- */

/* A self-signed P-256 certificate for IP 127.0.0.1, written as PEM files in dir. */
static void make_tls_files(const char *cert_path, const char *key_path)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    X509_NAME *name;
    X509_EXTENSION *san;
    FILE *f;

    ck_assert(key != NULL && x != NULL);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"127.0.0.1", -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, "IP:127.0.0.1");
    ck_assert_ptr_nonnull(san);
    X509_add_ext(x, san, -1);
    X509_EXTENSION_free(san);
    ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
    f = fopen(cert_path, "w");
    ck_assert_ptr_nonnull(f);
    PEM_write_X509(f, x);
    fclose(f);
    f = fopen(key_path, "w");
    ck_assert_ptr_nonnull(f);
    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    fclose(f);
    X509_free(x);
    EVP_PKEY_free(key);
}

START_TEST(tls_serves_https)
{
    char dir[] = "/tmp/scm-emu-tls-XXXXXX", cert[64], key[64];
    const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    struct curl_slist *auth = token_headers(EMU_TOKEN);
    char *p = v3_path(CERT), *u;
    CURL *h = curl_easy_init();
    resp r;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    make_tls_files(cert, key);
    start(args);
    ck_assert(strncmp(E.url, "https://127.0.0.1:", 18) == 0);
    u = url_of(p);
    prepare(h, u, auth, &r);
    curl_easy_setopt(h, CURLOPT_CAINFO, cert);
    r.rc = curl_easy_perform(h);
    finish(h, &r);
    ck_assert_msg(r.rc == CURLE_OK, "curl: %s", curl_easy_strerror(r.rc));
    ck_assert_int_eq(r.status, 200);
    assert_body_is_file(&r, CERT, "v3.json");
    resp_free(&r);
    curl_easy_cleanup(h);
    unlink(cert);
    unlink(key);
    rmdir(dir);
    free(u);
    free(p);
    curl_slist_free_all(auth);
    stop();
}
END_TEST

/* ---- command line and process life ---- */

/* Runs the emulator with args, output discarded; returns its exit status. */
static int run_emulator(const char *const *args)
{
    const char *argv[32];
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int n = 0, status = -1;

    argv[n++] = SCM_EMULATOR_PATH;
    while (*args)
        argv[n++] = *args++;
    argv[n] = NULL;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    ck_assert_int_eq(posix_spawn(&pid, argv[0], &fa, NULL, (char **)argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

START_TEST(bad_command_lines_exit_2)
{
    static const char *const no_fixtures[] = {"--no-auth", NULL};
    static const char *const bad_port[] = {"--fixtures", FIXTURES, "--no-auth",
                                           "--port",     "x",      NULL};
    static const char *const big_port[] = {"--fixtures", FIXTURES, "--no-auth",
                                           "--port",     "70000",  NULL};
    static const char *const no_creds[] = {"--fixtures", FIXTURES, NULL};
    static const char *const ak_only[] = {"--fixtures", FIXTURES, "--ak", "A", NULL};
    static const char *const unknown[] = {"--fixtures", FIXTURES, "--no-auth", "--bogus", NULL};
    static const char *const bad_fault[] = {"--fixtures", FIXTURES,           "--no-auth",
                                            "--fault",    CERT ":status=abc", NULL};
    static const char *const fault_key[] = {"--fixtures", FIXTURES,           "--no-auth",
                                            "--fault",    CERT ":colour=red", NULL};
    static const char *const fault_id[] = {"--fixtures", FIXTURES,          "--no-auth",
                                           "--fault",    "../x:status=500", NULL};
    static const char *const code_alone[] = {
        "--fixtures", FIXTURES, "--no-auth", "--fault", CERT ":code=SCM.0016", NULL};
    static const char *const shape_alone[] = {"--fixtures", FIXTURES,           "--no-auth",
                                              "--fault",    CERT ":shape=code", NULL};
    static const char *const bad_shape[] = {
        "--fixtures", FIXTURES, "--no-auth", "--fault", CERT ":status=500,shape=xml", NULL};
    static const char *const bad_code[] = {
        "--fixtures", FIXTURES, "--no-auth", "--fault", CERT ":status=500,code=a\"b", NULL};
    static const char *const empty_code[] = {
        "--fixtures", FIXTURES, "--no-auth", "--fault", CERT ":status=500,code=", NULL};
    static const char *const bad_change[] = {"--fixtures",    FIXTURES,          "--no-auth",
                                             "--list-change", "move:" CERT ":1", NULL};
    static const char *const bad_api[] = {"--fixtures",    FIXTURES, "--no-auth",
                                          "--disable-api", "v4",     NULL};
    static const char *const tls_half[] = {"--fixtures", FIXTURES,       "--no-auth",
                                           "--tls-cert", "/nonexistent", NULL};
    static const char *const extra[] = {"--fixtures", FIXTURES, "--no-auth", "stray", NULL};
    static const char *const help[] = {"--help", NULL};
    static const char *const no_dir[] = {"--fixtures", "/nonexistent/fixtures", "--no-auth", NULL};
    static const char *const bad_bind[] = {"--fixtures", FIXTURES,    "--no-auth",
                                           "--bind",     "localhost", NULL};

    ck_assert_int_eq(run_emulator(no_fixtures), 2);
    ck_assert_int_eq(run_emulator(bad_port), 2);
    ck_assert_int_eq(run_emulator(big_port), 2);
    ck_assert_int_eq(run_emulator(no_creds), 2);
    ck_assert_int_eq(run_emulator(ak_only), 2);
    ck_assert_int_eq(run_emulator(bad_change), 2);
    ck_assert_int_eq(run_emulator(unknown), 2);
    ck_assert_int_eq(run_emulator(bad_fault), 2);
    ck_assert_int_eq(run_emulator(fault_key), 2);
    ck_assert_int_eq(run_emulator(fault_id), 2);
    ck_assert_int_eq(run_emulator(code_alone), 2);
    ck_assert_int_eq(run_emulator(shape_alone), 2);
    ck_assert_int_eq(run_emulator(bad_shape), 2);
    ck_assert_int_eq(run_emulator(bad_code), 2);
    ck_assert_int_eq(run_emulator(empty_code), 2);
    ck_assert_int_eq(run_emulator(bad_api), 2);
    ck_assert_int_eq(run_emulator(tls_half), 2);
    ck_assert_int_eq(run_emulator(extra), 2);
    ck_assert_int_eq(run_emulator(help), 0);
    ck_assert_int_eq(run_emulator(no_dir), 1);
    ck_assert_int_eq(run_emulator(bad_bind), 1);
}
END_TEST

START_TEST(startup_line_and_clean_sigterm_exit)
{
    char path[320], want[96], *out;
    int status;
    FILE *f;

    start(NULL);
    snprintf(path, sizeof path, "%s/stdout.log", E.dir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    out = calloc(1, 256);
    ck_assert_ptr_nonnull(fgets(out, 256, f));
    fclose(f);
    snprintf(want, sizeof want, "scm-emulator listening on http://127.0.0.1:%d\n", E.port);
    ck_assert_str_eq(out, want);
    free(out);

    ck_assert_int_eq(kill(E.pid, SIGTERM), 0);
    ck_assert_int_eq(waitpid(E.pid, &status, 0), E.pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    E.pid = 0; /* reaped here; emu_stop only removes the directory */
}
END_TEST

/* 1 while pid runs: a zombie nobody reaps (a container's PID 1 may not) counts as gone. */
static int running(pid_t pid)
{
    char path[64], state = 'X';
    FILE *f;
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    if ((f = fopen(path, "r")) == NULL)
        return 0;
    if (fscanf(f, "%*d %*s %c", &state) != 1)
        state = 'X';
    fclose(f);
    return state != 'Z' && state != 'X';
}

/* A test that dies before emu_stop (a failed assertion, a crash) takes its emulator with it. */
START_TEST(emulator_dies_with_its_test)
{
    int fds[2], status, i;
    pid_t test, emulator = 0;

    ck_assert_int_eq(pipe(fds), 0);
    if ((test = fork()) == 0) {
        emu e;
        close(fds[0]);
        if (emu_start(&e, NULL, NULL) != 0)
            _exit(1);
        if (write(fds[1], &e.pid, sizeof e.pid) != (ssize_t)sizeof e.pid)
            _exit(1);
        _exit(0); /* no emu_stop */
    }
    close(fds[1]);
    ck_assert_int_eq(read(fds[0], &emulator, sizeof emulator), (ssize_t)sizeof emulator);
    close(fds[0]);
    ck_assert_int_eq(waitpid(test, &status, 0), test);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    for (i = 0; i < 50 && running(emulator); i++)
        usleep(100000);
    ck_assert_msg(!running(emulator), "scm-emulator %ld outlived its test", (long)emulator);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scm-emulator");
    TCase *tc = tcase_create("emulator");
    emu_hermetic(tc);
    SRunner *sr;
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_fixture_byte_exact_on_both_apis);
    tcase_add_test(tc, emulator_dies_with_its_test);
    tcase_add_test(tc, head_has_headers_but_no_body);
    tcase_add_test(tc, unknown_cert_and_bad_ids_are_404);
    tcase_add_test(tc, other_paths_404_and_methods_405);
    tcase_add_test(tc, disable_api_v2);
    tcase_add_test(tc, disable_api_v2_after_n);
    tcase_add_test(tc, token_auth_failures_are_401);
    tcase_add_test(tc, no_auth_lets_everything_through);
    tcase_add_test(tc, aksk_signed_request_accepted);
    tcase_add_test(tc, aksk_query_arguments_are_signed);
    tcase_add_test(tc, list_pages_filters_and_bad_queries);
    tcase_add_test(tc, aksk_tampered_requests_rejected);
    tcase_add_test(tc, aksk_scope_headers_must_be_signed);
    tcase_add_test(tc, aksk_signed_headers_must_include_host_and_date);
    tcase_add_test(tc, aksk_date_window_is_15_minutes);
    tcase_add_test(tc, clock_offset_shifts_date_checks_and_header);
    tcase_add_test(tc, fault_status_count_retry_after);
    tcase_add_test(tc, fault_code_and_shape);
    tcase_add_test(tc, fault_wildcard_applies_to_every_cert);
    tcase_add_test(tc, fault_malformed_body);
    tcase_add_test(tc, fault_truncated_body_is_a_transfer_error);
    tcase_add_test(tc, fault_drop_closes_without_response);
    tcase_add_test(tc, fault_latency_delays_only_its_cert);
    tcase_add_test(tc, log_lines_and_keepalive_port);
    tcase_add_test(tc, concurrent_requests_are_delayed_in_parallel);
    tcase_add_test(tc, sixteen_keepalive_clients_in_parallel);
    tcase_add_test(tc, sequential_keepalive_throughput);
    tcase_add_test(tc, tls_serves_https);
    tcase_add_test(tc, bad_command_lines_exit_2);
    tcase_add_test(tc, startup_line_and_clean_sigterm_exit);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    curl_global_cleanup();
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
