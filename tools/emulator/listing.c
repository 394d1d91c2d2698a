/*
 * listing.c - ListCertificates over the fixture set; see listing.h and README.md ("Listing").
 * owns: which certificates a page holds (filters, offset, limit, --list-change) and its body;
 * must not: check a request's method or credentials, or apply a fault (server.c does).
 */
#include "listing.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void emu_listing_init(emu_listing *l)
{
    memset(l, 0, sizeof *l);
    atomic_init(&l->pages, 0UL);
}

/* A decimal in [0, max]; 0 on success. */
static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int emu_listing_add_change(emu_listing *l, const char *spec, char *err, size_t errlen)
{
    emu_list_change *c = &l->changes[l->n];
    const char *id, *colon;
    size_t idlen;

    if (l->n == EMU_LIST_CHANGES_MAX) {
        snprintf(err, errlen, "at most %d changes", EMU_LIST_CHANGES_MAX);
        return -1;
    }
    if (strncmp(spec, "add:", 4) == 0)
        c->add = 1;
    else if (strncmp(spec, "remove:", 7) == 0)
        c->add = 0;
    else
        goto bad;
    id = spec + (c->add ? 4 : 7);
    colon = strchr(id, ':');
    idlen = colon != NULL ? (size_t)(colon - id) : 0;
    if (idlen == 0 || idlen > EMU_ID_MAX || parse_count(colon + 1, 1000000UL, &c->after) != 0)
        goto bad;
    memcpy(c->id, id, idlen);
    c->id[idlen] = '\0';
    if (!emu_valid_id(c->id))
        goto bad;
    l->n++;
    return 0;
bad:
    snprintf(err, errlen, "expected add:CERT_ID:N or remove:CERT_ID:N");
    return -1;
}

/* Whether --list-change keeps id out of a page answered after `pages` pages. */
static int hidden(const emu_listing *l, const char *id, unsigned long pages)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->changes[i].id, id) == 0 &&
            (l->changes[i].add != 0) != (pages >= l->changes[i].after))
            return 1;
    return 0;
}

/* Whether body's string member key equals want; `every` (ALL, all) or no want selects all. */
static int selected(const cJSON *body, const char *key, const char *want, const char *every)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    if (want == NULL || strcmp(want, every) == 0)
        return 1;
    return cJSON_IsString(v) && strcmp(v->valuestring, want) == 0;
}

unsigned emu_listing_answer(const emu_listing *l, const emu_store *s, const emu_list_query *q,
                            char **body, char *msg, size_t msglen)
{
    unsigned long limit = 10, offset = 0, pages = atomic_load(&l->pages), total = 0;
    cJSON *page = cJSON_CreateObject(), *certs = cJSON_AddArrayToObject(page, "certificates");
    size_t i;

    *body = NULL;
    if ((q->limit != NULL &&
         (parse_count(q->limit, 50, &limit) != 0 || (limit != 10 && limit != 20 && limit != 50))) ||
        (q->offset != NULL && parse_count(q->offset, 1000000000UL, &offset) != 0)) {
        snprintf(msg, msglen, "limit must be 10, 20 or 50 and offset a count of certificates");
        cJSON_Delete(page);
        return 400;
    }
    /* Sorted by ID (the store's order), so the pages of an unchanged set never overlap. */
    for (i = 0; certs != NULL && i < s->n; i++) {
        const emu_cert *c = &s->certs[i];
        cJSON *item;
        if (c->v3.data == NULL || hidden(l, c->id, pages) ||
            (item = cJSON_ParseWithLength(c->v3.data, c->v3.len)) == NULL)
            continue;
        if (selected(item, "status", q->status, "ALL") &&
            selected(item, "enterprise_project_id", q->enterprise_project_id, "all") &&
            total++ >= offset && (unsigned long)cJSON_GetArraySize(certs) < limit) {
            cJSON_AddItemToArray(certs, item);
            continue;
        }
        cJSON_Delete(item);
    }
    if (certs != NULL && cJSON_AddNumberToObject(page, "total_count", (double)total) != NULL)
        *body = cJSON_PrintUnformatted(page);
    cJSON_Delete(page);
    return *body != NULL ? 200 : 500;
}

void emu_listing_served(emu_listing *l)
{
    atomic_fetch_add(&l->pages, 1UL);
}
