/* json.c - strict JSON parsing; see json.h. */
#include "json.h"

#include <limits.h>
#include <string.h>

cJSON *scm_json_parse(const char *data, size_t len)
{
    const char *end = NULL;
    cJSON *doc;
    if (data == NULL || memchr(data, '\0', len) != NULL)
        return NULL;
    doc = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (doc == NULL)
        return NULL;
    for (; end < data + len; end++)
        if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
            cJSON_Delete(doc);
            return NULL;
        }
    return doc;
}

int scm_json_int(const cJSON *it, int *out)
{
    double v;
    if (!cJSON_IsNumber(it))
        return 0;
    v = it->valuedouble;
    /* The range test first: converting an out-of-range double to int is undefined. */
    if (!(v >= INT_MIN && v <= INT_MAX) || (double)(int)v != v)
        return 0;
    *out = (int)v;
    return 1;
}
