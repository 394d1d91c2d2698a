/*
 * maptable.h - the field-mapping table in memory. The rows come from
 * mapping/mapping.json: compiled in by tools/mapgen at build time, or loaded
 * at client creation from SCM_SHIM_MAPPING. The table holds only rules: each
 * row points at the frozen field it fills (frozen.h describes the fields).
 * Nothing in C states a v3 name, value pair or rule that the table states.
 */
#ifndef SCM_SHIM_MAPTABLE_H
#define SCM_SHIM_MAPTABLE_H

#include "error.h"
#include "frozen.h"
#include "scm_shim.h"

#include <stddef.h>

/*
 * X-macros: one list drives the enums, the names accepted in the table and the docs.
 * X(id, name, v3 sources, 1 when the row names the text the rule adds in "affix", doc)
 */
#define SCM_RULES(X)                                                                               \
    X(COPY, "copy", 1, 0, "copy the v3 member")                                                    \
    X(ENUM, "enum", 1, 0,                                                                          \
      "map through the row's value pairs; no pair: pass through, report unmapped")                 \
    X(LOWER, "lower", 1, 0, "lower-case the v3 value")                                             \
    X(UPPER, "upper", 1, 0, "upper-case the v3 value")                                             \
    X(PREFIX, "prefix", 1, 1, "the row's affix, then the v3 value (an empty value stays empty)")   \
    X(SUFFIX, "suffix", 1, 1, "the v3 value, then the row's affix (an empty value stays empty)")   \
    X(JOIN, "join", 2, 0,                                                                          \
      "first member, then each ';'-separated entry of the second, joined with ';'")                \
    X(STRIP_DOMAIN, "strip_domain", 2, 0,                                                          \
      "drop '.' + the second member (its leading '*.' dropped first) from the end of the first")   \
    X(EACH, "each", 1, 0, "one legacy element per element of the v3 array, same order")            \
    X(MISSING, "missing", 0, 0, "no v3 source: \"\"")

/* The classes of the table's class column: those of scm_shim.h but "captured". */
#define SCM_CLASSES(X) SCM_SHIM_TABLE_CLASSES(X)

typedef enum {
#define X(id, name, nsrc, affix, doc) SCM_RULE_##id,
    SCM_RULES(X)
#undef X
        SCM_RULE_COUNT_
} scm_rule;

/* The public classes, one for one (as libuv's uv_errno_t is its internal codes). */
typedef enum {
#define X(id, name, doc) SCM_CLASS_##id = SCM_SHIM_CLASS_##id,
    SCM_SHIM_CLASSES(X)
#undef X
} scm_field_class;

/*
 * The APIs a table reads bodies of: X(id, name, how messages name one of its
 * members, an element of one, the body; 1 when the report lists absent
 * sources and unread members). The legacy API is read by the identity table
 * (scm__map_legacy): its body already has the legacy layout.
 */
#define SCM_SOURCE_APIS(X)                                                                         \
    X(V3, "v3", "v3 member", "an element of v3 member", "the v3 body", 1)                          \
    X(LEGACY, "legacy", "member", "an element of", "the body", 0)

typedef enum {
#define X(id, name, member, element, body, reports) SCM_API_##id,
    SCM_SOURCE_APIS(X)
#undef X
} scm_source_api;

#define SCM_MAP_MAX_SOURCES 2
/* Spellings one source may have: the current name first, then older deployments' names. */
#define SCM_MAP_MAX_SPELLINGS 3

/* Version of the mapping.json format this loader writes about; it also reads format 2. */
#define SCM_MAP_FORMAT 3

/*
 * One spelling of a source, resolved against the table's v3 schema when the
 * table is loaded: "name" reads a top-level member, "object.member" a member
 * of a nested object, "array[].member" a member of the current element of the
 * row's array (auth[] rows only).
 */
typedef struct scm_path {
    const char *text;   /* as written in the table */
    const char *object; /* "application_info", "authentification", or NULL for a top-level member */
    const char *member; /* the member read */
    int element;        /* read from the current array element, not from object in the body */
} scm_path;

typedef struct scm_source {
    scm_path spelling[SCM_MAP_MAX_SPELLINGS];
    size_t nspellings; /* the first one present in a body is read */
} scm_source;

typedef struct scm_enum_pair {
    const char *from; /* v3 value */
    const char *to;   /* legacy value */
} scm_enum_pair;

/* The rules for one frozen field; the field itself (name, key, type, offset) is in frozen.h. */
typedef struct scm_map_row {
    const scm_frozen_field *field;
    scm_source v3[SCM_MAP_MAX_SOURCES];
    size_t nv3;
    scm_rule rule;
    scm_field_class cls;
    const scm_enum_pair *values;
    size_t nvalues;
    const char *description;
    const char *affix; /* the text a prefix or suffix rule adds (SCM_RULES), else NULL */
} scm_map_row;

typedef struct scm_map {
    scm_source_api api; /* what the table's sources are read from */
    const scm_map_row *rows;
    size_t nrows;
    void *owned; /* storage of a loaded table; NULL for the built-in one */
} scm_map;

/* The table compiled from mapping/mapping.json (generated scm_map_default.c). */
extern const scm_map scm__map_builtin;
/* The text of mapping/mapping.json it was compiled from: the base of a table
 * `scm-shim audit --suggest-mapping` writes (the schema is not kept in scm_map). */
extern const char scm__map_builtin_json[];
/* The identity table of the legacy API, generated from the frozen descriptor (map_identity.c). */
extern const scm_map scm__map_legacy;

const char *scm__rule_name(scm_rule r);
/* 1 when rule r adds the row's affix. */
int scm__rule_takes_affix(scm_rule r);
const char *scm__class_name(scm_field_class c);
const char *scm__field_type_name(scm_field_type t);

/*
 * Parses and checks a table (the mapping.json format): exactly one row per
 * frozen field (frozen.h), each of the field's type. Returns SCM_OK, or
 * SCM_E_INVALID_PARAM (err: SCMSHIM.INVALID_PARAM naming the row) or
 * SCM_E_NOMEM (err: SCMSHIM.NOMEM).
 */
int scm__map_parse(const char *json, size_t len, scm_map *out, scm_error *err);
/* Reads a file and parses it; SCM_OK, or the SCM_E_* code with err naming the file or the row. */
int scm__map_load_file(const char *path, scm_map *out, scm_error *err);
void scm__map_free(scm_map *map);

/*
 * The table in force: SCM_SHIM_MAPPING's file when set (loaded into *loaded,
 * free it with scm__map_free), else the built-in one. SCM_OK with *map set,
 * or scm__map_load_file's SCM_E_* code with err saying
 * "SCM_SHIM_MAPPING=<path>: <reason>".
 */
int scm__map_from_env(scm_map *loaded, const scm_map **map, scm_error *err);

/* The row of the field named legacy ("cert_id", "auth[].method"), or NULL. */
const scm_map_row *scm__map_find(const scm_map *map, const char *legacy);

#endif
