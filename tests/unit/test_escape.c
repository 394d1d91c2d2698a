/*
 * test_escape.c - the exact bytes every escaping writes for control characters: the library's
 * log lines (\xNN) and the legacy JSON strings (JSON's short escapes, else \u00NN), with UTF-8
 * passed through untouched; an audit line, byte for byte as cJSON_PrintUnformatted wrote it.
 * owns: these expectations; must not: depend on SCM_SHIM_LOG from outside (it sets its own).
 */
#include "audit.h"
#include "buf.h"
#include "legacy_json.h"
#include "log.h"
#include "maptable.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* \x01, tab, newline, ESC, DEL and "é" (U+00E9) and "说" (U+8BF4) around them. */
static const char MIX[] = "a\x01"
                          "b\tc\nd\x1b[0m\x7f"
                          "\xc3\xa9"
                          "\xe8\xaf\xb4"
                          "z";

START_TEST(log_escape_bytes)
{
    char out[128];
    scm__log_escape(out, sizeof out, "\x01");
    ck_assert_str_eq(out, "\\x01");
    scm__log_escape(out, sizeof out, "\t");
    ck_assert_str_eq(out, "\\x09");
    scm__log_escape(out, sizeof out, "\n");
    ck_assert_str_eq(out, "\\x0a");
    scm__log_escape(out, sizeof out, "\x1b");
    ck_assert_str_eq(out, "\\x1b");
    scm__log_escape(out, sizeof out, "\x7f");
    ck_assert_str_eq(out, "\\x7f");
    scm__log_escape(out, sizeof out, MIX);
    ck_assert_str_eq(out, "a\\x01b\\x09c\\x0ad\\x1b[0m\\x7f\xc3\xa9\xe8\xaf\xb4z");
}
END_TEST

/* The whole line as it reaches stderr: prefix, escaped message, one newline. */
START_TEST(log_line_bytes)
{
    char path[] = "/tmp/scmshim-escape-XXXXXX", *text;
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_ge(saved, 0);
    dup2(fd, STDERR_FILENO);
    scm__log(SCM_LOG_WARN, "id %s", MIX);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fd);
    text = tu_read_file(path, NULL);
    unlink(path);
    ck_assert_str_eq(text,
                     "scmshim: warn: id a\\x01b\\x09c\\x0ad\\x1b[0m\\x7f\xc3\xa9\xe8\xaf\xb4z\n");
    free(text);
}
END_TEST

static char *json_string(const char *s)
{
    scm_buf b;
    scm__buf_init(&b);
    scm__json_put_string(&b, s);
    return scm__buf_take(&b);
}

START_TEST(json_escape_bytes)
{
    static const struct {
        const char *in, *out;
    } CASES[] = {
        {"\x01", "\"\\u0001\""},
        {"\t", "\"\\t\""},
        {"\n", "\"\\n\""},
        {"\x1b", "\"\\u001b\""},
        /* DEL needs no escape in JSON: it goes out as it is. */
        {"\x7f", "\"\x7f\""},
        {"\x1f\"\\\r\b\f", "\"\\u001f\\\"\\\\\\r\\b\\f\""},
        {MIX, "\"a\\u0001b\\tc\\nd\\u001b[0m\x7f\xc3\xa9\xe8\xaf\xb4z\""},
    };
    size_t i;
    for (i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char *got = json_string(CASES[i].in);
        ck_assert_ptr_nonnull(got);
        ck_assert_msg(strcmp(got, CASES[i].out) == 0, "case %zu: %s", i, got);
        free(got);
    }
}
END_TEST

/* The audit line as the library wrote it through a cJSON tree before it wrote it directly. */
static cJSON *side_tree(const scm_audit_side *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "rc", s->rc);
    cJSON_AddNumberToObject(o, "http_status", (double)s->http_status);
    cJSON_AddStringToObject(o, "error_code", s->error_code);
    cJSON_AddNumberToObject(o, "latency_ms", (double)(long long)(s->ms * 1000.0) / 1000.0);
    cJSON_AddStringToObject(o, "request_id", s->request_id);
    return o;
}

