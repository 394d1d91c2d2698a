/*
 * members.c - an object's members by name; see members.h.
 * owns: the hash and the index; must not: know what a member means.
 */
#include "members.h"

#include "scm_client.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * FNV-1a, started from a caller's address: the names come from the network, and a seed the
 * sender cannot know (ASLR) keeps a body from being made of names that all share a slot.
 */
size_t scm__name_hash(const void *seed, const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)(uintptr_t)seed;
    size_t i;
    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return (size_t)h;
}

/* The slot of name, or the empty one where it would go. */
static scm_member_slot *slot_of(scm_members *ix, const char *name)
{
    size_t i = scm__name_hash(ix, name, strlen(name)) & ix->mask;
    while (ix->slots[i].first != NULL && strcmp(ix->slots[i].first->string, name) != 0)
        i = (i + 1) & ix->mask;
    return &ix->slots[i];
}

int scm__members_build(scm_members *ix, const cJSON *object)
{
    const cJSON *m;
    size_t n = 0, cap = SCM_MEMBERS_LOCAL;
    scm_member_slot *s;

    cJSON_ArrayForEach(m, object) n++;
    while (cap / 2 < n) {
        if (cap > SIZE_MAX / 4 / sizeof *ix->slots)
            return SCM_E_NOMEM;
        cap *= 2;
    }
    memset(ix->local, 0, sizeof ix->local);
    ix->slots = cap == SCM_MEMBERS_LOCAL ? ix->local : calloc(cap, sizeof *ix->slots);
    ix->mask = cap - 1;
    if (ix->slots == NULL)
        return SCM_E_NOMEM;
    cJSON_ArrayForEach(m, object)
    {
        if (m->string != NULL && (s = slot_of(ix, m->string))->first == NULL)
            s->first = m;
    }
    return SCM_OK;
}

scm_member_slot *scm__members_find(scm_members *ix, const char *name)
{
    scm_member_slot *s = slot_of(ix, name);
    return s->first != NULL ? s : NULL;
}

void scm__members_free(scm_members *ix)
{
    if (ix->slots != ix->local)
        free(ix->slots);
    ix->slots = NULL;
}
