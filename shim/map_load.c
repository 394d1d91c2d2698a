/*
 * map_load.c - parses and checks a mapping table (mapping/mapping.json format).
 * owns: the table's syntax and every check on its rules; must not: describe the
 * frozen structs (frozen.h does), read files or the environment (map_file.c).
 */
#include "maptable.h"

#include "json.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const RULE_NAMES[] = {
#define X(id, name, nsrc, affix, doc) name,
    SCM_RULES(X)
#undef X
};
static const int RULE_SOURCES[] = {
#define X(id, name, nsrc, affix, doc) nsrc,
    SCM_RULES(X)
#undef X
};
static const int RULE_AFFIX[] = {
#define X(id, name, nsrc, affix, doc) affix,
    SCM_RULES(X)
#undef X
};
static const char *const CLASS_NAMES[] = {
#define X(id, name, doc) name,
    SCM_SHIM_CLASSES(X)
#undef X
};
/* The names a row's class column accepts: all but "captured". */
static const char *const TABLE_CLASS_NAMES[] = {
#define X(id, name, doc) name,
    SCM_CLASSES(X)
#undef X
};
static const char *const API_NAMES[] = {
#define X(id, name, member, element, body, reports) name,
    SCM_SOURCE_APIS(X)
#undef X
};
static const char *const TYPE_NAMES[] = {
#define X(id, name) name,
    SCM_FIELD_TYPES(X)
#undef X
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *scm__rule_name(scm_rule r)
{
    return (size_t)r < COUNT(RULE_NAMES) ? RULE_NAMES[r] : "?";
}

int scm__rule_takes_affix(scm_rule r)
{
    return (size_t)r < COUNT(RULE_AFFIX) && RULE_AFFIX[r];
}

const char *scm__class_name(scm_field_class c)
{
    return (size_t)c < COUNT(CLASS_NAMES) ? CLASS_NAMES[c] : "?";
}

const char *scm__field_type_name(scm_field_type t)
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

/* Why a table is refused; returns SCM_E_INVALID_PARAM. */
static int fail(scm_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(scm_error *err, const char *fmt, ...)
{
    char why[SCM_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s", why);
}

/* Returns SCM_E_NOMEM. */
static int oom(scm_error *err)
{
    return scm__fail(err, SCM__ERR_NOMEM, NULL);
}

static void free_row(scm_map_row *r)
{
    size_t i, j;
    for (i = 0; i < r->nv3; i++)
        for (j = 0; j < r->v3[i].nspellings; j++) {
            free((char *)r->v3[i].spelling[j].text);
            free((char *)r->v3[i].spelling[j].object);
        }
    for (i = 0; i < r->nvalues; i++) {
        free((char *)r->values[i].from);
        free((char *)r->values[i].to);
    }
    free((void *)r->values);
    free((char *)r->description);
    free((char *)r->affix);
}

void scm__map_free(scm_map *map)
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
    cJSON_ArrayForEach(it, arr) if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0) return 1;
    return 0;
}

/* schema[name + suffix]: the member list of a nested object ("") or of array elements ("[]"). */
static const cJSON *schema_list(const cJSON *schema, const char *name, const char *suffix)
{
    char key[128];
    if ((size_t)snprintf(key, sizeof key, "%s%s", name, suffix) >= sizeof key)
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(schema, key);
}

/*
 * Resolves one spelling against the schema: "member" (current or older top-level
 * member), "object.member" (a nested object's member) or "array[].member" (an
 * element member, auth[] rows only). Strings are copied into p.
 */
static int resolve(const cJSON *schema, const char *text, const char *legacy, int in_auth,
                   scm_path *p, scm_error *err)
{
    const cJSON *members = cJSON_GetObjectItemCaseSensitive(schema, "members"), *known;
    const char *dot = strchr(text, '.'), *member = dot != NULL ? dot + 1 : text;
    size_t objlen = dot != NULL ? (size_t)(dot - text) : 0;
    int element = objlen > 2 && strncmp(dot - 2, "[]", 2) == 0;
    char *object = NULL;

    if (element)
        objlen -= 2;
    if (dot != NULL && (object = strndup(text, objlen)) == NULL)
        return oom(err);
    /* A nested member's holder is a top-level member whose members the schema lists. */
    known = dot == NULL ? members
            : objlen > 0 && in_string_array(members, object)
                ? schema_list(schema, object, element ? "[]" : "")
                : NULL;
    if (member[0] == '\0' || strpbrk(member, ".[") != NULL ||
        !(in_string_array(known, member) ||
          (dot == NULL &&
           in_string_array(cJSON_GetObjectItemCaseSensitive(schema, "older_members"), member)))) {
        free(object);
        return fail(err, "row %s: v3 member \"%s\" is not in the v3 schema", legacy, text);
    }
    if (element && !in_auth) {
        free(object);
        return fail(err, "row %s: \"%s\" names an array element; only auth[] rows read one", legacy,
                    text);
    }
    p->object = object;
    p->element = element;
    if ((p->text = strdup(text)) == NULL)
        return oom(err);
    p->member = p->text + (size_t)(member - text);
    return SCM_OK;
}

/* One source: a path, or an array of 1..SCM_MAP_MAX_SPELLINGS paths tried in order. */
static int parse_source(const cJSON *it, const cJSON *schema, const char *legacy, int in_auth,
                        scm_source *src, scm_error *err)
{
    const cJSON *spelling;
    int rc;
    if (cJSON_IsString(it))
        return it->valuestring[0] != '\0'
                   ? resolve(schema, it->valuestring, legacy, in_auth,
                             &src->spelling[src->nspellings++], err)
                   : fail(err, "row %s: v3 member names are non-empty strings", legacy);
    if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) < 1 ||
        cJSON_GetArraySize(it) > SCM_MAP_MAX_SPELLINGS)
        return fail(err, "row %s: a v3 source is a name or an array of 1 to %d spellings", legacy,
                    SCM_MAP_MAX_SPELLINGS);
    cJSON_ArrayForEach(spelling, it)
    {
        if (!cJSON_IsString(spelling) || spelling->valuestring[0] == '\0')
            return fail(err, "row %s: v3 member names are non-empty strings", legacy);
        if ((rc = resolve(schema, spelling->valuestring, legacy, in_auth,
                          &src->spelling[src->nspellings++], err)) != SCM_OK)
            return rc;
    }
    return SCM_OK;
}

