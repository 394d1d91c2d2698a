/* map_load.c - parses and checks a mapping table (mapping/mapping.json format). */
#include "maptable.h"

#include "json.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const RULE_NAMES[] = {
#define X(id, name, nsrc, doc) name,
    SCM_RULES(X)
#undef X
};
static const int RULE_SOURCES[] = {
#define X(id, name, nsrc, doc) nsrc,
    SCM_RULES(X)
#undef X
};
static const char *const CLASS_NAMES[] = {
#define X(id, name, doc) name,
    SCM_CLASSES(X)
#undef X
};
static const char *const TYPE_NAMES[] = {
#define X(id, name) name,
    SCM_FIELD_TYPES(X)
#undef X
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *scm_rule_name(scm_rule r)
{
    return (size_t)r < COUNT(RULE_NAMES) ? RULE_NAMES[r] : "?";
}

const char *scm_class_name(scm_field_class c)
{
    if (c == SCM_CLASS_CAPTURED)
        return "captured";
    return (size_t)c < COUNT(CLASS_NAMES) ? CLASS_NAMES[c] : "?";
}

const char *scm_field_type_name(scm_field_type t)
{
    return (size_t)t < COUNT(TYPE_NAMES) ? TYPE_NAMES[t] : "?";
}

static int lookup(const char *const *names, size_t n, const char *s)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static void free_row(scm_map_row *r)
{
    size_t i;
    free((char *)r->legacy);
    for (i = 0; i < r->nv3; i++)
        free((char *)r->v3[i]);
    for (i = 0; i < r->nvalues; i++) {
        free((char *)r->values[i].from);
        free((char *)r->values[i].to);
    }
    free((void *)r->values);
    free((char *)r->description);
}

void scm_map_free(scm_map *map)
{
    size_t i;
    scm_map_row *rows = map->owned;
    if (rows != NULL) {
        for (i = 0; i < map->nrows; i++)
            free_row(&rows[i]);
        free(rows);
    }
    memset(map, 0, sizeof *map);
}

static const char *get_string(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int in_string_array(const cJSON *arr, const char *s)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
        if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
            return 1;
    return 0;
}

/* Fills one row from its JSON object; strings are copied into the row. */
static int parse_row(const cJSON *obj, const cJSON *schema, scm_map_row *r, char *err, size_t errlen)
{
    const char *legacy = get_string(obj, "legacy"), *type, *rule, *cls, *desc;
    const cJSON *v3, *values, *it;
    char *name = NULL;
    int idx;

    if (legacy == NULL || legacy[0] == '\0')
        return fail(err, errlen, "a row has no \"legacy\" name");
    name = strdup(legacy);
    if (name == NULL)
        return fail(err, errlen, "out of memory");
    r->legacy = name;
    r->in_auth = strncmp(legacy, SCM_MAP_AUTH_PREFIX, strlen(SCM_MAP_AUTH_PREFIX)) == 0;
    r->key = r->in_auth ? name + strlen(SCM_MAP_AUTH_PREFIX) : name;
    if (r->key[0] == '\0' || strchr(r->key, '[') || strchr(r->key, '.'))
        return fail(err, errlen, "row %s: malformed legacy name", legacy);

    type = get_string(obj, "type");
    if (type == NULL || (idx = lookup(TYPE_NAMES, COUNT(TYPE_NAMES), type)) < 0)
        return fail(err, errlen, "row %s: unknown type \"%s\"", legacy, type ? type : "");
    r->type = (scm_field_type)idx;
    if (r->in_auth && r->type != SCM_FT_STRING)
        return fail(err, errlen, "row %s: auth element members are strings", legacy);

    rule = get_string(obj, "rule");
    if (rule == NULL || (idx = lookup(RULE_NAMES, COUNT(RULE_NAMES), rule)) < 0)
        return fail(err, errlen, "row %s: unknown rule \"%s\"", legacy, rule ? rule : "");
    r->rule = (scm_rule)idx;

    cls = get_string(obj, "class");
    if (cls == NULL || (idx = lookup(CLASS_NAMES, COUNT(CLASS_NAMES), cls)) < 0)
        return fail(err, errlen, "row %s: unknown class \"%s\"", legacy, cls ? cls : "");
    r->cls = (scm_field_class)idx;
    if ((r->rule == SCM_RULE_MISSING) != (r->cls == SCM_CLASS_MISSING))
        return fail(err, errlen, "row %s: rule missing goes with class missing, and only with it", legacy);
    if ((r->rule == SCM_RULE_EACH) != (r->type == SCM_FT_ARRAY))
        return fail(err, errlen, "row %s: rule each goes with type array, and only with it", legacy);
    if (r->rule == SCM_RULE_COPY_TOP && !r->in_auth)
        return fail(err, errlen, "row %s: rule copy_top is for auth[] members", legacy);
    if (r->type == SCM_FT_INT && r->rule != SCM_RULE_COPY && r->rule != SCM_RULE_MISSING)
        return fail(err, errlen, "row %s: an int field takes rule copy or missing", legacy);

    v3 = cJSON_GetObjectItemCaseSensitive(obj, "v3");
    if (!cJSON_IsArray(v3))
        return fail(err, errlen, "row %s: \"v3\" must be an array of member names", legacy);
    if (cJSON_GetArraySize(v3) != RULE_SOURCES[r->rule])
        return fail(err, errlen, "row %s: rule %s takes %d v3 member(s)", legacy, rule,
                    RULE_SOURCES[r->rule]);
    cJSON_ArrayForEach(it, v3) {
        /* copy_top reads a top-level member even in an auth row. */
        const cJSON *known = cJSON_GetObjectItemCaseSensitive(
            schema, r->in_auth && r->rule != SCM_RULE_COPY_TOP ? "authentification" : "members");
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0')
            return fail(err, errlen, "row %s: v3 member names are non-empty strings", legacy);
        if (!in_string_array(known, it->valuestring))
            return fail(err, errlen, "row %s: v3 member \"%s\" is not in the v3 schema", legacy,
                        it->valuestring);
        if ((r->v3[r->nv3++] = strdup(it->valuestring)) == NULL)
            return fail(err, errlen, "out of memory");
    }

    values = cJSON_GetObjectItemCaseSensitive(obj, "values");
    if ((r->rule == SCM_RULE_ENUM) != (values != NULL))
        return fail(err, errlen, "row %s: \"values\" goes with rule enum, and only with it", legacy);
    if (values != NULL) {
        scm_enum_pair *pairs;
        size_t n = 0;
        if (!cJSON_IsArray(values) || cJSON_GetArraySize(values) == 0)
            return fail(err, errlen, "row %s: \"values\" must be a non-empty array of pairs", legacy);
        pairs = calloc((size_t)cJSON_GetArraySize(values), sizeof *pairs);
        if (pairs == NULL)
            return fail(err, errlen, "out of memory");
        r->values = pairs;
        cJSON_ArrayForEach(it, values) {
            const cJSON *from = cJSON_GetArrayItem(it, 0), *to = cJSON_GetArrayItem(it, 1);
            size_t j;
            if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != 2 || !cJSON_IsString(from) ||
                !cJSON_IsString(to))
                return fail(err, errlen, "row %s: each value pair is [\"v3\", \"legacy\"]", legacy);
            for (j = 0; j < n; j++)
                if (strcmp(pairs[j].from, from->valuestring) == 0)
                    return fail(err, errlen, "row %s: value \"%s\" is mapped twice", legacy,
                                from->valuestring);
            pairs[n].from = strdup(from->valuestring);
            pairs[n].to = strdup(to->valuestring);
            r->nvalues = ++n;
            if (pairs[n - 1].from == NULL || pairs[n - 1].to == NULL)
                return fail(err, errlen, "out of memory");
        }
    }

    desc = get_string(obj, "description");
    if (desc == NULL || desc[0] == '\0')
        return fail(err, errlen, "row %s: no description", legacy);
    if ((r->description = strdup(desc)) == NULL)
        return fail(err, errlen, "out of memory");
    return 0;
}

