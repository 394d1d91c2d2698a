/*
 * test_escape.c - the exact bytes every escaping writes for control characters: the library's
 * log lines (\xNN) and the legacy JSON strings (JSON's short escapes, else \u00NN), with UTF-8
 * passed through untouched.
 * owns: these expectations; must not: depend on SCM_SHIM_LOG from outside (it sets its own).
 */
#include "buf.h"
#include "legacy_json.h"
#include "log.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
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

int main(void)
{
    Suite *s = suite_create("escape");
    TCase *tc = tcase_create("control characters");
    /* The log line test needs warn lines shown, whatever the caller's environment says. */
    setenv("SCM_SHIM_LOG", "warn", 1);
    tcase_add_test(tc, log_escape_bytes);
    tcase_add_test(tc, log_line_bytes);
    tcase_add_test(tc, json_escape_bytes);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
