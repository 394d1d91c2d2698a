/*
 * members.h - a JSON object's members by name, built in one pass, so a table
 * walk looks each member up in O(1) instead of scanning the object per row.
 */
#ifndef SCM_SHIM_MEMBERS_H
#define SCM_SHIM_MEMBERS_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Seeded FNV-1a of the len bytes at s (report.c's v3-only set uses it too). */
size_t scm__name_hash(const void *seed, const char *s, size_t len);

typedef struct scm_member_slot {
    const cJSON
        *first; /* the first member of the name: what cJSON_GetObjectItemCaseSensitive finds */
    unsigned char read; /* a table path reads it as a top-level member */
    unsigned char
        inside; /* a table path reads inside it (a nested object's or an element's member) */
} scm_member_slot;

#define SCM_MEMBERS_LOCAL 64

/* Open addressing, at most half full; slots is local until an object has more than 32 names. */
typedef struct scm_members {
    scm_member_slot *slots;
    size_t mask;
    scm_member_slot local[SCM_MEMBERS_LOCAL];
} scm_members;

/* Indexes object's named members (ix must not move afterwards); SCM_OK or SCM_E_NOMEM. */
int scm__members_build(scm_members *ix, const cJSON *object);
/* The slot of name, or NULL when the object has no member of that name. */
scm_member_slot *scm__members_find(scm_members *ix, const char *name);
void scm__members_free(scm_members *ix);

#endif
