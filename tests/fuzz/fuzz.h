/* fuzz.h - shared by the harnesses and the standalone driver. */
#ifndef SCM_FUZZ_H
#define SCM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The libFuzzer entry point each harness defines; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A broken invariant is a finding like a crash: say which one, then abort so
 * that libFuzzer saves the input and the driver's test fails.
 */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/*
 * 1 when s is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or
 * code points past U+10FFFF). The library rejects anything else on input,
 * so what it writes must be well-formed too.
 */
static inline int fuzz_utf8_ok(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned cp, n, i;
        if (*s < 0x80) {
            s++;
            continue;
        }
        if (*s >= 0xC2 && *s <= 0xDF)
            n = 1, cp = *s & 0x1Fu;
        else if (*s >= 0xE0 && *s <= 0xEF)
            n = 2, cp = *s & 0x0Fu;
        else if (*s >= 0xF0 && *s <= 0xF4)
            n = 3, cp = *s & 0x07u;
        else
            return 0;
        /* The terminating NUL is not a continuation byte, so this stops at the end. */
        for (i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i] & 0x3Fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

#endif