/*
 * Fills one row from its JSON object; strings are copied into the row. The
 * row's "legacy" and "type" name a frozen field (frozen.h) and must match it.
 */
static int parse_row(const cJSON *obj, const cJSON *schema, scm_map_row *r, scm_error *err)
{
    const char *legacy = get_string(obj, "legacy"), *type, *rule, *cls, *desc, *key, *affix;
    const cJSON *v3, *values, *it;
    scm_field_type ft;
    int idx, in_auth, rc;

    if (legacy == NULL || legacy[0] == '\0')
        return fail(err, "a row has no \"legacy\" name");
    in_auth = strncmp(legacy, SCM_FROZEN_AUTH_PREFIX, strlen(SCM_FROZEN_AUTH_PREFIX)) == 0;
    key = in_auth ? legacy + strlen(SCM_FROZEN_AUTH_PREFIX) : legacy;
    if (key[0] == '\0' || strchr(key, '[') || strchr(key, '.'))
        return fail(err, "row %s: malformed legacy name", legacy);
    if ((r->field = scm__frozen_find(legacy)) == NULL)
        return fail(err, "row %s: not a field of the legacy response", legacy);

    type = get_string(obj, "type");
    if (type == NULL || (idx = lookup(TYPE_NAMES, COUNT(TYPE_NAMES), type)) < 0)
        return fail(err, "row %s: unknown type \"%s\"", legacy, type ? type : "");
    ft = (scm_field_type)idx;
    if (in_auth && ft != SCM_FT_STRING)
        return fail(err, "row %s: auth element members are strings", legacy);
    if (ft != r->field->type)
        return fail(err, "row %s: the legacy field's type is %s", legacy,
                    scm__field_type_name(r->field->type));

    rule = get_string(obj, "rule");
    if (rule == NULL || (idx = lookup(RULE_NAMES, COUNT(RULE_NAMES), rule)) < 0)
        return fail(err, "row %s: unknown rule \"%s\"", legacy, rule ? rule : "");
    r->rule = (scm_rule)idx;

    cls = get_string(obj, "class");
    if (cls == NULL || (idx = lookup(TABLE_CLASS_NAMES, COUNT(TABLE_CLASS_NAMES), cls)) < 0)
        return fail(err, "row %s: unknown class \"%s\"", legacy, cls ? cls : "");
    r->cls = (scm_field_class)idx;
    if ((r->rule == SCM_RULE_MISSING) != (r->cls == SCM_CLASS_MISSING))
        return fail(err, "row %s: rule missing goes with class missing, and only with it", legacy);
    if ((r->rule == SCM_RULE_EACH) != (ft == SCM_FT_ARRAY))
        return fail(err, "row %s: rule each goes with type array, and only with it", legacy);
    if (ft == SCM_FT_INT && r->rule != SCM_RULE_COPY && r->rule != SCM_RULE_MISSING)
        return fail(err, "row %s: an int field takes rule copy or missing", legacy);

    v3 = cJSON_GetObjectItemCaseSensitive(obj, "v3");
    if (!cJSON_IsArray(v3))
        return fail(err, "row %s: \"v3\" must be an array of member names", legacy);
    if (cJSON_GetArraySize(v3) != RULE_SOURCES[r->rule])
        return fail(err, "row %s: rule %s takes %d v3 member(s)", legacy, rule,
                    RULE_SOURCES[r->rule]);
    cJSON_ArrayForEach(it, v3)
    {
        if ((rc = parse_source(it, schema, legacy, in_auth, &r->v3[r->nv3++], err)) != SCM_OK)
            return rc;
    }
    if (r->rule == SCM_RULE_EACH &&
        (r->v3[0].nspellings != 1 || r->v3[0].spelling[0].object != NULL ||
         !cJSON_IsArray(schema_list(schema, r->v3[0].spelling[0].member, "[]"))))
        return fail(
            err, "row %s: rule each reads a top-level array the v3 schema describes as \"name[]\"",
            legacy);

    values = cJSON_GetObjectItemCaseSensitive(obj, "values");
    if ((r->rule == SCM_RULE_ENUM) != (values != NULL))
        return fail(err, "row %s: \"values\" goes with rule enum, and only with it", legacy);
    if (values != NULL) {
        scm_enum_pair *pairs;
        size_t n = 0;
        if (!cJSON_IsArray(values) || cJSON_GetArraySize(values) == 0)
            return fail(err, "row %s: \"values\" must be a non-empty array of pairs", legacy);
        pairs = calloc((size_t)cJSON_GetArraySize(values), sizeof *pairs);
        if (pairs == NULL)
            return oom(err);
        r->values = pairs;
        cJSON_ArrayForEach(it, values)
        {
            const cJSON *from = cJSON_GetArrayItem(it, 0), *to = cJSON_GetArrayItem(it, 1);
            size_t j;
            if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != 2 || !cJSON_IsString(from) ||
                !cJSON_IsString(to))
                return fail(err, "row %s: each value pair is [\"v3\", \"legacy\"]", legacy);
            for (j = 0; j < n; j++)
                if (strcmp(pairs[j].from, from->valuestring) == 0)
                    return fail(err, "row %s: value \"%s\" is mapped twice", legacy,
                                from->valuestring);
            pairs[n].from = strdup(from->valuestring);
            pairs[n].to = strdup(to->valuestring);
            r->nvalues = ++n;
            if (pairs[n - 1].from == NULL || pairs[n - 1].to == NULL)
                return oom(err);
        }
    }

    affix = get_string(obj, "affix");
    if ((cJSON_GetObjectItemCaseSensitive(obj, "affix") != NULL) != RULE_AFFIX[r->rule] ||
        (RULE_AFFIX[r->rule] && (affix == NULL || affix[0] == '\0')))
        return fail(err,
                    "row %s: a non-empty string \"affix\" goes with rules prefix and suffix, and "
                    "only with them",
                    legacy);
    if (affix != NULL && (r->affix = strdup(affix)) == NULL)
        return oom(err);

    desc = get_string(obj, "description");
    if (desc == NULL || desc[0] == '\0')
        return fail(err, "row %s: no description", legacy);
    if ((r->description = strdup(desc)) == NULL)
        return oom(err);
    return SCM_OK;
}

