/* convert.c - applies the mapping table's rules to a v3 body; see convert.h. */
#include "convert.h"

#include "buf.h"
#include "details.h"
#include "json.h"
#include "report.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct conv {
    const cJSON *top;     /* the v3 body */
    scm_report  *report;
    char        *err;
    size_t       errlen;
} conv;

/* A v3 string member: absent or null is "", any other non-string is an error. */
static int source(conv *cv, const cJSON *obj, const char *name, const char **out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = "";
    if (it == NULL || cJSON_IsNull(it))
        return SCM_OK;
    if (!cJSON_IsString(it)) {
        snprintf(cv->err, cv->errlen, "v3 member \"%s\" is not a string", name);
        return SCM_E_PARSE;
    }
    *out = it->valuestring;
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
                scm_buf_putc(b, ';');
            scm_buf_append(b, s, (size_t)(e - s));
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
        scm_buf_append(b, name, nl - dl - 1);
    else
        scm_buf_puts(b, name);
}

/* The legacy string a row yields for obj (the body or one authentification element). */
static int string_value(conv *cv, const scm_map_row *r, size_t report_row, const cJSON *obj,
                        char **out)
{
    const cJSON *from = r->rule == SCM_RULE_COPY_TOP ? cv->top : obj;
    const char *a = "", *b = "";
    scm_buf v;
    size_t i;
    int rc;

    if (r->nv3 > 0 && (rc = source(cv, from, r->v3[0], &a)) != SCM_OK)
        return rc;
    if (r->nv3 > 1 && (rc = source(cv, from, r->v3[1], &b)) != SCM_OK)
        return rc;
    scm_buf_init(&v);
    switch (r->rule) {
    case SCM_RULE_ENUM:
        for (i = 0; i < r->nvalues && strcmp(r->values[i].from, a) != 0; i++)
            ;
        if (i < r->nvalues) {
            scm_buf_puts(&v, r->values[i].to);
            break;
        }
        /* An open enum: pass the value through and say so. */
        if (a[0] != '\0')
            scm_report_set_unmapped(cv->report, report_row);
        scm_buf_puts(&v, a);
        break;
    case SCM_RULE_LOWER:
    case SCM_RULE_UPPER:
        scm_buf_puts(&v, a);
        for (i = 0; i < v.len; i++)
            v.data[i] = (char)(r->rule == SCM_RULE_LOWER ? tolower((unsigned char)v.data[i])
                                                         : toupper((unsigned char)v.data[i]));
        break;
    case SCM_RULE_JOIN:
        join_entries(&v, a);
        join_entries(&v, b);
        break;
    case SCM_RULE_STRIP_DOMAIN:
        strip_domain(&v, a, b);
        break;
    case SCM_RULE_MISSING:
        break;
    default: /* copy, copy_top */
        scm_buf_puts(&v, a);
        break;
    }
    *out = scm_buf_take(&v);
    return *out != NULL ? SCM_OK : SCM_E_NOMEM;
}

static int int_value(conv *cv, const scm_map_row *r, int *out)
{
    const cJSON *it = r->nv3 ? cJSON_GetObjectItemCaseSensitive(cv->top, r->v3[0]) : NULL;
    *out = 0;
    if (it == NULL || cJSON_IsNull(it) || scm_json_int(it, out))
        return SCM_OK;
    snprintf(cv->err, cv->errlen, "v3 member \"%s\" is not an integer in int range", r->v3[0]);
    return SCM_E_PARSE;
}

static int array_value(conv *cv, const scm_map *map, const scm_map_row *arr, scm_cert_details *d)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cv->top, arr->v3[0]), *el;
    size_t n, i, k = 0;
    int rc;

    if (list == NULL || cJSON_IsNull(list))
        return SCM_OK;
    if (!cJSON_IsArray(list)) {
        snprintf(cv->err, cv->errlen, "v3 member \"%s\" is not an array", arr->v3[0]);
        return SCM_E_PARSE;
    }
    if ((n = (size_t)cJSON_GetArraySize(list)) == 0)
        return SCM_OK;
    if ((d->auth = calloc(n, sizeof *d->auth)) == NULL)
        return SCM_E_NOMEM;
    d->auth_count = n;
    cJSON_ArrayForEach(el, list) {
        if (!cJSON_IsObject(el)) {
            snprintf(cv->err, cv->errlen, "an element of v3 member \"%s\" is not an object",
                     arr->v3[0]);
            return SCM_E_PARSE;
        }
        for (i = 0; i < map->nrows; i++) {
            const scm_map_row *r = &map->rows[i];
            if (r->in_auth &&
                (rc = string_value(cv, r, r->report_row, el,
                                   scm_details_str(&d->auth[k], r))) != SCM_OK)
                return rc;
        }
        k++;
    }
    return SCM_OK;
}

