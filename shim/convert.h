/* convert.h - the table walk: rebuilds the legacy layout from a body through a mapping table. */
#ifndef SCM_SHIM_CONVERT_H
#define SCM_SHIM_CONVERT_H

#include "error.h"
#include "maptable.h"
#include "scm_client.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/*
 * Converts a parsed body of map's source API (a v3 body, GET
 * /v3/scm/certificates/{id}, with the built-in or a loaded table; a legacy one
 * with scm__map_legacy) into a new object (free with scm_cert_details_free)
 * whose report gives each field's class and, for v3, the unmapped and absent
 * fields and the v3-only members. Returns SCM_OK, SCM_E_PARSE (err, SCMSHIM.PARSE,
 * says which member) or SCM_E_NOMEM (err SCMSHIM.NOMEM).
 */
int scm__convert_v3(const scm_map *map, const cJSON *v3, scm_cert_details **out, scm_error *err);

#endif
