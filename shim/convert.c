/*
 * convert.c - the table walk: applies a table's rules to a body of its source
 * API (v3 with mapping.json's table, legacy with the identity one); see convert.h.
 * owns: the rules' semantics and the report's unmapped/absent/v3-only entries;
 * must not: parse tables (map_load.c), know a field or a v3 member by name.
 */
#include "convert.h"

#include "buf.h"
#include "details.h"
#include "json.h"
#include "members.h"
#include "report.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How messages name what a table reads, and whether its report lists absent and unread members. */
static const struct api_words {
    const char *name, *member, *element, *body;
    int reports;
} APIS[] = {
#define X(id, name, member, element, body, reports) {name, member, element, body, reports},
    SCM_SOURCE_APIS(X)
#undef X
};

typedef struct conv {
    const struct api_words *api;
    const cJSON *top;   /* the body */
    scm_members *index; /* top's members by name: one probe per lookup, not a scan per row */
    const char *object; /* the nested object last looked up in top, and what it was */
    const cJSON *holder;
    scm_report *report;
    scm_error *err;
    scm_buf scratch; /* where a transformed value is built, reused from value to value */
} conv;

/* The first top-level member called name, or NULL. */
static const cJSON *top_member(conv *cv, const char *name)
{
    const scm_member_slot *s = scm__members_find(cv->index, name);
    return s != NULL ? s->first : NULL;
}

/*
 * The value of src for el (the current authentification element, or NULL):
 * the first spelling present and not null, *out NULL when none is. A nested
 * source's object must be an object.
 */
static int lookup(conv *cv, const scm_map_row *r, const scm_source *src, const cJSON *el,
                  const cJSON **out, const char **name)
{
    size_t k;
    *out = NULL;
    *name = src->spelling[0].text;
    for (k = 0; k < src->nspellings; k++) {
        const scm_path *p = &src->spelling[k];
        const cJSON *holder = p->element ? el : cv->top, *it;
        if (p->object != NULL && !p->element) {
            /* Rows read one nested object member after another: look it up once. */
            if (cv->object == NULL || strcmp(cv->object, p->object) != 0) {
                cv->object = p->object;
                cv->holder = top_member(cv, p->object);
            }
            holder = cv->holder;
            if (holder == NULL || cJSON_IsNull(holder))
                continue;
            if (!cJSON_IsObject(holder)) {
                return scm__fail(cv->err, SCM__ERR_PARSE, "%s \"%s\" is not an object",
                                 cv->api->member, p->object);
            }
        }
        it = holder == cv->top ? top_member(cv, p->member)
                               : cJSON_GetObjectItemCaseSensitive(holder, p->member);
        if (it == NULL || cJSON_IsNull(it))
            continue;
        if (k > 0 &&
            scm__report_set_spelling(cv->report, SCM__FROZEN_INDEX(r->field), p->text) != SCM_OK)
            return SCM_E_NOMEM;
        *out = it;
        *name = p->text;
        return SCM_OK;
    }
    return SCM_OK;
}

/* A string source: absent or null is "" (not counted in *found), any other non-string an error. */
static int source(conv *cv, const scm_map_row *r, size_t j, const cJSON *el, const char **out,
                  size_t *found)
{
    const cJSON *it;
    const char *name;
    int rc = lookup(cv, r, &r->v3[j], el, &it, &name);
    *out = "";
    if (rc != SCM_OK || it == NULL)
        return rc;
    if (!cJSON_IsString(it)) {
        return scm__fail(cv->err, SCM__ERR_PARSE, "%s \"%s\" is not a string", cv->api->member,
                         name);
    }
    *out = it->valuestring;
    (*found)++;
    return SCM_OK;
}

/* Appends the ';'-separated entries of list, trimmed of spaces, skipping empty ones. */
static void join_entries(scm_buf *b, const char *list)
{
    while (*list) {
        const char *end = strchr(list, ';'), *s = list, *e;
        if (end == NULL)
            end = list + strlen(list);
        e = end;
        while (s < e && *s == ' ')
            s++;
        while (e > s && e[-1] == ' ')
            e--;
        if (e > s) {
            if (b->len)
                scm__buf_putc(b, ';');
            scm__buf_append(b, s, (size_t)(e - s));
        }
        list = *end ? end + 1 : end;
    }
}

/* record_name without "." + domain (leading "*." of the domain dropped first), else whole. */
static void strip_domain(scm_buf *b, const char *name, const char *domain)
{
    size_t nl = strlen(name), dl;
    if (strncmp(domain, "*.", 2) == 0)
        domain += 2;
    dl = strlen(domain);
    if (dl > 0 && nl > dl + 1 && name[nl - dl - 1] == '.' && strcmp(name + nl - dl, domain) == 0)
        scm__buf_append(b, name, nl - dl - 1);
    else
        scm__buf_puts(b, name);
}

