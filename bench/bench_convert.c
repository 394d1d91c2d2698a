/*
 * bench_convert.c - benchmark 1: the instructions it takes to turn one v3 body
 * into the legacy body, against a floor that does the same job with cJSON alone.
 *
 *   bench_convert MODE ITERATIONS V3_FILE
 *
 * MODE picks the loop run ITERATIONS times:
 *   shim          scm_shim_convert() (the public offline conversion, no report)
 *   parts         scm__json_parse + scm__convert_v3 + scm__legacy_json + frees, one
 *                 function per stage (bench_parts_parse, _convert, _write, _free)
 *   floor         cJSON_ParseWithLength, the legacy object built with cJSON_Add*,
 *                 cJSON_Print (formatted, as the legacy body is), frees; one function
 *                 per stage (bench_floor_parse, _build, _print, _free)
 *   floor-compact the same with cJSON_PrintUnformatted
 * Run under valgrind --tool=callgrind --toggle-collect=<loop or stage function>
 * so only the measured code counts.
 *
 * Before measuring, every mode checks that the floor's body and the shim's body
 * are the same JSON, member order included, so the floor does the whole job.
 * That check runs every path once outside the measured functions, so first-call
 * costs (lazy binding, allocator set-up) are not counted either.
 */
#include "bench.h"
#include "convert.h"
#include "json.h"
#include "legacy_json.h"
#include "maptable.h"
#include "scm_shim.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The measured functions keep their names and bodies for --toggle-collect. */
#if defined(__clang__)
#define MEASURED __attribute__((noinline))
#else
#define MEASURED __attribute__((noipa))
#endif

/* ---- the floor: what a direct cJSON implementation of the mapping does ---- */

#define COUNT(a) (sizeof(a) / sizeof *(a))

typedef struct pair {
    const char *from, *to;
} pair;

static const pair CERT_TYPES[] = {{"DV_SSL_CERT", "DV"}, {"DV_SSL_CERT_BASIC", "DV_BASIC"},
                                  {"OV_SSL_CERT", "OV"}, {"OV_SSL_CERT_PRO", "OV_PRO"},
                                  {"EV_SSL_CERT", "EV"}, {"EV_SSL_CERT_PRO", "EV_PRO"}};
static const pair DOMAIN_TYPES[] = {
    {"SINGLE_DOMAIN", "SINGLE_DOMAIN"}, {"MULTI_DOMAIN", "MUILT_DOMAIN"}, {"WILDCARD", "WILDCARD"}};
static const pair ALGORITHMS[] = {{"SHA256WITHRSA", "SHA256withRSA"},
                                  {"SHA384WITHECDSA", "SHA384withECC"},
                                  {"SM3WITHSM2", "SM3withSM2"}};
static const pair PUSH_SUPPORT[] = {{"ON", "on"}, {"OFF", "off"}};

/* application_info members copied under the same name, in legacy order after revoke_reason. */
static const char *const APPLICATION[] = {"company_name",   "company_province", "company_city",
                                          "applicant_name", "applicant_phone",  "applicant_email",
                                          "contact_name",   "contact_phone",    "contact_email"};
/* Members with no v3 source, in legacy order after country. */
static const char *const MISSING[] = {"organization_unit", "DNS_push_status"};

/* A string member of obj (NULL or null obj included); absent, null or not a string: "". */
static const char *str(const cJSON *obj, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(it) ? it->valuestring : "";
}

/* The first of two spellings present and not null, as a string. */
static const char *str2(const cJSON *obj, const char *name, const char *older)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (it == NULL || cJSON_IsNull(it))
        it = cJSON_GetObjectItemCaseSensitive(obj, older);
    return cJSON_IsString(it) ? it->valuestring : "";
}

static const char *lookup(const char *v, const pair *pairs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(pairs[i].from, v) == 0)
            return pairs[i].to;
    return v;
}

/* Appends the ';'-separated entries of list at *end, trimmed, empty ones skipped; out is the start.
 */
static void join(const char *out, char **end, const char *list)
{
    while (*list) {
        const char *stop = strchr(list, ';'), *s = list, *e;
        if (stop == NULL)
            stop = list + strlen(list);
        for (e = stop; s < e && *s == ' '; s++)
            ;
        while (e > s && e[-1] == ' ')
            e--;
        if (e > s) {
            if (*end > out)
                *(*end)++ = ';';
            memcpy(*end, s, (size_t)(e - s));
            *end += e - s;
        }
        list = *stop ? stop + 1 : stop;
    }
    **end = '\0';
}

static void add_string(cJSON *o, const char *k, const char *v)
{
    if (cJSON_AddStringToObject(o, k, v) == NULL)
        bench_die("out of memory");
}

