/* json.h - strict JSON parsing on top of cJSON. */
#ifndef SCM_SHIM_JSON_H
#define SCM_SHIM_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

/*
 * Parses exactly len bytes as one JSON value. Rejected, where cJSON alone
 * would accept them: trailing bytes other than white space, NUL bytes,
 * invalid UTF-8, and \u0000 escapes (a C string would end there). Nesting
 * deeper than cJSON's limit (CJSON_NESTING_LIMIT) is rejected by cJSON.
 * Returns NULL when the text is not that.
 */
cJSON *scm__json_parse(const char *data, size_t len);

/*
 * The same verdict as scm__json_parse, and the same tree, but its nodes and
 * strings are in one block (jsontree.c): a body costs one or two allocations
 * instead of several per value. The tree is read-only: free it with
 * scm__json_tree_free, never cJSON_Delete, and never pass it to a cJSON
 * function that adds, detaches or frees an item.
 */
const cJSON *scm__json_tree_parse(const char *data, size_t len);
void scm__json_tree_free(const cJSON *root);

/* 1 when the len bytes pass the checks cJSON lacks: UTF-8, no NUL byte, no \u0000. */
int scm__json_acceptable(const char *data, size_t len);

/* 1 when the len bytes at s are well-formed UTF-8 with no NUL byte. */
int scm__utf8_valid(const char *s, size_t len);
/* Cuts an incomplete UTF-8 sequence off the end of s (as left by a truncating snprintf). */
void scm__utf8_cut(char *s);

/* 1 and *out set when it is a number with an integral value in int range, else 0. */
int scm__json_int(const cJSON *it, int *out);

#endif