/* A malloc'd copy of the len bytes at s, NUL-terminated: each value gets exactly its size. */
static char *exact_copy(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

/* The legacy string a row yields for the body or for one authentification element el. */
static int string_value(conv *cv, const scm_map_row *r, const cJSON *el, char **out)
{
    const char *a = "", *b = "";
    size_t i, found = 0;
    scm_buf *v = &cv->scratch;
    int rc, built = 1;

    if (r->nv3 > 0 && (rc = source(cv, r, 0, el, &a, &found)) != SCM_OK)
        return rc;
    if (r->nv3 > 1 && (rc = source(cv, r, 1, el, &b, &found)) != SCM_OK)
        return rc;
    if (r->nv3 > 0 && found == 0 && cv->api->reports)
        scm__report_set_absent(cv->report, SCM__FROZEN_INDEX(r->field));
    scm__buf_reset(v);
    switch (r->rule) {
    case SCM_RULE_ENUM:
        for (i = 0; i < r->nvalues && strcmp(r->values[i].from, a) != 0; i++)
            ;
        built = 0;
        if (i < r->nvalues) {
            a = r->values[i].to;
            break;
        }
        /* An open enum: pass the value through and say so. */
        if (a[0] != '\0')
            scm__report_set_unmapped(cv->report, SCM__FROZEN_INDEX(r->field));
        break;
    case SCM_RULE_LOWER:
    case SCM_RULE_UPPER:
        scm__buf_puts(v, a);
        for (i = 0; i < v->len; i++)
            v->data[i] = (char)(r->rule == SCM_RULE_LOWER ? tolower((unsigned char)v->data[i])
                                                          : toupper((unsigned char)v->data[i]));
        break;
    case SCM_RULE_PREFIX:
    case SCM_RULE_SUFFIX:
        if (a[0] == '\0')
            break;
        scm__buf_puts(v, r->rule == SCM_RULE_PREFIX ? r->affix : a);
        scm__buf_puts(v, r->rule == SCM_RULE_PREFIX ? a : r->affix);
        break;
    case SCM_RULE_JOIN:
        join_entries(v, a);
        join_entries(v, b);
        break;
    case SCM_RULE_STRIP_DOMAIN:
        strip_domain(v, a, b);
        break;
    case SCM_RULE_MISSING:
        break;
    default: /* copy */
        built = 0;
        break;
    }
    /* Built values are in the scratch buffer (empty for a missing one); the others are a. */
    if (v->oom)
        return SCM_E_NOMEM;
    *out = built ? exact_copy(v->len > 0 ? v->data : "", v->len) : exact_copy(a, strlen(a));
    return *out != NULL ? SCM_OK : SCM_E_NOMEM;
}

static int int_value(conv *cv, const scm_map_row *r, int *out)
{
    const cJSON *it = NULL;
    const char *name = "";
    int rc = r->nv3 ? lookup(cv, r, &r->v3[0], NULL, &it, &name) : SCM_OK;
    *out = 0;
    if (rc != SCM_OK)
        return rc;
    if (it == NULL) {
        if (r->nv3 && cv->api->reports)
            scm__report_set_absent(cv->report, SCM__FROZEN_INDEX(r->field));
        return SCM_OK;
    }
    if (scm__json_int(it, out))
        return SCM_OK;
    return scm__fail(cv->err, SCM__ERR_PARSE, "%s \"%s\" is not an integer in int range",
                     cv->api->member, name);
}

static int array_value(conv *cv, const scm_map *map, const scm_map_row *arr, scm_cert_details *d)
{
    const cJSON *list, *el;
    const char *name;
    size_t n, i, k = 0;
    int rc;

    if ((rc = lookup(cv, arr, &arr->v3[0], NULL, &list, &name)) != SCM_OK)
        return rc;
    if (list == NULL) {
        if (cv->api->reports)
            scm__report_set_absent(cv->report, SCM__FROZEN_INDEX(arr->field));
        return SCM_OK;
    }
    if (!cJSON_IsArray(list)) {
        return scm__fail(cv->err, SCM__ERR_PARSE, "%s \"%s\" is not an array", cv->api->member,
                         name);
    }
    if ((n = (size_t)cJSON_GetArraySize(list)) == 0)
        return SCM_OK;
    if ((d->auth = calloc(n, sizeof *d->auth)) == NULL)
        return SCM_E_NOMEM;
    d->auth_count = n;
    cJSON_ArrayForEach(el, list)
    {
        if (!cJSON_IsObject(el)) {
            return scm__fail(cv->err, SCM__ERR_PARSE, "%s \"%s\" is not an object",
                             cv->api->element, name);
        }
        for (i = 0; i < map->nrows; i++) {
            const scm_map_row *r = &map->rows[i];
            if (r->field->in_auth &&
                (rc = string_value(cv, r, el, scm__details_str(&d->auth[k], r->field))) != SCM_OK)
                return rc;
        }
        k++;
    }
    return SCM_OK;
}

/* 1 when a path in paths reads member of object, as an element member or not. */
static int reads(const scm_path *const *paths, size_t n, const char *object, const char *member,
                 int element)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const scm_path *p = paths[i];
        if (p->element == element && p->member[0] == member[0] && strcmp(p->member, member) == 0 &&
            strcmp(p->object, object) == 0)
            return 1;
    }
    return 0;
}

