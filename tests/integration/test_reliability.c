/*
 * test_reliability.c - retries, deadlines, clock skew, TLS and hostile bodies against scm-
 * emulator faults. Each fault is one test.
 * owns: these expectations of retries, deadlines, skew, TLS and hostile bodies; must not:
 * leave a variable or an emulator behind (emu_hermetic).
 */
#include "hermetic.h"
#include "itest.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static emu E;

static const char *const FAULTS[] = {
    "--fault", "scs7788354407554:status=503,count=2",       /* 503 twice then 200 */
    "--fault", "scs1159493232269:status=500",               /* persistent 500, a gateway's code */
    "--fault", "scs1343342290420:status=500,code=SCM.0016", /* a business error */
    "--fault", "scs8543121890079:status=500,code=SCM.0016,shape=code", "--fault",
    "scs9454356128061:status=502,shape=code", /* {"code","message"}, transient */
    "--fault", "scs9859855983706:status=503,code=SCM.0503,count=1", /* only a 500 is business */
    "--fault", "scs9595544421983:status=429,retry_after=1,count=1", "--fault",
    "scs2603283540895:status=400", "--fault", "scs3267718637407:status=403", "--fault",
    "scs3918949485640:body=drop",                    /* persistent drop */
    "--fault", "scs4488023722227:body=drop,count=1", /* one drop, then fine */
    "--fault", "scs5387027233194:body=truncated,count=1", "--fault",
    "scs6167076094451:body=malformed", "--fault", "scs6674810927136:latency_ms=4000",
    /* Hostile headers, on IDs no fixture has: the fault's answer replaces the 404. */
    "--fault", "scs0000000000011:status=503,retry_after=9223372036854775807", /* LONG_MAX s */
    "--fault", "scs0000000000012:status=429,retry_after=9223372036854775",    /* x 1000 overflows */
    "--fault",
    "scs0000000000013:status=503,retry_after=99999999999999999999999999999999", /* > 2^63 */
    "--fault", "scs0000000000014:header_bytes=200000", /* one 200 KB header line */
    "--fault",
    "scs0000000000015:status=403,msg=denied\r\nscm-shim: all good\x1b[2J\x07", /* forged line,
                                                                                  terminal escapes
                                                                                */
    NULL};

static void start(void)
{
    ck_assert_int_eq(emu_start(&E, NULL, FAULTS), 0);
    unsetenv("SCM_SHIM_RETRIES");
    unsetenv("SCM_SHIM_BACKEND");
}

static void stop(void)
{
    emu_stop(&E);
}

/* Requests the emulator logged for one certificate so far. */
static int requests_for(const emu *e, const char *id)
{
    char needle[96];
    snprintf(needle, sizeof needle, "\"cert_id\":\"%s\"", id);
    return emu_log_count(e, needle);
}

static const struct {
    const char *id;
    int rc;
    int requests; /* how many the emulator sees for one call */
    double min_ms, max_ms;
    const char *code; /* scm_client_error_code after the call */
} CASES[] = {
    {"scs7788354407554", SCM_OK, 3, 100, 3000, ""}, /* two backoffs */
    {"scs1159493232269", SCM_E_SERVER, 4, 300, 3000,
     "APIGW.500"},                                  /* 1 + SCM_SHIM_RETRIES, inside the deadline */
    {"scs9595544421983", SCM_OK, 2, 950, 3000, ""}, /* Retry-After: 1 honoured */
    {"scs2603283540895", SCM_E_SERVER, 1, 0, 1000, "APIGW.400"}, /* 4xx: never retried */
    {"scs3267718637407", SCM_E_AUTH, 1, 0, 1000, "APIGW.403"},
    {"scs3918949485640", SCM_E_NETWORK, 4, 100, 3000, "SCMSHIM.NETWORK"},
    {"scs4488023722227", SCM_OK, 2, 0, 3000, ""},
    {"scs5387027233194", SCM_OK, 2, 0, 3000, ""},
    {"scs6167076094451", SCM_E_PARSE, 1, 0, 1000,
     "SCMSHIM.PARSE"}, /* garbage: not a transient failure */
    {"scs1343342290420", SCM_E_SERVER, 1, 0, 1000,
     "SCM.0016"}, /* business error: asking again only adds latency */
    {"scs8543121890079", SCM_E_SERVER, 1, 0, 1000, "SCM.0016"}, /* the same in {"code","message"} */
    {"scs9454356128061", SCM_E_SERVER, 4, 300, 3000, "APIGW.502"},
    {"scs9859855983706", SCM_OK, 2, 0, 3000, ""},
    /* A Retry-After past the deadline leaves no attempt: answered at once, never a hang. */
    {"scs0000000000011", SCM_E_SERVER, 1, 0, 1000, "APIGW.503"},
    {"scs0000000000012", SCM_E_SERVER, 1, 0, 1000, "APIGW.429"},
    {"scs0000000000013", SCM_E_SERVER, 1, 0, 1000, "APIGW.503"},
    /* An oversized header is the peer's fault, a network error, not our memory. */
    {"scs0000000000014", SCM_E_NETWORK, 4, 100, 3000, "SCMSHIM.NETWORK"},
};

