/*
 * body.c - tells a v3 body from a legacy one; see body.h.
 * owns: that rule, from mapping/mapping.json's v3 members and the fixtures' two layouts; must
 * not: decode or convert a body.
 */
#include "body.h"

#include <stddef.h>

/* Members every legacy body has and no v3 body: the legacy names of v3's id, name and
 * authentification. */
static const char *const LEGACY_ONLY[] = {"cert_id", "cert_name", "auth"};

body_kind body_kind_of(const cJSON *doc, const char **why)
{
    const char *unused;
    size_t i;
    int legacy = 0;

    why = why != NULL ? why : &unused;
    if (!cJSON_IsObject(doc)) {
        *why = cJSON_IsArray(doc) ? "an array, not a certificate object" : "not a JSON object";
        return BODY_NEITHER;
    }
    for (i = 0; i < sizeof LEGACY_ONLY / sizeof LEGACY_ONLY[0]; i++)
        legacy |= cJSON_GetObjectItemCaseSensitive(doc, LEGACY_ONLY[i]) != NULL;
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "id")) && !legacy)
        return BODY_V3;
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "cert_id")) &&
        cJSON_GetObjectItemCaseSensitive(doc, "id") == NULL)
        return BODY_LEGACY;
    *why = legacy ? "a body in the legacy (v2) layout and v3's \"id\" at once"
                  : "no string \"id\": not a v3 certificate";
    return BODY_NEITHER;
}
