/*
 * fuzz_legacy.c - the legacy body parser (the legacy backend's path): strict
 * JSON parse, scm__details_from_legacy, then the legacy writer. What the
 * writer produces must be well-formed UTF-8, parse again and read back to the
 * same bytes.
 */
#include "details.h"
#include "fuzz.h"
#include "json.h"
#include "legacy_json.h"

#include <string.h>

/* Reads a legacy body into an object; NULL when it is not one. */
static scm_cert_details *read_legacy(const char *text, size_t len)
{
    scm_cert_details *d = NULL;
    cJSON *doc = scm__json_parse(text, len);
    scm_error err = {"", "", 0, 0};
    int rc;

    if (doc == NULL)
        return NULL;
    rc = scm__details_from_legacy(doc, &d, &err);
    cJSON_Delete(doc);
    if (rc != SCM_OK) {
        /* No allocation fails under the fuzzer: only a bad member is left. */
        FUZZ_CHECK(rc == SCM_E_PARSE && d == NULL && err.msg[0] != '\0');
        return NULL;
    }
    FUZZ_CHECK(d != NULL && scm__details_report(d) != NULL);
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scm_cert_details *d = read_legacy((const char *)data, size), *again;
    char *body, *annotated, *body_again;

    if (d == NULL)
        return 0;
    body = scm__legacy_json(d, NULL);
    annotated = scm__legacy_json(d, scm__details_report(d));
    FUZZ_CHECK(body != NULL && annotated != NULL && fuzz_utf8_ok(body) && fuzz_utf8_ok(annotated));

    /* Reading the written body back gives the same object, so the same bytes. */
    again = read_legacy(body, strlen(body));
    FUZZ_CHECK(again != NULL);
    body_again = scm__legacy_json(again, NULL);
    FUZZ_CHECK(body_again != NULL && strcmp(body, body_again) == 0);
    scm_free(body_again);
    scm_cert_details_free(again);

    /* The "_shim" member is unknown to the parser: the annotated body reads the same. */
    again = read_legacy(annotated, strlen(annotated));
    FUZZ_CHECK(again != NULL);
    body_again = scm__legacy_json(again, NULL);
    FUZZ_CHECK(body_again != NULL && strcmp(body, body_again) == 0);
    scm_free(body_again);
    scm_cert_details_free(again);

    scm_free(body);
    scm_free(annotated);
    scm_cert_details_free(d);
    return 0;
}