START_TEST(fault)
{
    scm_config cfg = it_config(&E);
    scm_client *c;
    scm_cert_details *d = NULL;
    int before = requests_for(&E, CASES[_i].id), rc;
    double t0, ms;

    cfg.timeout_ms = 5000;
    c = scm_client_new(&cfg);
    t0 = it_now_ms();
    rc = scm_query_cert_details(c, CASES[_i].id, &d);
    ms = it_now_ms() - t0;
    ck_assert_msg(rc == CASES[_i].rc, "%s: rc %d (%s), want %d", CASES[_i].id, rc,
                  scm_client_error_msg(c), CASES[_i].rc);
    ck_assert_int_eq(requests_for(&E, CASES[_i].id) - before, CASES[_i].requests);
    ck_assert_str_eq(scm_client_error_code(c), CASES[_i].code);
    ck_assert_msg(ms >= CASES[_i].min_ms && ms <= CASES[_i].max_ms, "%s took %.0f ms", CASES[_i].id,
                  ms);
    ck_assert((rc == SCM_OK) == (d != NULL));
    scm_cert_details_free(d);
    scm_client_free(c);
}
END_TEST

/* A {"code","message"} error body reads like {"error_code","error_msg"} on both backends. */
START_TEST(code_message_body_on_both_backends)
{
    static const char *const backends[] = {"v3", "legacy"};
    scm_client *c;
    scm_cert_details *d = NULL;
    char *body = NULL;

    setenv("SCM_SHIM_BACKEND", backends[_i], 1);
    c = it_client(&E);
    unsetenv("SCM_SHIM_BACKEND");
    ck_assert_int_eq(scm_query_cert_details(c, "scs8543121890079", &d), SCM_E_SERVER);
    ck_assert_str_eq(scm_client_error_code(c), "SCM.0016");
    ck_assert_int_eq(scm_client_http_status(c), 500);
    ck_assert_msg(strncmp(scm_client_error_msg(c), "injected fault (request id ", 27) == 0, "%s",
                  scm_client_error_msg(c));
    /* The JSON API answers in the frozen header's shape, whatever shape the service used. */
    ck_assert_int_eq(scm_query_cert_details_json(c, "scs8543121890079", &body), SCM_E_SERVER);
    ck_assert_str_eq(body, "{\"error_code\":\"SCM.0016\",\"error_msg\":\"injected fault\"}");
    scm_free(body);
    scm_client_free(c);
}
END_TEST

