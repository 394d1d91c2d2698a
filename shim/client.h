/* client.h - the opaque scm_client (internal). */
#ifndef SCM_SHIM_CLIENT_H
#define SCM_SHIM_CLIENT_H

#include "backend_file.h"
#include "error.h"
#include "fallback.h"
#include "http.h"
#include "maptable.h"
#include "scm_client.h"
#include "settings.h"

#include <stdint.h>

struct scm_audit_log;
struct scm_answer;
struct scm_capture;
struct scm_signer;

struct scm_client {
    scm_settings cfg;
    scm_transport *transport;             /* libcurl's, or a test's */
    scm_http_req *req[SCM_BACKEND_COUNT]; /* one reused request per backend */
    struct scm_signer *signer;            /* AK/SK: keyed with the SK, shared by req[]; or NULL */
    const scm_map *map;                   /* the built-in table, or loaded */
    scm_map loaded;                       /* SCM_SHIM_MAPPING's table */
    struct scm_audit_log *audit_log;      /* SCM_SHIM_AUDIT_LOG, NULL when unset or unusable */
    struct scm_capture *capture;          /* SCM_SHIM_CAPTURE, NULL when unset or unusable */
    uint64_t rng;                         /* for SCM_SHIM_SHADOW_SAMPLE and retry jitter */
    long clock_offset;                    /* server time - local time, learnt from a 401's Date */
    long deadline;                        /* the running query's end (monotonic ms, scm__now_ms) */
    scm_error err;                        /* last failure; "" and 0 after a success */
    char request_id[SCM_HTTP_REQUEST_ID_MAX + 1]; /* the last query's served answer's, or "" */
    struct scm_shim_report *last_report;          /* of the last successful query */
    scm_breaker breaker;                          /* v3's, for SCM_SHIM_FALLBACK=legacy */
    scm_backend_file backend_file;                /* SCM_SHIM_BACKEND_FILE's watch */
    int shadow_configured; /* cfg.shadow as configured: the file's "v3" and "legacy" restore it */
};

/* One request to backend b, no retry, within the client's timeout (for `scm-shim doctor`). */
void scm__backend_probe(scm_client *c, scm_backend b, const char *cert_id, struct scm_answer *a);

/*
 * Looks at SCM_SHIM_BACKEND_FILE (when set; at most once per backend_file.interval_ms) and
 * moves the client to the backend it names, when that backend is configured; when the client
 * is made and as each query starts.
 */
void scm__client_follow_backend_file(scm_client *c);

/* Replaces the client's transport (freeing the one it had): for the unit tests' fake. */
void scm__client_set_transport(scm_client *c, scm_transport *t);

/*
 * Every problem scm_shim_client_new(config, options) would refuse, each told
 * to problem (doctor lists them all; the constructor stops at the first); no
 * connection is made and nothing is logged. Returns how many there were.
 */
int scm__client_check(const scm_config *config, const scm_shim_client_options *options,
                      scm_problem_fn *problem, void *arg);

#endif
