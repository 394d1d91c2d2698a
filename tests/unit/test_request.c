/*
 * test_request.c - a request's headers: which scope header each backend sends, what is
 * signed, and X-Domain-Id signatures made by the official SDK reproduced.
 */
#include "request.h"
#include "sign.h"
#include "testutil.h"
#include "transport.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AK "HPUAEXAMPLEAKID00001"
#define SK "exampleSecretKey0123456789abcdefEXAMPLE"
#define DOMAIN "0b1c2d3e4f5a60718293a4b5c6d7e8f9"
#define PROJECT "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define HOST "scm.ap-southeast-1.myhuaweicloud.com"
#define PATH "/v3/scm/certificates/scs1234567890123"

/* The value of header name in the list, or NULL. */
static const char *header(const scm_headers *l, const char *name)
{
    return scm__headers_get(l, name);
}

static scm_settings settings(const char *domain, const char *project, const char *sts,
                             const char *token)
{
    scm_settings s;
    memset(&s, 0, sizeof s);
    s.domain_id = (char *)domain;
    s.project_id = (char *)project;
    if (token != NULL) {
        s.token = (char *)token;
    } else {
        s.ak = (char *)AK;
        s.sk = (char *)SK;
        s.security_token = (char *)sts;
    }
    return s;
}

static const struct {
    const char *what;
    scm_backend backend;
    const char *domain, *project, *sts, *token;
    const char *scope;          /* the one scope header sent, or NULL */
    const char *signed_headers; /* NULL: token, nothing signed */
} CASES[] = {
    {"v3, both IDs: global credentials win", SCM_BACKEND_V3, DOMAIN, PROJECT, NULL, NULL,
     "X-Domain-Id", "host;x-domain-id;x-sdk-date"},
    {"v3, domain only", SCM_BACKEND_V3, DOMAIN, NULL, NULL, NULL, "X-Domain-Id",
     "host;x-domain-id;x-sdk-date"},
    {"v3, project only", SCM_BACKEND_V3, NULL, PROJECT, NULL, NULL, "X-Project-Id",
     "host;x-project-id;x-sdk-date"},
    {"v3, no ID", SCM_BACKEND_V3, NULL, NULL, NULL, NULL, NULL, "host;x-sdk-date"},
    {"v3, both IDs and a security token", SCM_BACKEND_V3, DOMAIN, PROJECT, "sts-token-value", NULL,
     "X-Domain-Id", "host;x-domain-id;x-sdk-date;x-security-token"},
    {"legacy, both IDs: the path's project", SCM_BACKEND_LEGACY, DOMAIN, PROJECT, NULL, NULL,
     "X-Project-Id", "host;x-project-id;x-sdk-date"},
    {"v3 token, both IDs", SCM_BACKEND_V3, DOMAIN, PROJECT, NULL, "MIItoken", "X-Domain-Id", NULL},
    {"legacy token, both IDs", SCM_BACKEND_LEGACY, DOMAIN, PROJECT, NULL, "MIItoken",
     "X-Project-Id", NULL},
};

/* What a client keeps: a signer keyed with SK for AK/SK, none with a token. */
static scm_signer *signer_for(const scm_settings *s)
{
    scm_signer *signer = s->token == NULL ? scm__signer_new(s->sk, strlen(s->sk)) : NULL;
    ck_assert(s->token != NULL || signer != NULL);
    return signer;
}

START_TEST(scope_header_per_backend)
{
    scm_settings s = settings(CASES[_i].domain, CASES[_i].project, CASES[_i].sts, CASES[_i].token);
    scm_signer *signer = signer_for(&s);
    scm_headers *h =
        scm__request_headers(&s, signer, CASES[_i].backend, HOST, PATH, NULL, 0, time(NULL));
    const char *scope = CASES[_i].scope, *want = CASES[_i].signed_headers;
    const char *domain = header(h, "X-Domain-Id"), *project = header(h, "X-Project-Id");
    const char *auth = header(h, "Authorization");

    ck_assert_ptr_nonnull(h);
    if (scope != NULL && strcmp(scope, "X-Domain-Id") == 0) {
        ck_assert_msg(domain != NULL && strcmp(domain, DOMAIN) == 0, "%s: X-Domain-Id",
                      CASES[_i].what);
        ck_assert_msg(project == NULL, "%s: X-Project-Id sent too", CASES[_i].what);
    } else if (scope != NULL) {
        ck_assert_msg(project != NULL && strcmp(project, PROJECT) == 0, "%s: X-Project-Id",
                      CASES[_i].what);
        ck_assert_msg(domain == NULL, "%s: X-Domain-Id sent too", CASES[_i].what);
    } else {
        ck_assert(domain == NULL && project == NULL);
    }
    if (want == NULL) {
        ck_assert_ptr_null(auth);
        ck_assert_str_eq(header(h, "X-Auth-Token"), CASES[_i].token);
    } else {
        char marker[128];
        ck_assert_ptr_nonnull(auth);
        snprintf(marker, sizeof marker, ", SignedHeaders=%s, ", want);
        ck_assert_msg(strstr(auth, marker) != NULL, "%s: %s", CASES[_i].what, auth);
    }
    scm__headers_free(h);
    scm__signer_free(signer);
}
END_TEST

