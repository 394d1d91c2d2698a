/*
 * sign.c - SDK-HMAC-SHA256 signing; see sign.h and the spec in docs.
 * owns: canonical requests, the string to sign, the Authorization value and
 * X-Sdk-Date formats; must not: choose which headers a request sends
 * (request.c), read settings, or send anything.
 */
#include "sign.h"

#include "buf.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

static const char HEX_LOWER[] = "0123456789abcdef";

static void hex_lower(const unsigned char *in, size_t n, char *out)
{
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = HEX_LOWER[in[i] >> 4];
        out[2 * i + 1] = HEX_LOWER[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(data, len, md);
    hex_lower(md, sizeof md, out);
}

void scm__sign_format_date(time_t t, char out[SCM_SIGN_DATE_LEN + 1])
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL ||
        strftime(out, SCM_SIGN_DATE_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) == 0)
        strcpy(out, "19700101T000000Z"); /* unrepresentable: a date every server rejects */
}

int scm__sign_parse_date(const char *s, time_t *t)
{
    struct tm tm;
    int i;
    if (s == NULL || strlen(s) != SCM_SIGN_DATE_LEN || s[8] != 'T' || s[15] != 'Z')
        return SCM_E_INVALID_PARAM;
    for (i = 0; i < 15; i++)
        if (i != 8 && !isdigit((unsigned char)s[i]))
            return SCM_E_INVALID_PARAM;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') - 1900;
    tm.tm_mon = (s[4] - '0') * 10 + (s[5] - '0') - 1;
    tm.tm_mday = (s[6] - '0') * 10 + (s[7] - '0');
    tm.tm_hour = (s[9] - '0') * 10 + (s[10] - '0');
    tm.tm_min = (s[11] - '0') * 10 + (s[12] - '0');
    tm.tm_sec = (s[13] - '0') * 10 + (s[14] - '0');
    if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
        tm.tm_sec > 59)
        return SCM_E_INVALID_PARAM;
    *t = timegm(&tm);
    /* timegm normalises 31 February into March: reject what does not come back unchanged. */
    {
        char back[SCM_SIGN_DATE_LEN + 1];
        scm__sign_format_date(*t, back);
        if (strcmp(back, s) != 0)
            return SCM_E_INVALID_PARAM;
    }
    return SCM_OK;
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

int scm__sign_encode(scm_buf *out, const char *in, size_t len)
{
    static const char HEX_UPPER[] = "0123456789ABCDEF";
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (unreserved(c)) {
            scm__buf_putc(out, (char)c);
        } else {
            char esc[3] = {'%', HEX_UPPER[c >> 4], HEX_UPPER[c & 15]};
            scm__buf_append(out, esc, 3);
        }
    }
    return out->oom ? SCM_E_NOMEM : SCM_OK;
}

/* A header prepared for canonicalisation: lowercased name, trimmed value. */
typedef struct canon_header {
    char *name;
    const char *value;
    size_t value_len;
} canon_header;

static int cmp_header(const void *a, const void *b)
{
    return strcmp(((const canon_header *)a)->name, ((const canon_header *)b)->name);
}

static int cmp_query(const void *a, const void *b)
{
    const scm_kv *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value ? x->value : "", y->value ? y->value : "");
}

static void canonical_uri(scm_buf *out, const char *path)
{
    const char *p = path, *slash;
    if (*p == '/')
        p++;
    scm__buf_putc(out, '/');
    while (*p) {
        slash = strchr(p, '/');
        if (slash == NULL)
            slash = p + strlen(p);
        scm__sign_encode(out, p, (size_t)(slash - p));
        scm__buf_putc(out, '/');
        p = *slash ? slash + 1 : slash;
    }
}

static int canonical_query(scm_buf *out, const scm_kv *query, size_t n)
{
    scm_kv *sorted;
    size_t i;
    if (n == 0)
        return SCM_OK;
    sorted = malloc(n * sizeof *sorted);
    if (sorted == NULL)
        return SCM_E_NOMEM;
    memcpy(sorted, query, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_query);
    for (i = 0; i < n; i++) {
        const char *v = sorted[i].value ? sorted[i].value : "";
        if (i)
            scm__buf_putc(out, '&');
        scm__sign_encode(out, sorted[i].name, strlen(sorted[i].name));
        scm__buf_putc(out, '=');
        scm__sign_encode(out, v, strlen(v));
    }
    free(sorted);
    return SCM_OK;
}

static int prepare_headers(canon_header *h, const scm_kv *headers, size_t n)
{
    size_t i, j;
    for (i = 0; i < n; i++) {
        const char *v = headers[i].value ? headers[i].value : "";
        size_t vl;
        h[i].name = strdup(headers[i].name);
        if (h[i].name == NULL) {
            while (i--)
                free(h[i].name);
            return SCM_E_NOMEM;
        }
        for (j = 0; h[i].name[j]; j++)
            h[i].name[j] = (char)tolower((unsigned char)h[i].name[j]);
        while (*v == ' ' || *v == '\t')
            v++;
        vl = strlen(v);
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            vl--;
        h[i].value = v;
        h[i].value_len = vl;
    }
    qsort(h, n, sizeof *h, cmp_header);
    return SCM_OK;
}

