/* auth.h - checks a request's X-Auth-Token or SDK-HMAC-SHA256 signature. */
#ifndef SCM_EMU_AUTH_H
#define SCM_EMU_AUTH_H

#include <microhttpd.h>

typedef struct emu_auth_config {
    const char *ak; /* NULL: AK/SK signing not configured */
    const char *sk;
    const char *token; /* NULL: token auth not configured */
    int off;           /* --no-auth */
    long clock_offset_s;
} emu_auth_config;

enum emu_auth_result {
    EMU_AUTH_OK_AKSK,
    EMU_AUTH_OK_TOKEN,
    EMU_AUTH_OFF,
    EMU_AUTH_MISSING,
    EMU_AUTH_BAD_SIGNATURE,
    EMU_AUTH_EXPIRED,
    EMU_AUTH_UNKNOWN_AK,
    EMU_AUTH_BAD_TOKEN
};

/* The word used in the log and, for failures, in the 401 error_msg. */
const char *emu_auth_name(enum emu_auth_result r);
/* 1 when r lets the request through. */
int emu_auth_passed(enum emu_auth_result r);
/*
 * Authenticates a bodiless request. path is the decoded request path; the query
 * arguments, when any, are read from the connection. signed_headers (n bytes)
 * receives the SignedHeaders list of an SDK-HMAC-SHA256 request as sent (cut to
 * fit), or "".
 */
enum emu_auth_result emu_auth_check(const emu_auth_config *a, struct MHD_Connection *c,
                                    const char *method, const char *path, char *signed_headers,
                                    size_t n);

#endif