START_TEST(latency_beyond_timeout)
{
    scm_config cfg = it_config(&E);
    scm_client *c;
    scm_cert_details *d = NULL;
    double t0, ms, one_call;
    cfg.timeout_ms = 800;
    c = scm_client_new(&cfg);
    /* What one whole call costs here (more under valgrind), on a certificate with no fault. */
    t0 = it_now_ms();
    ck_assert_int_eq(scm_query_cert_details(c, "scs6935049258991", &d), SCM_OK);
    one_call = it_now_ms() - t0;
    scm_cert_details_free(d);
    d = NULL;
    t0 = it_now_ms();
    ck_assert_int_eq(scm_query_cert_details(c, "scs6674810927136", &d), SCM_E_NETWORK);
    ms = it_now_ms() - t0;
    /*
     * The timeout is a deadline for the whole call, retries included. Past it
     * is at most what a whole call costs, and 150 ms for the scheduling of a
     * loaded machine: a call that overran the deadline by 300 ms fails.
     */
    ck_assert_msg(ms >= 750 && ms < 800 + one_call + 150, "took %.0f ms (one call: %.0f ms)", ms,
                  one_call);
    scm_client_free(c);
}
END_TEST

START_TEST(retries_can_be_turned_off)
{
    scm_client *c;
    scm_cert_details *d = NULL;
    int before = requests_for(&E, "scs1159493232269");
    setenv("SCM_SHIM_RETRIES", "0", 1);
    c = it_client(&E);
    unsetenv("SCM_SHIM_RETRIES");
    ck_assert_int_eq(scm_query_cert_details(c, "scs1159493232269", &d), SCM_E_SERVER);
    ck_assert_int_eq(requests_for(&E, "scs1159493232269") - before, 1);
    scm_client_free(c);
}
END_TEST

/* Runs fn with stderr captured; returns what was written (malloc'd). */
static char *capture_stderr(void (*fn)(void *), void *arg)
{
    char path[] = "/tmp/scmshim-err-XXXXXX";
    int fd = mkstemp(path), saved = dup(2);
    char *text;
    dup2(fd, 2);
    fn(arg);
    dup2(saved, 2);
    close(saved);
    close(fd);
    text = tu_read_file(path, NULL);
    unlink(path);
    return text;
}

static void skewed_calls(void *arg)
{
    const emu *e = arg;
    scm_client *c = it_client(e);
    scm_cert_details *d = NULL;
    ck_assert_int_eq(scm_query_cert_details(c, "scs7396304647646", &d), SCM_OK);
    scm_cert_details_free(d);
    /* The client keeps the offset: the next call is signed right the first time. */
    ck_assert_int_eq(scm_query_cert_details(c, "scs7396304647646", &d), SCM_OK);
    scm_cert_details_free(d);
    scm_client_free(c);
}

START_TEST(clock_skew_corrected_from_date)
{
    static const char *const args[] = {"--clock-offset", "3600", NULL};
    emu skewed;
    char *err;
    ck_assert_int_eq(emu_start(&skewed, NULL, args), 0);
    err = capture_stderr(skewed_calls, &skewed);
    /* One rejected request, then two signed with the server's time. */
    ck_assert_int_eq(emu_log_count(&skewed, "\"status\":401"), 1);
    ck_assert_int_eq(emu_log_count(&skewed, "\"status\":200"), 2);
    ck_assert_msg(strstr(err, "clock skew of +3600 s") != NULL ||
                      strstr(err, "clock skew of +3599 s") != NULL ||
                      strstr(err, "clock skew of +3601 s") != NULL,
                  "stderr: %s", err);
    free(err);
    emu_stop(&skewed);
}
END_TEST

/* A 200 that is not the requested certificate's details is no answer, on either backend. */
START_TEST(imposter_bodies_are_parse_errors)
{
    static const char *const ids[] = {"scs0000000000001", "scs0000000000002", "scs0000000000003"};
    static const char *const backends[] = {"v3", "legacy"};
    scm_cert_details *d = NULL;
    char *body = NULL;
    size_t i, b;
    emu imp;

    ck_assert_int_eq(emu_start(&imp, SCM_TEST_DATA_DIR "/imposter-certs", NULL), 0);
    for (b = 0; b < 2; b++) {
        scm_client *c;
        setenv("SCM_SHIM_BACKEND", backends[b], 1);
        c = it_client(&imp);
        for (i = 0; i < 3; i++) {
            ck_assert_msg(scm_query_cert_details(c, ids[i], &d) == SCM_E_PARSE, "%s %s",
                          backends[b], ids[i]);
            ck_assert_ptr_null(d);
            ck_assert_str_eq(scm_client_error_code(c), "SCMSHIM.PARSE");
            ck_assert_int_eq(scm_query_cert_details_json(c, ids[i], &body), SCM_E_PARSE);
            ck_assert_ptr_null(body);
        }
        scm_client_free(c);
    }
    unsetenv("SCM_SHIM_BACKEND");
    emu_stop(&imp);
}
END_TEST

