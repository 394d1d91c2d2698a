/* server.h - the HTTP side of scm-emulator: routing, faults, responses (libmicrohttpd). */
#ifndef SCM_EMU_SERVER_H
#define SCM_EMU_SERVER_H

#include "auth.h"
#include "faults.h"
#include "fixtures.h"
#include "listing.h"
#include "log.h"

#include <stddef.h>

typedef struct emu_server_config {
    const char *bind_addr;  /* IPv4 or IPv6 literal */
    unsigned port;          /* 0: any free port */
    const char *project_id; /* NULL: any well-formed project ID */
    emu_auth_config auth;
    const char *tls_cert_pem; /* PEM text; NULL: plain HTTP */
    const char *tls_key_pem;
    unsigned threads; /* 0: one thread per connection; N: a pool of N */
    unsigned connection_limit;
    unsigned latency_ms;
    unsigned disabled_apis; /* bit set of EMU_API_V2, EMU_API_V3 */
    /* --disable-api-after: the APIs (bit set) switched off once disable_after[api] of their
     * requests were answered, as on the day a discarded API goes while clients still call it */
    unsigned disable_after_apis;
    long disable_after[EMU_API_V3 + 1];
    const char
        *path_prefix; /* NULL, or "/gw": served under it, as behind a gateway; signed with it */
    const emu_store *store;
    emu_listing *listing; /* what GET /v3/scm/certificates lists, and how it changes */
    emu_faults *faults;
    emu_log *log;
} emu_server_config;

typedef struct emu_server emu_server;

/* Starts serving in background threads. cfg and what it points to must outlive the server. */
emu_server *emu_server_start(const emu_server_config *cfg, char *err, size_t errlen);
/* The bound port and the base URL, e.g. "http://127.0.0.1:8080". */
unsigned emu_server_port(const emu_server *s);
const char *emu_server_url(const emu_server *s);
/* Stops accepting, waits for the connection threads, frees the server. */
void emu_server_stop(emu_server *s);

#endif