/* 1 when a spelling of r reads elements of an array that is not the table's auth array. */
static int element_elsewhere(const scm_map_row *r, const char *array)
{
    size_t j, k;
    for (j = 0; j < r->nv3; j++)
        for (k = 0; k < r->v3[j].nspellings; k++)
            if (r->v3[j].spelling[k].element &&
                (array == NULL || strcmp(r->v3[j].spelling[k].object, array) != 0))
                return 1;
    return 0;
}

/* What every format 2 table read its auth[] rows from. */
#define FORMAT2_ELEMENTS "authentification"

int scm__map_parse(const char *json, size_t len, scm_map *out, scm_error *err)
{
    cJSON *doc = scm__json_parse(json, len);
    const cJSON *fields, *schema, *format, *source, *it;
    scm_map_row *rows = NULL;
    const char *array = NULL, *elements;
    size_t n = 0, i;
    int array_rows = 0, api, rc;

    memset(out, 0, sizeof *out);
    if (doc == NULL)
        return fail(err, "the table is not valid JSON");
    fields = cJSON_GetObjectItemCaseSensitive(doc, "fields");
    schema = cJSON_GetObjectItemCaseSensitive(doc, "v3_schema");
    format = cJSON_GetObjectItemCaseSensitive(doc, "format");
    if (!cJSON_IsArray(fields) || cJSON_GetArraySize(fields) == 0 || !cJSON_IsObject(schema) ||
        !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(schema, "members"))) {
        cJSON_Delete(doc);
        return fail(err, "the table needs a \"fields\" array and a \"v3_schema\" object");
    }
    /* Format 1 named element members without their array: read now, they would mean top-level
     * members. Format 2 had no "source" and always meant v3's "authentification": operators'
     * format-2 tables keep working, read as that source. */
    if (!cJSON_IsNumber(format) ||
        (format->valuedouble != SCM_MAP_FORMAT && format->valuedouble != 2)) {
        cJSON_Delete(doc);
        return fail(err,
                    "the table's \"format\" must be %d (a \"source\" object names the API and its "
                    "element array; v3 sources are paths from the body's top, element members as "
                    "\"array[].member\")",
                    SCM_MAP_FORMAT);
    }
    source = cJSON_GetObjectItemCaseSensitive(doc, "source");
    if (format->valuedouble == 2) {
        if (source != NULL) {
            cJSON_Delete(doc);
            return fail(err, "a format 2 table has no \"source\" (format 3 names it)");
        }
        elements = FORMAT2_ELEMENTS;
        api = SCM_API_V3;
    } else {
        elements = get_string(source, "elements");
        api = get_string(source, "api") != NULL
                  ? lookup(API_NAMES, COUNT(API_NAMES), get_string(source, "api"))
                  : -1;
    }
    if (api < 0 || elements == NULL) {
        cJSON_Delete(doc);
        return fail(err, "the table needs a \"source\" object: {\"api\": \"v3\", \"elements\": "
                         "\"<the array whose elements auth[] rows read>\"}");
    }
    if (!in_string_array(cJSON_GetObjectItemCaseSensitive(schema, "members"), elements) ||
        !cJSON_IsArray(schema_list(schema, elements, "[]"))) {
        rc = fail(err, "the source's element array \"%s\" is not described as \"%s[]\"", elements,
                  elements);
        cJSON_Delete(doc);
        return rc;
    }
    out->api = (scm_source_api)api;
    rows = calloc((size_t)cJSON_GetArraySize(fields), sizeof *rows);
    if (rows == NULL) {
        cJSON_Delete(doc);
        return oom(err);
    }
    out->rows = rows;
    out->owned = rows;
    cJSON_ArrayForEach(it, fields)
    {
        out->nrows = n + 1;
        if (!cJSON_IsObject(it)) {
            rc = fail(err, "row %zu is not an object", n + 1);
            goto bad;
        }
        if ((rc = parse_row(it, schema, &rows[n], err)) != SCM_OK)
            goto bad;
        for (i = 0; i < n; i++)
            if (rows[i].field == rows[n].field) {
                rc = fail(err, "row %s: the legacy field has more than one row",
                          rows[n].field->name);
                goto bad;
            }
        if (rows[n].field->type == SCM_FT_ARRAY) {
            array_rows++;
            array = rows[n].v3[0].spelling[0].member;
            if (strcmp(array, elements) != 0) {
                rc = fail(err, "row %s: reads \"%s\", not the source's element array \"%s\"",
                          rows[n].field->name, array, elements);
                goto bad;
            }
        }
        n++;
    }
    for (i = 0; i < n; i++) {
        if (rows[i].field->in_auth && array_rows == 0) {
            rc = fail(err, "row %s: auth[] rows need an array row", rows[i].field->name);
            goto bad;
        }
        if (element_elsewhere(&rows[i], array)) {
            rc = fail(err, "row %s: reads elements of an array other than the auth row's \"%s\"",
                      rows[i].field->name, array != NULL ? array : "");
            goto bad;
        }
    }
    for (i = 0; i < SCM__FROZEN_COUNT; i++)
        if (scm__map_find(out, scm__frozen[i].name) == NULL) {
            rc = fail(err, "row %s: missing (every legacy field needs one row)",
                      scm__frozen[i].name);
            goto bad;
        }
    cJSON_Delete(doc);
    return SCM_OK;
bad:
    cJSON_Delete(doc);
    scm__map_free(out);
    return rc;
}

const scm_map_row *scm__map_find(const scm_map *map, const char *legacy)
{
    size_t i;
    for (i = 0; i < map->nrows; i++)
        if (strcmp(map->rows[i].field->name, legacy) == 0)
            return &map->rows[i];
    return NULL;
}
