/*
 * audit.c - comparison records, their JSON lines and the audit log; see audit.h.
 * owns: the audit record of one comparison (fields from compare.c, each side's status, error
 * code, measured latency and request ID), its JSON line, and appending lines to the audit log;
 * must not: fetch, change the answer the caller is served, or write field values unless asked
 * to (SCM_SHIM_AUDIT_VALUES).
 */
#include "audit.h"

#include "buf.h"
#include "details.h"
#include "legacy_json.h"
#include "log.h"
#include "maptable.h"
#include "privfile.h"

#include <errno.h>
#include <float.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct scm_audit_log {
    int fd;
};

/* A field's value for the record: string, number, element count, or the elements' values. */
static cJSON *field_value(const scm_cert_details *d, const scm_frozen_field *r)
{
    cJSON *arr;
    size_t k;
    if (r->in_auth) {
        if ((arr = cJSON_CreateArray()) == NULL)
            return NULL;
        for (k = 0; k < d->auth_count; k++)
            cJSON_AddItemToArray(arr, cJSON_CreateString(*scm__details_str(&d->auth[k], r)));
        return arr;
    }
    if (r->type == SCM_FT_ARRAY)
        return cJSON_CreateNumber((double)d->auth_count);
    if (r->type == SCM_FT_INT)
        return cJSON_CreateNumber(*scm__details_int((scm_cert_details *)d, r));
    return cJSON_CreateString(*scm__details_str((void *)d, r));
}

static cJSON *differing_values(const scm_cert_details *legacy, const scm_cert_details *v3,
                               const scm_cmp *fields, int all)
{
    cJSON *values = cJSON_CreateObject(), *pair;
    size_t i;
    for (i = 0; values != NULL && i < SCM__FROZEN_COUNT; i++) {
        if (fields[i] == SCM_CMP_MATCH && !all)
            continue;
        pair = cJSON_AddObjectToObject(values, scm__frozen[i].name);
        if (pair == NULL ||
            !cJSON_AddItemToObject(pair, "legacy", field_value(legacy, &scm__frozen[i])) ||
            !cJSON_AddItemToObject(pair, "v3", field_value(v3, &scm__frozen[i]))) {
            cJSON_Delete(values);
            return NULL;
        }
    }
    return values;
}

