/*
 * backend_legacy.c - the legacy API's entry of the backend table:
 * GET /v2/{project_id}/scm/cert/{id}, already in the frozen layout.
 * owns: the legacy path, decoder and capture role; must not: know the
 * client, the transport or the other backend.
 */
#include "backend.h"

#include "capture.h"
#include "details.h"

#include <stddef.h>
#include <stdio.h>

static int legacy_path(char *buf, size_t size, const char *prefix, const char *project_id,
                       const char *cert_id)
{
    return snprintf(buf, size, "%s/v2/%s/scm/cert/%s", prefix, project_id, cert_id);
}

/* The frozen layout needs no table. */
static int legacy_decode(const scm_map *map, const cJSON *doc, scm_cert_details **out,
                         scm_error *why)
{
    (void)map;
    return scm__details_from_legacy(doc, out, why);
}

/* Legacy answers hold what v3 lacks: the capture store keeps it. */
static void legacy_capture(struct scm_capture *cap, const scm_map *map, scm_cert_details *d,
                           long budget_ms)
{
    scm__capture_store(cap, map, d, budget_ms);
}

const scm_backend_ops scm__backend_legacy = {
    .name = "legacy",
    .endpoint_var = "SCM_SHIM_LEGACY_ENDPOINT",
    .endpoint_opt = "legacy_endpoint",
    .endpoint_opt_at = offsetof(scm_shim_client_options, legacy_endpoint),
    .needs_project = 1,
    .domain_scope = 0, /* the path is project-scoped: it names the project of its URL */
    .id_key = "cert_id",
    .serves_own_body = 1,
    .shadow = SCM_BACKEND_V3,
    .path = legacy_path,
    .decode = legacy_decode,
    .capture = legacy_capture,
};
