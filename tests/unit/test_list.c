/*
 * test_list.c - listing an account (scm__client_list) on the fake transport: when paging ends,
 * IDs kept once, a hostile body's numbers and items, the page bound, retries, the query sent.
 * owns: these expectations of list.c; must not: start a process or leave a variable set.
 */
#include "client.h"
#include "fake_transport.h"
#include "list.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One scripted page: status (0: 200) and either raw, the whole body, or ids and total. */
typedef struct page_spec {
    long status;
    const char *ids;   /* space-separated; # {} , ! a bad ID, % a number, $ a numeric id */
    const char *total; /* total_count's JSON text, or NULL for none */
    const char *raw;
} page_spec;

#define TEN "a b c d e f g h i j"
#define MAX_PAGES 6

static const struct {
    const char *name;
    page_spec pages[MAX_PAGES];
    int rc;
    const char *want; /* the IDs found, concatenated */
    size_t total;     /* the total_count returned */
    size_t calls;     /* requests made */
} CASES[] = {
    {"two pages",
     {{0, TEN, "16", NULL}, {0, "k l m n o p", "16", NULL}},
     SCM_OK,
     "abcdefghijklmnop",
     16,
     2},
    {"a certificate added meanwhile repeats one",
     {{0, TEN, "16", NULL}, {0, "j k l m n o p", "17", NULL}},
     SCM_OK,
     "abcdefghijklmnop",
     17,
     2},
    {"a repeat inside a page", {{0, "a a b", "3", NULL}}, SCM_OK, "ab", 3, 1},
    {"an empty page ends it",
     {{0, TEN, "20", NULL}, {0, "", "20", NULL}},
     SCM_OK,
     "abcdefghij",
     20,
     2},
    {"an offset reaching total_count ends it", {{0, TEN, "10", NULL}}, SCM_OK, "abcdefghij", 10, 1},
    {"a huge total_count is clamped",
     {{0, "a b", "1e300", NULL}},
     SCM_OK,
     "ab",
     SCM_LIST_MAX_IDS,
     1},
    {"a negative total_count is 0", {{0, TEN, "-5", NULL}}, SCM_OK, "abcdefghij", 0, 1},
    {"a string total_count is 0", {{0, "a b", "\"2\"", NULL}}, SCM_OK, "ab", 0, 1},
    {"no total_count is 0", {{0, "a b", NULL, NULL}}, SCM_OK, "ab", 0, 1},
    {"items without a valid ID are skipped", {{0, "a # ! % $ b", "6", NULL}}, SCM_OK, "ab", 6, 1},
    {"a page longer than asked is cut",
     {{0, TEN " k l", "12", NULL}, {0, "k l", "12", NULL}},
     SCM_OK,
     "abcdefghijkl",
     12,
     2},
    {"no certificates array", {{0, NULL, NULL, "{\"total_count\":3}"}}, SCM_E_PARSE, "", 0, 1},
    {"certificates not an array",
     {{0, NULL, NULL, "{\"certificates\":{\"id\":\"a\"},\"total_count\":1}"}},
     SCM_E_PARSE,
     "",
     0,
     1},
    {"a total_count growing with every page is bounded by the first",
     {{0, TEN, "20", NULL},
      {0, "k l m n o p q r s t", "30", NULL},
      {0, "u v w x y z A B C D", "40", NULL},
      {0, "E F G H I J K L M N", "50", NULL},
      {0, "O P Q R S T U V W X", "60", NULL}},
     SCM_E_PARSE,
     "",
     0,
     5},
    {"a full page of repeats (offset ignored) ends it as a failure",
     {{0, TEN, "100000", NULL}, {0, TEN, "100000", NULL}, {0, TEN, "100000", NULL}},
     SCM_E_PARSE,
     "",
     0,
     2},
    {"a 503 is retried",
     {{503, NULL, NULL, "{\"error_code\":\"APIGW.0305\",\"error_msg\":\"busy\"}"},
      {0, "a b", "2", NULL}},
     SCM_OK,
     "ab",
     2,
     2},
    {"a 404 ends it",
     {{404, NULL, NULL, "{\"error_code\":\"SCM.0404\",\"error_msg\":\"no\"}"}},
     SCM_E_NOT_FOUND,
     "",
     0,
     1},
};

