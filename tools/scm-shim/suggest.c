/*
 * suggest.c - the audit's suggested mapping table; see suggest.h.
 * owns: collecting the observed (v3, legacy) pairs, learning enum pairs, case rules and
 * sources from them, writing the table and its change list; must not: compare fields
 * (compare.c does), check a table (map_load.c does) or change the table in force.
 */
#include "suggest.h"

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "log.h"
#include "maptable.h"
#include "summary.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Different legacy answers kept per v3 value: more is ambiguous all the same. */
#define SUGGEST_MAX_ANSWERS 4
/* Room for one value in the change list, escaped. */
#define SHOWN_MAX 160

/* One (v3, legacy) pair of a field in one certificate: v3 as the table rebuilt it. */
typedef struct obs {
    size_t cert;
    char *v3;
    char *legacy;
} obs;

typedef struct field_obs {
    obs *o;
    size_t n, cap;
    size_t compared;   /* certificates where the field was compared (no error) */
    size_t mismatches; /* of which nothing explained the difference */
    size_t mismatch_ex[SUMMARY_EXAMPLES];
    int noted; /* the change list already says why it stays */
} field_obs;

struct suggest {
    suggest_opts opt;
    scm_map loaded;
    const scm_map *map;
    char **ids;
    cJSON **members; /* per certificate: the v3 top-level strings, or NULL (a log) */
    size_t ncerts, cap;
    size_t with_values, lacking_values; /* records that differ, with and without values */
    size_t without_bodies;              /* records without the v3 body (a log's) */
    field_obs f[SCM__FROZEN_COUNT];
    FILE *changes, *unexplained; /* the change list's two sections */
    char *changes_text, *unexplained_text;
    size_t changes_len, unexplained_len, nchanges;
};

void suggest_opts_init(suggest_opts *o)
{
    o->path = NULL;
    o->min_observations = 0;
}

int suggest_option(suggest_opts *o, const char *name, const char *value)
{
    char *end;
    if (strcmp(name, "--suggest-mapping") == 0) {
        o->path = value;
        return CLI_TAKEN;
    }
    if (strcmp(name, "--min-observations") != 0)
        return CLI_NOT_OURS;
    errno = 0;
    o->min_observations = strtol(value, &end, 10);
    if (errno != 0 || *end != '\0' || o->min_observations < 1 ||
        o->min_observations > SUGGEST_MAX_OBSERVATIONS)
        return cli_usage_error("audit", "--min-observations takes 1 to %d",
                               SUGGEST_MAX_OBSERVATIONS);
    return CLI_TAKEN;
}

void suggest_free(suggest *s)
{
    size_t i, k;
    if (s == NULL)
        return;
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        for (k = 0; k < s->f[i].n; k++) {
            free(s->f[i].o[k].v3);
            free(s->f[i].o[k].legacy);
        }
        free(s->f[i].o);
    }
    for (i = 0; i < s->ncerts; i++) {
        free(s->ids[i]);
        cJSON_Delete(s->members[i]);
    }
    free(s->ids);
    free(s->members);
    if (s->changes != NULL)
        fclose(s->changes);
    if (s->unexplained != NULL)
        fclose(s->unexplained);
    free(s->changes_text);
    free(s->unexplained_text);
    scm__map_free(&s->loaded);
    free(s);
}

int suggest_begin(const suggest_opts *o, suggest **out)
{
    scm_error err;
    suggest *s;
    *out = NULL;
    if (o->path == NULL)
        return CLI_OK;
    if ((s = calloc(1, sizeof *s)) == NULL)
        return cli_error(CLI_FAIL, "out of memory");
    s->opt = *o;
    if (s->opt.min_observations == 0)
        s->opt.min_observations = SUGGEST_MIN_OBSERVATIONS;
    if (scm__map_from_env(&s->loaded, &s->map, &err) != SCM_OK) {
        free(s);
        return cli_error(CLI_USAGE, "%s", err.msg);
    }
    s->changes = open_memstream(&s->changes_text, &s->changes_len);
    s->unexplained = open_memstream(&s->unexplained_text, &s->unexplained_len);
    if (s->changes == NULL || s->unexplained == NULL) {
        suggest_free(s);
        return cli_error(CLI_FAIL, "out of memory");
    }
    *out = s;
    return CLI_OK;
}

