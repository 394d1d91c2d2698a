/*
 * jsontree.c - a body parsed into read-only cJSON nodes held in one block; see json.h.
 * owns: the grammar as cJSON 1.7 accepts it (the same verdicts and the same tree, so every
 * reader of cJSON nodes works unchanged) and the block's layout; must not: know a schema, or
 * hand out a node a cJSON function may free or relink.
 */
#include "json.h"

#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cJSON's CJSON_NESTING_LIMIT: arrays and objects nested deeper are rejected, as it does. */
#define TREE_MAX_DEPTH 1000

/* Nodes beyond the first block's, in blocks of their own (node addresses never move). */
typedef struct more_nodes {
    struct more_nodes *next;
    size_t used, cap;
    cJSON node[];
} more_nodes;

/*
 * The one allocation: this header, then the first nodes (node 0 is the root), then the text
 * of every string and member name (decoded text is never longer than its literal, so the
 * body's length is enough). max_align_t keeps the nodes after it aligned.
 */
typedef union tree_head {
    struct {
        more_nodes *more;
        size_t used, cap;
        char *text;
    } h;
    max_align_t align;
} tree_head;

typedef struct parser {
    const unsigned char *p, *end;
    size_t depth;
    tree_head *t;
    char point; /* the locale's decimal point, for strtod as cJSON does */
} parser;

static cJSON *new_node(parser *ps)
{
    tree_head *t = ps->t;
    more_nodes *m = t->h.more;
    cJSON *n;
    if (t->h.used < t->h.cap) {
        n = (cJSON *)(t + 1) + t->h.used++;
    } else {
        if (m == NULL || m->used == m->cap) {
            size_t cap = m != NULL ? m->cap * 2 : t->h.cap * 2 + 16;
            more_nodes *grown;
            if (cap > (SIZE_MAX - sizeof *grown) / sizeof(cJSON) ||
                (grown = malloc(sizeof *grown + cap * sizeof(cJSON))) == NULL)
                return NULL;
            grown->next = m;
            grown->used = 0;
            grown->cap = cap;
            t->h.more = m = grown;
        }
        n = &m->node[m->used++];
    }
    memset(n, 0, sizeof *n);
    return n;
}

/* cJSON's white space: every byte up to and including the space. */
static void skip_space(parser *ps)
{
    while (ps->p < ps->end && *ps->p <= 32)
        ps->p++;
}

/* Four hex digits; an invalid digit makes the whole value 0, as in cJSON. */
static unsigned hex4(const unsigned char *s)
{
    unsigned h = 0;
    int i;
    for (i = 0; i < 4; i++) {
        unsigned c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return 0;
        h = (h << 4) | d;
    }
    return h;
}

/* One \uXXXX (or a surrogate pair) at in, before end, as UTF-8 at *out; its length or 0. */
static size_t utf16_escape(const unsigned char *in, const unsigned char *end, char **out)
{
    unsigned long cp;
    unsigned first, second;
    size_t seq = 6, n, i;
    unsigned char mark = 0;
    if (end - in < 6)
        return 0;
    first = hex4(in + 2);
    if (first >= 0xDC00 && first <= 0xDFFF)
        return 0;
    if (first >= 0xD800 && first <= 0xDBFF) {
        if (end - (in + 6) < 6 || in[6] != '\\' || in[7] != 'u')
            return 0;
        second = hex4(in + 8);
        if (second < 0xDC00 || second > 0xDFFF)
            return 0;
        cp = 0x10000 + (((first & 0x3FFUL) << 10) | (second & 0x3FF));
        seq = 12;
    } else {
        cp = first;
    }
    if (cp < 0x80)
        n = 1;
    else if (cp < 0x800)
        n = 2, mark = 0xC0;
    else if (cp < 0x10000)
        n = 3, mark = 0xE0;
    else
        n = 4, mark = 0xF0;
    for (i = n - 1; i > 0; i--) {
        (*out)[i] = (char)((cp | 0x80) & 0xBF);
        cp >>= 6;
    }
    (*out)[0] = (char)(n > 1 ? (cp | mark) & 0xFF : cp & 0x7F);
    *out += n;
    return seq;
}

/* A string literal at ps->p ('"') into the text area; NULL when it is not a valid one. */
static char *parse_string(parser *ps)
{
    const unsigned char *in = ps->p + 1, *close = in;
    char *out = ps->t->h.text, *start = out;
    while (close < ps->end && *close != '"') {
        if (*close == '\\') {
            if (close + 1 >= ps->end)
                return NULL;
            close++;
        }
        close++;
    }
    if (close >= ps->end)
        return NULL;
    while (in < close) {
        /* Runs without a backslash are copied whole. */
        const unsigned char *bs = memchr(in, '\\', (size_t)(close - in));
        size_t run = (size_t)((bs != NULL ? bs : close) - in), seq = 2;
        memcpy(out, in, run);
        out += run;
        in += run;
        if (in == close)
            break;
        switch (in[1]) {
        case 'b':
            *out++ = '\b';
            break;
        case 'f':
            *out++ = '\f';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        case 't':
            *out++ = '\t';
            break;
        case '"':
        case '\\':
        case '/':
            *out++ = (char)in[1];
            break;
        case 'u':
            if ((seq = utf16_escape(in, close, &out)) == 0)
                return NULL;
            break;
        default:
            return NULL;
        }
        in += seq;
    }
    *out++ = '\0';
    ps->t->h.text = out;
    ps->p = close + 1;
    return start;
}

