/*
 * tree_compare.c - see tree_compare.h.
 * owns: the node-for-node comparison; must not: parse.
 */
#include "tree_compare.h"

#include <string.h>

static int same_text(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

const char *tu_tree_differ(const cJSON *a, const cJSON *b)
{
    const cJSON *x, *y;
    if ((a->type & 0xFF) != (b->type & 0xFF))
        return "type";
    if (a->valueint != b->valueint)
        return "valueint";
    if (memcmp(&a->valuedouble, &b->valuedouble, sizeof a->valuedouble) != 0)
        return "valuedouble";
    if (!same_text(a->valuestring, b->valuestring))
        return "valuestring";
    if (!same_text(a->string, b->string))
        return "name";
    for (x = a->child, y = b->child; x != NULL && y != NULL; x = x->next, y = y->next) {
        const char *why = tu_tree_differ(x, y);
        if (*why)
            return why;
    }
    return x != NULL || y != NULL ? "child count" : "";
}