static int add_obs(field_obs *f, size_t cert, const cJSON *legacy, const cJSON *v3)
{
    obs *o;
    if (!cJSON_IsString(legacy) || !cJSON_IsString(v3))
        return 0;
    if (f->n == f->cap) {
        obs *grown = realloc(f->o, (f->cap = f->cap ? f->cap * 2 : 16) * sizeof *grown);
        if (grown == NULL)
            return -1;
        f->o = grown;
    }
    o = &f->o[f->n];
    o->cert = cert;
    o->v3 = strdup(v3->valuestring);
    o->legacy = strdup(legacy->valuestring);
    f->n++;
    return o->v3 != NULL && o->legacy != NULL ? 0 : -1;
}

/* A field's pair: two strings, or two arrays of auth element values paired by position. */
static int add_pair(field_obs *f, size_t cert, const cJSON *pair)
{
    const cJSON *legacy = cJSON_GetObjectItemCaseSensitive(pair, "legacy");
    const cJSON *v3 = cJSON_GetObjectItemCaseSensitive(pair, "v3");
    int k, n;
    if (!cJSON_IsArray(legacy) || !cJSON_IsArray(v3))
        return add_obs(f, cert, legacy, v3);
    n = cJSON_GetArraySize(legacy) < cJSON_GetArraySize(v3) ? cJSON_GetArraySize(legacy)
                                                            : cJSON_GetArraySize(v3);
    for (k = 0; k < n; k++)
        if (add_obs(f, cert, cJSON_GetArrayItem(legacy, k), cJSON_GetArrayItem(v3, k)) != 0)
            return -1;
    return 0;
}

int suggest_add(suggest *s, const char *cert_id, const scm_cmp *fields, const cJSON *values,
                const cJSON *v3_members)
{
    size_t i, c, differing = 0;
    if (s == NULL)
        return 0;
    if (s->ncerts == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **ids = realloc(s->ids, cap * sizeof *ids);
        cJSON **members = ids != NULL ? realloc(s->members, cap * sizeof *members) : NULL;
        if (ids != NULL)
            s->ids = ids;
        if (members == NULL)
            return -1;
        s->members = members;
        s->cap = cap;
    }
    c = s->ncerts;
    s->members[c] = v3_members != NULL ? cJSON_Duplicate(v3_members, 1) : NULL;
    s->without_bodies += v3_members == NULL;
    if ((s->ids[c] = strdup(cert_id)) == NULL)
        return -1;
    s->ncerts++;
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        field_obs *f = &s->f[i];
        const cJSON *pair = cJSON_GetObjectItemCaseSensitive(values, scm__frozen[i].name);
        if (fields[i] == SCM_CMP_ERROR)
            continue;
        f->compared++;
        differing += fields[i] != SCM_CMP_MATCH;
        if (fields[i] == SCM_CMP_MISMATCH && f->mismatches++ < SUMMARY_EXAMPLES)
            f->mismatch_ex[f->mismatches - 1] = c;
        if (pair != NULL && add_pair(f, c, pair) != 0)
            return -1;
    }
    if (differing > 0 && values == NULL)
        s->lacking_values++;
    else if (differing > 0)
        s->with_values++;
    return 0;
}

/* A value as the change list shows it: controls escaped, between backquotes. */
static void put_value(FILE *out, const char *v)
{
    char shown[SHOWN_MAX];
    scm__log_escape(shown, sizeof shown, v);
    fprintf(out, "`%s`", shown);
}

/* ", e.g. ID, ID, ID" from certificate indexes. */
static void put_examples(const suggest *s, FILE *out, const size_t *ex, size_t n)
{
    size_t k;
    for (k = 0; k < n && k < SUMMARY_EXAMPLES; k++)
        fprintf(out, "%s%s", k ? ", " : ", e.g. ", s->ids[ex[k]]);
}

/* Whether observation k repeats an earlier one of f (its legacy value, and v3's when with_v3). */
static int seen_before(const field_obs *f, size_t k, int with_v3)
{
    size_t j;
    for (j = 0; j < k; j++)
        if (strcmp(f->o[j].legacy, f->o[k].legacy) == 0 &&
            (!with_v3 || strcmp(f->o[j].v3, f->o[k].v3) == 0))
            return 1;
    return 0;
}