/* Reports "object.m" (or "object[].m") for each member m of o that no path reads. */
static int unread_members(conv *cv, const scm_path *const *paths, size_t n, const cJSON *o,
                          const char *object, int element, scm_buf *name)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, o)
    {
        if (m->string == NULL || reads(paths, n, object, m->string, element))
            continue;
        /* Whole names, however long: a cut one could end inside a UTF-8 character. */
        scm__buf_reset(name);
        scm__buf_puts(name, object);
        scm__buf_puts(name, element ? "[]." : ".");
        scm__buf_puts(name, m->string);
        if (name->oom || scm__report_add_v3_only(cv->report, name->data) != SCM_OK)
            return SCM_E_NOMEM;
    }
    return SCM_OK;
}

/*
 * Lists the v3 members, in body order, that no row reads: top-level, nested and element ones.
 * Top-level members are marked in the index (one probe per path); the nested and element
 * members are few and are checked against the paths that read inside an object.
 */
static int collect_v3_only(conv *cv, const scm_map *map)
{
    size_t cap = map->nrows * SCM_MAP_MAX_SOURCES * SCM_MAP_MAX_SPELLINGS, n = 0, i, j, k;
    const scm_path **paths = malloc(cap * sizeof *paths);
    const cJSON *it, *el;
    scm_member_slot *s;
    scm_buf name;
    int rc = SCM_OK;

    if (paths == NULL)
        return SCM_E_NOMEM;
    for (i = 0; i < map->nrows; i++)
        for (j = 0; j < map->rows[i].nv3; j++)
            for (k = 0; k < map->rows[i].v3[j].nspellings; k++) {
                const scm_path *p = &map->rows[i].v3[j].spelling[k];
                if ((s = scm__members_find(cv->index, p->object ? p->object : p->member)) == NULL)
                    continue;
                if (p->object != NULL) {
                    s->inside = 1;
                    paths[n++] = p;
                } else {
                    s->read = 1;
                }
            }
    scm__buf_init(&name);
    cJSON_ArrayForEach(it, cv->top)
    {
        if (rc != SCM_OK)
            break;
        if (it->string == NULL || (s = scm__members_find(cv->index, it->string)) == NULL)
            continue;
        if (!s->inside) {
            if (!s->read && scm__report_add_v3_only(cv->report, it->string) != SCM_OK)
                rc = SCM_E_NOMEM;
        } else if (cJSON_IsObject(it)) {
            rc = unread_members(cv, paths, n, it, it->string, 0, &name);
        } else if (cJSON_IsArray(it)) {
            cJSON_ArrayForEach(el, it)
            {
                if (rc == SCM_OK)
                    rc = unread_members(cv, paths, n, el, it->string, 1, &name);
            }
        }
    }
    scm__buf_free(&name);
    free(paths);
    return rc;
}

int scm__convert_v3(const scm_map *map, const cJSON *v3, scm_cert_details **out, scm_error *err)
{
    scm_members index;
    conv cv = {&APIS[map->api], v3, &index, NULL, NULL, NULL, err, {NULL, 0, 0, 0}};
    scm_cert_details *d;
    size_t i;
    int rc = SCM_OK;

    *out = NULL;
    if (!cJSON_IsObject(v3))
        return scm__fail(err, SCM__ERR_PARSE, "%s is not a JSON object", cv.api->body);
    if (scm__members_build(&index, v3) != SCM_OK)
        return scm__fail(err, SCM__ERR_NOMEM, NULL);
    if ((d = scm__details_new(cv.api->name)) == NULL) {
        scm__members_free(&index);
        return scm__fail(err, SCM__ERR_NOMEM, NULL);
    }
    cv.report = scm__details_report(d);
    for (i = 0; i < map->nrows; i++)
        scm__report_set_class(cv.report, SCM__FROZEN_INDEX(map->rows[i].field), map->rows[i].cls);
    for (i = 0; i < map->nrows && rc == SCM_OK; i++) {
        const scm_map_row *r = &map->rows[i];
        if (r->field->in_auth)
            continue;
        if (r->field->type == SCM_FT_STRING)
            rc = string_value(&cv, r, NULL, scm__details_str(d, r->field));
        else if (r->field->type == SCM_FT_INT)
            rc = int_value(&cv, r, scm__details_int(d, r->field));
        else
            rc = array_value(&cv, map, r, d);
    }
    if (rc == SCM_OK && cv.api->reports)
        rc = collect_v3_only(&cv, map);
    scm__buf_free(&cv.scratch);
    scm__members_free(&index);
    if (rc == SCM_OK && scm__details_fill_empty(d) != SCM_OK)
        rc = SCM_E_NOMEM;
    if (rc != SCM_OK) {
        scm_cert_details_free(d);
        /* The rules' failures are recorded where they happen; only OOM is left. */
        return rc == SCM_E_NOMEM ? scm__fail(err, SCM__ERR_NOMEM, NULL) : rc;
    }
    *out = d;
    return SCM_OK;
}
