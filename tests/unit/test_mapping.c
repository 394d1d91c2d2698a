/*
 * test_mapping.c - the frozen descriptor covers the structs; the mapping table has one row per
 * field; bad tables are refused, naming the row.
 * owns: tests of frozen.c, map_load.c, map_file.c; must not: convert bodies (test_convert.c).
 */
#include "maptable.h"
#include "scm_client.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

START_TEST(descriptor_covers_every_struct_member)
{
    /* Each member of the frozen structs is one field of frozen.h (auth_count goes with auth). */
    static unsigned char details_seen[sizeof(scm_cert_details)], auth_seen[sizeof(scm_auth)];
    size_t i, j, covered_d = 0, covered_a = 0;

    memset(details_seen, 0, sizeof details_seen);
    memset(auth_seen, 0, sizeof auth_seen);
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_frozen_field *f = &scm__frozen[i];
        size_t size = f->type == SCM_FT_INT ? sizeof(int) : sizeof(char *);
        unsigned char *seen = f->in_auth ? auth_seen : details_seen;
        for (j = 0; j < size; j++) {
            ck_assert_msg(!seen[f->offset + j], "field %s overlaps another", f->name);
            seen[f->offset + j] = 1;
        }
        if (f->in_auth)
            covered_a += size;
        else
            covered_d += size;
    }
    covered_d += sizeof(size_t); /* auth_count */
    ck_assert_uint_eq(covered_a, sizeof(scm_auth));
    /* Padding after domain_number is the only byte range no field may claim. */
    ck_assert_uint_eq(covered_d + (offsetof(scm_cert_details, cert_describe) -
                                   offsetof(scm_cert_details, domain_number) - sizeof(int)),
                      sizeof(scm_cert_details));
}
END_TEST

START_TEST(descriptor_order_is_legacy_order)
{
    size_t i;
    for (i = 1; i < SCM__FROZEN_COUNT; i++)
        if (scm__frozen[i].in_auth == scm__frozen[i - 1].in_auth)
            ck_assert_msg(scm__frozen[i].offset > scm__frozen[i - 1].offset,
                          "field %s out of order", scm__frozen[i].name);
        else
            ck_assert_msg(scm__frozen[i].in_auth, "field %s after the auth members",
                          scm__frozen[i].name);
}
END_TEST

START_TEST(builtin_has_one_row_per_field)
{
    size_t i;
    ck_assert_uint_eq(scm__map_builtin.nrows, SCM__FROZEN_COUNT);
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_map_row *r = scm__map_find(&scm__map_builtin, scm__frozen[i].name);
        ck_assert_msg(r != NULL && r->field == &scm__frozen[i], "field %s", scm__frozen[i].name);
    }
}
END_TEST

static char *read_mapping(void)
{
    char *text = tu_read_file(SCM_MAPPING_JSON, NULL);
    ck_assert_ptr_nonnull(text);
    return text;
}