/* "; <label> A → B, ..." (or "; <label> B, ..." without v3): a few distinct observations. */
static void put_observed(FILE *out, const field_obs *f, const char *label, int with_v3)
{
    size_t k, shown = 0;
    for (k = 0; k < f->n && shown < SUMMARY_EXAMPLES; k++) {
        if (seen_before(f, k, with_v3))
            continue;
        fprintf(out, shown++ ? ", " : "; %s ", label);
        if (with_v3) {
            put_value(out, f->o[k].v3);
            fputs(" → ", out);
        }
        put_value(out, f->o[k].legacy);
    }
}

/* Certificates among a field's observations (each cert's pairs are adjacent). */
static size_t distinct_certs(const field_obs *f, int (*keep)(const obs *, const void *),
                             const void *ctx, size_t *ex)
{
    size_t k, n = 0, last = (size_t)-1;
    for (k = 0; k < f->n; k++) {
        if (f->o[k].cert == last || (keep != NULL && !keep(&f->o[k], ctx)))
            continue;
        last = f->o[k].cert;
        if (ex != NULL && n < SUMMARY_EXAMPLES)
            ex[n] = last;
        n++;
    }
    return n;
}

/* The row's JSON object in the table's "fields", by legacy name. */
static cJSON *row_json(cJSON *doc, const char *legacy)
{
    cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(doc, "fields"))
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "legacy");
        if (cJSON_IsString(name) && strcmp(name->valuestring, legacy) == 0)
            return row;
    }
    return NULL;
}

static void set_string(cJSON *row, const char *key, const char *value)
{
    cJSON_DeleteItemFromObjectCaseSensitive(row, key);
    cJSON_AddStringToObject(row, key, value);
}

/* ----- enum rows: the pairs seen ----- */

typedef struct answer {
    const char *legacy;
    size_t count;
    size_t ex[SUMMARY_EXAMPLES];
} answer;

typedef struct group {
    const char *raw; /* the v3 value */
    answer a[SUGGEST_MAX_ANSWERS];
    size_t nanswers, overflow;
} group;

/* The table's legacy value for v3 value raw: its pair's, else raw itself (passed through). */
static const char *mapped(const scm_map_row *r, const char *raw)
{
    size_t j;
    for (j = 0; j < r->nvalues; j++)
        if (strcmp(r->values[j].from, raw) == 0)
            return r->values[j].to;
    return raw;
}

/*
 * The v3 value behind an observation: the body's member when the row reads a
 * top-level one and the body is at hand, else the table's rule undone (a value
 * two pairs give cannot be undone: NULL, as is a source the body lacked).
 */
static const char *raw_value(const suggest *s, const scm_map_row *r, const obs *o)
{
    const cJSON *members = s->members[o->cert];
    const char *from = NULL;
    size_t k, hits = 0;
    int top = 0;
    for (k = 0; members != NULL && k < r->v3[0].nspellings; k++) {
        const scm_path *p = &r->v3[0].spelling[k];
        const cJSON *it = p->object == NULL && !p->element
                              ? cJSON_GetObjectItemCaseSensitive(members, p->member)
                              : NULL;
        top |= p->object == NULL && !p->element;
        if (cJSON_IsString(it))
            return it->valuestring[0] != '\0' ? it->valuestring : NULL;
    }
    if (top && members != NULL)
        return NULL;
    for (k = 0; k < r->nvalues; k++)
        if (strcmp(r->values[k].to, o->v3) == 0) {
            from = r->values[k].from;
            hits++;
        }
    return hits > 1 || o->v3[0] == '\0' ? NULL : hits ? from : o->v3;
}

static void group_add(group *g, const obs *o)
{
    size_t k;
    for (k = 0; k < g->nanswers && strcmp(g->a[k].legacy, o->legacy) != 0; k++)
        ;
    if (k == SUGGEST_MAX_ANSWERS) {
        g->overflow++;
        return;
    }
    if (k == g->nanswers)
        g->a[g->nanswers++].legacy = o->legacy;
    if (g->a[k].count < SUMMARY_EXAMPLES)
        g->a[k].ex[g->a[k].count] = o->cert;
    g->a[k].count++;
}