/* cJSON's number (Debian's, since the fix of CVE-2023-26819): the whole run of [0-9+-eE.] that
 * strtod reads. */
static int parse_number(parser *ps, cJSON *n)
{
    char local[64], *digits = local, *after;
    size_t i, len = 0;
    double v;
    while (ps->p + len < ps->end) {
        unsigned char c = ps->p[len];
        if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.'))
            break;
        len++;
    }
    if (len >= sizeof local && (digits = malloc(len + 1)) == NULL)
        return 0;
    for (i = 0; i < len; i++)
        digits[i] = ps->p[i] == '.' ? ps->point : (char)ps->p[i];
    digits[len] = '\0';
    v = strtod(digits, &after);
    len = (size_t)(after - digits);
    if (digits != local)
        free(digits);
    if (len == 0)
        return 0;
    n->type = cJSON_Number;
    n->valuedouble = v;
    n->valueint = v >= INT_MAX ? INT_MAX : v <= (double)INT_MIN ? INT_MIN : (int)v;
    ps->p += len;
    return 1;
}

static int parse_value(parser *ps, cJSON *n);

/* The elements of an array or the members of an object, ps->p at its '[' or '{'. */
static int parse_container(parser *ps, cJSON *n, int object)
{
    const unsigned char close = object ? '}' : ']';
    cJSON *last = NULL;
    if (ps->depth >= TREE_MAX_DEPTH)
        return 0;
    ps->depth++;
    n->type = object ? cJSON_Object : cJSON_Array;
    ps->p++;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->depth--;
        return 1;
    }
    for (;;) {
        cJSON *item = new_node(ps);
        if (item == NULL)
            return 0;
        if (last == NULL)
            n->child = item;
        else
            last->next = item, item->prev = last;
        last = item;
        skip_space(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"' || (item->string = parse_string(ps)) == NULL)
                return 0;
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':')
                return 0;
            ps->p++;
            skip_space(ps);
        }
        if (!parse_value(ps, item))
            return 0;
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        break;
    }
    if (ps->p >= ps->end || *ps->p != close)
        return 0;
    /* As cJSON links them: the first element's prev is the last one. */
    n->child->prev = last;
    ps->p++;
    ps->depth--;
    return 1;
}

static int literal(parser *ps, const char *word, size_t len)
{
    if ((size_t)(ps->end - ps->p) < len || memcmp(ps->p, word, len) != 0)
        return 0;
    ps->p += len;
    return 1;
}

static int parse_value(parser *ps, cJSON *n)
{
    unsigned char c;
    if (ps->p >= ps->end)
        return 0;
    if (literal(ps, "null", 4)) {
        n->type = cJSON_NULL;
        return 1;
    }
    if (literal(ps, "false", 5)) {
        n->type = cJSON_False;
        return 1;
    }
    if (literal(ps, "true", 4)) {
        n->type = cJSON_True;
        n->valueint = 1;
        return 1;
    }
    c = *ps->p;
    if (c == '"') {
        n->type = cJSON_String;
        return (n->valuestring = parse_string(ps)) != NULL;
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(ps, n);
    if (c == '[' || c == '{')
        return parse_container(ps, n, c == '{');
    return 0;
}

const cJSON *scm__json_tree_parse(const char *data, size_t len)
{
    parser ps;
    tree_head *t;
    size_t cap = len / 16 + 16;
    const char *end;

    if (data == NULL || len == 0 || !scm__json_acceptable(data, len) ||
        len > (SIZE_MAX - sizeof *t - 1) / 2 ||
        cap > (SIZE_MAX - sizeof *t - len - 1) / sizeof(cJSON))
        return NULL;
    if ((t = malloc(sizeof *t + cap * sizeof(cJSON) + len + 1)) == NULL)
        return NULL;
    t->h.more = NULL;
    t->h.used = 0;
    t->h.cap = cap;
    t->h.text = (char *)((cJSON *)(t + 1) + cap);
    ps.p = (const unsigned char *)data;
    ps.end = ps.p + len;
    ps.depth = 0;
    ps.t = t;
    ps.point = *localeconv()->decimal_point;
    /* cJSON skips a UTF-8 byte order mark, when five bytes or more follow its start. */
    if (len >= 5 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    skip_space(&ps);
    if (!parse_value(&ps, new_node(&ps))) {
        scm__json_tree_free((cJSON *)(t + 1));
        return NULL;
    }
    for (end = (const char *)ps.p; end < data + len; end++)
        if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
            scm__json_tree_free((cJSON *)(t + 1));
            return NULL;
        }
    return (const cJSON *)(t + 1);
}

void scm__json_tree_free(const cJSON *root)
{
    tree_head *t;
    more_nodes *m, *next;
    if (root == NULL)
        return;
    t = (tree_head *)(uintptr_t)root - 1;
    for (m = t->h.more; m != NULL; m = next) {
        next = m->next;
        free(m);
    }
    free(t);
}
