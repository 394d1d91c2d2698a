/*
 * fallback.h - switch day's decisions: which backend a call starts on, whether a failed
 * answer is served by the other backend (fall-forward to v3 when v2 is gone, fall-back to
 * legacy when v3 fails transiently), and the breaker that stops trying v3 first after a run
 * of failures. Pure functions: the time and the answers are passed in, nothing is fetched.
 */
#ifndef SCM_SHIM_FALLBACK_H
#define SCM_SHIM_FALLBACK_H

#include "backend.h"
#include "error.h"
#include "scm_shim.h"
#include "settings.h"

/* SCM_SHIM_FALLBACK. */
typedef enum {
    SCM_FALLBACK_FORWARD = 0, /* legacy answered "API gone": served by v3, and v3 from then on */
    SCM_FALLBACK_LEGACY,      /* forward, and a v3 transient failure is served by legacy */
    SCM_FALLBACK_OFF          /* each backend stands alone */
} scm_fallback_mode;

/* How a call was served. */
typedef enum {
    SCM_SERVED_FIRST = 0, /* by the backend it started on */
    SCM_SERVED_FORWARD,   /* by v3, the legacy API being gone */
    SCM_SERVED_FALLBACK   /* by legacy, v3 having failed (or its breaker being open) */
} scm_served_how;

/* Where the backend in force came from (scm-shim doctor says it). */
typedef enum {
    SCM_ORIGIN_DEFAULT = 0,
    SCM_ORIGIN_ENV,     /* SCM_SHIM_BACKEND */
    SCM_ORIGIN_OPTIONS, /* scm_shim_client_options.backend */
    SCM_ORIGIN_FILE,    /* SCM_SHIM_BACKEND_FILE */
    SCM_ORIGIN_FORWARD  /* the legacy API answered that it is gone */
} scm_backend_origin;

#define SCM_DEFAULT_BREAKER_FAILURES 5
#define SCM_MAX_BREAKER_FAILURES 1000
#define SCM_DEFAULT_BREAKER_COOLDOWN_MS 30000L

typedef struct scm_breaker {
    int failures;    /* consecutive transient v3 failures */
    int open;        /* v3 is not tried first until open_until, then one call probes it */
    long open_until; /* monotonic ms (scm__now_ms) */
} scm_breaker;

/*
 * Reads SCM_SHIM_FALLBACK, SCM_SHIM_BREAKER_FAILURES, SCM_SHIM_BREAKER_COOLDOWN_MS and
 * SCM_SHIM_BACKEND_FILE into s, and notes where s->backend came from (o: the options, never
 * NULL). 0, or an SCM_E_* code with a reason naming the variable.
 */
int scm__fallback_settings(scm_settings *s, const scm_shim_client_options *o, scm_error *err);

/* "forward", "legacy", "off". */
const char *scm__fallback_mode_name(scm_fallback_mode m);
/* NULL for SCM_SERVED_FIRST, else "forward" or "legacy" (the report's and audit line's word). */
const char *scm__served_how_name(scm_served_how how);
/* "default", "SCM_SHIM_BACKEND", "scm_shim_client_options.backend", "SCM_SHIM_BACKEND_FILE",
 * "fall-forward". */
const char *scm__backend_origin_name(scm_backend_origin o);

/*
 * 1 when a is the gateway's answer that the API itself is not published: HTTP 404 with
 * APIGW.0101. A certificate the service does not have is a 404 with an SCM. code: not this.
 */
int scm__fallback_api_gone(const scm_answer *a);

/*
 * The backend a call starts on: the one configured, except legacy while v3's breaker is open
 * in mode legacy (and legacy can be asked). Past the cool-down v3 is tried again: the probe.
 */
scm_backend scm__fallback_first(const scm_breaker *br, scm_fallback_mode mode,
                                scm_backend configured, int legacy_usable, long now);

/*
 * After the last attempt on first, whose answer is a: whether the other backend serves the
 * call. Forward: legacy said its API is gone (any mode but off). Fallback: mode legacy, v3
 * failed transiently (network, 429, 5xx without an SCM. code; never a 4xx or a permanent
 * failure). Neither without other_usable (its endpoint and project ID) or time left (left_ms).
 */
scm_served_how scm__fallback_next(scm_fallback_mode mode, scm_backend first, const scm_answer *a,
                                  int other_usable, long left_ms);

/*
 * Records a v3 answer a in the breaker at now: a transient failure counts (threshold in a
 * row, or a failed probe, opens it for cooldown_ms), any other answer closes it. Returns 1
 * when this opened it, -1 when it closed an open one, else 0 (for the log).
 */
int scm__breaker_record(scm_breaker *br, const scm_answer *a, long now, int threshold,
                        long cooldown_ms);

#endif
