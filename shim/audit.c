/*
 * audit.c - comparison records, their JSON lines and the audit log; see audit.h.
 * owns: the audit record of one comparison (fields from compare.c, each side's status, error
 * code, measured latency and request ID), its JSON line, and appending lines to the audit log;
 * must not: fetch, change the answer the caller is served, or write field values unless asked
 * to (SCM_SHIM_AUDIT_VALUES).
 */
#include "audit.h"

#include "details.h"
#include "legacy_json.h"
#include "log.h"
#include "maptable.h"
#include "privfile.h"

#include <errno.h>
#include <fcntl.h>
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
                               const scm_cmp *fields)
{
    cJSON *values = cJSON_CreateObject(), *pair;
    size_t i;
    for (i = 0; values != NULL && i < SCM__FROZEN_COUNT; i++) {
        if (fields[i] == SCM_CMP_MATCH)
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

scm_audit_record *scm__audit_compare(const char *cert_id, scm_backend served,
                                     const scm_answer *answers,
                                     const scm_cert_details *const *details, int want_values)
{
    scm_audit_record *r = calloc(1, sizeof *r);
    int b;

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
        snprintf(r->side[b].error_code, sizeof r->side[b].error_code, "%s",
                 answers[b].rc != SCM_OK ? answers[b].err.code : "");
        r->side[b].ms = answers[b].resp != NULL ? answers[b].resp->seconds * 1000.0 : 0;
        snprintf(r->side[b].request_id, sizeof r->side[b].request_id, "%s",
                 answers[b].resp != NULL ? answers[b].resp->request_id : "");
    }
    if (details[SCM_BACKEND_LEGACY] == NULL || details[SCM_BACKEND_V3] == NULL) {
        r->overall = scm__compare_failed(r->fields, r->reasons);
        return r;
    }
    r->overall =
        scm__compare(details[SCM_BACKEND_LEGACY], details[SCM_BACKEND_V3], r->fields, r->reasons);
    if (want_values && r->overall != SCM_CMP_MATCH &&
        (r->values = differing_values(details[SCM_BACKEND_LEGACY], details[SCM_BACKEND_V3],
                                      r->fields)) == NULL) {
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
    free(r);
}

static cJSON *side_json(const scm_audit_side *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "rc", s->rc);
    cJSON_AddNumberToObject(o, "http_status", (double)s->http_status);
    cJSON_AddStringToObject(o, "error_code", s->error_code);
    /* Whole microseconds keep the line short and stable. */
    cJSON_AddNumberToObject(o, "latency_ms", (double)(long long)(s->ms * 1000.0) / 1000.0);
    cJSON_AddStringToObject(o, "request_id", s->request_id);
    return o;
}

char *scm__audit_record_line(const scm_audit_record *r)
{
    cJSON *o = cJSON_CreateObject(), *fields, *reasons = NULL;
    char when[40], *text, *line = NULL;
    struct timeval tv;
    struct tm tm;
    size_t i, n;

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    n = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when + n, sizeof when - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
    cJSON_AddStringToObject(o, "time", when);
    cJSON_AddStringToObject(o, "cert_id", r->cert_id);
    cJSON_AddStringToObject(o, "served", scm__backend_name(r->served));
    cJSON_AddStringToObject(o, "result", scm__cmp_name(r->overall));
    fields = cJSON_AddObjectToObject(o, "fields");
    for (i = 0; i < SCM__FROZEN_COUNT; i++)
        cJSON_AddStringToObject(fields, scm__frozen[i].name, scm__cmp_name(r->fields[i]));
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        if (r->reasons[i] == SCM_WHY_NONE)
            continue;
        if (reasons == NULL)
            reasons = cJSON_AddObjectToObject(o, "reasons");
        cJSON_AddStringToObject(reasons, scm__frozen[i].name, scm__cmp_reason_name(r->reasons[i]));
    }
    cJSON_AddItemToObject(o, "legacy", side_json(&r->side[SCM_BACKEND_LEGACY]));
    cJSON_AddItemToObject(o, "v3", side_json(&r->side[SCM_BACKEND_V3]));
    if (r->values != NULL)
        cJSON_AddItemReferenceToObject(o, "values", r->values);
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (text != NULL && (line = malloc(strlen(text) + 2)) != NULL)
        sprintf(line, "%s\n", text);
    cJSON_free(text);
    return line;
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
