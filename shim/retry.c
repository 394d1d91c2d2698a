/*
 * retry.c - the retry policy; see retry.h.
 * owns: what is retried, backoff, jitter, the skew correction; must not:
 * make requests, read the clock of a deadline, or know the client (the fetch
 * step in client.c runs the attempts and keeps the deadline).
 */
#include "retry.h"

#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double scm__rng_uniform(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return (double)((*state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/*
 * Idempotent GETs are worth another try after these; other 4xx never. A 500
 * with an SCM. code is the service's answer to a business error, not a
 * transient failure: asking again only adds latency.
 */
static int retryable(const scm_answer *a)
{
    long s = a->resp != NULL ? a->resp->status : 0;
    if (a->rc == SCM_E_NETWORK)
        return 1;
    if (s == 500 && strncmp(a->err.code, "SCM.", 4) == 0)
        return 0;
    return a->rc == SCM_E_SERVER && (s == 429 || s == 500 || s == 502 || s == 503 || s == 504);
}

int scm__retry_again(const scm_answer *a, int attempt, int retries)
{
    return a->rc != SCM_OK && !a->permanent && retryable(a) && attempt < retries;
}

long scm__retry_backoff_ms(const scm_answer *a, int attempt, uint64_t *rng)
{
    long cap = attempt < 5 ? 100L << attempt : SCM_RETRY_MAX_BACKOFF_MS;
    /* Clamped to SCM_HTTP_MAX_RETRY_AFTER when parsed, so the product fits. */
    if (a->resp != NULL && a->resp->retry_after >= 0)
        return a->resp->retry_after * 1000;
    if (cap > SCM_RETRY_MAX_BACKOFF_MS)
        cap = SCM_RETRY_MAX_BACKOFF_MS;
    return cap / 2 + (long)(scm__rng_uniform(rng) * (double)(cap / 2));
}

int scm__retry_learn_skew(long *clock_offset, const scm_answer *a, int signed_requests,
                          const char *host)
{
    time_t date;
    long skew;
    if (a->rc != SCM_E_AUTH || a->resp == NULL || a->resp->status != 401 || !signed_requests ||
        (date = scm__http_response_date(a->resp)) == 0)
        return 0;
    skew = (long)(date - time(NULL));
    if (labs(skew - *clock_offset) <= SCM_RETRY_SKEW_TOLERANCE_S)
        return 0;
    scm__log(SCM_LOG_WARN,
             "clock skew of %+ld s against %s (its Date header); signing with its time", skew,
             host);
    *clock_offset = skew;
    return 1;
}

int scm__sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        if (errno != EINTR)
            return SCM_E_INVALID_PARAM; /* EINVAL: nanosleep has no other failure here */
    return SCM_OK;
}
