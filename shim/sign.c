/*
 * sign.c - SDK-HMAC-SHA256 signing; see sign.h and the spec in docs.
 * owns: canonical requests, the string to sign, the Authorization value and
 * X-Sdk-Date formats; must not: choose which headers a request sends
 * (request.c), read settings, or send anything.
 */
#include "sign.h"

#include "buf.h"

#include <ctype.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
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

/* Writes n as width decimal digits ending at end (n fits: a struct tm field). */
static void digits(char *end, int n, int width)
{
    while (width-- > 0) {
        *--end = (char)('0' + n % 10);
        n /= 10;
    }
}

void scm__sign_format_date(time_t t, char out[SCM_SIGN_DATE_LEN + 1])
{
    struct tm tm;
    /* Written digit by digit: strftime cost as much as the rest of the date on every request. */
    if (gmtime_r(&t, &tm) == NULL || tm.tm_year < 1000 - 1900 || tm.tm_year > 9999 - 1900) {
        strcpy(out, "19700101T000000Z"); /* no four-digit year: a date every server rejects */
        return;
    }
    digits(out + 4, tm.tm_year + 1900, 4);
    digits(out + 6, tm.tm_mon + 1, 2);
    digits(out + 8, tm.tm_mday, 2);
    out[8] = 'T';
    digits(out + 11, tm.tm_hour, 2);
    digits(out + 13, tm.tm_min, 2);
    digits(out + 15, tm.tm_sec, 2);
    out[15] = 'Z';
    out[16] = '\0';
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
    size_t i = 0, run;
    while (i < len) {
        /* Runs of unreserved bytes (a path is mostly one) go in with one append. */
        for (run = i; run < len && unreserved((unsigned char)in[run]); run++)
            ;
        scm__buf_append(out, in + i, run - i);
        if ((i = run) < len) {
            unsigned char c = (unsigned char)in[i++];
            char esc[3] = {'%', HEX_UPPER[c >> 4], HEX_UPPER[c & 15]};
            scm__buf_append(out, esc, 3);
        }
    }
    return out->oom ? SCM_E_NOMEM : SCM_OK;
}

/* A header prepared for canonicalisation: lowercased name (in a scratch buffer), trimmed value. */
typedef struct canon_header {
    const char *name;
    size_t name_off;
    const char *value;
    size_t value_len;
} canon_header;

/*
 * OpenSSL 3 fetches an algorithm from its providers on every one-shot HMAC() or
 * EVP_sha256() call: both are fetched once per process here, and never change afterwards.
 */
static pthread_once_t algorithms_once = PTHREAD_ONCE_INIT;
static EVP_MAC *hmac_alg;
static EVP_MD *sha256_alg;

static void fetch_algorithms(void)
{
    hmac_alg = EVP_MAC_fetch(NULL, "HMAC", NULL);
    sha256_alg = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/*
 * One client's signing state: the MAC keyed with its SK, a digest context, and the
 * buffers a signature is built in, all reused from call to call. A client is used by one
 * thread at a time, so nothing here is locked.
 */
struct scm_signer {
    EVP_MAC_CTX *mac;
    EVP_MD_CTX *md;
    scm_buf req, names, lower, sts, auth;
    canon_header *h;
    size_t hcap;
};

scm_signer *scm__signer_new(const char *sk, size_t sk_len)
{
    OSSL_PARAM params[2];
    scm_signer *s;

    pthread_once(&algorithms_once, fetch_algorithms);
    if (hmac_alg == NULL || sha256_alg == NULL || (s = calloc(1, sizeof *s)) == NULL)
        return NULL;
    scm__buf_init(&s->req);
    scm__buf_init(&s->names);
    scm__buf_init(&s->lower);
    scm__buf_init(&s->sts);
    scm__buf_init(&s->auth);
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    s->mac = EVP_MAC_CTX_new(hmac_alg);
    s->md = EVP_MD_CTX_new();
    /* OpenSSL copies the key into the context, which wipes it when freed. */
    if (s->mac == NULL || s->md == NULL ||
        EVP_MAC_init(s->mac, (const unsigned char *)sk, sk_len, params) != 1) {
        scm__signer_free(s);
        return NULL;
    }
    return s;
}

/* Frees b, wiping all of it: a shorter value leaves the tail of a longer one behind. */
static void wipe(scm_buf *b)
{
    if (b->data != NULL)
        OPENSSL_cleanse(b->data, b->cap);
    scm__buf_free(b);
}

void scm__signer_free(scm_signer *s)
{
    if (s == NULL)
        return;
    EVP_MAC_CTX_free(s->mac);
    EVP_MD_CTX_free(s->md);
    /* A canonical request holds the header values signed, an X-Security-Token's too. */
    wipe(&s->req);
    wipe(&s->names);
    wipe(&s->lower);
    wipe(&s->sts);
    wipe(&s->auth);
    free(s->h);
    free(s);
}

static int sha256_hex(scm_signer *s, const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_DigestInit_ex2(s->md, sha256_alg, NULL) != 1 ||
        EVP_DigestUpdate(s->md, data, len) != 1 || EVP_DigestFinal_ex(s->md, md, &md_len) != 1 ||
        md_len != 32)
        return SCM_E_NOMEM;
    hex_lower(md, md_len, out);
    return SCM_OK;
}

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

