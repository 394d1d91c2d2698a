/* body.h - which layout a certificate body given to convert or diff is in. */
#ifndef SCM_SHIM_BODY_H
#define SCM_SHIM_BODY_H

#include <cjson/cJSON.h>

typedef enum { BODY_V3, BODY_LEGACY, BODY_NEITHER } body_kind;

/*
 * v3: an object with a string "id" and none of the legacy layout's own top-level members
 * (cert_id, cert_name, auth); legacy: an object with a string "cert_id" and no "id". When
 * neither, *why (if not NULL) says what the document is instead.
 */
body_kind body_kind_of(const cJSON *doc, const char **why);

#endif
