/*
 * test_request_id.c - every answer's X-Request-Id is kept: scm_shim_client_request_id, the
 * error message, debug log lines and audit lines; a hostile header breaks nothing.
 * owns: these expectations of request IDs; must not: leave a variable or an emulator behind
 * (emu_hermetic).
 */
#include "hermetic.h"
#include "itest.h"
#include "scm_shim.h"
#include "testutil.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CERT "scs7788354407554"
#define MISSING "scs0000000000000"

static emu E;

static void start(void)
{
    unsetenv("SCM_SHIM_BACKEND");
    unsetenv("SCM_SHIM_SHADOW");
    unsetenv("SCM_SHIM_RETRIES");
    ck_assert_int_eq(emu_start(&E, NULL, NULL), 0);
}

static void stop(void)
{
    emu_stop(&E);
}

/* o's string member name; a failed assertion, not a crash, when there is none. */
static const char *member(const cJSON *o, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    ck_assert_msg(cJSON_IsString(it), "no string member %s", name);
    return it->valuestring;
}

/* The request_id of the emulator's newest log line for api ("v2", "v3"), malloc'd. */
static char *logged_request_id(const char *api)
{
    cJSON *log = it_log(&E), *line;
    char *id = NULL;
    cJSON_ArrayForEach(line, log)
    {
        if (strcmp(member(line, "api"), api) == 0) {
            free(id);
            id = strdup(member(line, "request_id"));
        }
    }
    cJSON_Delete(log);
    ck_assert_ptr_nonnull(id);
    return id;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Whether msg ends with " (request id ID)". */
static int names_request_id(const char *msg, const char *id)
{
    char tail[200];
    snprintf(tail, sizeof tail, " (request id %s)", id);
    return ends_with(msg, tail);
}

START_TEST(kept_for_success_and_failure)
{
    scm_client *c = it_client(&E);
    scm_cert_details *d = NULL;
    char *want, tail[200], *body = NULL;
    cJSON *doc;

    ck_assert_str_eq(scm_shim_client_request_id(NULL), "");
    ck_assert_str_eq(scm_shim_client_request_id(c), "");
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_OK);
    want = logged_request_id("v3");
    ck_assert_uint_eq(strlen(want), 32);
    ck_assert_str_eq(scm_shim_client_request_id(c), want);
    ck_assert_str_eq(scm_client_error_msg(c), "");
    scm_cert_details_free(d);
    free(want);

    ck_assert_int_eq(scm_query_cert_details(c, MISSING, &d), SCM_E_NOT_FOUND);
    want = logged_request_id("v3");
    ck_assert_str_eq(scm_shim_client_request_id(c), want);
    snprintf(tail, sizeof tail, "certificate " MISSING " not found (request id %s)", want);
    ck_assert_str_eq(scm_client_error_msg(c), tail);
    ck_assert_str_eq(scm_client_error_code(c), "SCM.0404");
    free(want);

    /* The JSON API's error body keeps the service's own message. */
    ck_assert_int_eq(scm_query_cert_details_json(c, MISSING, &body), SCM_E_NOT_FOUND);
    doc = cJSON_Parse(body);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(doc, "error_msg")->valuestring,
                     "certificate " MISSING " not found");
    want = logged_request_id("v3");
    ck_assert_msg(names_request_id(scm_client_error_msg(c), want), "'%s'", scm_client_error_msg(c));
    cJSON_Delete(doc);
    scm_free(body);
    free(want);

    /* No request, no ID. */
    ck_assert_int_eq(scm_query_cert_details(c, "../x", &d), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(scm_shim_client_request_id(c), "");
    scm_client_free(c);
}
END_TEST

START_TEST(kept_on_the_legacy_backend)
{
    scm_client *c;
    scm_cert_details *d = NULL;
    char *want;

    setenv("SCM_SHIM_BACKEND", "legacy", 1);
    c = it_client(&E);
    unsetenv("SCM_SHIM_BACKEND");
    ck_assert_int_eq(scm_query_cert_details(c, MISSING, &d), SCM_E_NOT_FOUND);
    want = logged_request_id("v2");
    ck_assert_str_eq(scm_shim_client_request_id(c), want);
    ck_assert_msg(names_request_id(scm_client_error_msg(c), want), "'%s'", scm_client_error_msg(c));
    free(want);
    scm_client_free(c);
}
END_TEST

