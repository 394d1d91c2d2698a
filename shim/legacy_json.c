/*
 * legacy_json.c - the legacy body writer and the report's JSON; see legacy_json.h.
 * owns: the byte layout of both (member order from frozen.h, escaping, indent); must not:
 * convert values (convert.c) or read a report's members (report.c's accessors only).
 */
#include "legacy_json.h"

#include "details.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void scm__json_put_string(scm_buf *b, const char *s)
{
    static const char HEX[] = "0123456789abcdef";
    size_t n = 0;
    /* Most values need no escape: one reservation and one copy, quotes included. */
    while ((unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\')
        n++;
    if (s[n] == '\0') {
        if (scm__buf_reserve(b, n + 2) != SCM_OK)
            return;
        b->data[b->len] = '"';
        memcpy(b->data + b->len + 1, s, n);
        b->data[b->len + n + 1] = '"';
        b->len += n + 2;
        b->data[b->len] = '\0';
        return;
    }
    scm__buf_putc(b, '"');
    while (*s) {
        const char *run = s;
        unsigned char c;
        /* Bytes that need no escape go out in one append, not one call each. */
        while ((unsigned char)*s >= 0x20 && *s != '"' && *s != '\\')
            s++;
        if (s > run)
            scm__buf_append(b, run, (size_t)(s - run));
        if (*s == '\0')
            break;
        switch (c = (unsigned char)*s++) {
        case '"':
            scm__buf_puts(b, "\\\"");
            break;
        case '\\':
            scm__buf_puts(b, "\\\\");
            break;
        case '\n':
            scm__buf_puts(b, "\\n");
            break;
        case '\r':
            scm__buf_puts(b, "\\r");
            break;
        case '\t':
            scm__buf_puts(b, "\\t");
            break;
        case '\b':
            scm__buf_puts(b, "\\b");
            break;
        case '\f':
            scm__buf_puts(b, "\\f");
            break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
            scm__buf_append(b, esc, 6);
        }
        }
    }
    scm__buf_putc(b, '"');
}

static void newline(scm_buf *b, int indent, int level)
{
    int i;
    if (indent == 0)
        return;
    scm__buf_putc(b, '\n');
    for (i = 0; i < indent * level; i++)
        scm__buf_putc(b, ' ');
}

static void key(scm_buf *b, const char *k, int indent)
{
    scm__json_put_string(b, k);
    scm__buf_puts(b, indent ? ": " : ":");
}

/* Writes name(r, i) for i < n, skipping NULL, as a JSON array. */
static void put_names(scm_buf *b, const char *(*name)(const scm_report *, size_t), size_t n,
                      const scm_report *r, int indent, int level)
{
    size_t i, written = 0;
    scm__buf_putc(b, '[');
    for (i = 0; i < n; i++) {
        const char *s = name(r, i);
        if (s == NULL)
            continue;
        if (written++)
            scm__buf_putc(b, ',');
        newline(b, indent, level + 1);
        scm__json_put_string(b, s);
    }
    if (written)
        newline(b, indent, level);
    scm__buf_putc(b, ']');
}

static const char *unmapped_name(const scm_report *r, size_t i)
{
    return scm__report_is_unmapped(r, i) ? scm__frozen[i].name : NULL;
}

static const char *absent_name(const scm_report *r, size_t i)
{
    return scm__report_is_absent(r, i) ? scm__frozen[i].name : NULL;
}

static const char *v3_only_name(const scm_report *r, size_t i)
{
    return scm__report_v3_only(r, i);
}

void scm__report_put_json(scm_buf *b, const scm_report *r, int indent, int level)
{
    size_t i;

    scm__buf_putc(b, '{');
    newline(b, indent, level + 1);
    key(b, "backend", indent);
    scm__json_put_string(b, scm__report_backend(r));
    scm__buf_putc(b, ',');
    newline(b, indent, level + 1);
    key(b, "fields", indent);
    scm__buf_putc(b, '{');
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        if (i)
            scm__buf_putc(b, ',');
        newline(b, indent, level + 2);
        key(b, scm__frozen[i].name, indent);
        scm__json_put_string(b, scm__class_name(scm__report_class(r, i)));
    }
    newline(b, indent, level + 1);
    scm__buf_puts(b, "},");
    for (i = 0; i < SCM__FROZEN_COUNT && scm__report_captured_at(r, i) == 0; i++)
        ;
    if (i < SCM__FROZEN_COUNT) {
        size_t written = 0;
        newline(b, indent, level + 1);
        key(b, "captured_at", indent);
        scm__buf_putc(b, '{');
        for (i = 0; i < SCM__FROZEN_COUNT; i++) {
            char when[32];
            time_t t = (time_t)scm__report_captured_at(r, i);
            struct tm tm;
            if (t == 0 || gmtime_r(&t, &tm) == NULL)
                continue;
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
            if (written++)
                scm__buf_putc(b, ',');
            newline(b, indent, level + 2);
            key(b, scm__frozen[i].name, indent);
            scm__json_put_string(b, when);
        }
        newline(b, indent, level + 1);
        scm__buf_puts(b, "},");
    }
    for (i = 0; i < SCM__FROZEN_COUNT && scm__report_spelling(r, i) == NULL; i++)
        ;
    if (i < SCM__FROZEN_COUNT) {
        size_t written = 0;
        newline(b, indent, level + 1);
        key(b, "spellings", indent);
        scm__buf_putc(b, '{');
        for (i = 0; i < SCM__FROZEN_COUNT; i++) {
            if (scm__report_spelling(r, i) == NULL)
                continue;
            if (written++)
                scm__buf_putc(b, ',');
            newline(b, indent, level + 2);
            key(b, scm__frozen[i].name, indent);
            scm__json_put_string(b, scm__report_spelling(r, i));
        }
        newline(b, indent, level + 1);
        scm__buf_puts(b, "},");
    }
    newline(b, indent, level + 1);
    key(b, "unmapped", indent);
    put_names(b, unmapped_name, SCM__FROZEN_COUNT, r, indent, level + 1);
    scm__buf_putc(b, ',');
    newline(b, indent, level + 1);
    key(b, "absent", indent);
    put_names(b, absent_name, SCM__FROZEN_COUNT, r, indent, level + 1);
    scm__buf_putc(b, ',');
    newline(b, indent, level + 1);
    key(b, "v3_only", indent);
    put_names(b, v3_only_name, scm__report_v3_only_count(r), r, indent, level + 1);
    newline(b, indent, level);
    scm__buf_putc(b, '}');
}