/* The body of a page spec, malloc'd. */
static char *page_body(const page_spec *p)
{
    char *body = malloc(4096), *w, ids[512], *tok, *save = NULL;
    if (p->raw != NULL) {
        snprintf(body, 4096, "%s", p->raw);
        return body;
    }
    w = body + sprintf(body, "{\"certificates\":[");
    snprintf(ids, sizeof ids, "%s", p->ids);
    for (tok = strtok_r(ids, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save)) {
        const char *item = strcmp(tok, "#") == 0   ? "{}"
                           : strcmp(tok, "!") == 0 ? "{\"id\":\"../x\"}"
                           : strcmp(tok, "%") == 0 ? "7"
                           : strcmp(tok, "$") == 0 ? "{\"id\":12}"
                                                   : NULL;
        if (w[-1] != '[')
            *w++ = ',';
        w += item != NULL ? sprintf(w, "%s", item) : sprintf(w, "{\"id\":\"%s\"}", tok);
    }
    w += sprintf(w, "]");
    if (p->total != NULL)
        w += sprintf(w, ",\"total_count\":%s", p->total);
    sprintf(w, "}");
    return body;
}

/* A v3 client, AK/SK-signed, on a new fake. */
static scm_client *client_on_fake(fake_transport **f)
{
    scm_config cfg = {"http://scm.test",
                      "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                      "HPUAEXAMPLEAKID00001",
                      "exampleSecretKey0123456789abcdefEXAMPLE",
                      NULL,
                      5000};
    scm_client *c;
    tu_setenv("SCM_SHIM_RETRIES", "3");
    c = scm_client_new(&cfg);
    ck_assert_ptr_nonnull(c);
    *f = fake_transport_new();
    scm__client_set_transport(c, fake_transport_base(*f));
    return c;
}

static void count_pages(size_t found, size_t total_count, void *ctx)
{
    (void)found;
    (void)total_count;
    (*(int *)ctx)++;
}

START_TEST(paging)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f);
    char *bodies[MAX_PAGES] = {NULL}, **ids = NULL, got[256] = "";
    size_t n = 99, total = 99, i;
    int pages = 0, rc;
    scm_list_filter filter = {NULL, NULL, 10, count_pages, &pages};

    for (i = 0; i < MAX_PAGES && (CASES[_i].pages[i].ids || CASES[_i].pages[i].raw); i++) {
        fake_reply r = {"/v3/scm/certificates?",
                        CASES[_i].pages[i].status ? CASES[_i].pages[i].status : 200,
                        NULL,
                        bodies[i] = page_body(&CASES[_i].pages[i]),
                        0,
                        0};
        fake_transport_reply(f, r);
    }
    rc = scm__client_list(c, &filter, &ids, &n, &total);
    ck_assert_msg(rc == CASES[_i].rc, "%s: rc %d (%s)", CASES[_i].name, rc,
                  scm_client_error_msg(c));
    for (i = 0; i < n; i++) {
        strcat(got, ids[i]);
        free(ids[i]);
    }
    free(ids);
    ck_assert_msg(strcmp(got, CASES[_i].want) == 0, "%s: found %s", CASES[_i].name, got);
    ck_assert_msg(total == CASES[_i].total, "%s: total_count %zu", CASES[_i].name, total);
    ck_assert_msg(fake_transport_ncalls(f) == CASES[_i].calls, "%s: %zu calls", CASES[_i].name,
                  fake_transport_ncalls(f));
    for (i = 0; i < fake_transport_ncalls(f); i++)
        ck_assert_ptr_nonnull(strstr(fake_transport_call(f, i)->url, "limit=10&offset="));
    if (rc == SCM_OK)
        ck_assert_int_ge(pages, 1);
    for (i = 0; i < MAX_PAGES; i++)
        free(bodies[i]);
    scm_client_free(c);
}
END_TEST

