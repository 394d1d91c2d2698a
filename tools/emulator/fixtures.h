/* fixtures.h - the certificate bodies served by scm-emulator, loaded once at startup. */
#ifndef SCM_EMU_FIXTURES_H
#define SCM_EMU_FIXTURES_H

#include <stddef.h>

#define EMU_ID_MAX 64

/*
 * Which HTTP API a request or a fault addresses. A list request is a v3 request (routed and
 * logged as v3); EMU_API_LIST names it in a fault's api= only.
 */
enum emu_api { EMU_API_OTHER = 0, EMU_API_V2 = 1, EMU_API_V3 = 2, EMU_API_LIST = 4 };

typedef struct emu_body {
    char *data; /* NULL when the file is absent */
    size_t len;
} emu_body;

typedef struct emu_cert {
    char id[EMU_ID_MAX + 1];
    emu_body legacy; /* legacy.json, served on v2 */
    emu_body v3;     /* v3.json */
} emu_cert;

typedef struct emu_store {
    emu_cert *certs; /* sorted by id */
    size_t n;
} emu_store;

/* 1 when s is a certificate or project ID the emulator accepts: [A-Za-z0-9_-]{1,64}. */
int emu_valid_id(const char *s);

/* Loads every DIR/<id>/legacy.json and DIR/<id>/v3.json. Returns 0, or -1 with err set. */
int emu_store_load(emu_store *s, const char *dir, char *err, size_t errlen);
/* The body of cert id for api, or NULL when there is none. */
const emu_body *emu_store_find(const emu_store *s, const char *id, enum emu_api api);
void emu_store_free(emu_store *s);

#endif