/* The service's error_msg reaches the command's stderr with its control characters escaped. */
START_TEST(service_text_cannot_forge_output)
{
    char log[] = "/tmp/scmshim-msg-XXXXXX", cmd[1200], out[256], *text;
    int fd = mkstemp(log);
    snprintf(cmd, sizeof cmd,
             "env SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s %s "
             "get scs0000000000015 2>%s",
             E.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, SCM_SHIM_CLI, log);
    ck_assert_int_eq(it_run(cmd, out, sizeof out), 1);
    text = tu_read_file(log, NULL);
    ck_assert_ptr_nonnull(strstr(text, "denied\\x0d\\x0ascm-shim: all good\\x1b[2J\\x07"));
    ck_assert_ptr_null(strchr(text, '\x1b'));
    ck_assert_ptr_null(strchr(text, '\r'));
    /* One line: the forged one is not a line of its own. */
    ck_assert_ptr_eq(strchr(text, '\n'), text + strlen(text) - 1);
    free(text);
    close(fd);
    unlink(log);
}
END_TEST

/*
 * A listener whose accept queue is full drops every SYN, as a lost SYN burst does: one
 * connection attempt costs SCM_SHIM_CONNECT_TIMEOUT_MS, not the caller's whole timeout.
 */
START_TEST(connect_timeout_bounds_a_lost_syn)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int lst = socket(AF_INET, SOCK_STREAM, 0), fill[3], i;
    char url[64];
    scm_cert_details *d = NULL;
    scm_config cfg = it_config(&E);
    scm_client *c;
    double t0, ms;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(lst, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(lst, 0), 0);
    ck_assert_int_eq(getsockname(lst, (struct sockaddr *)&a, &len), 0);
    for (i = 0; i < 3; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fill[i], (struct sockaddr *)&a, sizeof a);
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(a.sin_port));
    cfg.endpoint = url;
    cfg.timeout_ms = 4000;
    setenv("SCM_SHIM_CONNECT_TIMEOUT_MS", "300", 1);
    setenv("SCM_SHIM_RETRIES", "0", 1);
    c = scm_client_new(&cfg);
    unsetenv("SCM_SHIM_CONNECT_TIMEOUT_MS");
    unsetenv("SCM_SHIM_RETRIES");
    ck_assert_ptr_nonnull(c);
    t0 = it_now_ms();
    ck_assert_int_eq(scm_query_cert_details(c, "scs7788354407554", &d), SCM_E_NETWORK);
    ms = it_now_ms() - t0;
    ck_assert_msg(ms < 2000, "one connection attempt took %.0f ms", ms);
    scm_client_free(c);
    for (i = 0; i < 3; i++)
        close(fill[i]);
    close(lst);
}
END_TEST

/* Behind a gateway's path prefix the prefix is sent and signed: the gateway accepts the signature.
 */
START_TEST(path_prefix_is_signed)
{
    static const char *const args[] = {"--path-prefix", "/scm-gw", NULL};
    static const char *const backends[] = {"v3", "legacy"};
    char url[200];
    scm_cert_details *d = NULL;
    scm_config cfg;
    size_t b;
    emu gw;

    ck_assert_int_eq(emu_start(&gw, NULL, args), 0);
    snprintf(url, sizeof url, "%s/scm-gw/", gw.url);
    for (b = 0; b < 2; b++) {
        scm_client *c;
        setenv("SCM_SHIM_BACKEND", backends[b], 1);
        cfg = it_config(&gw);
        cfg.endpoint = url;
        c = scm_client_new(&cfg);
        ck_assert_ptr_nonnull(c);
        ck_assert_msg(scm_query_cert_details(c, "scs7788354407554", &d) == SCM_OK, "%s: %s",
                      backends[b], scm_client_error_msg(c));
        scm_cert_details_free(d);
        scm_client_free(c);
    }
    unsetenv("SCM_SHIM_BACKEND");
    ck_assert_int_eq(
        emu_log_count(&gw, "\"path\":\"/scm-gw/v3/scm/certificates/scs7788354407554\""), 1);
    emu_stop(&gw);
}
END_TEST