/* offset is the number of certificates skipped; the filters are sent encoded. */
START_TEST(the_query_names_offset_and_filters)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f);
    page_spec p1 = {0, "a b c d e f g h i j k l m n o p q r s t", "25", NULL},
              p2 = {0, "u v w x y", "25", NULL};
    char *b1 = page_body(&p1), *b2 = page_body(&p2), **ids = NULL;
    size_t n = 0, total = 0, i;
    scm_list_filter filter = {"ISSUED", "x/y", 20, NULL, NULL};

    fake_transport_reply(f, (fake_reply){NULL, 200, NULL, b1, 0, 0});
    fake_transport_reply(f, (fake_reply){NULL, 200, NULL, b2, 0, 0});
    ck_assert_int_eq(scm__client_list(c, &filter, &ids, &n, &total), SCM_OK);
    ck_assert_uint_eq(n, 25);
    ck_assert_str_eq(fake_transport_call(f, 0)->url,
                     "http://scm.test/v3/scm/certificates?limit=20&offset=0&status=ISSUED"
                     "&enterprise_project_id=x%2Fy");
    ck_assert_str_eq(fake_transport_call(f, 1)->url,
                     "http://scm.test/v3/scm/certificates?limit=20&offset=20&status=ISSUED"
                     "&enterprise_project_id=x%2Fy");
    for (i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    free(b1);
    free(b2);
    scm_client_free(c);
}
END_TEST

static const scm_list_filter BAD_FILTERS[] = {
    {NULL, NULL, 7, NULL, NULL},
    {NULL, NULL, 100, NULL, NULL},
    {"", NULL, 0, NULL, NULL},
    {"IS SUED", NULL, 0, NULL, NULL},
    {NULL, "01234567890123456789012345678901234567890123456789012345678901234", 0, NULL, NULL},
};

START_TEST(bad_filters_send_nothing)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f);
    char **ids = NULL;
    size_t n = 0, total = 0;
    ck_assert_int_eq(scm__client_list(c, &BAD_FILTERS[_i], &ids, &n, &total), SCM_E_INVALID_PARAM);
    ck_assert_ptr_null(ids);
    ck_assert_uint_eq(fake_transport_ncalls(f), 0);
    scm_client_free(c);
}
END_TEST

/* Many pages of distinct IDs: each kept once, in order (the set rehashes as it grows). */
START_TEST(many_ids_are_kept_once_in_order)
{
    fake_transport *f;
    scm_client *c = client_on_fake(&f);
    char *bodies[8], **ids = NULL, want[16];
    size_t n = 0, total = 0, i, k, p;
    scm_list_filter filter = {NULL, NULL, 50, NULL, NULL};

    for (i = 0; i < 8; i++) {
        char *w = bodies[i] = malloc(8192);
        w += sprintf(w, "{\"total_count\":400,\"certificates\":[");
        /* Each page repeats the last ID of the one before, as a shifted listing does. */
        for (k = 0; k < 50; k++)
            w += sprintf(w, "%s{\"id\":\"c%zu\"}", k ? "," : "", i * 50 + k - (i > 0 && k == 0));
        sprintf(w, "]}");
        fake_transport_reply(f, (fake_reply){NULL, 200, NULL, bodies[i], 0, 0});
    }
    ck_assert_int_eq(scm__client_list(c, &filter, &ids, &n, &total), SCM_OK);
    ck_assert_uint_eq(total, 400);
    ck_assert_uint_eq(n, 400 - 7);
    for (i = 0, p = 0; p < 8; p++)
        for (k = p > 0; k < 50; k++, i++) {
            snprintf(want, sizeof want, "c%zu", p * 50 + k);
            ck_assert_str_eq(ids[i], want);
        }
    for (i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    for (i = 0; i < 8; i++)
        free(bodies[i]);
    scm_client_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("list");
    TCase *tc = tcase_create("list");
    tu_setenv("SCM_SHIM_LOG", "off");
    tcase_set_timeout(tc, 20);
    tcase_add_loop_test(tc, paging, 0, (int)(sizeof CASES / sizeof CASES[0]));
    tcase_add_test(tc, the_query_names_offset_and_filters);
    tcase_add_loop_test(tc, bad_filters_send_nothing, 0,
                        (int)(sizeof BAD_FILTERS / sizeof BAD_FILTERS[0]));
    tcase_add_test(tc, many_ids_are_kept_once_in_order);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
