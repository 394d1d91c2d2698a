/*
 * test_convert.c - the conversion engine, data-driven: every fixture pair (v3.json rebuilt and
 * compared with legacy.json member by member), every tests/data/convert-cases folder (with
 * the built-in table, or the table its "table_edits" make of it), the legacy identity table,
 * reports and class names, and the strict parse's byte verdicts at every offset of its 8-byte
 * fast path.
 * owns: tests of convert.c, details.c, report.c, public.c; must not: test the table loader's
 * checks (test_mapping.c).
 */
#include "details.h"
#include "fixtures.h"
#include "json.h"
#include "maptable.h"
#include "scm_shim.h"
#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CERTS SCM_TEST_DATA_DIR "/certs"
#define CASES SCM_TEST_DATA_DIR "/convert-cases"

static char *names[64];
static size_t nnames;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    nnames = 0;
    if (d == NULL) {
        perror(dir);
        exit(EXIT_FAILURE);
    }
    while ((e = readdir(d)) != NULL && nnames < 64)
        if (strchr(e->d_name, '.') == NULL)
            names[nnames++] = strdup(e->d_name);
    closedir(d);
    qsort(names, nnames, sizeof names[0], cmp_str);
}

static char *read_in(const char *dir, const char *name, const char *file, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", dir, name, file);
    return tu_read_file(path, len);
}

/* Whether two legacy values are equal (strings, numbers or whole arrays). */
static int same(const cJSON *a, const cJSON *b)
{
    return cJSON_Compare(a, b, 1);
}

static int flagged(const scm_shim_report *r, const char *field)
{
    scm_shim_class cls;
    size_t i;
    ck_assert_int_eq(scm_shim_report_find(r, field, &cls), 0);
    if (cls == SCM_SHIM_CLASS_LOSSY || cls == SCM_SHIM_CLASS_MISSING)
        return 1;
    for (i = 0; i < scm_shim_report_unmapped_count(r); i++)
        if (strcmp(scm_shim_report_unmapped(r, i), field) == 0)
            return 1;
    return 0;
}

START_TEST(fixture_pair)
{
    size_t len = 0, i, k;
    char *v3 = read_in(CERTS, names[_i], "v3.json", &len), *out = NULL, *again = NULL;
    cJSON *legacy, *got, *lm, *gm;
    scm_shim_report *r = NULL;
    char path[512];

    snprintf(path, sizeof path, "%s/%s/legacy.json", CERTS, names[_i]);
    legacy = tu_read_json(path);
    ck_assert_int_eq(scm_shim_convert(v3, len, &out, &r), SCM_OK);
    got = cJSON_Parse(out);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(scm_shim_report_backend(r), "v3");

    /* Same members, same order, same types. */
    ck_assert_int_eq(cJSON_GetArraySize(got), cJSON_GetArraySize(legacy));
    for (lm = legacy->child, gm = got->child; lm != NULL; lm = lm->next, gm = gm->next) {
        ck_assert_str_eq(gm->string, lm->string);
        ck_assert_int_eq(gm->type & 0xff, lm->type & 0xff);
    }
    ck_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(got, "domain_number")));

    /* A value may differ from legacy only where the report says it can. */
    for (i = 0; i < scm_shim_report_field_count(r); i++) {
        const char *field = scm_shim_report_field_name(r, i);
        if (strncmp(field, "auth[].", 7) == 0) {
            const cJSON *la = cJSON_GetObjectItemCaseSensitive(legacy, "auth");
            const cJSON *ga = cJSON_GetObjectItemCaseSensitive(got, "auth");
            ck_assert_int_eq(cJSON_GetArraySize(ga), cJSON_GetArraySize(la));
            for (k = 0; k < (size_t)cJSON_GetArraySize(la); k++) {
                const cJSON *lv =
                    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(la, (int)k), field + 7);
                const cJSON *gv =
                    cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ga, (int)k), field + 7);
                ck_assert_msg(same(lv, gv) || flagged(r, field), "%s %s[%zu] differs unflagged",
                              names[_i], field, k);
            }
        } else if (strcmp(field, "auth") != 0) {
            const cJSON *lv = cJSON_GetObjectItemCaseSensitive(legacy, field);
            const cJSON *gv = cJSON_GetObjectItemCaseSensitive(got, field);
            ck_assert_msg(same(lv, gv) || flagged(r, field),
                          "%s %s differs unflagged: '%s' vs '%s'", names[_i], field,
                          cJSON_IsString(lv) ? lv->valuestring : "?",
                          cJSON_IsString(gv) ? gv->valuestring : "?");
        }
    }
    ck_assert_uint_eq(scm_shim_report_unmapped_count(r), 0);

    /* Stable: the same input gives the same bytes. */
    scm_shim_report_free(r);
    ck_assert_int_eq(scm_shim_convert(v3, len, &again, NULL), SCM_OK);
    ck_assert_str_eq(again, out);

    scm_free(again);
    scm_free(out);
    cJSON_Delete(got);
    cJSON_Delete(legacy);
    free(v3);
}
END_TEST