/* The corrected retry cannot finish in time: the caller hears of the 401, not of a timeout. */
START_TEST(skew_retry_out_of_time_stays_an_auth_error)
{
    static const char *const args[] = {"--clock-offset", "3600", "--latency-ms", "600", NULL};
    scm_cert_details *d = NULL;
    scm_config cfg;
    scm_client *c;
    emu slow;
    ck_assert_int_eq(emu_start(&slow, NULL, args), 0);
    cfg = it_config(&slow);
    cfg.timeout_ms = 1000;
    setenv("SCM_SHIM_LOG", "off", 1);
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(scm_query_cert_details(c, "scs7396304647646", &d), SCM_E_AUTH);
    ck_assert_int_eq(scm_client_http_status(c), 401);
    scm_client_free(c);
    unsetenv("SCM_SHIM_LOG");
    emu_stop(&slow);
}
END_TEST

/* ---- TLS with a throwaway CA made by the openssl command line ---- */

static char tls_dir[] = "/tmp/scmshim-tls-XXXXXX";

static void sh(const char *fmt, const char *arg)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, arg, arg, arg, arg, arg, arg, arg);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

static void make_pki(void)
{
    strcpy(tls_dir, "/tmp/scmshim-tls-XXXXXX"); /* mkdtemp fills the template in */
    ck_assert_ptr_nonnull(mkdtemp(tls_dir));
    sh("cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 "
       "-subj /CN=scmshim-test-ca 2>/dev/null",
       tls_dir);
    sh("cd %s && printf 'subjectAltName=IP:127.0.0.1\\n' > ok.ext && "
       "printf 'subjectAltName=DNS:wrong.example\\n' > wrong.ext && "
       "for n in ok wrong; do openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr "
       "-subj /CN=scm-emulator 2>/dev/null && openssl x509 -req -in $n.csr -CA ca.pem -CAkey "
       "ca.key "
       "-CAcreateserial -out $n.pem -days 1 -extfile $n.ext 2>/dev/null || exit 1; done",
       tls_dir);
}

static void remove_pki(void)
{
    sh("rm -rf %s", tls_dir);
}

static int tls_query(const char *which, const char *ca_file, char *why, size_t n)
{
    char cert[300], key[300];
    const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    emu tls;
    scm_client *c;
    scm_cert_details *d = NULL;
    int rc;

    snprintf(cert, sizeof cert, "%s/%s.pem", tls_dir, which);
    snprintf(key, sizeof key, "%s/%s.key", tls_dir, which);
    ck_assert_int_eq(emu_start(&tls, NULL, args), 0);
    ck_assert_int_eq(strncmp(tls.url, "https://", 8), 0);
    tu_setenv("SCM_SHIM_CA_FILE", ca_file);
    /* This checks verification, not speed: a handshake stalled on a loaded CI machine gets the
     * whole deadline and the usual retries (a refused peer is never retried, see below). */
    setenv("SCM_SHIM_CONNECT_TIMEOUT_MS", "10000", 1);
    c = it_client(&tls);
    unsetenv("SCM_SHIM_CA_FILE");
    unsetenv("SCM_SHIM_CONNECT_TIMEOUT_MS");
    rc = scm_query_cert_details(c, "scs7788354407554", &d);
    snprintf(why, n, "%s", scm_client_error_msg(c));
    scm_cert_details_free(d);
    scm_client_free(c);
    emu_stop(&tls);
    return rc;
}