START_TEST(in_debug_log_lines)
{
    char cmd[1024], out[8192], line[200], *want;

    /* SCM_SHIM_LOG is read once per process: ask the command, which is another. */
    snprintf(cmd, sizeof cmd,
             "env SCM_SHIM_LOG=debug SCM_ENDPOINT=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s "
             "%s get " MISSING " 2>&1 >/dev/null",
             E.url, EMU_AK, EMU_SK, SCM_SHIM_CLI);
    ck_assert_int_eq(it_run(cmd, out, sizeof out), 1);
    want = logged_request_id("v3");
    snprintf(line, sizeof line, "scmshim: debug: v3 " MISSING ": SCM.0404, HTTP 404, ");
    ck_assert_msg(strstr(out, line) != NULL, "%s", out);
    snprintf(line, sizeof line, "attempt 1, request id %s\n", want);
    ck_assert_msg(strstr(out, line) != NULL, "%s", out);
    free(want);
}
END_TEST

START_TEST(in_audit_lines)
{
    char path[400], *text, *legacy, *v3;
    scm_client *c;
    scm_cert_details *d = NULL;
    cJSON *line;

    snprintf(path, sizeof path, "%s/audit.log", E.dir);
    setenv("SCM_SHIM_SHADOW", "1", 1);
    setenv("SCM_SHIM_AUDIT_LOG", path, 1);
    c = it_client(&E);
    unsetenv("SCM_SHIM_SHADOW");
    unsetenv("SCM_SHIM_AUDIT_LOG");
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
    text = tu_read_file(path, NULL);
    ck_assert_ptr_nonnull(text);
    line = cJSON_Parse(text);
    ck_assert_ptr_nonnull(line);
    legacy = logged_request_id("v2");
    v3 = logged_request_id("v3");
    ck_assert_str_ne(legacy, v3);
    ck_assert_str_eq(member(cJSON_GetObjectItemCaseSensitive(line, "legacy"), "request_id"),
                     legacy);
    ck_assert_str_eq(member(cJSON_GetObjectItemCaseSensitive(line, "v3"), "request_id"), v3);
    cJSON_Delete(line);
    free(text);
    free(legacy);
    free(v3);
}
END_TEST

/* ---- a server that sends whatever X-Request-Id a case asks for ---- */

typedef struct raw_server {
    int fd;
    int port;
    pthread_t thread;
    const char *headers[2]; /* per request, a raw header line without CR LF, or NULL */
    int requests;
    const char *body;
} raw_server;

/* Answers each request with a 404 carrying that request's header line, closing every connection. */
static void *serve(void *arg)
{
    raw_server *s = arg;
    char req[8192], head[256];
    int i;

    for (i = 0; i < s->requests; i++) {
        size_t got = 0;
        ssize_t n;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            return NULL;
        while (got < sizeof req - 1 && (n = read(c, req + got, sizeof req - 1 - got)) > 0) {
            got += (size_t)n;
            req[got] = '\0';
            if (strstr(req, "\r\n\r\n") != NULL)
                break;
        }
        snprintf(head, sizeof head,
                 "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n",
                 strlen(s->body));
        n = write(c, head, strlen(head));
        if (s->headers[i] != NULL) {
            n = write(c, s->headers[i], strlen(s->headers[i]));
            n = write(c, "\r\n", 2);
        }
        n = write(c, "\r\n", 2);
        n = write(c, s->body, strlen(s->body));
        (void)n;
        close(c);
    }
    return NULL;
}

/* Listens on a free loopback port and serves `requests` answers from a thread. */
static void raw_start(raw_server *s, int requests, const char *body)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(s->fd, 0);
    ck_assert_int_eq(bind(s->fd, (struct sockaddr *)&sin, sizeof sin), 0);
    ck_assert_int_eq(listen(s->fd, 1), 0);
    ck_assert_int_eq(getsockname(s->fd, (struct sockaddr *)&sin, &len), 0);
    s->port = ntohs(sin.sin_port);
    s->requests = requests;
    s->body = body;
    ck_assert_int_eq(pthread_create(&s->thread, NULL, serve, s), 0);
}