/*
 * Each field's class as the table says it: a converted report (no capture store here) classes
 * every field so, and the cases do not copy the table's class column.
 */
static cJSON *table_classes(const scm_map *map)
{
    cJSON *o = cJSON_CreateObject();
    size_t i;
    for (i = 0; i < map->nrows; i++)
        cJSON_AddStringToObject(o, map->rows[i].field->name, scm__class_name(map->rows[i].cls));
    return o;
}

/*
 * A case's "table_edits", [[from, to], ...], each the first `from` of the built-in table's text
 * replaced by `to`, written to path (a mkstemp template) as the case's SCM_SHIM_MAPPING and
 * loaded into *map; without them *map is the built-in table (path untouched).
 */
static void case_table(const cJSON *edits, char *path, scm_map *map)
{
    char *text, *at, *edited;
    const cJSON *e;
    scm_error err;
    FILE *f;
    if (edits == NULL) {
        *map = scm__map_builtin;
        return;
    }
    text = tu_read_file(SCM_MAPPING_JSON, NULL);
    cJSON_ArrayForEach(e, edits)
    {
        const char *from = cJSON_GetArrayItem(e, 0)->valuestring;
        const char *to = cJSON_GetArrayItem(e, 1)->valuestring;
        ck_assert_msg((at = strstr(text, from)) != NULL, "'%s' not in the table", from);
        edited = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
        sprintf(edited, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
        free(text);
        text = edited;
    }
    ck_assert_ptr_nonnull(f = fdopen(mkstemp(path), "w"));
    fputs(text, f);
    fclose(f);
    free(text);
    ck_assert_msg(scm__map_load_file(path, map, &err) == SCM_OK, "%s", err.msg);
    setenv("SCM_SHIM_MAPPING", path, 1);
}

START_TEST(convert_case)
{
    size_t len = 0;
    char *v3 = read_in(CASES, names[_i], "v3.json", &len), *out = (char *)1, *rj;
    char path[512], table[] = "/tmp/scmshim-case-map-XXXXXX";
    cJSON *exp, *want, *err, *got_report, *want_sp, *got_sp, *classes;
    const cJSON *edits;
    scm_shim_report *r = NULL;
    scm_map map;
    int rc;

    snprintf(path, sizeof path, "%s/%s/expected.json", CASES, names[_i]);
    exp = tu_read_json(path);
    edits = cJSON_GetObjectItemCaseSensitive(exp, "table_edits");
    case_table(edits, table, &map);
    rc = scm_shim_convert(v3, len, &out, &r);
    err = cJSON_GetObjectItemCaseSensitive(exp, "error");
    if (err != NULL) {
        ck_assert_int_eq(rc, SCM_E_PARSE);
        ck_assert_ptr_null(out);
        ck_assert_ptr_null(r);
        ck_assert_str_eq(scm_shim_last_error(), err->valuestring);
    } else {
        cJSON *got;
        ck_assert_msg(rc == SCM_OK, "%s: %s", names[_i], scm_shim_last_error());
        want = cJSON_GetObjectItemCaseSensitive(exp, "output");
        got = cJSON_Parse(out);
        ck_assert_msg(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(want, "legacy"), got, 1),
                      "%s: legacy body differs:\n%s", names[_i], out);
        rj = scm_shim_report_json(r);
        got_report = cJSON_Parse(rj);
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(got_report, "backend")->valuestring,
                         "v3");
        classes = table_classes(&map);
        ck_assert_msg(
            cJSON_Compare(classes, cJSON_GetObjectItemCaseSensitive(got_report, "fields"), 1),
            "%s: fields %s", names[_i], rj);
        cJSON_Delete(classes);
        ck_assert_msg(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(want, "unmapped"),
                                    cJSON_GetObjectItemCaseSensitive(got_report, "unmapped"), 1),
                      "%s: unmapped %s", names[_i], rj);
        ck_assert_msg(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(want, "v3_only"),
                                    cJSON_GetObjectItemCaseSensitive(got_report, "v3_only"), 1),
                      "%s: v3_only %s", names[_i], rj);
        ck_assert_msg(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(want, "absent"),
                                    cJSON_GetObjectItemCaseSensitive(got_report, "absent"), 1),
                      "%s: absent %s", names[_i], rj);
        /* "spellings" appears only when an older spelling served a field. */
        want_sp = cJSON_GetObjectItemCaseSensitive(want, "spellings");
        got_sp = cJSON_GetObjectItemCaseSensitive(got_report, "spellings");
        ck_assert_msg(want_sp == NULL ? got_sp == NULL : cJSON_Compare(want_sp, got_sp, 1),
                      "%s: spellings %s", names[_i], rj);
        ck_assert_uint_eq(
            scm_shim_report_absent_count(r),
            (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(want, "absent")));
        ck_assert_uint_eq(
            scm_shim_report_unmapped_count(r),
            (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(want, "unmapped")));
        cJSON_Delete(got);
        cJSON_Delete(got_report);
        scm_free(rj);
        scm_free(out);
    }
    scm_shim_report_free(r);
    if (edits != NULL) {
        unsetenv("SCM_SHIM_MAPPING");
        unlink(table);
        scm__map_free(&map);
    }
    cJSON_Delete(exp);
    free(v3);
}
END_TEST

