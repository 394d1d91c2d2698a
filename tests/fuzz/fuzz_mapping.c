/*
 * fuzz_mapping.c - the mapping-table loader (what SCM_SHIM_MAPPING feeds):
 * scm__map_parse and, for a table that parses, a conversion of one v3 body
 * with it.
 */
#include "convert.h"
#include "details.h"
#include "fuzz.h"
#include "legacy_json.h"
#include "maptable.h"

#include <string.h>

/*
 * A small v3 body touching every rule: enums, a wildcard, spaced sans, an extra element
 * member, and the nested application_info (one member null, one the table does not name)
 * with description and shared, so that a table's nested sources and spellings are read.
 */
static const char V3_BODY[] =
    "{\"id\":\"scs1\",\"status\":\"ISSUED\",\"order_id\":\"o-1\",\"name\":\"n\","
    "\"type\":\"OV_SSL_CERT\",\"brand\":\"DigiCert\",\"push_support\":\"ON\",\"revoke_reason\":"
    "null,"
    "\"signature_algorithm\":\"SHA384WITHECDSA\",\"validity_period\":12,\"validation_method\":"
    "\"DNS\","
    "\"domain_type\":\"WILDCARD\",\"domain\":\"*.example.com\",\"sans\":\" a.example.com "
    ";;b.example.com\","
    "\"domain_count\":3,\"wildcard_count\":1,\"fingerprint\":\"ab12\",\"shared\":false,"
    "\"application_info\":{\"country\":\"CN\",\"company_name\":\"Acme \\\"Secure\\\" GmbH\","
    "\"company_city\":null,\"applicant_name\":\"Zo\\u00eb\",\"contact_email\":\"t@example.org\","
    "\"extra\":\"e\"},\"description\":\"d;e\",\"enterprise_project_id\":\"0\","
    "\"authentification\":[{\"record_name\":\"_dnsauth.example.com\",\"record_type\":\"TXT\","
    "\"record_value\":\"v1\",\"domain\":\"*.example.com\"},{\"record_name\":\"x\",\"record_type\":"
    "\"CNAME\","
    "\"record_value\":\"v2\",\"domain\":\"b.example.com\",\"extra\":\"e\"}]}";

static void convert_with(const scm_map *map)
{
    cJSON *doc = cJSON_Parse(V3_BODY);
    scm_cert_details *d = NULL;
    scm_error err = {"", "", 0, 0};
    char *body;
    int rc;

    FUZZ_CHECK(doc != NULL);
    rc = scm__convert_v3(map, doc, &d, &err);
    cJSON_Delete(doc);
    if (rc != SCM_OK) {
        /* A table may point a string field at a number member, or auth at a string. */
        FUZZ_CHECK(rc == SCM_E_PARSE && d == NULL && err.msg[0] != '\0');
        return;
    }
    body = scm__legacy_json(d, scm__details_report(d));
    FUZZ_CHECK(body != NULL && fuzz_utf8_ok(body));
    doc = cJSON_Parse(body);
    FUZZ_CHECK(cJSON_IsObject(doc));
    cJSON_Delete(doc);
    scm_free(body);
    scm_cert_details_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scm_map map;
    scm_error err = {"", "", 0, 0};
    size_t i;

    if (scm__map_parse((const char *)data, size, &map, &err) != SCM_OK) {
        FUZZ_CHECK(map.rows == NULL && map.nrows == 0 && map.owned == NULL && err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(map.nrows > 0 && map.owned == map.rows);
    for (i = 0; i < map.nrows; i++) {
        const scm_map_row *r = &map.rows[i];
        FUZZ_CHECK(r->nv3 <= SCM_MAP_MAX_SOURCES && (r->rule == SCM_RULE_ENUM) == (r->nvalues > 0));
        FUZZ_CHECK(scm__rule_takes_affix(r->rule) == (r->affix != NULL && r->affix[0] != '\0'));
        /* Rows are unique by legacy name. */
        FUZZ_CHECK(scm__map_find(&map, r->field->name) == r);
    }
    /* A parsed table has one row per frozen field. */
    FUZZ_CHECK(map.nrows == SCM__FROZEN_COUNT);
    convert_with(&map);
    scm__map_free(&map);
    return 0;
}