/* Sets pair raw -> legacy in the row's "values" (replaced, or added last). */
static void set_pair(cJSON *row, const char *raw, const char *legacy)
{
    cJSON *values = cJSON_GetObjectItemCaseSensitive(row, "values"), *pair, *fresh;
    cJSON_ArrayForEach(pair, values)
    {
        const cJSON *from = cJSON_GetArrayItem(pair, 0);
        if (cJSON_IsString(from) && strcmp(from->valuestring, raw) == 0) {
            cJSON_ReplaceItemInArray(pair, 1, cJSON_CreateString(legacy));
            return;
        }
    }
    if ((fresh = cJSON_CreateArray()) != NULL) {
        cJSON_AddItemToArray(fresh, cJSON_CreateString(raw));
        cJSON_AddItemToArray(fresh, cJSON_CreateString(legacy));
        cJSON_AddItemToArray(values, fresh);
    }
}

static void report_answers(const suggest *s, const group *g)
{
    size_t k;
    for (k = 0; k < g->nanswers; k++) {
        fputs(k ? "; " : "", s->unexplained);
        put_value(s->unexplained, g->a[k].legacy);
        fprintf(s->unexplained, " in %zu", g->a[k].count);
        put_examples(s, s->unexplained, g->a[k].ex, g->a[k].count);
    }
    if (g->overflow > 0)
        fprintf(s->unexplained, "; %zu more with other answers", g->overflow);
}

static int learn_enum(suggest *s, field_obs *f, const scm_map_row *r, cJSON *row)
{
    group *groups = calloc(f->n ? f->n : 1, sizeof *groups);
    size_t ngroups = 0, k, g;
    const char *name = r->field->name;
    if (groups == NULL)
        return -1;
    for (k = 0; k < f->n; k++) {
        const char *raw = raw_value(s, r, &f->o[k]);
        if (raw == NULL)
            continue;
        for (g = 0; g < ngroups && strcmp(groups[g].raw, raw) != 0; g++)
            ;
        if (g == ngroups)
            groups[ngroups++].raw = raw;
        group_add(&groups[g], &f->o[k]);
    }
    for (g = 0; g < ngroups; g++) {
        const group *gr = &groups[g];
        const char *now = mapped(r, gr->raw);
        if (gr->nanswers == 1 && gr->overflow == 0 && strcmp(gr->a[0].legacy, now) == 0)
            continue;
        if (gr->nanswers > 1 || gr->overflow > 0) {
            fprintf(s->unexplained, "- `%s`: v3 ", name);
            put_value(s->unexplained, gr->raw);
            fputs(" is ambiguous, not changed: legacy ", s->unexplained);
            report_answers(s, gr);
            fputs(".\n", s->unexplained);
            f->noted = 1;
        } else if (gr->a[0].count < (size_t)s->opt.min_observations) {
            fprintf(s->unexplained, "- `%s`: v3 ", name);
            put_value(s->unexplained, gr->raw);
            fputs(" → legacy ", s->unexplained);
            report_answers(s, gr);
            fprintf(s->unexplained, ": fewer than %ld certificates, not changed.\n",
                    s->opt.min_observations);
            f->noted = 1;
        } else {
            set_pair(row, gr->raw, gr->a[0].legacy);
            fprintf(s->changes, "- `%s`: value ", name);
            put_value(s->changes, gr->raw);
            fputs(" → ", s->changes);
            put_value(s->changes, gr->a[0].legacy);
            fputs(" (was ", s->changes);
            put_value(s->changes, now);
            fprintf(s->changes, "%s): %zu certificates", now == gr->raw ? ", unmapped" : "",
                    gr->a[0].count);
            put_examples(s, s->changes, gr->a[0].ex, gr->a[0].count);
            fputs(".\n", s->changes);
            s->nchanges++;
            f->mismatches = 0;
        }
    }
    free(groups);
    return 0;
}

/* ----- copy rows: a fixed change of case, a fixed prefix or suffix ----- */

/* The rules that rebuild a value by changing its case, as convert.c applies them. */
static const struct {
    scm_rule rule;
    int (*map)(int);
} CASE_RULES[] = {{SCM_RULE_LOWER, tolower}, {SCM_RULE_UPPER, toupper}};

/* The rules that add the row's affix, and on which side. */
static const struct {
    scm_rule rule;
    int before;
} AFFIX_RULES[] = {{SCM_RULE_PREFIX, 1}, {SCM_RULE_SUFFIX, 0}};

static int fits_case(const obs *o, int (*map)(int))
{
    const unsigned char *a = (const unsigned char *)o->v3, *b = (const unsigned char *)o->legacy;
    for (; *a && map(*a) == *b; a++, b++)
        ;
    return *a == '\0' && *b == '\0';
}

