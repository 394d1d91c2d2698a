/*
 * sign.h - SDK-HMAC-SHA256 request signing (Huawei Cloud API Gateway), as
 * specified in docs of the official SDKs: canonical request, string to sign,
 * HMAC-SHA256 keyed with the raw SK. Shared by the library and the emulator,
 * which verifies signatures with the same code.
 */
#ifndef SCM_SHIM_SIGN_H
#define SCM_SHIM_SIGN_H

#include "scm_client.h"

#include <stddef.h>
#include <time.h>

typedef struct scm_kv {
    const char *name;
    const char *value;
} scm_kv;

#define SCM_SIGN_ALGORITHM "SDK-HMAC-SHA256"
#define SCM_SIGN_DATE_LEN 16 /* YYYYMMDDTHHMMSSZ */

/* Writes t as X-Sdk-Date into out (SCM_SIGN_DATE_LEN + 1 bytes). */
void scm__sign_format_date(time_t t, char out[SCM_SIGN_DATE_LEN + 1]);
/* Parses an X-Sdk-Date; SCM_OK with *t set, or SCM_E_INVALID_PARAM when malformed. */
int scm__sign_parse_date(const char *s, time_t *t);

/*
 * Percent-encodes len bytes of in (unreserved A-Z a-z 0-9 - _ . ~ kept),
 * appending to out. Returns SCM_OK, or SCM_E_NOMEM (out is oom).
 */
struct scm_buf;
int scm__sign_encode(struct scm_buf *out, const char *in, size_t len);

/*
 * Builds the canonical request. path is the decoded path (no trailing '/').
 * query/headers are arrays of name/value pairs in any order; header names
 * may be in any case (they are lowercased), values are trimmed. headers must
 * contain every header to sign (host and x-sdk-date included). An
 * x-sdk-content-sha256 header replaces the payload hash. On success returns
 * a malloc'd string and, when signed_headers is not NULL, stores the malloc'd
 * SignedHeaders list there. Returns NULL on allocation failure.
 */
char *scm__sign_canonical_request(const char *method, const char *path, const scm_kv *query,
                                  size_t nquery, const scm_kv *headers, size_t nheaders,
                                  const void *body, size_t body_len, char **signed_headers);

/*
 * Computes the lowercase hex signature (65 bytes with NUL) of a canonical
 * request. date is the X-Sdk-Date value. Returns SCM_OK, SCM_E_INVALID_PARAM
 * (sk longer than OpenSSL takes) or SCM_E_NOMEM.
 */
int scm__sign_signature(const char *canonical_request, const char *date, const char *sk,
                        size_t sk_len, char out_hex[65]);

/* The string to sign for a canonical request (malloc'd), or NULL on OOM. */
char *scm__sign_string_to_sign(const char *canonical_request, const char *date);

/*
 * Everything at once: returns the malloc'd Authorization header value
 * "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...", or NULL.
 * headers must already contain host and x-sdk-date (value date).
 */
char *scm__sign_authorization(const char *method, const char *path, const scm_kv *query,
                              size_t nquery, const scm_kv *headers, size_t nheaders,
                              const void *body, size_t body_len, const char *date, const char *ak,
                              const char *sk);

/*
 * A client's signer: the HMAC-SHA256 MAC keyed with its SK (the algorithms fetched once per
 * process), and the buffers a request is signed in, reused by every request. Used by one
 * thread at a time. NULL on OOM, or when OpenSSL has no HMAC or SHA256.
 */
typedef struct scm_signer scm_signer;
scm_signer *scm__signer_new(const char *sk, size_t sk_len);
/* Frees s (NULL is fine), wiping the key and what it signed. */
void scm__signer_free(scm_signer *s);

/*
 * scm__sign_authorization with s's key: the Authorization value, in s's buffer until its next
 * call, or NULL on OOM.
 */
const char *scm__signer_authorization(scm_signer *s, const char *method, const char *path,
                                      const scm_kv *query, size_t nquery, const scm_kv *headers,
                                      size_t nheaders, const void *body, size_t body_len,
                                      const char *date, const char *ak);

/* Constant-time comparison of two NUL-terminated strings; 1 when equal. */
int scm__sign_equal(const char *a, const char *b);

#endif
