/*
 * fuzz_jsontree.c - the one-block parser (scm__json_tree_parse, what a call's body goes
 * through) against cJSON behind scm__json_parse on any bytes: the same verdict, and when
 * both accept, the same tree node for node.
 */
#include "fuzz.h"
#include "json.h"
#include "tree_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    cJSON *theirs = scm__json_parse(text, size);
    const cJSON *ours = scm__json_tree_parse(text, size);
    FUZZ_CHECK((theirs != NULL) == (ours != NULL));
    FUZZ_CHECK(ours == NULL || *tu_tree_differ(theirs, ours) == '\0');
    cJSON_Delete(theirs);
    scm__json_tree_free(ours);
    return 0;
}
