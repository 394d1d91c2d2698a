/*
 * retry.h - the retry policy of a query: which failures are worth another
 * attempt, how long to wait before it (exponential backoff with jitter, or
 * the service's Retry-After), and the clock-skew correction a 401 with a
 * Date header teaches.
 */
#ifndef SCM_SHIM_RETRY_H
#define SCM_SHIM_RETRY_H

#include "backend.h"

#include <stdint.h>

/* Beyond this the service's 15-minute window may be at risk: believe its Date. */
#define SCM_RETRY_SKEW_TOLERANCE_S 60

/* The longest wait between two attempts when the service names none (ms). */
#define SCM_RETRY_MAX_BACKOFF_MS 2000L

/* A uniform draw in [0, 1) from a xorshift64* state (sampling and jitter need no better). */
double scm__rng_uniform(uint64_t *state);

/* 1 when the failed answer a is worth another attempt of attempt (0-based) out of retries. */
int scm__retry_again(const scm_answer *a, int attempt, int retries);

/* The wait before the attempt after attempt (0-based): Retry-After, else backoff with jitter. */
long scm__retry_backoff_ms(const scm_answer *a, int attempt, uint64_t *rng);

/*
 * When a is a 401 to a signed request whose Date says the local clock is off
 * by more than the tolerance from *clock_offset (server - local, seconds),
 * sets *clock_offset and returns 1 (the request is worth signing again);
 * else 0. host names the server in the warning.
 */
int scm__retry_learn_skew(long *clock_offset, const scm_answer *a, int signed_requests,
                          const char *host);

/*
 * Sleeps ms (>= 0), resuming after signals; SCM_OK, or SCM_E_INVALID_PARAM
 * when the sleep itself fails (ms out of range: never spin on it).
 */
int scm__sleep_ms(long ms);

#endif
