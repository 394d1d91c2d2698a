/* test_sign.c - every vector of signing-vectors.json (made by the official SDK) reproduced. */
#include "buf.h"
#include "sign.h"
#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KV 32

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    ck_assert_msg(cJSON_IsString(it), "vector member %s missing", k);
    return it->valuestring;
}

/* Flattens {"name": "v" | ["v1","v2"]} into pairs. */
static size_t collect(const cJSON *obj, scm_kv *kv, size_t n)
{
    const cJSON *it, *v;
    cJSON_ArrayForEach(it, obj)
    {
        if (cJSON_IsArray(it)) {
            cJSON_ArrayForEach(v, it)
            {
                ck_assert(n < MAX_KV);
                kv[n++] = (scm_kv){it->string, v->valuestring};
            }
        } else {
            ck_assert(n < MAX_KV);
            kv[n++] = (scm_kv){it->string, it->valuestring};
        }
    }
    return n;
}

static cJSON *vectors;

static void load(void)
{
    vectors = tu_read_json(SCM_TEST_DATA_DIR "/signing-vectors.json");
}

static void unload(void)
{
    cJSON_Delete(vectors);
}

START_TEST(vector_reproduced)
{
    const cJSON *v = cJSON_GetArrayItem(vectors, _i);
    scm_kv query[MAX_KV], headers[MAX_KV];
    size_t nq = collect(cJSON_GetObjectItemCaseSensitive(v, "query"), query, 0);
    size_t nh = collect(cJSON_GetObjectItemCaseSensitive(v, "headers"), headers, 0);
    const char *body = str(v, "body"), *date = str(v, "date");
    char *signed_headers = NULL, *canon, *sts, *auth, sig[65];

    nh = collect(cJSON_GetObjectItemCaseSensitive(v, "headers_added_by_signer"), headers, nh);
    canon = scm__sign_canonical_request(str(v, "method"), str(v, "path"), query, nq, headers, nh,
                                        body, strlen(body), &signed_headers);
    ck_assert_ptr_nonnull(canon);
    ck_assert_str_eq(canon, str(v, "canonical_request"));
    ck_assert_str_eq(signed_headers, str(v, "signed_headers"));
    sts = scm__sign_string_to_sign(canon, date);
    ck_assert_str_eq(sts, str(v, "string_to_sign"));
    ck_assert_int_eq(scm__sign_signature(canon, date, str(v, "sk"), strlen(str(v, "sk")), sig),
                     SCM_OK);
    ck_assert_str_eq(sig, str(v, "signature"));
    auth = scm__sign_authorization(str(v, "method"), str(v, "path"), query, nq, headers, nh, body,
                                   strlen(body), date, str(v, "ak"), str(v, "sk"));
    ck_assert_str_eq(auth, str(v, "authorization"));
    free(auth);
    free(sts);
    free(canon);
    free(signed_headers);
}
END_TEST

/* A client's signer is reused for every request: each signature it makes is the vector's. */
START_TEST(signer_reused)
{
    const cJSON *v = cJSON_GetArrayItem(vectors, _i);
    scm_kv query[MAX_KV], headers[MAX_KV];
    size_t nq = collect(cJSON_GetObjectItemCaseSensitive(v, "query"), query, 0);
    size_t nh = collect(cJSON_GetObjectItemCaseSensitive(v, "headers"), headers, 0);
    const char *body = str(v, "body"), *sk = str(v, "sk");
    scm_signer *signer = scm__signer_new(sk, strlen(sk));
    int round;

    nh = collect(cJSON_GetObjectItemCaseSensitive(v, "headers_added_by_signer"), headers, nh);
    ck_assert_ptr_nonnull(signer);
    for (round = 0; round < 3; round++) {
        const char *auth =
            scm__signer_authorization(signer, str(v, "method"), str(v, "path"), query, nq, headers,
                                      nh, body, strlen(body), str(v, "date"), str(v, "ak"));
        ck_assert_msg(auth != NULL && strcmp(auth, str(v, "authorization")) == 0, "round %d: %s",
                      round, auth ? auth : "NULL");
    }
    scm__signer_free(signer);
}
END_TEST

START_TEST(all_vectors_present)
{
    ck_assert_int_eq(cJSON_GetArraySize(vectors), 12);
}
END_TEST

START_TEST(date_round_trip)
{
    char buf[SCM_SIGN_DATE_LEN + 1];
    time_t t = 0;
    ck_assert_int_eq(scm__sign_parse_date("20261128T193000Z", &t), SCM_OK);
    scm__sign_format_date(t, buf);
    ck_assert_str_eq(buf, "20261128T193000Z");
    ck_assert_int_eq(scm__sign_parse_date("20261128T193000", &t), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm__sign_parse_date("2026112XT193000Z", &t), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm__sign_parse_date("20261328T193000Z", &t), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm__sign_parse_date("20260231T193000Z", &t), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm__sign_parse_date("20261128T193060Z", &t), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm__sign_parse_date(NULL, &t), SCM_E_INVALID_PARAM);
}
END_TEST

START_TEST(content_sha256_header_is_trimmed)
{
    scm_kv h[] = {{"host", "h"},
                  {"x-sdk-date", "20261128T193000Z"},
                  {"X-Sdk-Content-Sha256", " UNSIGNED-PAYLOAD "}};
    char *canon = scm__sign_canonical_request("PUT", "/a", NULL, 0, h, 3, "x", 1, NULL);
    const char *tail = canon + strlen(canon) - strlen("\nUNSIGNED-PAYLOAD");
    ck_assert_str_eq(tail, "\nUNSIGNED-PAYLOAD");
    free(canon);
}
END_TEST

START_TEST(encoding)
{
    scm_buf b;
    scm__buf_init(&b);
    ck_assert_int_eq(scm__sign_encode(&b, "a b~*/+!'()\xe8\xaf\x81", 14), SCM_OK);
    ck_assert_str_eq(b.data, "a%20b~%2A%2F%2B%21%27%28%29%E8%AF%81");
    scm__buf_free(&b);
}
END_TEST

/* A failed append is SCM_E_NOMEM and sticks: the encoder and every later append say so too. */
START_TEST(failed_append_is_nomem)
{
    scm_buf b;
    scm__buf_init(&b);
    ck_assert_int_eq(scm__buf_puts(&b, "ok"), SCM_OK);
    ck_assert_int_eq(scm__buf_append(&b, "x", SIZE_MAX), SCM_E_NOMEM);
    ck_assert_int_eq(scm__buf_putc(&b, 'y'), SCM_E_NOMEM);
    ck_assert_int_eq(scm__sign_encode(&b, "a b", 3), SCM_E_NOMEM);
    ck_assert_str_eq(b.data, "ok");
    scm__buf_free(&b);
}
END_TEST

START_TEST(constant_time_equal)
{
    ck_assert_int_eq(scm__sign_equal("abc", "abc"), 1);
    ck_assert_int_eq(scm__sign_equal("abc", "abd"), 0);
    ck_assert_int_eq(scm__sign_equal("abc", "ab"), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sign");
    TCase *tc = tcase_create("vectors");
    tcase_add_unchecked_fixture(tc, load, unload);
    tcase_add_test(tc, all_vectors_present);
    tcase_add_loop_test(tc, signer_reused, 0, 12);
    tcase_add_loop_test(tc, vector_reproduced, 0, 12);
    tcase_add_test(tc, date_round_trip);
    tcase_add_test(tc, encoding);
    tcase_add_test(tc, failed_append_is_nomem);
    tcase_add_test(tc, content_sha256_header_is_trimmed);
    tcase_add_test(tc, constant_time_equal);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