/* A token-authenticated client of s that does not retry. */
static scm_client *raw_client(const raw_server *s, char *url, size_t n)
{
    scm_config cfg;
    scm_client *c;
    snprintf(url, n, "http://127.0.0.1:%d", s->port);
    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint = url;
    cfg.auth_token = "token";
    cfg.timeout_ms = 5000;
    setenv("SCM_SHIM_RETRIES", "0", 1);
    c = scm_client_new(&cfg);
    unsetenv("SCM_SHIM_RETRIES");
    ck_assert_ptr_nonnull(c);
    return c;
}

static void raw_stop(raw_server *s)
{
    pthread_join(s->thread, NULL);
    close(s->fd);
}

static const char GONE[] = "{\"error_code\":\"SCM.0404\",\"error_msg\":\"gone\"}";

START_TEST(not_carried_over_to_an_answer_without_one)
{
    char url[64];
    raw_server s;
    scm_client *c;
    scm_cert_details *d = NULL;

    s.headers[0] = "X-Request-Id: first";
    s.headers[1] = NULL;
    raw_start(&s, 2, GONE);
    c = raw_client(&s, url, sizeof url);
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_E_NOT_FOUND);
    ck_assert_str_eq(scm_shim_client_request_id(c), "first");
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_E_NOT_FOUND);
    raw_stop(&s);
    ck_assert_str_eq(scm_shim_client_request_id(c), "");
    ck_assert_str_eq(scm_client_error_msg(c), "gone");
    scm_client_free(c);
}
END_TEST

static char long_a[5001], long_id[129], long_msg[3000], long_body[3100];

static void make_long_values(void)
{
    memset(long_a, 'A', sizeof long_a - 1);
    memcpy(long_id, long_a, sizeof long_id - 1);
    memset(long_msg, 'm', sizeof long_msg - 1);
    snprintf(long_body, sizeof long_body, "{\"error_code\":\"SCM.0404\",\"error_msg\":\"%s\"}",
             long_msg);
}

static struct {
    const char *header;
    const char *body;
    const char *kept;
} HOSTILE[] = {
    {"X-Request-Id: abc\x01\x1b[31mdef\x7f\xc3\xa9", NULL, "abc??[31mdef???"},
    {"x-request-id:    padded-id \t ", NULL, "padded-id"},
    {"X-Request-Id:", NULL, ""},
    {"X-Request-Id: a\rb", NULL, "a?b"},
    {NULL, NULL, long_id},      /* 5000 bytes: cut at 128 */
    {NULL, long_body, long_id}, /* ... and a message too long to keep whole */
};

START_TEST(hostile_header_is_cut_and_made_printable)
{
    char url[64], header[5100];
    const char *msg;
    raw_server s;
    scm_client *c;
    scm_cert_details *d = NULL;
    size_t i;

    make_long_values();
    if (HOSTILE[_i].header != NULL)
        snprintf(header, sizeof header, "%s", HOSTILE[_i].header);
    else
        snprintf(header, sizeof header, "X-Request-Id: %s", long_a);
    s.headers[0] = header;
    raw_start(&s, 1, HOSTILE[_i].body != NULL ? HOSTILE[_i].body : GONE);
    c = raw_client(&s, url, sizeof url);
    ck_assert_int_eq(scm_query_cert_details(c, CERT, &d), SCM_E_NOT_FOUND);
    raw_stop(&s);
    ck_assert_str_eq(scm_shim_client_request_id(c), HOSTILE[_i].kept);
    msg = scm_client_error_msg(c);
    for (i = 0; msg[i]; i++)
        ck_assert_msg(msg[i] >= 0x20 && msg[i] < 0x7f, "byte %zu of '%s'", i, msg);
    if (HOSTILE[_i].kept[0] != '\0') {
        ck_assert_msg(names_request_id(msg, HOSTILE[_i].kept), "'%s'", msg);
        ck_assert_uint_lt(strlen(msg), 1024);
    } else {
        ck_assert_str_eq(msg, "gone");
    }
    scm_client_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("request id");
    TCase *tc = tcase_create("request id");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, start, stop);
    tcase_add_test(tc, kept_for_success_and_failure);
    tcase_add_test(tc, kept_on_the_legacy_backend);
    tcase_add_test(tc, in_debug_log_lines);
    tcase_add_test(tc, in_audit_lines);
    tcase_add_test(tc, not_carried_over_to_an_answer_without_one);
    tcase_add_loop_test(tc, hostile_header_is_cut_and_made_printable, 0,
                        sizeof HOSTILE / sizeof HOSTILE[0]);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
