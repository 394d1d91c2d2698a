/*
 * faults.c - parsing and thread-safe counting of --fault specs.
 * owns: parsing --fault specs and counting, thread-safely, how often each has fired; must not:
 * apply a fault (server.c does).
 */
#include "faults.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void emu_faults_init(emu_faults *f)
{
    memset(f, 0, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
}

/* Parses a decimal in [min, max]; 0 on success. */
static int parse_num(const char *s, long min, long max, long *out)
{
    char *end;
    long v;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_pair(emu_fault *ft, char *pair, char *err, size_t errlen)
{
    char *eq = strchr(pair, '='), *val;
    long n;

    if (eq == NULL) {
        snprintf(err, errlen, "'%s' is not key=value", pair);
        return -1;
    }
    *eq = '\0';
    val = eq + 1;
    if (strcmp(pair, "api") == 0) {
        if (strcmp(val, "v2") == 0)
            ft->apis = EMU_API_V2;
        else if (strcmp(val, "v3") == 0)
            ft->apis = EMU_API_V3;
        else if (strcmp(val, "both") == 0)
            ft->apis = EMU_API_V2 | EMU_API_V3;
        else if (strcmp(val, "list") == 0)
            ft->apis = EMU_API_LIST; /* v3 ListCertificates; CERT_ID should be "*" */
        else
            goto bad;
    } else if (strcmp(pair, "status") == 0) {
        if (parse_num(val, 200, 599, &n) != 0)
            goto bad;
        ft->status = (unsigned)n;
    } else if (strcmp(pair, "code") == 0) {
        /* An error code is one word: nothing that needs escaping or spans a line. */
        if (val[0] == '\0' || strlen(val) > EMU_FAULT_CODE_MAX ||
            val[strspn(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")] !=
                '\0')
            goto bad;
        strcpy(ft->code, val);
    } else if (strcmp(pair, "shape") == 0) {
        if (strcmp(val, "error_code") == 0)
            ft->shape = EMU_FAULT_SHAPE_ERROR_CODE;
        else if (strcmp(val, "code") == 0)
            ft->shape = EMU_FAULT_SHAPE_CODE;
        else
            goto bad;
    } else if (strcmp(pair, "count") == 0) {
        if (parse_num(val, 1, 1000000000L, &ft->remaining) != 0)
            goto bad;
    } else if (strcmp(pair, "retry_after") == 0) {
        if (val[0] == '\0' || strlen(val) > EMU_FAULT_RETRY_AFTER_MAX ||
            val[strspn(val, "0123456789")] != '\0')
            goto bad;
        strcpy(ft->retry_after, val);
    } else if (strcmp(pair, "msg") == 0) {
        /* Any bytes but the spec's ',' separator: control characters on purpose. */
        if (strlen(val) > EMU_FAULT_MSG_MAX)
            goto bad;
        strcpy(ft->msg, val);
    } else if (strcmp(pair, "header_bytes") == 0) {
        if (parse_num(val, 1, 1000000L, &ft->header_bytes) != 0)
            goto bad;
    } else if (strcmp(pair, "latency_ms") == 0) {
        if (parse_num(val, 0, 3600000L, &n) != 0)
            goto bad;
        ft->latency_ms = (unsigned)n;
    } else if (strcmp(pair, "body") == 0) {
        if (strcmp(val, "malformed") == 0)
            ft->body = EMU_FAULT_BODY_MALFORMED;
        else if (strcmp(val, "truncated") == 0)
            ft->body = EMU_FAULT_BODY_TRUNCATED;
        else if (strcmp(val, "drop") == 0)
            ft->body = EMU_FAULT_BODY_DROP;
        else
            goto bad;
    } else {
        snprintf(err, errlen, "unknown key '%s'", pair);
        return -1;
    }
    return 0;
bad:
    snprintf(err, errlen, "bad value '%s' for %s", val, pair);
    return -1;
}

int emu_faults_add(emu_faults *f, const char *spec, char *err, size_t errlen)
{
    emu_fault ft;
    char *copy, *colon, *pair, *save = NULL;
    emu_fault *v;

    memset(&ft, 0, sizeof ft);
    ft.apis = EMU_API_V2 | EMU_API_V3;
    ft.remaining = -1;
    copy = strdup(spec);
    if (copy == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    colon = strchr(copy, ':');
    if (colon == NULL || colon[1] == '\0') {
        snprintf(err, errlen, "expected CERT_ID:key=value[,key=value...]");
        goto fail;
    }
    *colon = '\0';
    if (strcmp(copy, "*") != 0 && !emu_valid_id(copy)) {
        snprintf(err, errlen, "bad certificate ID");
        goto fail;
    }
    strcpy(ft.cert, copy);
    for (pair = strtok_r(colon + 1, ",", &save); pair != NULL; pair = strtok_r(NULL, ",", &save))
        if (parse_pair(&ft, pair, err, errlen) != 0)
            goto fail;
    if ((ft.code[0] != '\0' || ft.shape != EMU_FAULT_SHAPE_ERROR_CODE) && ft.status == 0) {
        snprintf(err, errlen, "code= and shape= describe the status= body: give status=");
        goto fail;
    }
    /* The same buffer, restored, becomes the spec quoted in the log. */
    strcpy(copy, spec);
    ft.spec = copy;
    v = realloc(f->v, (f->n + 1) * sizeof *v);
    if (v == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    f->v = v;
    f->v[f->n++] = ft;
    return 0;
fail:
    free(copy);
    return -1;
}

const emu_fault *emu_faults_take(emu_faults *f, enum emu_api api, const char *cert_id)
{
    const emu_fault *hit = NULL;
    size_t i;

    if (f->n == 0)
        return NULL;
    pthread_mutex_lock(&f->lock);
    for (i = 0; i < f->n && hit == NULL; i++) {
        emu_fault *ft = &f->v[i];
        if (!(ft->apis & (unsigned)api) || ft->remaining == 0 ||
            (strcmp(ft->cert, "*") != 0 && strcmp(ft->cert, cert_id) != 0))
            continue;
        if (ft->remaining > 0)
            ft->remaining--;
        hit = ft;
    }
    pthread_mutex_unlock(&f->lock);
    return hit;
}

void emu_faults_free(emu_faults *f)
{
    size_t i;
    for (i = 0; i < f->n; i++)
        free(f->v[i].spec);
    free(f->v);
    pthread_mutex_destroy(&f->lock);
    memset(f, 0, sizeof *f);
}
