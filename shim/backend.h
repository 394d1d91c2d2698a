/*
 * backend.h - one query to one backend: the ops table that says what differs
 * between the services (path, decoder, ID key, scope, capture role), the
 * request it builds and what its answer means (return code, error record,
 * parsed body, object). Nothing here reads or writes a client: every input is
 * passed in.
 */
#ifndef SCM_SHIM_BACKEND_H
#define SCM_SHIM_BACKEND_H

#include "error.h"
#include "http.h"
#include "maptable.h"
#include "scm_client.h"
#include "settings.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <time.h>

struct scm_capture;

/* What one backend is; one const entry per backend file, listed in backend.c. */
typedef struct scm_backend_ops {
    const char *name;         /* "v3", "legacy": logs, reports, audit lines, SCM_SHIM_BACKEND */
    const char *endpoint_var; /* the environment variable overriding its endpoint */
    const char *endpoint_opt; /* the scm_shim_client_options member overriding it */
    size_t endpoint_opt_at;   /* offsetof that member */
    int needs_project;        /* its path names the project: no project ID, no query */
    int domain_scope;         /* sends X-Domain-Id instead of X-Project-Id given a domain ID */
    const char *id_key;       /* the member of its 2xx body naming the certificate */
    int serves_own_body;      /* the JSON call returns its body as sent: already the frozen shape */
    scm_backend shadow;       /* the backend shadow mode compares its answers with */
    /* The path after the endpoint's prefix; returns what snprintf returns. */
    int (*path)(char *buf, size_t size, const char *prefix, const char *project_id,
                const char *cert_id);
    /* Its 2xx body as the frozen object; SCM_OK, or SCM_E_PARSE or SCM_E_NOMEM with why. */
    int (*decode)(const scm_map *map, const cJSON *doc, scm_cert_details **out, scm_error *why);
    /* Its part in the capture store (capture.h): legacy objects feed it, v3 objects read it. */
    void (*capture)(struct scm_capture *cap, const scm_map *map, scm_cert_details *d,
                    long budget_ms);
} scm_backend_ops;

extern const scm_backend_ops scm__backend_v3;
extern const scm_backend_ops scm__backend_legacy;

/* The entry of backend b. */
const scm_backend_ops *scm__backend_ops(scm_backend b);

typedef struct scm_answer {
    scm_backend backend;
    int rc;                        /* SCM_OK or the SCM_E_* code */
    scm_error err;                 /* the failure when rc != SCM_OK */
    const scm_http_response *resp; /* NULL when no request was made */
    const cJSON *doc;              /* the 2xx body, or the service's error body (json.h's tree) */
    int permanent;                 /* a failure no retry can mend (TLS verification) */
} scm_answer;

/*
 * Prepares req to GET cert_id (already validated) from backend b as cfg
 * configures it, signed at time now (the server's clock as far as known),
 * within timeout_ms; SCM_OK or SCM_E_NOMEM.
 */
int scm__backend_prepare(scm_http_req *req, const scm_settings *cfg, scm_backend b,
                         const char *cert_id, time_t now, long timeout_ms);

/*
 * Prepares req to GET v3's ListCertificates (/v3/scm/certificates) with the nquery parameters
 * (decoded; sent encoded and signed as the SDKs sign them), as scm__backend_prepare does.
 */
struct scm_kv;
int scm__backend_prepare_list(scm_http_req *req, const scm_settings *cfg,
                              const struct scm_kv *query, size_t nquery, time_t now,
                              long timeout_ms);

/* Reads what req got from backend b into a (after the transport ran it). */
void scm__backend_answer(const scm_http_req *req, scm_backend b, scm_answer *a);

/*
 * A 2xx answer must be the requested certificate's: {}, an error body sent
 * with 200, or another certificate's details are SCM_E_PARSE. Returns a->rc.
 */
int scm__answer_expect_id(scm_answer *a, const char *cert_id);

/*
 * The object of a successful answer, decoded by its backend (v3 through map).
 * On failure sets a->rc and a->err and returns it.
 */
int scm__answer_details(const scm_map *map, scm_answer *a, scm_cert_details **out);

void scm__answer_clear(scm_answer *a);

/* A failure that is the service's answer (the JSON API reports it as a body). */
int scm__is_service_error(int rc);

#endif