int scm_map_parse(const char *json, size_t len, scm_map *out, char *err, size_t errlen)
{
    cJSON *doc = scm_json_parse(json, len);
    const cJSON *fields, *schema, *it;
    scm_map_row *rows = NULL;
    size_t n = 0, i;
    int array_rows = 0;

    memset(out, 0, sizeof *out);
    if (doc == NULL)
        return fail(err, errlen, "the table is not valid JSON");
    fields = cJSON_GetObjectItemCaseSensitive(doc, "fields");
    schema = cJSON_GetObjectItemCaseSensitive(doc, "v3_schema");
    if (!cJSON_IsArray(fields) || cJSON_GetArraySize(fields) == 0 || !cJSON_IsObject(schema) ||
        !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(schema, "members")) ||
        !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(schema, "authentification"))) {
        cJSON_Delete(doc);
        return fail(err, errlen, "the table needs a \"fields\" array and a \"v3_schema\" object");
    }
    rows = calloc((size_t)cJSON_GetArraySize(fields), sizeof *rows);
    if (rows == NULL) {
        cJSON_Delete(doc);
        return fail(err, errlen, "out of memory");
    }
    out->rows = rows;
    out->owned = rows;
    cJSON_ArrayForEach(it, fields) {
        out->nrows = n + 1;
        if (!cJSON_IsObject(it)) {
            fail(err, errlen, "row %zu is not an object", n + 1);
            goto bad;
        }
        if (parse_row(it, schema, &rows[n], err, errlen) != 0)
            goto bad;
        for (i = 0; i < n; i++)
            if (strcmp(rows[i].legacy, rows[n].legacy) == 0) {
                fail(err, errlen, "row %s: the legacy field has more than one row", rows[n].legacy);
                goto bad;
            }
        if (rows[n].type == SCM_FT_ARRAY)
            array_rows++;
        n++;
    }
    for (i = 0; i < n; i++)
        if (rows[i].in_auth && array_rows == 0) {
            fail(err, errlen, "row %s: auth[] rows need an array row", rows[i].legacy);
            goto bad;
        }
    cJSON_Delete(doc);
    return 0;
bad:
    cJSON_Delete(doc);
    scm_map_free(out);
    return -1;
}

const scm_map_row *scm_map_find(const scm_map *map, const char *legacy)
{
    size_t i;
    for (i = 0; i < map->nrows; i++)
        if (strcmp(map->rows[i].legacy, legacy) == 0)
            return &map->rows[i];
    return NULL;
}

int scm_map_bind(scm_map *map, const scm_map *ref, char *err, size_t errlen)
{
    scm_map_row *rows = map->owned;
    size_t i;
    for (i = 0; i < map->nrows; i++) {
        const scm_map_row *r = scm_map_find(ref, rows[i].legacy);
        if (r == NULL)
            return fail(err, errlen, "row %s: not a field of the legacy response", rows[i].legacy);
        if (r->type != rows[i].type)
            return fail(err, errlen, "row %s: the legacy field's type is %s", rows[i].legacy,
                        scm_field_type_name(r->type));
        rows[i].offset = r->offset;
        rows[i].report_row = (size_t)(r - ref->rows);
    }
    for (i = 0; i < ref->nrows; i++)
        if (scm_map_find(map, ref->rows[i].legacy) == NULL)
            return fail(err, errlen, "row %s: missing (every legacy field needs one row)",
                        ref->rows[i].legacy);
    return 0;
}
