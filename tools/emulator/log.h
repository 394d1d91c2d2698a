/* log.h - --log FILE: one JSON object per request, one line each. */
#ifndef SCM_EMU_LOG_H
#define SCM_EMU_LOG_H

#include <pthread.h>

typedef struct emu_log {
    int fd; /* -1: logging off */
    pthread_mutex_t lock;
} emu_log;

typedef struct emu_log_entry {
    const char *method;
    const char *path;
    const char *api; /* "v2", "v3" or "other" */
    const char *cert_id;
    int client_port;
    const char *auth;
    unsigned status; /* 0 when the connection was dropped without a response */
    const char *fault;
    const char *request_id;     /* the X-Request-Id of the answer (also kept for body=drop) */
    const char *signed_headers; /* the SignedHeaders list of a signed request, or "" */
} emu_log_entry;

/* Opens path for appending (NULL: logging off). Returns 0, or -1 with errno set. */
int emu_log_open(emu_log *l, const char *path);
/* Appends one line with a single write(), so concurrent lines never interleave. */
void emu_log_request(emu_log *l, const emu_log_entry *e);
void emu_log_close(emu_log *l);

#endif
