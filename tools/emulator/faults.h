/* faults.h - --fault SPEC: injected errors, delays and broken bodies. */
#ifndef SCM_EMU_FAULTS_H
#define SCM_EMU_FAULTS_H

#include "fixtures.h"

#include <pthread.h>
#include <stddef.h>

enum emu_fault_body {
    EMU_FAULT_BODY_NORMAL,    /* the body that goes with the status */
    EMU_FAULT_BODY_MALFORMED, /* a non-JSON body */
    EMU_FAULT_BODY_TRUNCATED, /* connection closed after half of Content-Length */
    EMU_FAULT_BODY_DROP       /* connection closed without a response */
};

enum emu_fault_shape {
    EMU_FAULT_SHAPE_ERROR_CODE, /* {"error_code","error_msg"}, as SCM documents */
    EMU_FAULT_SHAPE_CODE        /* {"code","message"}, as some gateways answer */
};

#define EMU_FAULT_CODE_MAX 63
#define EMU_FAULT_MSG_MAX 255
/* Retry-After is sent as given, digits only, so a test can send values no integer holds. */
#define EMU_FAULT_RETRY_AFTER_MAX 64

typedef struct emu_fault {
    char *spec;                        /* as given on the command line, for the log */
    char cert[EMU_ID_MAX + 1];         /* "*" matches every certificate */
    unsigned apis;                     /* bit set of EMU_API_V2, EMU_API_V3 */
    unsigned status;                   /* 0: keep the normal status and body */
    char code[EMU_FAULT_CODE_MAX + 1]; /* the status body's code; "": APIGW.<status> */
    enum emu_fault_shape shape;        /* the status body's members */
    long remaining;                    /* requests left to hit; -1: every request */
    char retry_after[EMU_FAULT_RETRY_AFTER_MAX + 1]; /* "": no Retry-After header */
    char msg[EMU_FAULT_MSG_MAX + 1]; /* the status body's message; "": "injected fault" */
    long header_bytes;               /* 0, or the size of an extra X-Padding header value */
    unsigned latency_ms;
    enum emu_fault_body body;
} emu_fault;

typedef struct emu_faults {
    emu_fault *v;
    size_t n;
    pthread_mutex_t lock; /* guards every remaining counter */
} emu_faults;

void emu_faults_init(emu_faults *f);
/* Parses and appends one SPEC. Returns 0, or -1 with err set. */
int emu_faults_add(emu_faults *f, const char *spec, char *err, size_t errlen);
/*
 * The first fault (in command-line order) that matches api and cert_id and has requests
 * left, with one request counted against it; NULL when none applies. The result stays
 * valid until emu_faults_free.
 */
const emu_fault *emu_faults_take(emu_faults *f, enum emu_api api, const char *cert_id);
void emu_faults_free(emu_faults *f);

#endif