/* Replaces the first occurrence of from with to in text (malloc'd result). */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    char *out;
    ck_assert_msg(at != NULL, "'%s' not in the table", from);
    out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
    sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static const struct {
    const char *from, *to, *message;
} BAD_TABLES[] = {
    {"\"rule\": \"join\"", "\"rule\": \"shout\"", "row domain_name: unknown rule \"shout\""},
    {"\"class\": \"renamed\"", "\"class\": \"renamd\"", "row cert_id: unknown class \"renamd\""},
    {"\"v3\": [\"name\"]", "\"v3\": [\"nmae\"]",
     "row cert_name: v3 member \"nmae\" is not in the v3 schema"},
    {"\"authentification[].record_value\"", "\"authentification[].value\"",
     "row auth[].record: v3 member \"authentification[].value\" is not in the v3 schema"},
    {"\"application_info.company_name\"", "\"application_info.compny_name\"",
     "row company_name: v3 member \"application_info.compny_name\" is not in the v3 schema"},
    {"\"application_info.company_city\"", "\"applicaton_info.company_city\"",
     "row company_city: v3 member \"applicaton_info.company_city\" is not in the v3 schema"},
    {"\"application_info.country\"", "\"application_info.country.code\"",
     "row country: v3 member \"application_info.country.code\" is not in the v3 schema"},
    {"\"application_info.applicant_name\"", "\"description.applicant_name\"",
     "row applicant_name: v3 member \"description.applicant_name\" is not in the v3 schema"},
    {"\"v3\": [\"order_id\"]", "\"v3\": [\"authentification[].domain\"]",
     "row order_id: \"authentification[].domain\" names an array element; only auth[] rows read "
     "one"},
    {"\"v3\": [\"authentification\"]", "\"v3\": [\"domain\"]",
     "row auth: rule each reads a top-level array the v3 schema describes as \"name[]\""},
    {"[\"signature_algorithm\", \"signature_algrithm\"]",
     "[\"signature_algorithm\", \"signature_algrithm\", \"sig\", \"alg\"]",
     "row encrypt_type: a v3 source is a name or an array of 1 to 3 spellings"},
    {"\"older_members\": [\"signature_algrithm\"]", "\"older_members\": []",
     "row encrypt_type: v3 member \"signature_algrithm\" is not in the v3 schema"},
    {"\"format\": 3", "\"format\": 1",
     "the table's \"format\" must be 3 (a \"source\" object names the API and its element array; "
     "v3 sources are paths from the body's top, element members as \"array[].member\")"},
    {"\"format\": 3", "\"format\": 2", "a format 2 table has no \"source\" (format 3 names it)"},
    {"\"api\": \"v3\"", "\"api\": \"v4\"",
     "the table needs a \"source\" object: {\"api\": \"v3\", \"elements\": \"<the array whose "
     "elements auth[] rows read>\"}"},
    {"\"elements\": \"authentification\"", "\"element\": \"authentification\"",
     "the table needs a \"source\" object: {\"api\": \"v3\", \"elements\": \"<the array whose "
     "elements auth[] rows read>\"}"},
    {"\"elements\": \"authentification\"", "\"elements\": \"application_info\"",
     "the source's element array \"application_info\" is not described as \"application_info[]\""},
    {"\"elements\": \"authentification\"},\n  \"v3_schema\": {",
     "\"elements\": \"sans\"},\n  \"v3_schema\": {\"sans[]\": [\"x\"],",
     "row auth: reads \"authentification\", not the source's element array \"sans\""},
    {"{\"legacy\": \"order_id\"", "{\"legacy\": \"cert_id\"",
     "row cert_id: the legacy field has more than one row"},
    {"\"v3\": [\"domain\", \"sans\"]", "\"v3\": [\"domain\"]",
     "row domain_name: rule join takes 2 v3 member(s)"},
    {"\"rule\": \"enum\", \"class\": \"transformed\",\n     \"values\"",
     "\"rule\": \"copy\", \"class\": \"transformed\",\n     \"values\"",
     "row cert_type: \"values\" goes with rule enum, and only with it"},
    {"[\"SM3WITHSM2\", \"SM3withSM2\"]", "[\"SHA256WITHRSA\", \"x\"]",
     "row encrypt_type: value \"SHA256WITHRSA\" is mapped twice"},
    {"\"type\": \"int\"", "\"type\": \"float\"", "row domain_number: unknown type \"float\""},
    {"\"rule\": \"missing\", \"class\": \"missing\",\n     \"description\": \"Department",
     "\"rule\": \"missing\", \"class\": \"exact\",\n     \"description\": \"Department",
     "row organization_unit: rule missing goes with class missing, and only with it"},
    {"\"fields\": [", "\"fieldz\": [",
     "the table needs a \"fields\" array and a \"v3_schema\" object"},
    {"\"comment\"", "\"comment\" x", "the table is not valid JSON"},
    {"{\"legacy\": \"cert_id\"", "{\"legacy\": \"cert_idx\"",
     "row cert_idx: not a field of the legacy response"},
    {"\"v3\": [\"name\"], \"rule\": \"copy\"", "\"v3\": [\"name\"], \"rule\": \"prefix\"",
     "row cert_name: a non-empty string \"affix\" goes with rules prefix and suffix, and only with "
     "them"},
    {"\"v3\": [\"name\"], \"rule\": \"copy\"",
     "\"v3\": [\"name\"], \"rule\": \"suffix\", \"affix\": \"\"",
     "row cert_name: a non-empty string \"affix\" goes with rules prefix and suffix, and only with "
     "them"},
    {"\"v3\": [\"name\"], \"rule\": \"copy\"",
     "\"v3\": [\"name\"], \"rule\": \"copy\", \"affix\": \"x\"",
     "row cert_name: a non-empty string \"affix\" goes with rules prefix and suffix, and only with "
     "them"},
    {"\"legacy\": \"domain_number\", \"type\": \"int\"",
     "\"legacy\": \"domain_number\", \"type\": \"string\"",
     "row domain_number: the legacy field's type is int"},
    /* The affix column: a string, not empty, on prefix and suffix rows, and on no other rule. */
    {"\"v3\": [\"name\"], \"rule\": \"copy\"",
     "\"v3\": [\"name\"], \"rule\": \"prefix\", \"affix\": 7",
     "row cert_name: a non-empty string \"affix\" goes with rules prefix and suffix, and only with "
     "them"},
    {"\"v3\": [\"name\"], \"rule\": \"copy\"",
     "\"v3\": [\"name\"], \"rule\": \"suffix\", \"affix\": null",
     "row cert_name: a non-empty string \"affix\" goes with rules prefix and suffix, and only with "
     "them"},
    {"\"v3\": [\"name\"], \"rule\": \"copy\"",
     "\"v3\": [\"name\"], \"rule\": \"prefix\", \"affix\": [\"prod-\"]",
     "row cert_name: a non-empty string \"affix\" goes with rules prefix and suffix, and only with "
     "them"},
    {"\"v3\": [\"brand\"], \"rule\": \"copy\"",
     "\"v3\": [\"brand\"], \"rule\": \"lower\", \"affix\": \"x\"",
     "row cert_brand: a non-empty string \"affix\" goes with rules prefix and suffix, and only "
     "with "
     "them"},
    {"\"values\": [[\"ON\", \"on\"]", "\"affix\": \"x\", \"values\": [[\"ON\", \"on\"]",
     "row push_support: a non-empty string \"affix\" goes with rules prefix and suffix, and only "
     "with "
     "them"},
    {"\"v3\": [\"name\"], \"rule\": \"copy\"",
     "\"v3\": [\"name\", \"brand\"], \"rule\": \"prefix\", \"affix\": \"x\"",
     "row cert_name: rule prefix takes 1 v3 member(s)"},
    {"\"v3\": [\"domain_count\"], \"rule\": \"copy\"",
     "\"v3\": [\"domain_count\"], \"rule\": \"suffix\", \"affix\": \"x\"",
     "row domain_number: an int field takes rule copy or missing"},
};