/*
 * The text every pair's legacy value adds before (or after) its v3 value, malloc'd; NULL when
 * one pair does not fit. Empty stays empty, as convert.c keeps it.
 */
static char *common_affix(const field_obs *f, int before)
{
    const char *affix = NULL;
    size_t alen = 0, k;
    for (k = 0; k < f->n; k++) {
        const obs *o = &f->o[k];
        size_t lv = strlen(o->v3), ll = strlen(o->legacy);
        const char *at = before ? o->legacy : o->legacy + lv;
        if (lv == 0 && ll == 0)
            continue;
        if (lv == 0 || ll <= lv || memcmp(before ? o->legacy + (ll - lv) : o->legacy, o->v3, lv))
            return NULL;
        if (affix == NULL) {
            affix = at;
            alen = ll - lv;
        } else if (ll - lv != alen || memcmp(affix, at, alen) != 0) {
            return NULL;
        }
    }
    return affix != NULL ? strndup(affix, alen) : NULL;
}

static int differs(const obs *o, const void *ctx)
{
    (void)ctx;
    return strcmp(o->v3, o->legacy) != 0;
}

/* The first rule every pair of f fits, with the affix it adds (malloc'd) when it takes one. */
static scm_rule fitting_rule(const field_obs *f, char **affix)
{
    size_t k, j;
    *affix = NULL;
    for (k = 0; k < sizeof CASE_RULES / sizeof CASE_RULES[0]; k++) {
        for (j = 0; j < f->n && fits_case(&f->o[j], CASE_RULES[k].map); j++)
            ;
        if (j == f->n)
            return CASE_RULES[k].rule;
    }
    for (k = 0; k < sizeof AFFIX_RULES / sizeof AFFIX_RULES[0]; k++)
        if ((*affix = common_affix(f, AFFIX_RULES[k].before)) != NULL)
            return AFFIX_RULES[k].rule;
    return SCM_RULE_COUNT_;
}

static void learn_copy(suggest *s, field_obs *f, const scm_map_row *r, cJSON *row)
{
    size_t ex[SUMMARY_EXAMPLES], n = distinct_certs(f, differs, NULL, ex);
    char *affix;
    scm_rule rule;
    if (n == 0 || (rule = fitting_rule(f, &affix)) == SCM_RULE_COUNT_)
        return;
    if (n < (size_t)s->opt.min_observations) {
        fprintf(s->unexplained, "- `%s`: the rule `%s`", r->field->name, scm__rule_name(rule));
        if (affix != NULL) {
            fputc(' ', s->unexplained);
            put_value(s->unexplained, affix);
        }
        fprintf(s->unexplained, " explains %zu certificates; fewer than %ld, not changed.\n", n,
                s->opt.min_observations);
        f->noted = 1;
        free(affix);
        return;
    }
    set_string(row, "rule", scm__rule_name(rule));
    if (affix != NULL)
        set_string(row, "affix", affix);
    set_string(row, "class", scm__class_name(SCM_CLASS_TRANSFORMED));
    fprintf(s->changes, "- `%s`: rule `%s` → `%s`", r->field->name, scm__rule_name(r->rule),
            scm__rule_name(rule));
    if (affix != NULL) {
        fputs(" with affix ", s->changes);
        put_value(s->changes, affix);
    }
    fprintf(s->changes, " (class transformed): %zu certificates", n);
    put_examples(s, s->changes, ex, n);
    put_observed(s->changes, f, "pairs", 1);
    fputs(".\n", s->changes);
    s->nchanges++;
    f->mismatches = 0;
    free(affix);
}

/* ----- missing and lossy rows: a v3 member with the legacy value ----- */

static int member_equal(const obs *o, const void *ctx)
{
    const void *const *c = ctx; /* {members per cert, member name} */
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(((cJSON *const *)c[0])[o->cert], c[1]);
    return cJSON_IsString(it) && strcmp(it->valuestring, o->legacy) == 0;
}

static int nonempty(const obs *o, const void *ctx)
{
    (void)ctx;
    return o->legacy[0] != '\0';
}