/* Index of a legacy field in reports. */
static int row_of(const char *field)
{
    size_t i;
    for (i = 0; i < SCM__FROZEN_COUNT; i++)
        if (strcmp(scm__frozen[i].name, field) == 0)
            return (int)i;
    return -1;
}

START_TEST(report_accessors)
{
    const char *v3 = "{\"id\":\"x\",\"type\":\"NEW_CERT\",\"extra\":1}";
    char *out = NULL, *out2 = NULL;
    scm_shim_report *r = NULL;
    scm_shim_class cls;
    size_t i, n;

    ck_assert_int_eq(scm_shim_convert(v3, strlen(v3), &out, &r), SCM_OK);
    n = scm_shim_report_field_count(r);
    ck_assert_uint_eq(n, SCM__FROZEN_COUNT);
    for (i = 0; i < n; i++)
        ck_assert_str_eq(scm_shim_report_field_name(r, i), scm__frozen[i].name);
    ck_assert_ptr_null(scm_shim_report_field_name(r, n));
    ck_assert_int_eq(scm_shim_report_find(r, "encrypt_type", &cls), 0);
    ck_assert_int_eq(cls, SCM_SHIM_CLASS_LOSSY);
    ck_assert_str_eq(scm_shim_class_name(cls), "lossy");
    ck_assert_int_eq(scm_shim_report_find(r, "auth[].status", &cls), 0);
    ck_assert_int_eq(cls, SCM_SHIM_CLASS_MISSING);
    ck_assert_int_eq(scm_shim_report_find(r, "no_such_field", &cls), -1);
    ck_assert_uint_eq(scm_shim_report_unmapped_count(r), 1);
    ck_assert_str_eq(scm_shim_report_unmapped(r, 0), "cert_type");
    ck_assert_ptr_null(scm_shim_report_unmapped(r, 1));
    ck_assert_uint_eq(scm_shim_report_v3_only_count(r), 1);
    ck_assert_str_eq(scm_shim_report_v3_only(r, 0), "extra");
    /* Every mapped source but id and type is absent: order_id first, auth last. */
    ck_assert_str_eq(scm_shim_report_absent(r, 0), "order_id");
    ck_assert_str_eq(scm_shim_report_absent(r, scm_shim_report_absent_count(r) - 1), "auth");
    ck_assert_ptr_null(scm_shim_report_absent(r, scm_shim_report_absent_count(r)));
    ck_assert_int_eq(scm_shim_report_find(r, "encrypt_type", &cls), 0);
    for (i = 0; i < n; i++)
        ck_assert_ptr_null(scm_shim_report_field_spelling(r, i));
    ck_assert_ptr_null(scm_shim_class_name((scm_shim_class)99));
    ck_assert_ptr_null(scm_shim_report_json(NULL));
    ck_assert_uint_eq(scm_shim_report_field_count(NULL), 0);
    ck_assert_uint_eq(scm_shim_report_absent_count(NULL), 0);
    ck_assert_ptr_null(scm_shim_report_field_spelling(NULL, 0));
    scm_shim_report_free(r);
    /* An older spelling is named on its field. */
    ck_assert_int_eq(scm_shim_convert("{\"signature_algrithm\":\"SHA256WITHRSA\"}", 38, &out2, &r),
                     SCM_OK);
    ck_assert_str_eq(scm_shim_report_field_spelling(r, (size_t)row_of("encrypt_type")),
                     "signature_algrithm");
    ck_assert_ptr_nonnull(strstr(out2, "\"encrypt_type\": \"SHA256withRSA\""));
    scm_free(out2);
    scm_shim_report_free(r);
    scm_shim_report_free(NULL);
    scm_free(out);
    ck_assert_int_eq(scm_shim_convert(NULL, 0, &out, NULL), SCM_E_INVALID_PARAM);
    ck_assert_str_ne(scm_shim_last_error(), "");
}
END_TEST

