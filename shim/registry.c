/*
 * registry.c - an open-addressing set of live object addresses; see registry.h.
 * owns: the set and its lock; must not: read the objects it records (details.c owns them).
 */
#include "registry.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const void **slots; /* NULL: empty slot */
static size_t nslots, count;

static size_t home(const void *p, size_t n)
{
    /* Fibonacci hashing of the address; n is a power of two. */
    return (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL) >> 20) & (n - 1);
}

/* The slot holding p, or the empty slot where it would go. */
static size_t find(const void *p)
{
    size_t i = home(p, nslots);
    while (slots[i] != NULL && slots[i] != p)
        i = (i + 1) & (nslots - 1);
    return i;
}

static int grow(void)
{
    size_t old_n = nslots, i;
    const void **old = slots;
    size_t n = old_n ? old_n * 2 : 64;
    const void **fresh = calloc(n, sizeof *fresh);
    if (fresh == NULL)
        return SCM_E_NOMEM;
    slots = fresh;
    nslots = n;
    for (i = 0; i < old_n; i++)
        if (old[i] != NULL)
            slots[find(old[i])] = old[i];
    free(old);
    return SCM_OK;
}

int scm__registry_add(const void *p)
{
    int rc = SCM_OK;
    pthread_mutex_lock(&lock);
    /* At most half full keeps probe runs short. */
    if ((count + 1) * 2 > nslots)
        rc = grow();
    if (rc == SCM_OK) {
        size_t i = find(p);
        if (slots[i] == NULL) {
            slots[i] = p;
            count++;
        }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

int scm__registry_remove(const void *p)
{
    size_t i, j, h;
    int found = 0;
    pthread_mutex_lock(&lock);
    if (nslots > 0 && slots[i = find(p)] == p) {
        found = 1;
        count--;
        slots[i] = NULL;
        /* Backward-shift deletion: move later members of the run into the gap, no tombstones. */
        for (j = (i + 1) & (nslots - 1); slots[j] != NULL; j = (j + 1) & (nslots - 1)) {
            h = home(slots[j], nslots);
            if (((j - h) & (nslots - 1)) >= ((j - i) & (nslots - 1))) {
                slots[i] = slots[j];
                slots[j] = NULL;
                i = j;
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return found;
}

int scm__registry_has(const void *p)
{
    int found;
    pthread_mutex_lock(&lock);
    found = nslots > 0 && slots[find(p)] == p;
    pthread_mutex_unlock(&lock);
    return found;
}