/* The headers lowercased (names NUL-separated in s->lower), trimmed and sorted, in s->h. */
static int prepare_headers(scm_signer *s, const scm_kv *headers, size_t n)
{
    size_t i, j;
    if (n > s->hcap) {
        canon_header *grown = realloc(s->h, n * sizeof *grown);
        if (grown == NULL)
            return SCM_E_NOMEM;
        s->h = grown;
        s->hcap = n;
    }
    scm__buf_reset(&s->lower);
    for (i = 0; i < n; i++) {
        const char *v = headers[i].value ? headers[i].value : "";
        size_t vl;
        s->h[i].name_off = s->lower.len;
        /* With its NUL; lowercased below, in place. */
        scm__buf_append(&s->lower, headers[i].name, strlen(headers[i].name) + 1);
        while (*v == ' ' || *v == '\t')
            v++;
        vl = strlen(v);
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            vl--;
        s->h[i].value = v;
        s->h[i].value_len = vl;
    }
    if (s->lower.oom)
        return SCM_E_NOMEM;
    for (j = 0; j < s->lower.len; j++)
        s->lower.data[j] = (char)tolower((unsigned char)s->lower.data[j]);
    /* Only now: the buffer may have moved while it grew. */
    for (i = 0; i < n; i++)
        s->h[i].name = s->lower.data + s->h[i].name_off;
    qsort(s->h, n, sizeof *s->h, cmp_header);
    return SCM_OK;
}

/* The canonical request in s->req and its SignedHeaders in s->names; SCM_OK or SCM_E_NOMEM. */
static int canonical_request(scm_signer *s, const char *method, const char *path,
                             const scm_kv *query, size_t nquery, const scm_kv *headers,
                             size_t nheaders, const void *body, size_t body_len)
{
    scm_buf *req = &s->req;
    const char *payload_hash = NULL;
    size_t payload_hash_len = 0;
    char body_hash[65];
    size_t i;

    scm__buf_reset(req);
    scm__buf_reset(&s->names);
    if (prepare_headers(s, headers, nheaders) != SCM_OK)
        return SCM_E_NOMEM;
    scm__buf_puts(req, method);
    scm__buf_putc(req, '\n');
    canonical_uri(req, path);
    scm__buf_putc(req, '\n');
    if (canonical_query(req, query, nquery) != SCM_OK)
        req->oom = 1;
    scm__buf_putc(req, '\n');
    for (i = 0; i < nheaders; i++) {
        const canon_header *h = &s->h[i];
        scm__buf_puts(req, h->name);
        scm__buf_putc(req, ':');
        scm__buf_append(req, h->value, h->value_len);
        scm__buf_putc(req, '\n');
        if (i)
            scm__buf_putc(&s->names, ';');
        scm__buf_puts(&s->names, h->name);
        /* The SDKs let this header stand in for the body hash (UNSIGNED-PAYLOAD). */
        if (strcmp(h->name, "x-sdk-content-sha256") == 0) {
            payload_hash = h->value;
            payload_hash_len = h->value_len;
        }
    }
    /* An empty list still makes a string. */
    scm__buf_append(&s->names, "", 0);
    scm__buf_putc(req, '\n');
    scm__buf_append(req, s->names.data, s->names.len);
    scm__buf_putc(req, '\n');
    if (payload_hash == NULL && body_len == 0) {
        /* Every GET has an empty body: its hash is a constant, no need to compute it. */
        payload_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        payload_hash_len = 64;
    } else if (payload_hash == NULL) {
        if (sha256_hex(s, body, body_len, body_hash) != SCM_OK)
            return SCM_E_NOMEM;
        payload_hash = body_hash;
        payload_hash_len = 64;
    }
    scm__buf_append(req, payload_hash, payload_hash_len);
    return req->oom || s->names.oom ? SCM_E_NOMEM : SCM_OK;
}

/* The string to sign of a canonical request, in s->sts. */
static int string_to_sign(scm_signer *s, const char *canon, size_t canon_len, const char *date)
{
    char hash[65];
    scm__buf_reset(&s->sts);
    if (sha256_hex(s, canon, canon_len, hash) != SCM_OK)
        return SCM_E_NOMEM;
    scm__buf_puts(&s->sts, SCM_SIGN_ALGORITHM "\n");
    scm__buf_puts(&s->sts, date);
    scm__buf_putc(&s->sts, '\n');
    scm__buf_puts(&s->sts, hash);
    return s->sts.oom ? SCM_E_NOMEM : SCM_OK;
}

