/*
 * backend.h - one query to one backend: the request (path, URL, headers) and
 * what its answer means (return code, error record, parsed body, object).
 */
#ifndef SCM_SHIM_BACKEND_H
#define SCM_SHIM_BACKEND_H

#include "client.h"

#include <cjson/cJSON.h>

typedef struct scm_answer {
    scm_backend backend;
    int rc;                        /* SCM_OK or the SCM_E_* code */
    scm_error err;                 /* the failure when rc != SCM_OK */
    const scm_http_response *resp; /* NULL when no request was made */
    cJSON *doc;                    /* the 2xx body, or the service's error body */
    int permanent;                 /* a failure no retry can mend (TLS verification) */
} scm_answer;

/* Prepares c->req[b] to GET cert_id (already validated) within timeout_ms; SCM_OK or SCM_E_NOMEM.
 */
int scm__backend_prepare(scm_client *c, scm_backend b, const char *cert_id, long timeout_ms);

/* Reads what c->req[b] got into a (after scm__http_run). */
void scm__backend_answer(scm_client *c, scm_backend b, scm_answer *a);

/*
 * A 2xx answer must be the requested certificate's: {}, an error body sent
 * with 200, or another certificate's details are SCM_E_PARSE. Returns a->rc.
 */
int scm__answer_expect_id(scm_answer *a, const char *cert_id);

/*
 * The object of a successful answer: the legacy body parsed, or the v3 body
 * converted with c's table. On failure sets a->rc and a->err and returns it.
 */
int scm__answer_details(const scm_client *c, scm_answer *a, scm_cert_details **out);

void scm__answer_clear(scm_answer *a);

/* One request to backend b, no retry, within the client's timeout (for `scm-shim doctor`). */
void scm__backend_probe(scm_client *c, scm_backend b, const char *cert_id, scm_answer *a);

/* A failure that is the service's answer (the JSON API reports it as a body). */
int scm__is_service_error(int rc);

#endif
