/* legacy_json.h - writes the legacy body (member order, types and layout of the v2 API). */
#ifndef SCM_SHIM_LEGACY_JSON_H
#define SCM_SHIM_LEGACY_JSON_H

#include "buf.h"
#include "report.h"
#include "scm_client.h"

/*
 * The legacy body of d: members in legacy order, two-space indent as the v2
 * service wrote it, UTF-8 kept, a final newline. With annotate, a last
 * member "_shim" holds the report. malloc'd, or NULL on OOM.
 */
char *scm__legacy_json(const scm_cert_details *d, const scm_report *annotate);

/* Appends s as a JSON string literal (UTF-8 kept, controls escaped). */
void scm__json_put_string(scm_buf *b, const char *s);

/*
 * Appends the report as one JSON object:
 * {"backend":..,"fields":{"cert_id":"renamed",..},"captured_at"?:{..},"spellings"?:{..},
 *  "unmapped":[..],"absent":[..],"v3_only":[..]}
 * indented by indent spaces per level starting at level (0 = compact).
 */
void scm__report_put_json(scm_buf *b, const scm_report *r, int indent, int level);

#endif
