/*
 * public.c - scm_shim.h: reports, the offline conversion and the thread's last error.
 * owns: the exported report and conversion calls, their NULL and range checks; must not:
 * read a report's members (report.c) or convert anything itself (convert.c).
 */
#include "capture.h"
#include "convert.h"
#include "details.h"
#include "export.h"
#include "json.h"
#include "legacy_json.h"
#include "report.h"
#include "scm_shim.h"

#include "client.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Released values: appending a class is compatible, renumbering one is not. */
_Static_assert(SCM_SHIM_CLASS_EXACT == 0 && SCM_SHIM_CLASS_RENAMED == 1 &&
                   SCM_SHIM_CLASS_TRANSFORMED == 2 && SCM_SHIM_CLASS_LOSSY == 3 &&
                   SCM_SHIM_CLASS_MISSING == 4 && SCM_SHIM_CLASS_CAPTURED == 5,
               "a released scm_shim_class value changed");

SCM_EXPORT const char *scm_shim_class_name(scm_shim_class cls)
{
    return (unsigned)cls < SCM_SHIM_CLASS_COUNT ? scm__class_name((scm_field_class)cls) : NULL;
}

SCM_EXPORT const scm_shim_report *scm_shim_details_report(const scm_cert_details *details)
{
    return scm__details_is_ours(details) ? scm__details_report(details) : NULL;
}

SCM_EXPORT const scm_shim_report *scm_shim_client_report(const scm_client *client)
{
    return client != NULL ? client->last_report : NULL;
}

SCM_EXPORT const char *scm_shim_report_backend(const scm_shim_report *r)
{
    return r != NULL ? scm__report_backend(r) : "";
}

SCM_EXPORT const char *scm_shim_report_fallback(const scm_shim_report *r)
{
    const char *how = r != NULL ? scm__report_fallback(r) : NULL;
    return how != NULL ? how : "";
}

SCM_EXPORT size_t scm_shim_report_field_count(const scm_shim_report *r)
{
    return r != NULL ? SCM__FROZEN_COUNT : 0;
}

SCM_EXPORT const char *scm_shim_report_field_name(const scm_shim_report *r, size_t i)
{
    return r != NULL && i < SCM__FROZEN_COUNT ? scm__frozen[i].name : NULL;
}

SCM_EXPORT scm_shim_class scm_shim_report_field_class(const scm_shim_report *r, size_t i)
{
    return r != NULL ? (scm_shim_class)scm__report_class(r, i) : SCM_SHIM_CLASS_MISSING;
}

SCM_EXPORT int scm_shim_report_find(const scm_shim_report *r, const char *field,
                                    scm_shim_class *cls)
{
    int i = r != NULL && field != NULL ? scm__report_index(field) : -1;
    if (i < 0)
        return -1;
    if (cls != NULL)
        *cls = (scm_shim_class)scm__report_class(r, (size_t)i);
    return 0;
}

SCM_EXPORT time_t scm_shim_report_field_captured_at(const scm_shim_report *r, size_t i)
{
    return r != NULL ? (time_t)scm__report_captured_at(r, i) : 0;
}

SCM_EXPORT size_t scm_shim_report_unmapped_count(const scm_shim_report *r)
{
    return r != NULL ? scm__report_unmapped_count(r) : 0;
}

SCM_EXPORT const char *scm_shim_report_unmapped(const scm_shim_report *r, size_t i)
{
    size_t row;
    for (row = 0; r != NULL && row < SCM__FROZEN_COUNT; row++)
        if (scm__report_is_unmapped(r, row) && i-- == 0)
            return scm__frozen[row].name;
    return NULL;
}

SCM_EXPORT size_t scm_shim_report_absent_count(const scm_shim_report *r)
{
    return r != NULL ? scm__report_absent_count(r) : 0;
}

SCM_EXPORT const char *scm_shim_report_absent(const scm_shim_report *r, size_t i)
{
    size_t row;
    for (row = 0; r != NULL && row < SCM__FROZEN_COUNT; row++)
        if (scm__report_is_absent(r, row) && i-- == 0)
            return scm__frozen[row].name;
    return NULL;
}

SCM_EXPORT const char *scm_shim_report_field_spelling(const scm_shim_report *r, size_t i)
{
    return r != NULL ? scm__report_spelling(r, i) : NULL;
}

SCM_EXPORT size_t scm_shim_report_v3_only_count(const scm_shim_report *r)
{
    return r != NULL ? scm__report_v3_only_count(r) : 0;
}

SCM_EXPORT const char *scm_shim_report_v3_only(const scm_shim_report *r, size_t i)
{
    return r != NULL ? scm__report_v3_only(r, i) : NULL;
}

SCM_EXPORT char *scm_shim_report_json(const scm_shim_report *r)
{
    scm_buf b;
    if (r == NULL)
        return NULL;
    scm__buf_init(&b);
    scm__report_put_json(&b, r, 0, 0);
    return scm__buf_take(&b);
}

SCM_EXPORT void scm_shim_report_free(scm_shim_report *r)
{
    scm__report_free(r);
}

SCM_EXPORT int scm_shim_convert(const char *v3_json, size_t len, char **legacy_json,
                                scm_shim_report **report)
{
    const scm_map *map;
    scm_map loaded;
    scm_cert_details *d = NULL;
    scm_error why;
    const cJSON *doc;
    int rc;

    if (legacy_json != NULL)
        *legacy_json = NULL;
    if (report != NULL)
        *report = NULL;
    scm__last_error_set("%s", "");
    if (v3_json == NULL || legacy_json == NULL) {
        scm__last_error_set("v3_json and legacy_json must not be NULL");
        return SCM_E_INVALID_PARAM;
    }
    if (scm__map_from_env(&loaded, &map, &why) != SCM_OK) {
        scm__last_error_set("%s", why.msg);
        return SCM_E_INVALID_PARAM;
    }
    doc = scm__json_tree_parse(v3_json, len);
    if (doc == NULL) {
        scm__last_error_set("the v3 body is not valid JSON");
        rc = SCM_E_PARSE;
    } else if ((rc = scm__convert_v3(map, doc, &d, &why)) == SCM_E_PARSE) {
        scm__last_error_set("%s", why.msg);
    } else if (rc == SCM_OK) {
        const char *store = getenv("SCM_SHIM_CAPTURE");
        if (store != NULL && store[0] != '\0') {
            scm_capture *cap = scm__capture_open(store, SCM_CAPTURE_WAIT_MS);
            scm__capture_fill(cap, map, d, SCM_CAPTURE_WAIT_MS);
            scm__capture_close(cap);
        }
        *legacy_json = scm__legacy_json(d, NULL);
        if (report != NULL)
            *report = scm__report_share(scm__details_report(d));
        if (*legacy_json == NULL || (report != NULL && *report == NULL)) {
            scm_free(*legacy_json);
            *legacy_json = NULL;
            if (report != NULL) {
                scm__report_free(*report);
                *report = NULL;
            }
            rc = SCM_E_NOMEM;
        }
    }
    if (rc == SCM_E_NOMEM)
        scm__last_error_set("out of memory");
    scm_cert_details_free(d);
    scm__json_tree_free(doc);
    scm__map_free(&loaded);
    return rc;
}