/* The body's top-level string members, copied: the sources a table could name for a field. */
static cJSON *top_strings(const cJSON *body)
{
    cJSON *out = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, body)
    {
        if (out != NULL && cJSON_IsString(it) && it->string != NULL &&
            cJSON_GetObjectItemCaseSensitive(out, it->string) == NULL &&
            cJSON_AddStringToObject(out, it->string, it->valuestring) == NULL) {
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

scm_audit_record *scm__audit_compare(const char *cert_id, scm_backend served,
                                     const scm_answer *answers,
                                     const scm_cert_details *const *details, int want_values)
{
    scm_audit_record *r = calloc(1, sizeof *r);
    int b, all;

    if (r == NULL || (r->fields = calloc(SCM__FROZEN_COUNT, sizeof *r->fields)) == NULL ||
        (r->reasons = calloc(SCM__FROZEN_COUNT, sizeof *r->reasons)) == NULL ||
        (r->cert_id = strdup(cert_id)) == NULL) {
        scm__audit_record_free(r);
        return NULL;
    }
    r->served = served;
    for (b = 0; b < SCM_BACKEND_COUNT; b++) {
        r->side[b].rc = answers[b].rc;
        r->side[b].http_status = answers[b].resp != NULL ? answers[b].resp->status : 0;
        scm__str_copy(r->side[b].error_code, sizeof r->side[b].error_code,
                      answers[b].rc != SCM_OK ? answers[b].err.code : "");
        r->side[b].ms = answers[b].resp != NULL ? answers[b].resp->seconds * 1000.0 : 0;
        scm__str_copy(r->side[b].request_id, sizeof r->side[b].request_id,
                      answers[b].resp != NULL ? answers[b].resp->request_id : "");
    }
    if (details[SCM_BACKEND_LEGACY] == NULL || details[SCM_BACKEND_V3] == NULL) {
        r->overall = scm__compare_failed(r->fields, r->reasons);
        return r;
    }
    r->overall =
        scm__compare(details[SCM_BACKEND_LEGACY], details[SCM_BACKEND_V3], r->fields, r->reasons);
    all = want_values == SCM_AUDIT_VALUES_ALL;
    if ((want_values && (r->overall != SCM_CMP_MATCH || all) &&
         (r->values = differing_values(details[SCM_BACKEND_LEGACY], details[SCM_BACKEND_V3],
                                       r->fields, all)) == NULL) ||
        (all && (r->v3_members = top_strings(answers[SCM_BACKEND_V3].doc)) == NULL)) {
        scm__audit_record_free(r);
        return NULL;
    }
    return r;
}

void scm__audit_record_free(scm_audit_record *r)
{
    if (r == NULL)
        return;
    free(r->fields);
    free(r->reasons);
    free(r->cert_id);
    cJSON_Delete(r->values);
    cJSON_Delete(r->v3_members);
    free(r);
}

/* %d without printf's machinery: an audit line has a few of these. */
static void put_int(scm_buf *b, int v)
{
    char digits[12];
    size_t n = sizeof digits;
    /* As unsigned, so INT_MIN's magnitude does not overflow. */
    unsigned u = v < 0 ? 0U - (unsigned)v : (unsigned)v;
    do
        digits[--n] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        digits[--n] = '-';
    scm__buf_append(b, digits + n, sizeof digits - n);
}

/*
 * A number as cJSON_PrintUnformatted writes it (the lines were cJSON's before they were written
 * directly, and readers compare them): integral values in int range with %d, others with the
 * shortest of %1.15g and %1.17g that reads back, "null" for NaN and infinities.
 */
static void put_number(scm_buf *b, double d)
{
    char num[32], point = *localeconv()->decimal_point;
    int as_int = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    double back, big;
    char *p;
    if (isnan(d) || isinf(d)) {
        scm__buf_puts(b, "null");
        return;
    }
    if (d == (double)as_int) {
        put_int(b, as_int);
        return;
    }
    snprintf(num, sizeof num, "%1.15g", d);
    back = strtod(num, NULL);
    big = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
    if (!(fabs(back - d) <= big * DBL_EPSILON))
        snprintf(num, sizeof num, "%1.17g", d);
    /* The C library may use a locale's decimal comma; JSON has a point. */
    for (p = num; point != '.' && *p; p++)
        if (*p == point)
            *p = '.';
    scm__buf_puts(b, num);
}

/* "key":"value" after a separator unless first; key is one of ours, with nothing to escape. */
static void put_pair(scm_buf *b, const char *key, const char *value, int first)
{
    size_t n = strlen(key);
    if (scm__buf_reserve(b, n + 4) != SCM_OK)
        return; /* oom is sticky: the line comes out NULL */
    if (!first)
        b->data[b->len++] = ',';
    b->data[b->len++] = '"';
    memcpy(b->data + b->len, key, n);
    b->len += n;
    b->data[b->len++] = '"';
    b->data[b->len++] = ':';
    scm__json_put_string(b, value);
}

/* "key":"value" after a separator unless first; both ours (field and class names), nothing to
 * escape. */
static void put_name_pair(scm_buf *b, const char *key, const char *value, int first)
{
    size_t n = strlen(key), m = strlen(value);
    if (scm__buf_reserve(b, n + m + 6) != SCM_OK)
        return;
    if (!first)
        b->data[b->len++] = ',';
    b->data[b->len++] = '"';
    memcpy(b->data + b->len, key, n);
    b->len += n;
    memcpy(b->data + b->len, "\":\"", 3);
    b->len += 3;
    memcpy(b->data + b->len, value, m);
    b->len += m;
    b->data[b->len++] = '"';
}

/*
 * Whole microseconds keep the line short and stable. Below 10^12 ms they have at most 15
 * significant digits, which %1.15g writes back exactly: digits and up to three decimals give
 * the same bytes without printf.
 */
static void put_latency(scm_buf *b, double ms)
{
    long long us;
    char frac[4];
    size_t n = 3;
    if (!(ms >= 0 && ms < 1e12)) {
        put_number(b, ms < 9e15 && ms > -9e15 ? (double)(long long)(ms * 1000.0) / 1000.0 : ms);
        return;
    }
    us = (long long)(ms * 1000.0);
    if (us / 1000 <= INT_MAX) {
        put_int(b, (int)(us / 1000));
    } else {
        put_number(b, (double)(us / 1000));
    }
    if (us % 1000 == 0)
        return;
    frac[0] = (char)('0' + us % 1000 / 100);
    frac[1] = (char)('0' + us % 100 / 10);
    frac[2] = (char)('0' + us % 10);
    while (frac[n - 1] == '0')
        n--;
    scm__buf_putc(b, '.');
    scm__buf_append(b, frac, n);
}

static void put_side(scm_buf *b, const char *name, const scm_audit_side *s)
{
    scm__buf_putc(b, ',');
    scm__json_put_string(b, name);
    scm__buf_puts(b, ":{\"rc\":");
    put_int(b, s->rc);
    scm__buf_puts(b, ",\"http_status\":");
    put_number(b, (double)s->http_status);
    put_pair(b, "error_code", s->error_code, 0);
    scm__buf_puts(b, ",\"latency_ms\":");
    put_latency(b, s->ms);
    put_pair(b, "request_id", s->request_id, 0);
    scm__buf_putc(b, '}');
}

char *scm__audit_record_line(const scm_audit_record *r)
{
    char when[40], *values;
    struct timeval tv;
    struct tm tm;
    size_t i, n, reasons = 0;
    scm_buf b;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    n = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when + n, sizeof when - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
    scm__buf_init(&b);
    scm__buf_putc(&b, '{');
    put_pair(&b, "time", when, 1);
    put_pair(&b, "cert_id", r->cert_id, 0);
    put_pair(&b, "served", scm__backend_name(r->served), 0);
    if (r->fallback != NULL)
        put_pair(&b, "fallback", r->fallback, 0);
    put_pair(&b, "result", scm__cmp_name(r->overall), 0);
    scm__buf_puts(&b, ",\"fields\":{");
    for (i = 0; i < SCM__FROZEN_COUNT; i++)
        put_name_pair(&b, scm__frozen[i].name, scm__cmp_name(r->fields[i]), i == 0);
    scm__buf_putc(&b, '}');
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        if (r->reasons[i] == SCM_WHY_NONE)
            continue;
        if (reasons++ == 0)
            scm__buf_puts(&b, ",\"reasons\":{");
        put_name_pair(&b, scm__frozen[i].name, scm__cmp_reason_name(r->reasons[i]), reasons == 1);
    }
    if (reasons > 0)
        scm__buf_putc(&b, '}');
    put_side(&b, "legacy", &r->side[SCM_BACKEND_LEGACY]);
    put_side(&b, "v3", &r->side[SCM_BACKEND_V3]);
    if (r->values != NULL) {
        /* Only with SCM_SHIM_AUDIT_VALUES, off by default: cJSON still writes the values. */
        if ((values = cJSON_PrintUnformatted(r->values)) == NULL) {
            scm__buf_free(&b);
            return NULL;
        }
        scm__buf_puts(&b, ",\"values\":");
        scm__buf_puts(&b, values);
        cJSON_free(values);
    }
    scm__buf_puts(&b, "}\n");
    return scm__buf_take(&b);
}

scm_audit_log *scm__audit_log_open(const char *path)
{
    static atomic_flag reported = ATOMIC_FLAG_INIT;
    scm_audit_log *log;
    scm_error why;
    int fd = scm__privfile_open(path, O_WRONLY | O_APPEND | O_CREAT, &why);
    if (fd < 0) {
        if (!atomic_flag_test_and_set(&reported))
            scm__log(SCM_LOG_WARN, "SCM_SHIM_AUDIT_LOG=%s: %s; shadowing goes on without the log",
                     path, why.msg);
        return NULL;
    }
    if ((log = calloc(1, sizeof *log)) == NULL) {
        close(fd);
        return NULL;
    }
    log->fd = fd;
    return log;
}

/*
 * After a short write (disk full) the line's head is in the file. Cut it off
 * when nothing was appended behind it; otherwise end it, so that it stays one
 * damaged line that `scm-shim audit --log` skips and counts.
 */
static void undo_short_write(int fd, size_t written)
{
    off_t end = lseek(fd, 0, SEEK_CUR);
    struct stat st;
    ssize_t n;
    if (end >= (off_t)written && fstat(fd, &st) == 0 && st.st_size == end &&
        ftruncate(fd, end - (off_t)written) == 0)
        return;
    n = write(fd, "\n", 1);
    (void)n;
}

void scm__audit_log_write(scm_audit_log *log, const char *line)
{
    static atomic_flag reported = ATOMIC_FLAG_INIT;
    size_t len = strlen(line);
    ssize_t n;
    if (log == NULL)
        return;
    /* O_APPEND with a single write() appends the whole line atomically. */
    n = write(log->fd, line, len);
    if (n == (ssize_t)len)
        return;
    if (n > 0)
        undo_short_write(log->fd, (size_t)n);
    /* The served answer never depends on the log, but losing lines must not be silent. */
    if (!atomic_flag_test_and_set(&reported))
        scm__log(SCM_LOG_WARN,
                 "the audit log cannot be written (%s): shadow results are being lost",
                 n < 0 ? strerror(errno) : "disk full");
}

void scm__audit_log_close(scm_audit_log *log)
{
    if (log == NULL)
        return;
    close(log->fd);
    free(log);
}