char *scm__sign_canonical_request(const char *method, const char *path, const scm_kv *query,
                                  size_t nquery, const scm_kv *headers, size_t nheaders,
                                  const void *body, size_t body_len, char **signed_headers)
{
    scm_buf req, names;
    canon_header *h;
    const char *payload_hash = NULL;
    size_t payload_hash_len = 0;
    char body_hash[65];
    size_t i;

    if (signed_headers)
        *signed_headers = NULL;
    h = calloc(nheaders ? nheaders : 1, sizeof *h);
    if (h == NULL || prepare_headers(h, headers, nheaders) != SCM_OK) {
        free(h);
        return NULL;
    }
    scm__buf_init(&req);
    scm__buf_init(&names);
    scm__buf_puts(&req, method);
    scm__buf_putc(&req, '\n');
    canonical_uri(&req, path);
    scm__buf_putc(&req, '\n');
    if (canonical_query(&req, query, nquery) != SCM_OK)
        req.oom = 1;
    scm__buf_putc(&req, '\n');
    for (i = 0; i < nheaders; i++) {
        scm__buf_puts(&req, h[i].name);
        scm__buf_putc(&req, ':');
        scm__buf_append(&req, h[i].value, h[i].value_len);
        scm__buf_putc(&req, '\n');
        if (i)
            scm__buf_putc(&names, ';');
        scm__buf_puts(&names, h[i].name);
        /* The SDKs let this header stand in for the body hash (UNSIGNED-PAYLOAD). */
        if (strcmp(h[i].name, "x-sdk-content-sha256") == 0) {
            payload_hash = h[i].value;
            payload_hash_len = h[i].value_len;
        }
    }
    scm__buf_putc(&req, '\n');
    scm__buf_append(&req, names.data ? names.data : "", names.len);
    scm__buf_putc(&req, '\n');
    if (payload_hash == NULL && body_len == 0) {
        /* Every GET has an empty body: its hash is a constant, no need to compute it. */
        payload_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        payload_hash_len = 64;
    } else if (payload_hash == NULL) {
        sha256_hex(body, body_len, body_hash);
        payload_hash = body_hash;
        payload_hash_len = 64;
    }
    scm__buf_append(&req, payload_hash, payload_hash_len);
    for (i = 0; i < nheaders; i++)
        free(h[i].name);
    free(h);
    if (signed_headers && !req.oom)
        *signed_headers = scm__buf_take(&names);
    scm__buf_free(&names);
    if (req.oom || (signed_headers && *signed_headers == NULL)) {
        scm__buf_free(&req);
        return NULL;
    }
    return scm__buf_take(&req);
}

char *scm__sign_string_to_sign(const char *canonical_request, const char *date)
{
    scm_buf sts;
    char hash[65];
    sha256_hex(canonical_request, strlen(canonical_request), hash);
    scm__buf_init(&sts);
    scm__buf_puts(&sts, SCM_SIGN_ALGORITHM "\n");
    scm__buf_puts(&sts, date);
    scm__buf_putc(&sts, '\n');
    scm__buf_puts(&sts, hash);
    return scm__buf_take(&sts);
}

int scm__sign_signature(const char *canonical_request, const char *date, const char *sk,
                        size_t sk_len, char out_hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    char *sts = scm__sign_string_to_sign(canonical_request, date);
    /* HMAC with a key it accepts fails only when OpenSSL cannot allocate. */
    int rc = sk_len <= (size_t)0x7fffffff ? SCM_E_NOMEM : SCM_E_INVALID_PARAM;
    if (sts == NULL)
        return SCM_E_NOMEM;
    if (rc == SCM_E_NOMEM &&
        HMAC(EVP_sha256(), sk, (int)sk_len, (const unsigned char *)sts, strlen(sts), md, &md_len) !=
            NULL &&
        md_len == SHA256_DIGEST_LENGTH) {
        hex_lower(md, md_len, out_hex);
        rc = SCM_OK;
    }
    OPENSSL_cleanse(sts, strlen(sts));
    free(sts);
    return rc;
}

char *scm__sign_authorization(const char *method, const char *path, const scm_kv *query,
                              size_t nquery, const scm_kv *headers, size_t nheaders,
                              const void *body, size_t body_len, const char *date, const char *ak,
                              const char *sk)
{
    char *signed_headers = NULL, *canon, sig[65];
    scm_buf auth;

    canon = scm__sign_canonical_request(method, path, query, nquery, headers, nheaders, body,
                                        body_len, &signed_headers);
    if (canon == NULL)
        return NULL;
    if (scm__sign_signature(canon, date, sk, strlen(sk), sig) != SCM_OK) {
        free(canon);
        free(signed_headers);
        return NULL;
    }
    scm__buf_init(&auth);
    scm__buf_puts(&auth, SCM_SIGN_ALGORITHM " Access=");
    scm__buf_puts(&auth, ak);
    scm__buf_puts(&auth, ", SignedHeaders=");
    scm__buf_puts(&auth, signed_headers);
    scm__buf_puts(&auth, ", Signature=");
    scm__buf_puts(&auth, sig);
    free(canon);
    free(signed_headers);
    return scm__buf_take(&auth);
}

int scm__sign_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return 0;
    return CRYPTO_memcmp(a, b, la) == 0;
}
