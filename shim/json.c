/*
 * json.c - strict JSON parsing; see json.h.
 * owns: strict JSON parsing (no trailing bytes, NUL, invalid UTF-8 or \u0000) and the UTF-8
 * checks and cuts the other modules use; must not: know the legacy or the v3 schema.
 */
#include "json.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* Length of the UTF-8 sequence at p (at most n bytes), or 0 when it is not well-formed. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len, i;
    unsigned cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        len = 2, cp = p[0] & 0x1F;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        len = 3, cp = p[0] & 0x0F;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        len = 4, cp = p[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
/* Bit 7 of each byte of w that is zero (and maybe of bytes after one: only ever a false alarm). */
#define ZERO_BYTES(w) (((w)-ONES) & ~(w)&HIGHS)

/*
 * The next 8 bytes, whatever p's alignment (memcpy: no unaligned or aliasing access), and
 * whether any is non-ASCII or NUL, or, with backslash, a '\\'. A false alarm only costs the
 * byte-wise path, which decides.
 */
static int word_has(const unsigned char *p, int backslash)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
    return ((w & HIGHS) | ZERO_BYTES(w) | (backslash ? ZERO_BYTES(w ^ (ONES * '\\')) : 0)) != 0;
}

int scm__utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        size_t n;
        while (end - p >= 8 && !word_has(p, 0))
            p += 8;
        if (p == end)
            break;
        n = *p != '\0' ? utf8_len(p, (size_t)(end - p)) : 0;
        if (n == 0)
            return 0;
        p += n;
    }
    return 1;
}

/* 1 for the ASCII bytes scm__json_acceptable() lets pass unlooked at: all but NUL and '\\'. */
static const unsigned char PLAIN[256] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/*
 * Well-formed UTF-8, no NUL byte, and no \u0000 escape inside a string. Every backslash is taken
 * as an escape without tracking whether it is inside a string: outside one it makes the body
 * invalid JSON, which cJSON rejects anyway, so the verdict is the same, and quotes (a body is
 * full of them) need no look.
 */
int scm__json_acceptable(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    while (p < end) {
        size_t n;
        /* Plain ASCII, the bulk of a body, needs none of the checks below: 8 bytes at a time. */
        while (end - p >= 8 && !word_has(p, 1))
            p += 8;
        while (p < end && PLAIN[*p])
            p++;
        if (p == end)
            break;
        n = utf8_len(p, (size_t)(end - p));
        if (n == 0 || *p == '\0')
            return 0;
        if (*p == '\\' && p + 1 < end) {
            if (p[1] == 'u' && end - p >= 6 && memcmp(p + 2, "0000", 4) == 0)
                return 0;
            p += 2; /* the escaped character cannot end the string */
            continue;
        }
        p += n;
    }
    return 1;
}

cJSON *scm__json_parse(const char *data, size_t len)
{
    const char *end = NULL;
    cJSON *doc;
    if (data == NULL || !scm__json_acceptable(data, len))
        return NULL;
    doc = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (doc == NULL)
        return NULL;
    for (; end < data + len; end++)
        if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
            cJSON_Delete(doc);
            return NULL;
        }
    return doc;
}

int scm__json_int(const cJSON *it, int *out)
{
    double v;
    if (!cJSON_IsNumber(it))
        return 0;
    v = it->valuedouble;
    /* The range test first: converting an out-of-range double to int is undefined. */
    if (!(v >= INT_MIN && v <= INT_MAX) || (double)(int)v != v)
        return 0;
    *out = (int)v;
    return 1;
}

void scm__utf8_cut(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)s[i - 1] & 0x80) &&
        utf8_len((const unsigned char *)s + i - 1, n - i + 1) == 0)
        s[i - 1] = '\0';
}