START_TEST(tls_verification)
{
    char ca[300], why[1024];
    make_pki();
    snprintf(ca, sizeof ca, "%s/ca.pem", tls_dir);
    /* Not trusted without the CA. */
    ck_assert_int_eq(tls_query("ok", NULL, why, sizeof why), SCM_E_NETWORK);
    /* Trusted with SCM_SHIM_CA_FILE added to the system's CAs. */
    ck_assert_msg(tls_query("ok", ca, why, sizeof why) == SCM_OK, "%s", why);
    /* A certificate for another host name is refused even from a trusted CA. */
    ck_assert_int_eq(tls_query("wrong", ca, why, sizeof why), SCM_E_NETWORK);
    remove_pki();
}
END_TEST

/* A peer that fails verification fails the same way on every try: one attempt, no backoff. */
START_TEST(tls_failure_is_not_retried)
{
    char cert[300], key[300], log[] = "/tmp/scmshim-tls-log-XXXXXX", cmd[1200], out[256], *text,
                              *at;
    const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    int fd = mkstemp(log), attempts = 0;
    emu tls;

    make_pki();
    snprintf(cert, sizeof cert, "%s/ok.pem", tls_dir);
    snprintf(key, sizeof key, "%s/ok.key", tls_dir);
    ck_assert_int_eq(emu_start(&tls, NULL, args), 0);
    /* SCM_SHIM_LOG is read once per process: a command of its own logs each attempt. */
    snprintf(cmd, sizeof cmd,
             "env SCM_SHIM_LOG=debug SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s "
             "HUAWEICLOUD_SDK_SK=%s %s get "
             "scs7788354407554 2>%s",
             tls.url, EMU_PROJECT_ID, EMU_AK, EMU_SK, SCM_SHIM_CLI, log);
    ck_assert_int_ne(it_run(cmd, out, sizeof out), 0);
    emu_stop(&tls);
    text = tu_read_file(log, NULL);
    ck_assert_ptr_nonnull(strstr(text, "SCMSHIM.TLS"));
    for (at = text; (at = strstr(at, ", attempt ")) != NULL; at++)
        attempts++;
    ck_assert_msg(attempts == 1, "%d attempts:\n%s", attempts, text);
    free(text);
    close(fd);
    unlink(log);
    remove_pki();
}
END_TEST

START_TEST(unreadable_ca_file_is_a_config_error)
{
    static const char *const bad[] = {"/nonexistent/ca.pem", "%s/empty.pem", "%s/garbage.pem",
                                      "%s"};
    scm_config cfg = it_config(&E);
    char path[400];
    size_t i;
    make_pki();
    sh(": > %s/empty.pem; echo 'not a certificate' > %s/garbage.pem", tls_dir);
    /* Missing, empty, garbage, a directory: each refused when the client is made, not per call. */
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(path, sizeof path, bad[i], tls_dir);
        setenv("SCM_SHIM_CA_FILE", path, 1);
        ck_assert_msg(scm_client_new(&cfg) == NULL, "%s was accepted", path);
        /* New code reads the reason; the legacy program saw the same line on stderr. */
        ck_assert_msg(strstr(scm_shim_last_error(), "SCM_SHIM_CA_FILE=") != NULL, "%s",
                      scm_shim_last_error());
    }
    unsetenv("SCM_SHIM_CA_FILE");
    remove_pki();
}
END_TEST

/* Runs scm-shim doctor against e with the given SK; returns its exit status, stdout in out. */
static int doctor(const emu *e, const char *sk, const char *extra_env, char *out, size_t n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "env SCM_ENDPOINT=%s SCM_PROJECT_ID=%s HUAWEICLOUD_SDK_AK=%s HUAWEICLOUD_SDK_SK=%s %s "
             "%s doctor",
             e->url, EMU_PROJECT_ID, EMU_AK, sk, extra_env, SCM_SHIM_CLI);
    return it_run(cmd, out, n);
}

