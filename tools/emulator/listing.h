/*
 * listing.h - GET /v3/scm/certificates (ListCertificates) over the fixture set: paging, the
 * status and enterprise_project_id filters, and the changes a test makes to the listing while
 * a client pages through it (--list-change).
 */
#ifndef SCM_EMU_LISTING_H
#define SCM_EMU_LISTING_H

#include "fixtures.h"

#include <stdatomic.h>
#include <stddef.h>

#define EMU_LIST_CHANGES_MAX 8

/* --list-change add|remove:CERT_ID:N: after N pages served, CERT_ID joins or leaves the list. */
typedef struct emu_list_change {
    int add; /* 1: listed only once N pages were served; 0: listed until then */
    char id[EMU_ID_MAX + 1];
    unsigned long after;
} emu_list_change;

typedef struct emu_listing {
    emu_list_change changes[EMU_LIST_CHANGES_MAX];
    size_t n;
    atomic_ulong pages; /* pages answered 200 with the listing, across every client */
} emu_listing;

/* The query parameters as received (decoded), NULL when absent. */
typedef struct emu_list_query {
    const char *limit;
    const char *offset;
    const char *status;
    const char *enterprise_project_id;
} emu_list_query;

void emu_listing_init(emu_listing *l);
/* Parses and appends one --list-change SPEC. Returns 0, or -1 with err set. */
int emu_listing_add_change(emu_listing *l, const char *spec, char *err, size_t errlen);

/*
 * The page q asks for: 200 with *body ({"certificates":[...],"total_count":N}, malloc'd), 400
 * with a message in msg for a limit other than 10, 20 or 50 or an offset that is no count, or
 * 500 (out of memory, *body NULL). Does not count the page: emu_listing_served does, once the
 * page was sent as it is.
 */
unsigned emu_listing_answer(const emu_listing *l, const emu_store *s, const emu_list_query *q,
                            char **body, char *msg, size_t msglen);
void emu_listing_served(emu_listing *l);

#endif