/* Each member of names copied from src (a NULL src, or absent or null members, give ""). */
static void add_copies(cJSON *o, const cJSON *src, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        add_string(o, names[i], str(src, names[i]));
}

static void add_missing(cJSON *o, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        add_string(o, names[i], "");
}

/* One auth element from one authentification element. */
static cJSON *floor_auth(const cJSON *v3, const cJSON *el)
{
    cJSON *a = cJSON_CreateObject();
    const char *domain = str(el, "domain"), *name = str(el, "record_name");
    size_t nl = strlen(name), dl;
    cJSON *host;

    add_string(a, "method", str(v3, "validation_method"));
    add_string(a, "status", "");
    add_string(a, "domain_name", domain);
    add_string(a, "host_record", name);
    /* Drop "." + domain ("*." removed first) by cutting the copy short. */
    host = cJSON_GetObjectItemCaseSensitive(a, "host_record");
    if (strncmp(domain, "*.", 2) == 0)
        domain += 2;
    dl = strlen(domain);
    if (dl > 0 && nl > dl + 1 && name[nl - dl - 1] == '.' && strcmp(name + nl - dl, domain) == 0)
        host->valuestring[nl - dl - 1] = '\0';
    add_string(a, "record_type", str(el, "record_type"));
    add_string(a, "record", str(el, "record_value"));
    return a;
}

static cJSON *floor_build(const cJSON *v3)
{
    cJSON *o = cJSON_CreateObject(), *auth, *it;
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(v3, "domain_count");
    const cJSON *app = cJSON_GetObjectItemCaseSensitive(v3, "application_info");
    const char *domain = str(v3, "domain"), *sans = str(v3, "sans");
    char *names = malloc(strlen(domain) + strlen(sans) + 2), *end = names;

    if (o == NULL || names == NULL)
        bench_die("out of memory");
    add_string(o, "cert_id", str(v3, "id"));
    add_string(o, "order_id", str(v3, "order_id"));
    add_string(o, "cert_name", str(v3, "name"));
    add_string(o, "cert_type", lookup(str(v3, "type"), CERT_TYPES, COUNT(CERT_TYPES)));
    add_string(o, "cert_brand", str(v3, "brand"));
    add_string(o, "domain_type", lookup(str(v3, "domain_type"), DOMAIN_TYPES, COUNT(DOMAIN_TYPES)));
    join(names, &end, domain);
    join(names, &end, sans);
    add_string(o, "domain_name", names);
    free(names);
    cJSON_AddNumberToObject(o, "domain_number", cJSON_IsNumber(count) ? count->valueint : 0);
    add_string(o, "cert_describe", str(v3, "description"));
    add_string(o, "push_support",
               lookup(str(v3, "push_support"), PUSH_SUPPORT, COUNT(PUSH_SUPPORT)));
    add_string(o, "revoke_reason", str(v3, "revoke_reason"));
    /* A null or absent application_info has no members: "" throughout. */
    add_copies(o, app, APPLICATION, COUNT(APPLICATION));
    /* status, auth[].method and auth[].record_type map documented values to themselves and
     * pass others through: a copy. */
    add_string(o, "status", str(v3, "status"));
    add_string(o, "encrypt_type",
               lookup(str2(v3, "signature_algorithm", "signature_algrithm"), ALGORITHMS,
                      COUNT(ALGORITHMS)));
    add_string(o, "country", str(app, "country"));
    add_missing(o, MISSING, COUNT(MISSING));
    if ((auth = cJSON_AddArrayToObject(o, "auth")) == NULL)
        bench_die("out of memory");
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(v3, "authentification"))
        cJSON_AddItemToArray(auth, floor_auth(v3, it));
    return o;
}

static char *floor_print(const cJSON *legacy, int formatted)
{
    return formatted ? cJSON_Print(legacy) : cJSON_PrintUnformatted(legacy);
}

/* Untimed: warms every code path up before a measured loop runs. */
static char *floor_once(const char *body, size_t len, int formatted)
{
    cJSON *v3 = cJSON_ParseWithLength(body, len), *legacy;
    char *text;
    if (v3 == NULL)
        bench_die("cJSON cannot parse the v3 body");
    legacy = floor_build(v3);
    if ((text = floor_print(legacy, formatted)) == NULL)
        bench_die("out of memory");
    cJSON_Delete(legacy);
    cJSON_Delete(v3);
    return text;
}

MEASURED static cJSON *bench_floor_parse(const char *body, size_t len)
{
    return cJSON_ParseWithLength(body, len);
}

MEASURED static cJSON *bench_floor_build(const cJSON *v3)
{
    return floor_build(v3);
}

