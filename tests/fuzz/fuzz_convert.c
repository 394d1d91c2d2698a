/*
 * fuzz_convert.c - the offline v3 -> legacy conversion (scm_shim_convert) on any
 * bytes. A converted body must be well-formed UTF-8 with the members, order and
 * JSON types of a real legacy body (SCM_FUZZ_LEGACY_FIXTURE), converting twice
 * must give the same bytes, and the report accessors must agree with the
 * report's JSON.
 */
#include "fuzz.h"
#include "maptable.h"
#include "scm_shim.h"

#include <cjson/cJSON.h>
#include <string.h>

static cJSON *fixture;

static void drop_fixture(void)
{
    cJSON_Delete(fixture);
}

/* Loads the reference body once; the fuzzer calls the harness millions of times. */
static const cJSON *legacy_fixture(void)
{
    FILE *f;
    char *text;
    long len;

    if (fixture != NULL)
        return fixture;
    /* The built-in table is the one under test, whatever the environment says. */
    unsetenv("SCM_SHIM_MAPPING");
    f = fopen(SCM_FUZZ_LEGACY_FIXTURE, "rb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0);
    text = malloc((size_t)len);
    FUZZ_CHECK(text != NULL && fread(text, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    fixture = cJSON_ParseWithLength(text, (size_t)len);
    free(text);
    FUZZ_CHECK(cJSON_IsObject(fixture));
    /* Element members are compared with the first auth element. */
    FUZZ_CHECK(
        cJSON_IsObject(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(fixture, "auth"), 0)));
    atexit(drop_fixture);
    return fixture;
}

/* The same member names in the same order, each with the same JSON type. */
static void same_members(const cJSON *got, const cJSON *want)
{
    const cJSON *g = got->child, *w;
    cJSON_ArrayForEach(w, want)
    {
        FUZZ_CHECK(g != NULL && g->string != NULL && strcmp(g->string, w->string) == 0);
        FUZZ_CHECK((g->type & 0xFF) == (w->type & 0xFF));
        g = g->next;
    }
    FUZZ_CHECK(g == NULL);
}

static void check_body(const char *body)
{
    const cJSON *want = legacy_fixture(), *el;
    const cJSON *want_el = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(want, "auth"), 0);
    const char *end = NULL;
    cJSON *got = cJSON_ParseWithLengthOpts(body, strlen(body), &end, 0);

    FUZZ_CHECK(fuzz_utf8_ok(body) && cJSON_IsObject(got));
    /* One JSON value and the final newline, nothing else. */
    FUZZ_CHECK(strcmp(end, "\n") == 0);
    same_members(got, want);
    cJSON_ArrayForEach(el, cJSON_GetObjectItemCaseSensitive(got, "auth")) same_members(el, want_el);
    cJSON_Delete(got);
}

/* A JSON array of strings equal to name(r, 0..n-1). */
static void same_names(const cJSON *arr, const scm_shim_report *r, size_t n,
                       const char *(*name)(const scm_shim_report *, size_t))
{
    const cJSON *it = arr->child;
    size_t i;
    FUZZ_CHECK(cJSON_IsArray(arr) && (size_t)cJSON_GetArraySize(arr) == n);
    for (i = 0; i < n; i++, it = it->next)
        FUZZ_CHECK(cJSON_IsString(it) && name(r, i) != NULL &&
                   strcmp(it->valuestring, name(r, i)) == 0);
    FUZZ_CHECK(name(r, n) == NULL);
}

static void check_report(const scm_shim_report *r, const char *json)
{
    cJSON *doc = cJSON_Parse(json);
    const cJSON *backend, *fields, *f;
    size_t i, j, n = scm_shim_report_field_count(r);
    scm_shim_class cls;

    FUZZ_CHECK(strcmp(scm_shim_report_backend(r), "v3") == 0);
    FUZZ_CHECK(n == SCM__FROZEN_COUNT && scm_shim_report_field_name(r, n) == NULL);
    FUZZ_CHECK(fuzz_utf8_ok(json) && cJSON_IsObject(doc));
    backend = cJSON_GetObjectItemCaseSensitive(doc, "backend");
    FUZZ_CHECK(cJSON_IsString(backend) && strcmp(backend->valuestring, "v3") == 0);
    fields = cJSON_GetObjectItemCaseSensitive(doc, "fields");
    FUZZ_CHECK(cJSON_IsObject(fields) && (size_t)cJSON_GetArraySize(fields) == n);
    f = fields->child;
    for (i = 0; i < n; i++, f = f->next) {
        const char *name = scm_shim_report_field_name(r, i);
        const char *cname = scm_shim_class_name(scm_shim_report_field_class(r, i));
        FUZZ_CHECK(name != NULL && cname != NULL);
        FUZZ_CHECK(scm_shim_report_find(r, name, &cls) == 0 &&
                   cls == scm_shim_report_field_class(r, i));
        FUZZ_CHECK(strcmp(f->string, name) == 0 && cJSON_IsString(f) &&
                   strcmp(f->valuestring, cname) == 0);
    }
    FUZZ_CHECK(scm_shim_report_find(r, "", &cls) == -1);
    same_names(cJSON_GetObjectItemCaseSensitive(doc, "unmapped"), r,
               scm_shim_report_unmapped_count(r), scm_shim_report_unmapped);
    n = scm_shim_report_v3_only_count(r);
    same_names(cJSON_GetObjectItemCaseSensitive(doc, "v3_only"), r, n, scm_shim_report_v3_only);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            FUZZ_CHECK(strcmp(scm_shim_report_v3_only(r, i), scm_shim_report_v3_only(r, j)) != 0);
    cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = NULL, *again = NULL, *json, *json_again;
    scm_shim_report *r = NULL, *r_again = NULL;
    int rc, rc_again;

    legacy_fixture();
    rc = scm_shim_convert((const char *)data, size, &body, &r);
    if (rc != SCM_OK) {
        /* The built-in table and no allocation failure leave only bad input. */
        FUZZ_CHECK(rc == SCM_E_PARSE && body == NULL && r == NULL &&
                   scm_shim_last_error()[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(body != NULL && r != NULL && scm_shim_last_error()[0] == '\0');
    rc_again = scm_shim_convert((const char *)data, size, &again, &r_again);
    FUZZ_CHECK(rc_again == SCM_OK && strcmp(body, again) == 0);
    check_body(body);

    json = scm_shim_report_json(r);
    json_again = scm_shim_report_json(r_again);
    FUZZ_CHECK(json != NULL && json_again != NULL && strcmp(json, json_again) == 0);
    check_report(r, json);

    scm_free(json);
    scm_free(json_again);
    scm_free(body);
    scm_free(again);
    scm_shim_report_free(r);
    scm_shim_report_free(r_again);
    return 0;
}