static void learn_source(suggest *s, field_obs *f, const scm_map_row *r, cJSON *row)
{
    size_t ex[SUMMARY_EXAMPLES], answered = distinct_certs(f, nonempty, NULL, ex), k, n;
    const cJSON *m;
    if (answered == 0 || f->n == 0)
        return;
    for (k = 0; k < f->n; k++)
        if (s->members[f->o[k].cert] == NULL) {
            fprintf(s->unexplained,
                    "- `%s`: legacy answers it in %zu certificates; a log holds no v3 bodies to "
                    "look for its source in (audit the certificates instead).\n",
                    r->field->name, answered);
            f->noted = 1;
            return;
        }
    cJSON_ArrayForEach(m, s->members[f->o[0].cert])
    {
        const void *ctx[2] = {s->members, m->string};
        size_t j;
        for (j = 0; j < f->n && member_equal(&f->o[j], ctx); j++)
            ;
        if (j < f->n || (n = distinct_certs(f, NULL, NULL, NULL)) < f->compared)
            continue;
        if (answered < (size_t)s->opt.min_observations) {
            fprintf(s->unexplained,
                    "- `%s`: v3 `%s` held the legacy value in %zu certificates; fewer than %ld, "
                    "not changed.\n",
                    r->field->name, m->string, answered, s->opt.min_observations);
            f->noted = 1;
            return;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(row, "v3");
        cJSON_AddItemToObject(row, "v3", cJSON_CreateStringArray((const char *[]){m->string}, 1));
        cJSON_DeleteItemFromObjectCaseSensitive(row, "values");
        set_string(row, "rule", scm__rule_name(SCM_RULE_COPY));
        set_string(row, "class",
                   scm__class_name(strcmp(m->string, r->field->key) == 0 ? SCM_CLASS_EXACT
                                                                         : SCM_CLASS_RENAMED));
        fprintf(s->changes,
                "- `%s`: source v3 `%s`, rule copy, class %s (was %s, %s): equal in all %zu "
                "certificates compared, %zu of them not empty",
                r->field->name, m->string,
                cJSON_GetObjectItemCaseSensitive(row, "class")->valuestring,
                scm__rule_name(r->rule), scm__class_name(r->cls), n, answered);
        put_examples(s, s->changes, ex, answered);
        put_observed(s->changes, f, "values", 0);
        fputs(".\n", s->changes);
        set_string(row, "description",
                   "Learnt by scm-shim audit --suggest-mapping: the v3 member "
                   "held the legacy value in every certificate audited.");
        s->nchanges++;
        f->mismatches = 0;
        return;
    }
    if (r->cls == SCM_CLASS_MISSING) {
        fprintf(s->unexplained, "- `%s`: legacy answers it in %zu certificates", r->field->name,
                answered);
        put_examples(s, s->unexplained, ex, answered);
        fputs("; no v3 member holds its value in every one.\n", s->unexplained);
        f->noted = 1;
    }
}

/* Mismatches no change or note above accounts for. */
static void report_mismatches(suggest *s, const field_obs *f, const scm_map_row *r)
{
    size_t k;
    if (f->mismatches == 0 || f->noted)
        return;
    fprintf(s->unexplained, "- `%s`: %zu certificates mismatch", r->field->name, f->mismatches);
    put_examples(s, s->unexplained, f->mismatch_ex, f->mismatches);
    for (k = 0; k < f->n; k++)
        if (strcmp(f->o[k].v3, f->o[k].legacy) != 0) {
            fputs(" (v3 rebuilt ", s->unexplained);
            put_value(s->unexplained, f->o[k].v3);
            fputs(", legacy ", s->unexplained);
            put_value(s->unexplained, f->o[k].legacy);
            fputs(")", s->unexplained);
            break;
        }
    fputs("; no rule found.\n", s->unexplained);
}

/*
 * Whether f was seen in only some of the certificates it was compared in, from a log (said): a
 * log holds values only where a field differed, so where it matched nothing says which v3 value
 * gave which legacy one, and a change learnt from the rest could break those certificates.
 */
static int partly_seen(suggest *s, field_obs *f, const scm_map_row *r)
{
    size_t seen = distinct_certs(f, NULL, NULL, NULL);
    if (s->without_bodies == 0 || seen == 0 || seen >= f->compared)
        return 0;
    fprintf(s->unexplained,
            "- `%s`: the log holds its values in %zu of the %zu certificates compared (only "
            "where it differed); a change could break the others: not changed (audit the "
            "certificates instead).\n",
            r->field->name, seen, f->compared);
    f->noted = 1;
    return 1;
}

static int learn(suggest *s, cJSON *doc)
{
    size_t i;
    for (i = 0; i < s->map->nrows; i++) {
        const scm_map_row *r = &s->map->rows[i];
        field_obs *f = &s->f[SCM__FROZEN_INDEX(r->field)];
        cJSON *row = row_json(doc, r->field->name);
        /* Only string fields have values a rule could be learnt from. */
        if (row != NULL && r->field->type == SCM_FT_STRING && !partly_seen(s, f, r)) {
            if (r->cls == SCM_CLASS_MISSING || r->cls == SCM_CLASS_LOSSY)
                learn_source(s, f, r, row);
            else if (r->rule == SCM_RULE_ENUM && learn_enum(s, f, r, row) != 0)
                return -1;
            else if (r->rule == SCM_RULE_COPY)
                learn_copy(s, f, r, row);
        }
        report_mismatches(s, f, r);
    }
    return 0;
}

static int write_text(const char *path, const char *text)
{
    FILE *out = fopen(path, "w");
    int ok = out != NULL && fputs(text, out) >= 0;
    if (out != NULL && fclose(out) != 0)
        ok = 0;
    return ok ? CLI_OK : cli_error(CLI_FAIL, "cannot write %s: %s", path, strerror(errno));
}

/* The change list: what changed with its evidence, and what stays unexplained. */
static int write_changes(suggest *s, const char *path, const char *base)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    int rc;
    if (out == NULL)
        return cli_error(CLI_FAIL, "out of memory");
    fflush(s->changes);
    fflush(s->unexplained);
    fprintf(out,
            "# Suggested mapping changes\n\n"
            "Table: %s, from %s. Certificates audited: %zu. A change needs at least %ld "
            "certificates (--min-observations).\n",
            s->opt.path, base, s->ncerts, s->opt.min_observations);
    if (s->lacking_values > 0)
        fprintf(out, "%zu records differ but hold no values: not learnt from.\n",
                s->lacking_values);
    fprintf(out, "\n## Changes (%zu)\n\n%s", s->nchanges,
            s->changes_len ? s->changes_text : "None.\n");
    fprintf(out, "\n## Unexplained\n\n%s", s->unexplained_len ? s->unexplained_text : "Nothing.\n");
    fclose(out);
    rc = text != NULL ? write_text(path, text) : cli_error(CLI_FAIL, "out of memory");
    free(text);
    return rc;
}

