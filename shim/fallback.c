/*
 * fallback.c - switch day's decisions and their settings; see fallback.h.
 * owns: SCM_SHIM_FALLBACK, SCM_SHIM_BREAKER_*, SCM_SHIM_BACKEND_FILE's getenv, what counts as
 * "API gone" and as a failure worth the other backend, the breaker's states; must not: fetch,
 * read the clock (now is passed), log, or touch a client (client.c applies the decisions).
 */
#include "fallback.h"

#include "retry.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char *const MODES[] = {
    [SCM_FALLBACK_FORWARD] = "forward",
    [SCM_FALLBACK_LEGACY] = "legacy",
    [SCM_FALLBACK_OFF] = "off",
};

const char *scm__fallback_mode_name(scm_fallback_mode m)
{
    return MODES[m];
}

const char *scm__served_how_name(scm_served_how how)
{
    return how == SCM_SERVED_FORWARD ? "forward" : how == SCM_SERVED_FALLBACK ? "legacy" : NULL;
}

const char *scm__backend_origin_name(scm_backend_origin o)
{
    static const char *const NAMES[] = {
        [SCM_ORIGIN_DEFAULT] = "default",
        [SCM_ORIGIN_ENV] = "SCM_SHIM_BACKEND",
        [SCM_ORIGIN_OPTIONS] = "scm_shim_client_options.backend",
        [SCM_ORIGIN_FILE] = "SCM_SHIM_BACKEND_FILE",
        [SCM_ORIGIN_FORWARD] = "fall-forward",
    };
    return NAMES[o];
}

/* A set variable's value, NULL when unset or "". */
static const char *var(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* A number from min to max, or the default when unset. */
static int read_long(const char *name, long min, long max, long *n, scm_error *err)
{
    const char *v = var(name);
    char *end;
    long got;
    if (v == NULL)
        return 0;
    got = strtol(v, &end, 10);
    if (*end != '\0' || got < min || got > max)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s must be a number from %ld to %ld", name,
                         min, max);
    *n = got;
    return 0;
}

int scm__fallback_settings(scm_settings *s, const scm_shim_client_options *o, scm_error *err)
{
    const char *v = var("SCM_SHIM_FALLBACK");
    long failures = SCM_DEFAULT_BREAKER_FAILURES;
    int i, rc;

    s->backend_from = o->backend != NULL        ? SCM_ORIGIN_OPTIONS
                      : var("SCM_SHIM_BACKEND") ? SCM_ORIGIN_ENV
                                                : SCM_ORIGIN_DEFAULT;
    s->fallback = SCM_FALLBACK_FORWARD;
    for (i = 0; v != NULL && i < (int)(sizeof MODES / sizeof MODES[0]); i++)
        if (strcmp(v, MODES[i]) == 0)
            break;
    if (v != NULL && i == (int)(sizeof MODES / sizeof MODES[0]))
        return scm__fail(err, SCM__ERR_INVALID_PARAM,
                         "SCM_SHIM_FALLBACK must be \"forward\", \"legacy\" or \"off\" (or unset)");
    if (v != NULL)
        s->fallback = i;
    s->breaker_cooldown_ms = SCM_DEFAULT_BREAKER_COOLDOWN_MS;
    if ((rc = read_long("SCM_SHIM_BREAKER_FAILURES", 1, SCM_MAX_BREAKER_FAILURES, &failures,
                        err)) != 0 ||
        (rc = read_long("SCM_SHIM_BREAKER_COOLDOWN_MS", 1, SCM_MAX_TIMEOUT_MS,
                        &s->breaker_cooldown_ms, err)) != 0)
        return rc;
    s->breaker_failures = (int)failures;
    if ((v = var("SCM_SHIM_BACKEND_FILE")) != NULL && (s->backend_file = strdup(v)) == NULL)
        return scm__fail(err, SCM__ERR_NOMEM, NULL);
    return 0;
}

int scm__fallback_api_gone(const scm_answer *a)
{
    return a->rc == SCM_E_NOT_FOUND && a->resp != NULL && a->resp->status == 404 &&
           strcmp(a->err.code, "APIGW.0101") == 0;
}

/* A failure another attempt could have mended: what the retries were for. */
static int transient(const scm_answer *a)
{
    return scm__retry_again(a, 0, 1);
}

scm_backend scm__fallback_first(const scm_breaker *br, scm_fallback_mode mode,
                                scm_backend configured, int legacy_usable, long now)
{
    if (configured == SCM_BACKEND_V3 && mode == SCM_FALLBACK_LEGACY && legacy_usable && br->open &&
        now < br->open_until)
        return SCM_BACKEND_LEGACY;
    return configured;
}

scm_served_how scm__fallback_next(scm_fallback_mode mode, scm_backend first, const scm_answer *a,
                                  int other_usable, long left_ms)
{
    if (mode == SCM_FALLBACK_OFF || !other_usable || left_ms <= 0 || a->rc == SCM_OK)
        return SCM_SERVED_FIRST;
    if (first == SCM_BACKEND_LEGACY && scm__fallback_api_gone(a))
        return SCM_SERVED_FORWARD;
    if (first == SCM_BACKEND_V3 && mode == SCM_FALLBACK_LEGACY && transient(a))
        return SCM_SERVED_FALLBACK;
    return SCM_SERVED_FIRST;
}

int scm__breaker_record(scm_breaker *br, const scm_answer *a, long now, int threshold,
                        long cooldown_ms)
{
    int was_open = br->open;
    if (!transient(a)) {
        br->failures = 0;
        br->open = 0;
        return was_open ? -1 : 0;
    }
    if (br->failures < INT_MAX)
        br->failures++;
    /* The count is not reset while open, so a failed probe re-opens at once: one call, not
     * another run of threshold, pays for it. */
    if (br->failures >= threshold) {
        br->open = 1;
        br->open_until = now + cooldown_ms;
        return was_open ? 0 : 1;
    }
    return 0;
}