/* Writes text with the first occurrence of from replaced by to into a new temporary file at path.
 */
static void write_edited(char *path, const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    FILE *f = fdopen(mkstemp(path), "w");
    ck_assert_ptr_nonnull(at);
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    fclose(f);
}

/* With text's first `from` replaced by `to` as SCM_SHIM_MAPPING, body converts to one with want. */
static void converts_with(const char *text, const char *from, const char *to, const char *body,
                          const char *want)
{
    char path[] = "/tmp/scmshim-map-XXXXXX", *out = NULL;
    write_edited(path, text, from, to);
    setenv("SCM_SHIM_MAPPING", path, 1);
    ck_assert_int_eq(scm_shim_convert(body, strlen(body), &out, NULL), SCM_OK);
    ck_assert_msg(strstr(out, want) != NULL, "no %s in %s", want, out);
    scm_free(out);
    unlink(path);
}

START_TEST(replacement_table)
{
    char *text = tu_read_file(SCM_MAPPING_JSON, NULL), *out = NULL;
    const char *v3 = "{\"brand\":\"GEOTRUST\",\"application_info\":{\"company_city\":\"Paris\","
                     "\"company_province\":\"IDF\"}}";
    const char *brand = "\"v3\": [\"brand\"], \"rule\": \"copy\"";

    /* An operator corrects a rule without a rebuild: cert_brand lower-cased instead, */
    converts_with(text, brand, "\"v3\": [\"brand\"], \"rule\": \"lower\"", v3,
                  "\"cert_brand\": \"geotrust\"");
    /* ... or with a fixed prefix or suffix (an empty value stays empty), */
    converts_with(text, brand, "\"v3\": [\"brand\"], \"rule\": \"prefix\", \"affix\": \"CA-\"", v3,
                  "\"cert_brand\": \"CA-GEOTRUST\"");
    converts_with(text, brand, "\"v3\": [\"brand\"], \"rule\": \"prefix\", \"affix\": \"CA-\"",
                  "{}", "\"cert_brand\": \"\"");
    converts_with(text, brand, "\"v3\": [\"brand\"], \"rule\": \"suffix\", \"affix\": \" CA\"", v3,
                  "\"cert_brand\": \"GEOTRUST CA\"");
    /* ... or points a field at another nested member, resolved like the built-in table's. */
    converts_with(text, "\"application_info.company_city\"",
                  "\"application_info.company_province\"", v3, "\"company_city\": \"IDF\"");
    setenv("SCM_SHIM_MAPPING", "/nonexistent.json", 1);
    ck_assert_int_eq(scm_shim_convert(v3, strlen(v3), &out, NULL), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(
        scm_shim_last_error(),
        "SCM_SHIM_MAPPING=/nonexistent.json: /nonexistent.json: No such file or directory");
    unsetenv("SCM_SHIM_MAPPING");
    free(text);
}
END_TEST

START_TEST(long_non_ascii_error_is_cut_on_a_character)
{
    char path[] = "/tmp/scmshim-map-XXXXXX", *text = tu_read_file(SCM_MAPPING_JSON, NULL);
    char *out = NULL, *at = strstr(text, "\"legacy\": \"cert_describe\"");
    const char *msg;
    FILE *f = fdopen(mkstemp(path), "w");
    int i;

    /*
     * A row name of _i ASCII bytes, then 200 three-byte characters: the message is cut at
     * 512 bytes, and over the three loop runs at least one cut falls inside a character.
     */
    ck_assert_ptr_nonnull(at);
    fprintf(f, "%.*s\"legacy\": \"%.*s", (int)(at - text), text, _i, "ab");
    for (i = 0; i < 200; i++)
        fputs("\xe8\xaf\xb4", f);
    fputs(at + strlen("\"legacy\": \"cert_describe"), f);
    fclose(f);
    setenv("SCM_SHIM_MAPPING", path, 1);
    ck_assert_int_eq(scm_shim_convert("{}", 2, &out, NULL), SCM_E_INVALID_PARAM);
    unsetenv("SCM_SHIM_MAPPING");
    msg = scm_shim_last_error();
    ck_assert_uint_gt(strlen(msg), 400);
    ck_assert_msg(scm__utf8_valid(msg, strlen(msg)), "the message ends inside a character");
    unlink(path);
    free(text);
}
END_TEST

/* A legacy body read by the identity table: the messages the legacy parser always gave. */
static const struct {
    const char *body, *message;
} LEGACY_BAD[] = {
    {"[]", "the body is not a JSON object"},
    {"{\"cert_id\": 1}", "member \"cert_id\" is not a string"},
    {"{\"DNS_push_status\": {}}", "member \"DNS_push_status\" is not a string"},
    {"{\"domain_number\": 1.5}", "member \"domain_number\" is not an integer in int range"},
    {"{\"auth\": {}}", "member \"auth\" is not an array"},
    {"{\"auth\": [1]}", "an element of \"auth\" is not an object"},
    {"{\"auth\": [{\"method\": 2}]}", "member \"auth[].method\" is not a string"},
};

START_TEST(legacy_body_errors)
{
    cJSON *doc = cJSON_Parse(LEGACY_BAD[_i].body);
    scm_cert_details *d = (scm_cert_details *)1;
    scm_error err = {"", "", 0, 0};
    ck_assert_int_eq(scm__details_from_legacy(doc, &d, &err), SCM_E_PARSE);
    ck_assert_ptr_null(d);
    ck_assert_str_eq(err.msg, LEGACY_BAD[_i].message);
    ck_assert_str_eq(err.code, "SCMSHIM.PARSE");
    cJSON_Delete(doc);
}
END_TEST

START_TEST(legacy_body_report_is_all_exact)
{
    /* Absent, null and unknown members: nothing absent, nothing v3-only, every field exact. */
    cJSON *doc = cJSON_Parse("{\"cert_id\": \"x\", \"order_id\": null, \"extra\": 1, "
                             "\"auth\": [{\"method\": \"DNS\"}]}");
    scm_cert_details *d = NULL;
    const scm_shim_report *r;
    scm_error err = {"", "", 0, 0};
    size_t i;
    ck_assert_int_eq(scm__details_from_legacy(doc, &d, &err), SCM_OK);
    r = scm_shim_details_report(d);
    ck_assert_str_eq(scm_shim_report_backend(r), "legacy");
    ck_assert_uint_eq(scm_shim_report_absent_count(r), 0);
    ck_assert_uint_eq(scm_shim_report_v3_only_count(r), 0);
    for (i = 0; i < scm_shim_report_field_count(r); i++)
        ck_assert_int_eq(scm_shim_report_field_class(r, i), SCM_SHIM_CLASS_EXACT);
    ck_assert_str_eq(d->cert_id, "x");
    ck_assert_str_eq(d->order_id, "");
    ck_assert_uint_eq(d->auth_count, 1);
    ck_assert_str_eq(d->auth[0].method, "DNS");
    ck_assert_str_eq(d->auth[0].record, "");
    scm_cert_details_free(d);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(class_names_follow_the_public_list)
{
    /* The public enum and its names come from one list, captured included; nothing past it. */
    static const char *const names[] = {
#define X(id, name, doc) name,
        SCM_SHIM_CLASSES(X)
#undef X
    };
    int c;
    ck_assert_int_eq(SCM_SHIM_CLASS_COUNT, (int)(sizeof names / sizeof names[0]));
    for (c = 0; c < SCM_SHIM_CLASS_COUNT; c++)
        ck_assert_str_eq(scm_shim_class_name((scm_shim_class)c), names[c]);
    ck_assert_str_eq(scm_shim_class_name(SCM_SHIM_CLASS_CAPTURED), "captured");
    ck_assert_ptr_null(scm_shim_class_name(SCM_SHIM_CLASS_COUNT));
    ck_assert_ptr_null(scm_shim_class_name((scm_shim_class)-1));
}
END_TEST

START_TEST(free_leaves_a_caller_struct_alone)
{
    /* Exactly the frozen struct, members the library did not allocate: freeing any would crash. */
    char name[] = "mine";
    scm_cert_details *d = calloc(1, sizeof *d), *ours = NULL;
    ck_assert_ptr_nonnull(d);
    d->cert_name = name;
    d->auth_count = 3;
    ck_assert_ptr_null(scm_shim_details_report(d));
    scm_cert_details_free(d);
    ck_assert_ptr_eq(d->cert_name, name);
    ck_assert_uint_eq(d->auth_count, 3);
    free(d);
    /* A library object is freed once; a second call is refused, not a double free. */
    ours = scm__details_new("v3");
    ck_assert_ptr_nonnull(scm_shim_details_report(ours));
    scm_cert_details_free(ours);
    ck_assert_ptr_null(scm_shim_details_report(ours));
    scm_cert_details_free(ours);
}
END_TEST

/*
 * One byte sequence (NUL, a lone 0xFF, a \u0000 escape, or harmless ones such as an escaped
 * backslash before "u0000") at every position of
 * strings of every length up to 40, each at every alignment: the 8-bytes-at-a-time scan must
 * give the byte-wise verdicts wherever a word boundary falls.
 */
START_TEST(strict_parse_verdicts_at_every_offset)
{
    static const struct {
        const char *bytes;
        size_t len;
        int ok;
    } CASES_[] = {
        {"\0", 1, 0},           {"\xff", 1, 0},      {"\\u0000", 6, 0}, {"\xc3\xa9", 2, 1},
        {"\xe8\xaf\xb4", 3, 1}, {"\\\"", 2, 1},      {"\\\\", 2, 1},    {"\xc3", 1, 0},
        {"\x7f", 1, 1},         {"\\\\u0000", 7, 1},
    };
    char buf[64 + 8];
    size_t c, len, pos, align;

    for (c = 0; c < sizeof CASES_ / sizeof CASES_[0]; c++)
        for (len = 0; len <= 40; len++)
            for (pos = 0; pos <= len; pos++)
                for (align = 0; align < 8; align++) {
                    char *t = buf + align;
                    size_t n = 0;
                    cJSON *doc;
                    t[n++] = '"';
                    memset(t + n, 'a', pos);
                    n += pos;
                    memcpy(t + n, CASES_[c].bytes, CASES_[c].len);
                    n += CASES_[c].len;
                    memset(t + n, 'b', len - pos);
                    n += len - pos;
                    t[n++] = '"';
                    doc = scm__json_parse(t, n);
                    ck_assert_msg((doc != NULL) == CASES_[c].ok, "case %zu, len %zu, at %zu+%zu", c,
                                  len, pos, align);
                    cJSON_Delete(doc);
                    /* The UTF-8 check alone: only the NUL and the malformed bytes fail it. */
                    ck_assert_int_eq(scm__utf8_valid(t, n),
                                     CASES_[c].ok || strcmp(CASES_[c].bytes, "\\u0000") == 0);
                }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("convert");
    TCase *tc = tcase_create("fixtures");
    size_t i;
    int rc;

    list_dir(CERTS);
    if (nnames == 0 || tu_fixture_pairs(CERTS, NULL) != nnames) {
        fprintf(stderr, "expected every fixture in %s to be a pair, found %zu of %zu\n", CERTS,
                tu_fixture_pairs(CERTS, NULL), nnames);
        return EXIT_FAILURE;
    }
    tcase_add_loop_test(tc, fixture_pair, 0, (int)nnames);
    suite_add_tcase(s, tc);
    rc = tu_run(s);
    for (i = 0; i < nnames; i++)
        free(names[i]);

    s = suite_create("convert cases");
    tc = tcase_create("cases");
    list_dir(CASES);
    tcase_add_loop_test(tc, convert_case, 0, (int)nnames);
    tcase_add_test(tc, report_accessors);
    tcase_add_test(tc, replacement_table);
    tcase_add_loop_test(tc, long_non_ascii_error_is_cut_on_a_character, 0, 3);
    tcase_add_test(tc, free_leaves_a_caller_struct_alone);
    tcase_add_loop_test(tc, legacy_body_errors, 0, sizeof LEGACY_BAD / sizeof LEGACY_BAD[0]);
    tcase_add_test(tc, legacy_body_report_is_all_exact);
    tcase_add_test(tc, class_names_follow_the_public_list);
    tcase_add_test(tc, strict_parse_verdicts_at_every_offset);
    suite_add_tcase(s, tc);
    rc |= tu_run(s);
    for (i = 0; i < nnames; i++)
        free(names[i]);
    return rc;
}
