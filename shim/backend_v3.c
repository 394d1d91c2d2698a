/*
 * backend_v3.c - the v3 API's entry of the backend table:
 * GET /v3/scm/certificates/{id}, converted by the mapping table.
 * owns: the v3 path, decoder and capture role; must not: know the client,
 * the transport or the other backend.
 */
#include "backend.h"

#include "capture.h"
#include "convert.h"

#include <stddef.h>
#include <stdio.h>

static int v3_path(char *buf, size_t size, const char *prefix, const char *project_id,
                   const char *cert_id)
{
    (void)project_id; /* v3 paths are not project-scoped */
    return snprintf(buf, size, "%s/v3/scm/certificates/%s", prefix, cert_id);
}

/* v3 lacks some fields: the capture store gives them back. */
static void v3_capture(struct scm_capture *cap, const scm_map *map, scm_cert_details *d,
                       long budget_ms)
{
    scm__capture_fill(cap, map, d, budget_ms);
}

const scm_backend_ops scm__backend_v3 = {
    .name = "v3",
    .endpoint_var = "SCM_SHIM_V3_ENDPOINT",
    .endpoint_opt = "v3_endpoint",
    .endpoint_opt_at = offsetof(scm_shim_client_options, v3_endpoint),
    .needs_project = 0,
    .domain_scope = 1,
    .id_key = "id",
    .serves_own_body = 0,
    .shadow = SCM_BACKEND_LEGACY,
    .path = v3_path,
    .decode = scm__convert_v3,
    .capture = v3_capture,
};