START_TEST(bad_table_names_the_row)
{
    char *text = read_mapping(), *bad = edit(text, BAD_TABLES[_i].from, BAD_TABLES[_i].to);
    scm_error err = {"", "", 0, 0};
    scm_map m;
    ck_assert_int_eq(scm__map_parse(bad, strlen(bad), &m, &err), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(err.msg, BAD_TABLES[_i].message);
    ck_assert_str_eq(err.code, "SCMSHIM.INVALID_PARAM");
    ck_assert_ptr_null(m.rows);
    free(bad);
    free(text);
}
END_TEST

START_TEST(file_table_is_the_builtin_one)
{
    scm_error err = {"", "", 0, 0};
    scm_map m;
    size_t i;
    ck_assert_msg(scm__map_load_file(SCM_MAPPING_JSON, &m, &err) == SCM_OK, "%s", err.msg);
    ck_assert_uint_eq(m.nrows, scm__map_builtin.nrows);
    for (i = 0; i < m.nrows; i++) {
        ck_assert_ptr_eq(m.rows[i].field, scm__map_builtin.rows[i].field);
        ck_assert_int_eq(m.rows[i].rule, scm__map_builtin.rows[i].rule);
        ck_assert_int_eq(m.rows[i].cls, scm__map_builtin.rows[i].cls);
        ck_assert_uint_eq(m.rows[i].nvalues, scm__map_builtin.rows[i].nvalues);
    }
    scm__map_free(&m);
}
END_TEST

/* A format 2 table (no "source") is read as v3's "authentification" source, as it always was. */
START_TEST(format_2_table_reads_as_before)
{
    char *text = read_mapping(), *v2 = edit(text, "\"format\": 3", "\"format\": 2");
    char *old = edit(v2, "\"source\": {\"api\": \"v3\", \"elements\": \"authentification\"},", "");
    scm_error err = {"", "", 0, 0};
    scm_map m;
    size_t i;
    ck_assert_msg(scm__map_parse(old, strlen(old), &m, &err) == SCM_OK, "%s", err.msg);
    ck_assert_int_eq(m.api, SCM_API_V3);
    ck_assert_uint_eq(m.nrows, scm__map_builtin.nrows);
    for (i = 0; i < m.nrows; i++) {
        ck_assert_ptr_eq(m.rows[i].field, scm__map_builtin.rows[i].field);
        ck_assert_int_eq(m.rows[i].rule, scm__map_builtin.rows[i].rule);
    }
    scm__map_free(&m);
    free(old);
    free(v2);
    free(text);
}
END_TEST

START_TEST(file_table_missing_row)
{
    char *text = read_mapping(), path[] = "/tmp/scmshim-map-XXXXXX";
    scm_error err = {"", "", 0, 0};
    char *bad = edit(
        text,
        "{\"legacy\": \"organization_unit\", \"type\": \"string\", \"v3\": [], \"rule\": "
        "\"missing\", "
        "\"class\": \"missing\",\n     \"description\": \"Department; in no v3 call.\"},\n    ",
        "");
    int fd = mkstemp(path);
    scm_map m;
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, bad, strlen(bad)), (long)strlen(bad));
    close(fd);
    ck_assert_int_eq(scm__map_load_file(path, &m, &err), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(err.msg, "row organization_unit: missing (every legacy field needs one row)");
    ck_assert_int_eq(scm__map_load_file("/nonexistent/map.json", &m, &err), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(err.msg, "/nonexistent/map.json: No such file or directory");
    /* A FIFO with no writer would block the client's creation forever: refused at once. */
    unlink(path);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(scm__map_load_file(path, &m, &err), SCM_E_INVALID_PARAM);
    ck_assert_ptr_nonnull(strstr(err.msg, ": not a regular file"));
    ck_assert_int_eq(scm__map_load_file("/tmp", &m, &err), SCM_E_INVALID_PARAM);
    ck_assert_str_eq(err.msg, "/tmp: not a regular file");
    unlink(path);
    free(bad);
    free(text);
}
END_TEST

/* The variable's table is refused with the loader's own code, not a bare failure. */
START_TEST(env_table_refused_with_its_code)
{
    scm_error err = {"", "", 0, 0};
    scm_map loaded;
    const scm_map *map = NULL;
    unsetenv("SCM_SHIM_MAPPING");
    ck_assert_int_eq(scm__map_from_env(&loaded, &map, &err), SCM_OK);
    ck_assert_ptr_eq(map, &scm__map_builtin);
    setenv("SCM_SHIM_MAPPING", "/nonexistent/map.json", 1);
    ck_assert_int_eq(scm__map_from_env(&loaded, &map, &err), SCM_E_INVALID_PARAM);
    unsetenv("SCM_SHIM_MAPPING");
    ck_assert_str_eq(err.code, "SCMSHIM.INVALID_PARAM");
    ck_assert_str_eq(err.msg,
                     "SCM_SHIM_MAPPING=/nonexistent/map.json: /nonexistent/map.json: No such file "
                     "or directory");
    ck_assert_ptr_eq(map, &scm__map_builtin);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mapping");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, descriptor_covers_every_struct_member);
    tcase_add_test(tc, descriptor_order_is_legacy_order);
    tcase_add_test(tc, builtin_has_one_row_per_field);
    tcase_add_loop_test(tc, bad_table_names_the_row, 0, sizeof BAD_TABLES / sizeof BAD_TABLES[0]);
    tcase_add_test(tc, file_table_is_the_builtin_one);
    tcase_add_test(tc, format_2_table_reads_as_before);
    tcase_add_test(tc, file_table_missing_row);
    tcase_add_test(tc, env_table_refused_with_its_code);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