MEASURED static char *bench_floor_print(const cJSON *legacy, int formatted)
{
    return floor_print(legacy, formatted);
}

MEASURED static void bench_floor_free(cJSON *v3, cJSON *legacy, char *text)
{
    cJSON_free(text);
    cJSON_Delete(legacy);
    cJSON_Delete(v3);
}

MEASURED static void bench_floor_loop(const char *body, size_t len, long n, int formatted)
{
    long i;
    for (i = 0; i < n; i++) {
        cJSON *v3 = bench_floor_parse(body, len), *legacy;
        if (v3 == NULL)
            bench_die("cJSON cannot parse the v3 body");
        legacy = bench_floor_build(v3);
        bench_floor_free(v3, legacy, bench_floor_print(legacy, formatted));
    }
}

/* ---- the shim: the public call, and its internal stages ---- */

MEASURED static void bench_shim_loop(const char *body, size_t len, long n)
{
    long i;
    for (i = 0; i < n; i++) {
        char *legacy;
        if (scm_shim_convert(body, len, &legacy, NULL) != SCM_OK)
            bench_die("scm_shim_convert: %s", scm_shim_last_error());
        scm_free(legacy);
    }
}

MEASURED static cJSON *bench_parts_parse(const char *body, size_t len)
{
    return scm__json_parse(body, len);
}

MEASURED static scm_cert_details *bench_parts_convert(const cJSON *doc)
{
    scm_cert_details *d;
    scm_error err;
    if (scm__convert_v3(&scm__map_builtin, doc, &d, &err) != SCM_OK)
        bench_die("scm__convert_v3: %s", err.msg);
    return d;
}

MEASURED static char *bench_parts_write(const scm_cert_details *d)
{
    return scm__legacy_json(d, NULL);
}

MEASURED static void bench_parts_free(cJSON *doc, scm_cert_details *d, char *legacy)
{
    scm_free(legacy);
    scm_cert_details_free(d);
    cJSON_Delete(doc);
}

MEASURED static void bench_parts_loop(const char *body, size_t len, long n)
{
    long i;
    for (i = 0; i < n; i++) {
        cJSON *doc = bench_parts_parse(body, len);
        scm_cert_details *d;
        if (doc == NULL)
            bench_die("scm__json_parse rejects the v3 body");
        d = bench_parts_convert(doc);
        bench_parts_free(doc, d, bench_parts_write(d));
    }
}

/* ---- driver ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long size;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0)
        bench_die("cannot read %s", path);
    if ((data = malloc((size_t)size + 1)) == NULL ||
        fread(data, 1, (size_t)size, f) != (size_t)size)
        bench_die("cannot read %s", path);
    fclose(f);
    data[size] = '\0';
    *len = (size_t)size;
    return data;
}

/* The text re-printed compactly by cJSON: equal when the JSON and its member order are. */
static char *canonical(const char *text)
{
    cJSON *doc = cJSON_Parse(text);
    char *out = doc != NULL ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    if (out == NULL)
        bench_die("a benchmark body is not JSON");
    return out;
}

/* The floor must produce what the shim produces, or it is not a floor. */
static void check_same_output(const char *body, size_t len)
{
    char *shim, *floor_text = floor_once(body, len, 1), *a, *b;
    cJSON_free(floor_once(body, len, 0));
    if (scm_shim_convert(body, len, &shim, NULL) != SCM_OK)
        bench_die("scm_shim_convert: %s", scm_shim_last_error());
    a = canonical(shim);
    b = canonical(floor_text);
    if (strcmp(a, b) != 0)
        bench_die("the floor's body differs from the shim's:\nshim:  %s\nfloor: %s", a, b);
    cJSON_free(a);
    cJSON_free(b);
    cJSON_free(floor_text);
    scm_free(shim);
}

int main(int argc, char **argv)
{
    const char *mode;
    size_t len;
    char *body;
    long n;

    if (argc != 4)
        bench_die("usage: bench_convert shim|parts|floor|floor-compact ITERATIONS V3_FILE");
    mode = argv[1];
    n = bench_count("ITERATIONS", argv[2]);
    body = read_file(argv[3], &len);
    check_same_output(body, len);
    if (strcmp(mode, "shim") == 0)
        bench_shim_loop(body, len, n);
    else if (strcmp(mode, "parts") == 0)
        bench_parts_loop(body, len, n);
    else if (strcmp(mode, "floor") == 0 || strcmp(mode, "floor-compact") == 0)
        bench_floor_loop(body, len, n, strcmp(mode, "floor") == 0);
    else
        bench_die("unknown mode '%s'", mode);
    free(body);
    return 0;
}