/* The hex signature of a canonical request with the signer's key. */
static int signature(scm_signer *s, const char *canon, size_t canon_len, const char *date,
                     char out_hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    size_t md_len = 0;
    int rc = string_to_sign(s, canon, canon_len, date);
    /* A NULL key re-initialises the MAC with the one it was keyed with: no allocation. */
    if (rc == SCM_OK &&
        (EVP_MAC_init(s->mac, NULL, 0, NULL) != 1 ||
         EVP_MAC_update(s->mac, (const unsigned char *)s->sts.data, s->sts.len) != 1 ||
         EVP_MAC_final(s->mac, md, &md_len, sizeof md) != 1 || md_len != 32))
        rc = SCM_E_NOMEM;
    if (rc == SCM_OK)
        hex_lower(md, md_len, out_hex);
    OPENSSL_cleanse(s->sts.data, s->sts.len);
    return rc;
}

const char *scm__signer_authorization(scm_signer *s, const char *method, const char *path,
                                      const scm_kv *query, size_t nquery, const scm_kv *headers,
                                      size_t nheaders, const void *body, size_t body_len,
                                      const char *date, const char *ak)
{
    char sig[65];
    if (canonical_request(s, method, path, query, nquery, headers, nheaders, body, body_len) !=
            SCM_OK ||
        signature(s, s->req.data, s->req.len, date, sig) != SCM_OK)
        return NULL;
    OPENSSL_cleanse(s->auth.data, s->auth.len);
    scm__buf_reset(&s->auth);
    scm__buf_puts(&s->auth, SCM_SIGN_ALGORITHM " Access=");
    scm__buf_puts(&s->auth, ak);
    scm__buf_puts(&s->auth, ", SignedHeaders=");
    scm__buf_append(&s->auth, s->names.data, s->names.len);
    scm__buf_puts(&s->auth, ", Signature=");
    scm__buf_puts(&s->auth, sig);
    return s->auth.oom ? NULL : s->auth.data;
}

/* A copy of what a one-off signer built (malloc'd), or NULL. */
static char *copy(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/*
 * The one-off functions below key a signer of their own: the library signs with its clients'
 * signers; the emulator, the tests and the benchmarks' bare client call these.
 */
static scm_signer *unkeyed(void)
{
    return scm__signer_new("", 0);
}

char *scm__sign_canonical_request(const char *method, const char *path, const scm_kv *query,
                                  size_t nquery, const scm_kv *headers, size_t nheaders,
                                  const void *body, size_t body_len, char **signed_headers)
{
    scm_signer *s = unkeyed();
    char *canon = NULL;

    if (signed_headers)
        *signed_headers = NULL;
    if (s != NULL && canonical_request(s, method, path, query, nquery, headers, nheaders, body,
                                       body_len) == SCM_OK) {
        canon = copy(s->req.data);
        if (canon != NULL && signed_headers && (*signed_headers = copy(s->names.data)) == NULL) {
            free(canon);
            canon = NULL;
        }
    }
    scm__signer_free(s);
    return canon;
}

char *scm__sign_string_to_sign(const char *canonical_request, const char *date)
{
    scm_signer *s = unkeyed();
    char *sts = NULL;
    if (s != NULL &&
        string_to_sign(s, canonical_request, strlen(canonical_request), date) == SCM_OK)
        sts = copy(s->sts.data);
    scm__signer_free(s);
    return sts;
}

int scm__sign_signature(const char *canonical_request, const char *date, const char *sk,
                        size_t sk_len, char out_hex[65])
{
    scm_signer *s;
    int rc;
    if (sk_len > (size_t)0x7fffffff)
        return SCM_E_INVALID_PARAM;
    if ((s = scm__signer_new(sk, sk_len)) == NULL)
        return SCM_E_NOMEM;
    rc = signature(s, canonical_request, strlen(canonical_request), date, out_hex);
    scm__signer_free(s);
    return rc;
}

char *scm__sign_authorization(const char *method, const char *path, const scm_kv *query,
                              size_t nquery, const scm_kv *headers, size_t nheaders,
                              const void *body, size_t body_len, const char *date, const char *ak,
                              const char *sk)
{
    scm_signer *s = scm__signer_new(sk, strlen(sk));
    char *auth = NULL;
    if (s != NULL)
        auth = copy(scm__signer_authorization(s, method, path, query, nquery, headers, nheaders,
                                              body, body_len, date, ak));
    scm__signer_free(s);
    return auth;
}

int scm__sign_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return 0;
    return CRYPTO_memcmp(a, b, la) == 0;
}
