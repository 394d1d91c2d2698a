/*
 * test_jsontree.c - the one-block parser against cJSON: the same verdict and the same tree
 * (types, numbers, strings, names, order, links) for every JSON file under tests/data, every
 * truncation and many single-byte changes of them, and the corners of cJSON's grammar.
 */
#include "json.h"
#include "testutil.h"
#include "tree_compare.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *files[512];
static size_t nfiles;

static void list_json(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];
    struct stat st;
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL && nfiles < sizeof files / sizeof files[0]) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            list_json(path);
        else if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
            files[nfiles++] = strdup(path);
    }
    closedir(d);
}

/* Fails unless both parsers give the same verdict and, when they accept, the same tree. */
static void same(const char *text, size_t len, const char *what)
{
    cJSON *theirs = scm__json_parse(text, len);
    const cJSON *ours = scm__json_tree_parse(text, len);
    ck_assert_msg((theirs != NULL) == (ours != NULL), "%s: cJSON %s, ours %s", what,
                  theirs ? "accepts" : "rejects", ours ? "accepts" : "rejects");
    if (ours != NULL) {
        const char *why = tu_tree_differ(theirs, ours);
        ck_assert_msg(*why == '\0', "%s: trees differ in %s", what, why);
    }
    cJSON_Delete(theirs);
    scm__json_tree_free(ours);
}

/* The whole file, each truncation, and each byte replaced by one of a few structural ones. */
START_TEST(files_and_their_mutations)
{
    static const char SWAPS[] = "\"\\,}] 0e\x01";
    size_t len = 0, i, k;
    char *text = tu_read_file(files[_i], &len), *copy, what[1200];
    ck_assert_ptr_nonnull(text);
    same(text, len, files[_i]);
    /* At most about 150 cuts and 150 positions a file: the suite stays a few seconds long. */
    for (i = 0; i < len; i += 1 + len / 150) {
        snprintf(what, sizeof what, "%s cut at %zu", files[_i], i);
        same(text, i, what);
    }
    copy = malloc(len + 1);
    for (i = 0; i < len; i += 1 + len / 150)
        for (k = 0; k < sizeof SWAPS - 1; k++) {
            memcpy(copy, text, len);
            copy[i] = SWAPS[k];
            snprintf(what, sizeof what, "%s byte %zu as 0x%02x", files[_i], i,
                     (unsigned char)SWAPS[k]);
            same(copy, len, what);
        }
    free(copy);
    free(text);
}
END_TEST

/* The corners of cJSON's grammar, accepted or not. */
static const char *const CORNERS[] = {
    "",
    " ",
    "null",
    "nul",
    "nullx",
    "true",
    "false",
    "tru",
    "-",
    "+1",
    "01",
    "1.",
    ".5",
    "-0",
    "1e5",
    "1E+5",
    "1e400",
    "-1e400",
    "1.5e-3",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "1-2",
    "1.2.3",
    "0x10",
    "1234567890123456789012345678901234567890123456789012"
    "34567890123456789",
    "\"\"",
    "\"abc",
    "\"a\\\"b\"",
    "\"\\u00e9\"",
    "\"\\u00E9\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud83d\"",
    "\"\\ud83dx\"",
    "\"\\ude00\"",
    "\"\\ud83d\\u0041\"",
    "\"\\uZZZZ\"",
    "\"\\u12\"",
    "\"\\x\"",
    "\"a\\\"",
    "\"\\/\\b\\f\\n\\r\\t\"",
    "\"tab\there\"",
    "[]",
    "[ ]",
    "[1,]",
    "[,1]",
    "[1 2]",
    "[1,2",
    "{}",
    "{ }",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{\"a\":}",
    "{a:1}",
    "{\"a\":1,\"a\":2}",
    "{\"\":\"\"}",
    "[[[]]]",
    "{\"a\":{\"b\":[1,{}]}}",
    "\xEF\xBB\xBF{}",
    "\xEF\xBB\xBF"
    "1",
    "\xEF\xBB\xBF"
    "12",
    "\xEF\xBB\xBF[1]",
    " \x01{}",
    "{}\x01",
    "{} ",
    "{}\r\n\t ",
    "{}x",
    "1 2",
    "\"\\u0041\"",
};

START_TEST(grammar_corners)
{
    same(CORNERS[_i], strlen(CORNERS[_i]), CORNERS[_i]);
}
END_TEST

/* cJSON's nesting limit: 1000 arrays deep parse, 1001 do not; objects count the same. */
START_TEST(nesting_limit)
{
    static const size_t DEPTHS[] = {999, 1000, 1001, 5000};
    char *text = malloc(2 * 5000 * 5 + 1);
    size_t d, i, n;
    for (d = 0; d < sizeof DEPTHS / sizeof DEPTHS[0]; d++) {
        char what[64];
        for (n = 0, i = 0; i < DEPTHS[d]; i++)
            text[n++] = '[';
        for (i = 0; i < DEPTHS[d]; i++)
            text[n++] = ']';
        snprintf(what, sizeof what, "%zu arrays deep", DEPTHS[d]);
        same(text, n, what);
        for (n = 0, i = 0; i < DEPTHS[d]; i++)
            memcpy(text + n, "{\"a\":", 5), n += 5;
        text[n++] = '1';
        for (i = 0; i < DEPTHS[d]; i++)
            text[n++] = '}';
        snprintf(what, sizeof what, "%zu objects deep", DEPTHS[d]);
        same(text, n, what);
    }
    free(text);
}
END_TEST

/* More values than the first block holds: the nodes continue in blocks of their own. */
START_TEST(many_small_values)
{
    size_t n = 0, i, cap = 200000;
    char *text = malloc(cap);
    text[n++] = '[';
    for (i = 0; i < 60000; i++)
        n += (size_t)snprintf(text + n, cap - n, "%s%zu", i ? "," : "", i % 10);
    text[n++] = ']';
    same(text, n, "60,000 one-digit numbers");
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jsontree");
    TCase *tc = tcase_create("against cJSON");
    size_t i;
    int rc;
    list_json(SCM_TEST_DATA_DIR);
    if (nfiles < 20) {
        fprintf(stderr, "expected the JSON files of %s, found %zu\n", SCM_TEST_DATA_DIR, nfiles);
        return EXIT_FAILURE;
    }
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, files_and_their_mutations, 0, (int)nfiles);
    tcase_add_loop_test(tc, grammar_corners, 0, (int)(sizeof CORNERS / sizeof CORNERS[0]));
    tcase_add_test(tc, nesting_limit);
    tcase_add_test(tc, many_small_values);
    suite_add_tcase(s, tc);
    rc = tu_run(s);
    for (i = 0; i < nfiles; i++)
        free(files[i]);
    return rc;
}
