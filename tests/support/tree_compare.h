/* tree_compare.h - whether two cJSON trees are the same, node for node (tests and fuzzers). */
#ifndef SCM_TEST_TREE_COMPARE_H
#define SCM_TEST_TREE_COMPARE_H

#include <cjson/cJSON.h>

/*
 * "" when a and b are the same tree: types, valueint, valuedouble (bit for bit), strings,
 * member names, order; else the first thing that differs ("type", "name", ...).
 */
const char *tu_tree_differ(const cJSON *a, const cJSON *b);

#endif