/* 1 when name is one of the n names (the first byte settles most without a call). */
static int listed(const char *const *names, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (names[i][0] == name[0] && strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* Lists the v3 members, in body order, that no row reads. */
static int collect_v3_only(conv *cv, const scm_map *map)
{
    /* The names the rows read, once: top-level ones from the front, element ones from the back. */
    size_t cap = map->nrows * SCM_MAP_MAX_SOURCES, ntop = 0, nelement = 0, i, j;
    const char **names = malloc(cap * sizeof *names), **element;
    const cJSON *it, *el, *m;
    scm_buf name;
    int rc = SCM_OK;

    if (names == NULL)
        return SCM_E_NOMEM;
    for (i = 0; i < map->nrows; i++) {
        const scm_map_row *r = &map->rows[i];
        int in_element = r->in_auth && r->rule != SCM_RULE_COPY_TOP;
        for (j = 0; j < r->nv3; j++) {
            if (in_element)
                names[cap - ++nelement] = r->v3[j];
            else
                names[ntop++] = r->v3[j];
        }
    }
    element = names + cap - nelement;
    scm_buf_init(&name);
    cJSON_ArrayForEach(it, cv->top) {
        int used = listed(names, ntop, it->string);
        if (!used && scm_report_add_v3_only(cv->report, it->string) != 0)
            rc = SCM_E_NOMEM;
        if (rc != SCM_OK || !used || !cJSON_IsArray(it))
            continue;
        cJSON_ArrayForEach(el, it) {
            cJSON_ArrayForEach(m, el) {
                if (m->string == NULL || listed(element, nelement, m->string))
                    continue;
                /* Whole names, however long: a cut one could end inside a UTF-8 character. */
                scm_buf_reset(&name);
                scm_buf_puts(&name, it->string);
                scm_buf_puts(&name, "[].");
                scm_buf_puts(&name, m->string);
                if (name.oom || scm_report_add_v3_only(cv->report, name.data) != 0)
                    rc = SCM_E_NOMEM;
            }
        }
    }
    scm_buf_free(&name);
    free(names);
    return rc;
}

int scm_convert_v3(const scm_map *map, const cJSON *v3, scm_cert_details **out, char *err,
                   size_t errlen)
{
    conv cv = {v3, NULL, err, errlen};
    scm_cert_details *d;
    size_t i;
    int rc = SCM_OK;

    *out = NULL;
    if (!cJSON_IsObject(v3)) {
        snprintf(err, errlen, "the v3 body is not a JSON object");
        return SCM_E_PARSE;
    }
    if ((d = scm_details_new("v3")) == NULL)
        return SCM_E_NOMEM;
    cv.report = scm_details_report(d);
    for (i = 0; i < map->nrows; i++)
        cv.report->cls[map->rows[i].report_row] = map->rows[i].cls;
    for (i = 0; i < map->nrows && rc == SCM_OK; i++) {
        const scm_map_row *r = &map->rows[i];
        if (r->in_auth)
            continue;
        if (r->type == SCM_FT_STRING)
            rc = string_value(&cv, r, r->report_row, v3, scm_details_str(d, r));
        else if (r->type == SCM_FT_INT)
            rc = int_value(&cv, r, scm_details_int(d, r));
        else
            rc = array_value(&cv, map, r, d);
    }
    if (rc == SCM_OK)
        rc = collect_v3_only(&cv, map);
    if (rc == SCM_OK && scm_details_fill_empty(d) != 0)
        rc = SCM_E_NOMEM;
    if (rc != SCM_OK) {
        scm_cert_details_free(d);
        return rc;
    }
    *out = d;
    return SCM_OK;
}