static char *cjson_line(const scm_audit_record *r, const char *when)
{
    cJSON *o = cJSON_CreateObject(), *fields, *reasons = NULL;
    char *text, *line;
    size_t i;
    cJSON_AddStringToObject(o, "time", when);
    cJSON_AddStringToObject(o, "cert_id", r->cert_id);
    cJSON_AddStringToObject(o, "served", scm__backend_name(r->served));
    cJSON_AddStringToObject(o, "result", scm__cmp_name(r->overall));
    fields = cJSON_AddObjectToObject(o, "fields");
    for (i = 0; i < SCM__FROZEN_COUNT; i++)
        cJSON_AddStringToObject(fields, scm__frozen[i].name, scm__cmp_name(r->fields[i]));
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        if (r->reasons[i] == SCM_WHY_NONE)
            continue;
        if (reasons == NULL)
            reasons = cJSON_AddObjectToObject(o, "reasons");
        cJSON_AddStringToObject(reasons, scm__frozen[i].name, scm__cmp_reason_name(r->reasons[i]));
    }
    cJSON_AddItemToObject(o, "legacy", side_tree(&r->side[SCM_BACKEND_LEGACY]));
    cJSON_AddItemToObject(o, "v3", side_tree(&r->side[SCM_BACKEND_V3]));
    if (r->values != NULL)
        cJSON_AddItemReferenceToObject(o, "values", r->values);
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    line = malloc(strlen(text) + 2);
    sprintf(line, "%s\n", text);
    cJSON_free(text);
    return line;
}

/*
 * Latencies with one, several and no decimals, sub-microsecond and huge ones, statuses, error
 * codes and request IDs with quotes, backslashes, control bytes and UTF-8; with and without
 * reasons and values. The time is the one thing the two writers cannot share: taken from ours.
 */
START_TEST(audit_line_bytes)
{
    static const double MS[] = {0,    1.5,         12.3456789, 0.0004,    1e12,
                                7.25, 2147483.647, 0.1,        3e9 + 0.25};
    static const char *const TEXT[] = {"", "SCM.0001", "a\"b\\c\x01\x1f\x7f\n\t", MIX,
                                       "req-0123456789abcdef"};
    scm_cmp fields[SCM__FROZEN_COUNT];
    scm_cmp_reason reasons[SCM__FROZEN_COUNT];
    scm_audit_record r;
    size_t i, k;

    for (k = 0; k < 16; k++) {
        char *ours, *theirs, when[40];
        memset(&r, 0, sizeof r);
        r.cert_id = "scs7788354407554";
        r.served = (scm_backend)(k % SCM_BACKEND_COUNT);
        r.overall = (scm_cmp)(k % SCM_CMP_COUNT_);
        r.fields = fields;
        r.reasons = reasons;
        for (i = 0; i < SCM__FROZEN_COUNT; i++) {
            fields[i] = (scm_cmp)((i + k) % SCM_CMP_COUNT_);
            reasons[i] = k % 4 == 0 ? SCM_WHY_NONE : (scm_cmp_reason)((i * k) % SCM_WHY_COUNT_);
        }
        for (i = 0; i < SCM_BACKEND_COUNT; i++) {
            scm_audit_side *s = &r.side[i];
            s->rc = k == 7 ? INT_MIN : -(int)((k + i) % 9);
            s->http_status = k % 3 ? 200 + (long)k : 0;
            snprintf(s->error_code, sizeof s->error_code, "%s", TEXT[(k + i) % 5]);
            snprintf(s->request_id, sizeof s->request_id, "%s", TEXT[(k + 2 * i + 1) % 5]);
            s->ms = MS[(k + i) % 9];
        }
        if (k % 5 == 1) {
            r.values = cJSON_CreateObject();
            cJSON_AddStringToObject(cJSON_AddObjectToObject(r.values, "cert_name"), "v3", MIX);
        }
        ours = scm__audit_record_line(&r);
        ck_assert_ptr_nonnull(ours);
        ck_assert_int_eq(sscanf(ours, "{\"time\":\"%39[^\"]\"", when), 1);
        theirs = cjson_line(&r, when);
        ck_assert_str_eq(ours, theirs);
        free(ours);
        free(theirs);
        cJSON_Delete(r.values);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("escape");
    TCase *tc = tcase_create("control characters");
    /* The log line test needs warn lines shown, whatever the caller's environment says. */
    setenv("SCM_SHIM_LOG", "warn", 1);
    tcase_add_test(tc, log_escape_bytes);
    tcase_add_test(tc, log_line_bytes);
    tcase_add_test(tc, json_escape_bytes);
    tcase_add_test(tc, audit_line_bytes);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
