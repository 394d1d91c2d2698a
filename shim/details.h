/* details.h - allocating and filling scm_cert_details through the table's offsets. */
#ifndef SCM_SHIM_DETAILS_H
#define SCM_SHIM_DETAILS_H

#include "error.h"
#include "frozen.h"
#include "scm_client.h"

struct scm_shim_report;

/*
 * A new zeroed object whose report names backend ("v3"/"legacy", static) and
 * classes every field exact; free with scm_cert_details_free. NULL on OOM.
 */
scm_cert_details *scm__details_new(const char *backend);
/* 1 when d is an object made by scm__details_new and not yet freed (any address is safe). */
int scm__details_is_ours(const scm_cert_details *d);
/* The report of an object made by scm__details_new. */
struct scm_shim_report *scm__details_report(const scm_cert_details *d);

/* The char * member a string field names, in d or in one auth element. */
char **scm__details_str(void *obj, const scm_frozen_field *f);
int *scm__details_int(scm_cert_details *d, const scm_frozen_field *f);

/* Sets every NULL char * member (auth elements included) to ""; SCM_OK or SCM_E_NOMEM. */
int scm__details_fill_empty(scm_cert_details *d);

/*
 * Parses a legacy-layout body (the v2 API's) into *out: the identity table
 * (scm__map_legacy) run by the conversion engine. SCM_OK, or SCM_E_PARSE / SCM_E_NOMEM with err
 * saying why.
 */
struct cJSON;
int scm__details_from_legacy(const struct cJSON *doc, scm_cert_details **out, scm_error *err);

#endif