/* The bytes of d's body when no value needs an escape (indentation, quotes and separators). */
static size_t body_size(const scm_cert_details *d)
{
    size_t n = 8, i, k;
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_frozen_field *r = &scm__frozen[i];
        size_t per = strlen(r->key) + 16;
        if (r->type == SCM_FT_INT)
            per += 12;
        for (k = 0; k < (r->in_auth ? d->auth_count : 1); k++)
            n += per +
                 (r->type == SCM_FT_STRING
                      ? strlen(*scm__details_str(r->in_auth ? (void *)&d->auth[k] : (void *)d, r))
                      : 0);
    }
    return n + 16 * d->auth_count;
}

char *scm__legacy_json(const scm_cert_details *d, const scm_report *annotate)
{
    char num[32];
    size_t i, k, j;
    int first = 1;
    scm_buf b;

    scm__buf_init(&b);
    /* One allocation for a body without escapes or a report: only those grow the buffer. */
    scm__buf_reserve(&b, body_size(d));
    scm__buf_putc(&b, '{');
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_frozen_field *r = &scm__frozen[i];
        if (r->in_auth)
            continue;
        scm__buf_puts(&b, first ? "\n  " : ",\n  ");
        first = 0;
        key(&b, r->key, 2);
        if (r->type == SCM_FT_STRING) {
            scm__json_put_string(&b, *scm__details_str((void *)d, r));
        } else if (r->type == SCM_FT_INT) {
            snprintf(num, sizeof num, "%d", *scm__details_int((scm_cert_details *)d, r));
            scm__buf_puts(&b, num);
        } else if (d->auth_count == 0) {
            scm__buf_puts(&b, "[]");
        } else {
            scm__buf_putc(&b, '[');
            for (k = 0; k < d->auth_count; k++) {
                int first_member = 1;
                scm__buf_puts(&b, k ? ",\n    {" : "\n    {");
                for (j = 0; j < SCM__FROZEN_COUNT; j++) {
                    if (!scm__frozen[j].in_auth)
                        continue;
                    scm__buf_puts(&b, first_member ? "\n      " : ",\n      ");
                    first_member = 0;
                    key(&b, scm__frozen[j].key, 2);
                    scm__json_put_string(&b, *scm__details_str(&d->auth[k], &scm__frozen[j]));
                }
                scm__buf_puts(&b, "\n    }");
            }
            scm__buf_puts(&b, "\n  ]");
        }
    }
    if (annotate != NULL) {
        scm__buf_puts(&b, ",\n  ");
        key(&b, "_shim", 2);
        scm__report_put_json(&b, annotate, 2, 1);
    }
    scm__buf_puts(&b, "\n}\n");
    return scm__buf_take(&b);
}