START_TEST(doctor_verdicts)
{
    static const char *const skew_args[] = {"--clock-offset", "3600", NULL};
    char out[4096];
    emu skewed;

    ck_assert_int_eq(doctor(&E, EMU_SK, "", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "ok    configuration"));
    ck_assert_ptr_nonnull(strstr(out, "ok    v3 authentication"));
    ck_assert_ptr_nonnull(strstr(out, "ok    legacy authentication"));
    ck_assert_ptr_nonnull(strstr(out, "warn  v3 TLS"));
    ck_assert_ptr_null(strstr(out, "FAIL"));

    ck_assert_int_eq(doctor(&E, "wrong-secret", "", out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "FAIL  v3 authentication        HTTP 401"));

    ck_assert_int_eq(doctor(&E, EMU_SK, "SCM_SHIM_V3_ENDPOINT=http://127.0.0.1:1", out, sizeof out),
                     1);
    ck_assert_ptr_nonnull(strstr(out, "FAIL  v3 endpoint"));
    ck_assert_ptr_nonnull(strstr(out, "ok    legacy endpoint"));

    ck_assert_int_eq(doctor(&E, EMU_SK, "SCM_SHIM_BACKEND=v2", out, sizeof out), 2);
    /* Every setup problem at once, each on its own line, and no request made. */
    ck_assert_int_eq(doctor(&E, EMU_SK,
                            "SCM_SHIM_SHADOW=yes SCM_SHIM_LOG=bogus SCM_SHIM_RETRIES=99 "
                            "SCM_SHIM_MAPPING=/nonexistent/map.json SCM_SHIM_BACKEND=v2",
                            out, sizeof out),
                     2);
    ck_assert_msg(strstr(out, "FAIL  configuration            SCM_SHIM_BACKEND must be") &&
                      strstr(out, "FAIL  configuration            SCM_SHIM_SHADOW must be") &&
                      strstr(out, "FAIL  configuration            SCM_SHIM_LOG must be") &&
                      strstr(out, "FAIL  configuration            SCM_SHIM_RETRIES must be") &&
                      strstr(out, "FAIL  configuration            SCM_SHIM_MAPPING=") &&
                      !strstr(out, "endpoint  "),
                  "%s", out);
    /* Where the keys came from; a misspelt variable named, with the one meant. */
    ck_assert_int_eq(doctor(&E, EMU_SK, "SCM_SHIM_SHADDOW=1", out, sizeof out), 0);
    ck_assert_msg(strstr(out, "warn  variables                SCM_SHIM_SHADDOW is not a variable "
                              "of this library (did you mean SCM_SHIM_SHADOW?)") != NULL,
                  "%s", out);
    ck_assert_msg(strstr(out, "AK/SK from HUAWEICLOUD_SDK_AK") != NULL, "%s", out);

    ck_assert_int_eq(emu_start(&skewed, NULL, skew_args), 0);
    ck_assert_int_eq(doctor(&skewed, EMU_SK, "", out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "FAIL  v3 clock"));
    emu_stop(&skewed);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reliability");
    TCase *tc = tcase_create("faults");
    emu_hermetic(tc);
    tcase_set_timeout(tc, 300);
    tcase_add_unchecked_fixture(tc, start, stop);
    tcase_add_loop_test(tc, fault, 0, sizeof CASES / sizeof CASES[0]);
    tcase_add_loop_test(tc, code_message_body_on_both_backends, 0, 2);
    tcase_add_test(tc, latency_beyond_timeout);
    tcase_add_test(tc, retries_can_be_turned_off);
    tcase_add_test(tc, clock_skew_corrected_from_date);
    tcase_add_test(tc, tls_verification);
    tcase_add_test(tc, unreadable_ca_file_is_a_config_error);
    tcase_add_test(tc, tls_failure_is_not_retried);
    tcase_add_test(tc, skew_retry_out_of_time_stays_an_auth_error);
    tcase_add_test(tc, imposter_bodies_are_parse_errors);
    tcase_add_test(tc, service_text_cannot_forge_output);
    tcase_add_test(tc, path_prefix_is_signed);
    tcase_add_test(tc, connect_timeout_bounds_a_lost_syn);
    tcase_add_test(tc, doctor_verdicts);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