/* Writes and checks the table; CLI_OK or the status of what failed (said). */
static int write_table(suggest *s)
{
    const char *env = getenv("SCM_SHIM_MAPPING");
    char *text = NULL, *out, changes[4096];
    size_t len = 0;
    cJSON *doc;
    scm_map check = {0};
    scm_error err;
    int rc;

    if (s->with_values == 0 && s->lacking_values > 0)
        return cli_error(CLI_USAGE,
                         "--suggest-mapping: the log's records hold no values to learn from; "
                         "write the log with SCM_SHIM_AUDIT_VALUES=1");
    if (env != NULL && env[0] != '\0' && (text = cli_read_all(env, &len)) == NULL)
        return cli_error(CLI_USAGE, "cannot read %s: %s", env, strerror(errno));
    doc = text != NULL ? scm__json_parse(text, len)
                       : scm__json_parse(scm__map_builtin_json, strlen(scm__map_builtin_json));
    free(text);
    if (doc == NULL || learn(s, doc) != 0 || (out = cJSON_Print(doc)) == NULL) {
        cJSON_Delete(doc);
        return cli_error(CLI_FAIL, "out of memory");
    }
    cJSON_Delete(doc);
    rc = write_text(s->opt.path, out);
    cJSON_free(out);
    if (rc == CLI_OK && scm__map_load_file(s->opt.path, &check, &err) != SCM_OK)
        rc = cli_error(CLI_FAIL, "the suggested table %s fails the loader's checks: %s",
                       s->opt.path, err.msg);
    scm__map_free(&check);
    if (rc == CLI_OK &&
        (size_t)snprintf(changes, sizeof changes, "%s.changes.md", s->opt.path) >= sizeof changes)
        rc = cli_error(CLI_USAGE, "--suggest-mapping: the path is too long");
    if (rc == CLI_OK)
        rc = write_changes(s, changes, env != NULL && env[0] != '\0' ? env : "the built-in table");
    return rc;
}

int suggest_finish(suggest *s, int rc)
{
    int written;
    if (s == NULL)
        return rc;
    written = write_table(s);
    return written != CLI_OK ? written : rc;
}
