/*
 * details.c - scm_cert_details: allocation, freeing, and reading a legacy body.
 * owns: the box around each returned object and its report; must not: walk a
 * body itself (a legacy body is the identity table run by convert.c).
 */
#include "details.h"

#include "convert.h"
#include "export.h"
#include "log.h"
#include "registry.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

/*
 * Every object the library returns sits in a box that also holds its report;
 * the caller only sees the frozen struct, its first member. The registry says
 * which addresses are boxes, so the public calls never look past a struct the
 * caller allocated itself.
 */
#define BOX_MAGIC 0x5c3d1e7aU

typedef struct details_box {
    scm_cert_details d;
    unsigned magic;
    scm_report *report;
} details_box;

scm_cert_details *scm__details_new(const char *backend)
{
    details_box *box = calloc(1, sizeof *box);
    if (box == NULL)
        return NULL;
    if ((box->report = scm__report_new(backend, SCM_CLASS_EXACT)) == NULL ||
        scm__registry_add(box) != SCM_OK) {
        scm__report_free(box->report);
        free(box);
        return NULL;
    }
    box->magic = BOX_MAGIC;
    return &box->d;
}

int scm__details_is_ours(const scm_cert_details *d)
{
    return d != NULL && scm__registry_has(d);
}

scm_report *scm__details_report(const scm_cert_details *d)
{
    const details_box *box = (const details_box *)(const void *)d;
    return d != NULL && box->magic == BOX_MAGIC ? box->report : NULL;
}

char **scm__details_str(void *obj, const scm_frozen_field *f)
{
    return (char **)(void *)((char *)obj + f->offset);
}

int *scm__details_int(scm_cert_details *d, const scm_frozen_field *f)
{
    return (int *)(void *)((char *)d + f->offset);
}

/* Calls fn on every string member of the frozen layout; SCM_OK, or the first code fn fails with. */
static int each_string(scm_cert_details *d, int (*fn)(char **))
{
    size_t i, k;
    int rc;
    for (i = 0; i < SCM__FROZEN_COUNT; i++) {
        const scm_frozen_field *r = &scm__frozen[i];
        if (r->type != SCM_FT_STRING)
            continue;
        if (!r->in_auth) {
            if ((rc = fn(scm__details_str(d, r))) != SCM_OK)
                return rc;
            continue;
        }
        for (k = 0; k < d->auth_count; k++)
            if ((rc = fn(scm__details_str(&d->auth[k], r))) != SCM_OK)
                return rc;
    }
    return SCM_OK;
}

static int free_one(char **s)
{
    free(*s);
    *s = NULL;
    return SCM_OK;
}

static int fill_one(char **s)
{
    if (*s == NULL && (*s = strdup("")) == NULL)
        return SCM_E_NOMEM;
    return SCM_OK;
}

int scm__details_fill_empty(scm_cert_details *d)
{
    return each_string(d, fill_one);
}

SCM_EXPORT void scm_cert_details_free(scm_cert_details *details)
{
    static int warned;
    details_box *box = (details_box *)(void *)details;
    if (details == NULL)
        return;
    if (!scm__registry_remove(box)) {
        /* Not ours (or freed already): touching it could corrupt the caller's memory. */
        if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
            scm__log(SCM_LOG_WARN, "scm_cert_details_free: not an object this library returned, "
                                   "or freed already; left alone");
        return;
    }
    if (details->auth == NULL)
        details->auth_count = 0;
    each_string(details, free_one);
    free(details->auth);
    scm__report_free(box->report);
    box->magic = 0;
    free(box);
}

SCM_EXPORT void scm_free(void *ptr)
{
    free(ptr);
}

int scm__details_from_legacy(const cJSON *doc, scm_cert_details **out, scm_error *err)
{
    return scm__convert_v3(&scm__map_legacy, doc, out, err);
}