/*
 * Made with @huaweicloud/huaweicloud-sdk-core@3.1.211 (npm): GlobalCredentials with AK, SK
 * and domain ID DOMAIN (and the security token), addAuthHeaders, then AKSKSigner.sign of
 * GET https://HOST PATH with Date.now stubbed to 20261128T193000Z. A Python HMAC written from
 * signing.md gives the same signatures.
 */
static const struct {
    const char *sts;
    const char *authorization;
} SDK_VECTORS[] = {
    {NULL, "SDK-HMAC-SHA256 Access=" AK ", SignedHeaders=host;x-domain-id;x-sdk-date, "
           "Signature=a5b3cac392a96e53e8aa1a3dfe1c648428a77696c3f2910536d8d36253a03db0"},
    {"sts-token-value",
     "SDK-HMAC-SHA256 Access=" AK ", SignedHeaders=host;x-domain-id;x-sdk-date;x-security-token, "
     "Signature=b6e58c3a0891e323d549412342e47cfd9e188940f360dafb03df357469427bfd"},
};

START_TEST(domain_signature_matches_the_sdk)
{
    /* A project ID as well: the SDK vector has none, and v3 must not send or sign it. */
    scm_settings s = settings(DOMAIN, PROJECT, SDK_VECTORS[_i].sts, NULL);
    scm_signer *signer = signer_for(&s);
    scm_headers *h;
    time_t t;

    ck_assert_int_eq(scm__sign_parse_date("20261128T193000Z", &t), SCM_OK);
    h = scm__request_headers(&s, signer, SCM_BACKEND_V3, HOST, PATH, NULL, 0, t);
    ck_assert_str_eq(header(h, "Authorization"), SDK_VECTORS[_i].authorization);
    ck_assert_str_eq(header(h, "X-Sdk-Date"), "20261128T193000Z");
    /* Signed, but libcurl sends this very Host itself from the URL. */
    ck_assert_ptr_null(header(h, "Host"));
    scm__headers_free(h);
    scm__signer_free(signer);
}
END_TEST

/*
 * Host is left to libcurl only when it sends the same bytes: it drops a scheme's default
 * port (80, 443) from what it sends, and its hosts are written as the URL has them, so those,
 * upper case, a trailing dot, IPv6 brackets and odd ports are sent as they were signed.
 */
static const struct {
    const char *host;
    int listed;
} HOSTS[] = {
    {"scm.example.com", 0},        {"127.0.0.1:8443", 0},     {"scm.example.com:65535", 0},
    {"scm.example.com:443", 1},    {"scm.example.com:80", 1}, {"127.0.0.1:0080", 1},
    {"SCM.example.com", 1},        {"scm.example.com.", 1},   {"[::1]:8443", 1},
    {"scm.example.com:123456", 1},
};

START_TEST(host_listed_unless_curl_sends_it)
{
    scm_settings s = settings(NULL, PROJECT, NULL, NULL);
    scm_signer *signer = signer_for(&s);
    scm_headers *h =
        scm__request_headers(&s, signer, SCM_BACKEND_V3, HOSTS[_i].host, PATH, NULL, 0, 0);
    const char *host = header(h, "Host");

    ck_assert_ptr_nonnull(h);
    if (HOSTS[_i].listed)
        ck_assert_msg(host != NULL && strcmp(host, HOSTS[_i].host) == 0, "%s", HOSTS[_i].host);
    else
        ck_assert_msg(host == NULL, "%s listed", HOSTS[_i].host);
    ck_assert_ptr_nonnull(strstr(header(h, "Authorization"), "SignedHeaders=host;"));
    scm__headers_free(h);
    scm__signer_free(signer);
}
END_TEST

/* A client's request is prepared again for every call: its URL's room grows when it must. */
START_TEST(reused_request_keeps_each_url)
{
    static const char *const URLS[] = {
        "https://" HOST "/v3/scm/certificates/scs1",
        "https://" HOST "/v3/scm/certificates/scs1234567890123/and/a/much/longer/path",
        "http://h/",
    };
    scm_http_req *r = scm__http_req_new();
    size_t i;

    ck_assert_ptr_nonnull(r);
    for (i = 0; i < sizeof URLS / sizeof URLS[0]; i++) {
        scm__http_req_prepare(r, URLS[i], scm__headers_new(), 1000, 1000, NULL);
        ck_assert_str_eq(r->url, URLS[i]);
    }
    scm__http_req_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("request");
    TCase *tc = tcase_create("request");
    tcase_add_loop_test(tc, scope_header_per_backend, 0, sizeof CASES / sizeof CASES[0]);
    tcase_add_loop_test(tc, domain_signature_matches_the_sdk, 0,
                        sizeof SDK_VECTORS / sizeof SDK_VECTORS[0]);
    tcase_add_loop_test(tc, host_listed_unless_curl_sends_it, 0, sizeof HOSTS / sizeof HOSTS[0]);
    tcase_add_test(tc, reused_request_keeps_each_url);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
