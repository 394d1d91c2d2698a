/*
 * server.c - one request, start to end: route, method, auth, ID checks, fault, body. Unless
 * --threads is given every connection gets its own thread, so a delay (--latency-ms,
 * latency_ms=) holds up only its own connection and concurrent requests wait in parallel.
 * owns: one request from route to body: method, auth, ID checks, fault, latency; must not:
 * read files (fixtures are in memory) or let one certificate's fault reach another.
 */
#include "server.h"
#include "clock.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct emu_server {
    emu_server_config cfg;
    struct MHD_Daemon *daemon;
    unsigned port;
    char url[80];
    unsigned long long request_id_prefix; /* random per start: IDs differ across emulators */
    atomic_ulong next_request_id;
    atomic_long answered[EMU_API_V3 + 1]; /* per API, for --disable-api-after */
};

static const char MALFORMED_BODY[] = "<html><body>not json</body></html>\n";

/* The path split into the pieces the two APIs define; pointers into buf. */
typedef struct route {
    enum emu_api api;
    int list;               /* v3 ListCertificates: GET /v3/scm/certificates */
    const char *project_id; /* v2 only */
    const char *cert_id;
    char *buf;
} route;

/*
 * /v2/{project_id}/scm/cert/{cert_id}, /v3/scm/certificates/{cert_id} or /v3/scm/certificates
 * (the list); else EMU_API_OTHER.
 */
static void route_parse(route *r, const char *url)
{
    char *seg[5], *p;
    size_t n = 0;

    memset(r, 0, sizeof *r);
    r->cert_id = "";
    if (url[0] != '/' || (r->buf = strdup(url + 1)) == NULL)
        return;
    for (p = r->buf; p != NULL; n++) {
        if (n == 5)
            return;
        seg[n] = p;
        p = strchr(p, '/');
        if (p != NULL)
            *p++ = '\0';
    }
    if (n == 5 && strcmp(seg[0], "v2") == 0 && strcmp(seg[2], "scm") == 0 &&
        strcmp(seg[3], "cert") == 0 && *seg[1] && *seg[4]) {
        r->api = EMU_API_V2;
        r->project_id = seg[1];
        r->cert_id = seg[4];
    } else if (n == 4 && strcmp(seg[0], "v3") == 0 && strcmp(seg[1], "scm") == 0 &&
               strcmp(seg[2], "certificates") == 0 && *seg[3]) {
        r->api = EMU_API_V3;
        r->cert_id = seg[3];
    } else if (n == 3 && strcmp(seg[0], "v3") == 0 && strcmp(seg[1], "scm") == 0 &&
               strcmp(seg[2], "certificates") == 0) {
        r->api = EMU_API_V3;
        r->list = 1;
    }
}

/* What will be sent. body points at owned, at a fixture or at static text. */
typedef struct reply {
    unsigned status;
    const char *body;
    size_t len;
    char *owned;
    int allow_header; /* 405 */
    const emu_fault *fault;
} reply;

/* Sets an error reply of the given shape; cJSON does the escaping of request input. */
static void set_error_shaped(reply *rp, unsigned status, enum emu_fault_shape shape,
                             const char *code, const char *msg)
{
    int plain = shape == EMU_FAULT_SHAPE_CODE;
    cJSON *o = cJSON_CreateObject();
    free(rp->owned);
    rp->owned = NULL;
    if (o != NULL && cJSON_AddStringToObject(o, plain ? "code" : "error_code", code) != NULL &&
        cJSON_AddStringToObject(o, plain ? "message" : "error_msg", msg) != NULL)
        rp->owned = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    rp->status = status;
    rp->body = rp->owned;
    rp->len = rp->owned ? strlen(rp->owned) : 0;
}

/* Sets an {"error_code","error_msg"} reply, the shape SCM documents. */
static void set_error(reply *rp, unsigned status, const char *code, const char *msg)
{
    set_error_shaped(rp, status, EMU_FAULT_SHAPE_ERROR_CODE, code, msg);
}

static void set_not_found(reply *rp, const char *what, const char *id)
{
    char *msg = NULL;
    if (asprintf(&msg, "%s %s not found", what, id) < 0)
        msg = NULL;
    set_error(rp, 404, "SCM.0404", msg ? msg : "not found");
    free(msg);
}

/* Turns the normal reply into the faulty one; see README.md for how keys combine. */
static void apply_fault(reply *rp, const emu_fault *f)
{
    char code[EMU_FAULT_CODE_MAX + 1];
    rp->fault = f;
    if (f->status) {
        /* By default a gateway's code: an SCM. code on a 500 would be a business error. */
        if (f->code[0] != '\0')
            snprintf(code, sizeof code, "%s", f->code);
        else
            snprintf(code, sizeof code, "APIGW.%u", f->status);
        set_error_shaped(rp, f->status, f->shape, code, f->msg[0] ? f->msg : "injected fault");
    }
    if (f->body == EMU_FAULT_BODY_MALFORMED) {
        free(rp->owned);
        rp->owned = NULL;
        rp->body = MALFORMED_BODY;
        rp->len = sizeof MALFORMED_BODY - 1;
    }
    if ((f->body == EMU_FAULT_BODY_MALFORMED || f->body == EMU_FAULT_BODY_TRUNCATED) && !f->status)
        rp->status = 200;
}

/*
 * A ListCertificates page (listing.c), then a fault of api=list; only a page sent as it is
 * counts for --list-change.
 */
static void decide_list(const emu_server_config *cfg, const emu_list_query *q, reply *rp)
{
    const emu_fault *fault = emu_faults_take(cfg->faults, EMU_API_LIST, "");
    char msg[128];

    rp->status = emu_listing_answer(cfg->listing, cfg->store, q, &rp->owned, msg, sizeof msg);
    if (rp->status == 400) {
        set_error(rp, 400, "SCM.0400", msg);
    } else if (rp->owned == NULL) {
        set_error(rp, 500, "APIGW.0500", "out of memory");
    } else {
        rp->body = rp->owned;
        rp->len = strlen(rp->owned);
        if (fault == NULL || (fault->status == 0 && fault->body == EMU_FAULT_BODY_NORMAL))
            emu_listing_served(cfg->listing);
    }
    if (fault != NULL)
        apply_fault(rp, fault);
}

/* The normal answer, checked in the order the gateway and then the service would check. */
static void decide(const emu_server *s, const char *method, const route *rt,
                   const emu_list_query *lq, enum emu_auth_result auth, unsigned switched_off,
                   reply *rp)
{
    const emu_server_config *cfg = &s->cfg;
    const emu_body *body;
    const emu_fault *fault;

    if (rt->api == EMU_API_OTHER || ((cfg->disabled_apis | switched_off) & (unsigned)rt->api)) {
        set_error(rp, 404, "APIGW.0101", "the API does not exist or has not been published");
        return;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        set_error(rp, 405, "APIGW.0101", "method not allowed");
        rp->allow_header = 1;
        return;
    }
    if (!emu_auth_passed(auth)) {
        set_error(rp, 401, "APIGW.0301", emu_auth_name(auth));
        return;
    }
    if (rt->list) {
        decide_list(cfg, lq, rp);
        return;
    }
    if (rt->api == EMU_API_V2 &&
        (!emu_valid_id(rt->project_id) ||
         (cfg->project_id != NULL && strcmp(rt->project_id, cfg->project_id) != 0))) {
        set_not_found(rp, "project", rt->project_id);
        return;
    }
    if (!emu_valid_id(rt->cert_id)) {
        set_not_found(rp, "certificate", rt->cert_id);
        return;
    }
    fault = emu_faults_take(cfg->faults, rt->api, rt->cert_id);
    body = emu_store_find(cfg->store, rt->cert_id, rt->api);
    if (body != NULL) {
        rp->status = 200;
        rp->body = body->data;
        rp->len = body->len;
    } else {
        set_not_found(rp, "certificate", rt->cert_id);
    }
    if (fault != NULL)
        apply_fault(rp, fault);
}

/* body=truncated: declares the full length, sends half, then makes MHD close the connection. */
typedef struct truncated {
    size_t half;
    char data[];
} truncated;

static ssize_t truncated_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    const truncated *t = cls;
    size_t n;
    if (pos >= t->half)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    n = t->half - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, t->data + pos, n);
    return (ssize_t)n;
}

static struct MHD_Response *make_response(const reply *rp)
{
    truncated *t;
    struct MHD_Response *resp;

    /* Fixtures and static text outlive the daemon; error bodies are freed after queueing. */
    if (rp->fault == NULL || rp->fault->body != EMU_FAULT_BODY_TRUNCATED)
        return MHD_create_response_from_buffer(rp->len, (void *)(uintptr_t)rp->body,
                                               rp->owned ? MHD_RESPMEM_MUST_COPY
                                                         : MHD_RESPMEM_PERSISTENT);
    t = malloc(sizeof *t + rp->len + 1);
    if (t == NULL)
        return NULL;
    t->half = rp->len / 2;
    memcpy(t->data, rp->body, rp->len);
    resp = MHD_create_response_from_callback(rp->len, 4096, truncated_read, t, free);
    if (resp == NULL)
        free(t);
    return resp;
}

static int client_port(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (sa == NULL)
        return 0;
    if (sa->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
    return 0;
}

/* api's bit when --disable-api-after has switched it off by this request (which it counts). */
static unsigned switched_off(emu_server *s, enum emu_api api)
{
    if ((api != EMU_API_V2 && api != EMU_API_V3) || !(s->cfg.disable_after_apis & (unsigned)api))
        return 0;
    return atomic_fetch_add(&s->answered[api], 1) >= s->cfg.disable_after[api] ? (unsigned)api : 0;
}

static enum MHD_Result respond(emu_server *s, struct MHD_Connection *c, const char *url,
                               const char *method)
{
    static const char *const api_names[] = {"other", "v2", "v3"};
    route rt;
    reply rp;
    emu_list_query lq;
    enum emu_auth_result auth;
    emu_log_entry le;
    struct MHD_Response *resp = NULL;
    char date[EMU_HTTP_DATE_LEN + 1], request_id[40], signed_headers[256], *padding;
    enum MHD_Result ret = MHD_NO;
    unsigned delay;

    memset(&rp, 0, sizeof rp);
    snprintf(request_id, sizeof request_id, "%016llx%016lx", s->request_id_prefix,
             atomic_fetch_add(&s->next_request_id, 1UL) + 1);
    /* Behind a gateway's path prefix: routed without it, but the signature covers the path sent. */
    if (s->cfg.path_prefix == NULL)
        route_parse(&rt, url);
    else if (strncmp(url, s->cfg.path_prefix, strlen(s->cfg.path_prefix)) == 0)
        route_parse(&rt, url + strlen(s->cfg.path_prefix));
    else
        route_parse(&rt, "/");
    auth = emu_auth_check(&s->cfg.auth, c, method, url, signed_headers, sizeof signed_headers);
    lq.limit = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    lq.offset = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "offset");
    lq.status = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "status");
    lq.enterprise_project_id =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "enterprise_project_id");
    decide(s, method, &rt, &lq, auth, switched_off(s, rt.api), &rp);

    delay = s->cfg.latency_ms + (rp.fault ? rp.fault->latency_ms : 0);
    if (delay)
        emu_sleep_ms(delay);

    memset(&le, 0, sizeof le);
    le.method = method;
    le.path = url;
    le.api = api_names[rt.api];
    le.cert_id = rt.cert_id;
    le.client_port = client_port(c);
    le.auth = emu_auth_name(auth);
    le.fault = rp.fault ? rp.fault->spec : "";
    le.request_id = request_id;
    le.signed_headers = signed_headers;
    /* Logged before sending, so a client that has its answer always finds the line. */
    if (rp.fault != NULL && rp.fault->body == EMU_FAULT_BODY_DROP) {
        emu_log_request(s->cfg.log, &le);
        goto done;
    }
    if (rp.body == NULL) /* out of memory building an error body */
        goto done;
    le.status = rp.status;
    emu_log_request(s->cfg.log, &le);

    resp = make_response(&rp);
    if (resp == NULL)
        goto done;
    emu_http_date(emu_clock_now(s->cfg.auth.clock_offset_s), date);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_DATE, date);
    MHD_add_response_header(resp, "X-Request-Id", request_id);
    if (rp.allow_header)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (rp.fault != NULL && rp.fault->retry_after[0] != '\0')
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, rp.fault->retry_after);
    if (rp.fault != NULL && rp.fault->header_bytes > 0 &&
        (padding = malloc((size_t)rp.fault->header_bytes + 1)) != NULL) {
        memset(padding, 'a', (size_t)rp.fault->header_bytes);
        padding[rp.fault->header_bytes] = '\0';
        MHD_add_response_header(resp, "X-Padding", padding);
        free(padding);
    }
    ret = MHD_queue_response(c, rp.status, resp);
    MHD_destroy_response(resp);
done:
    free(rp.owned);
    free(rt.buf);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **req_cls)
{
    static int seen; /* marks a request whose headers were already handled */
    (void)version;
    (void)upload_data;
    /* The first call only has the headers; answering then would race a request body. */
    if (*req_cls == NULL) {
        *req_cls = &seen;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0; /* no API here takes a body: discard it */
        return MHD_YES;
    }
    return respond(cls, c, url, method);
}

/* libmicrohttpd's own messages (bind errors, connections closed by a fault), marked as such. */
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("scm-emulator: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

emu_server *emu_server_start(const emu_server_config *cfg, char *err, size_t errlen)
{
    emu_server *s;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    struct sockaddr *sa;
    struct MHD_OptionItem opts[8];
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_ERROR_LOG | MHD_USE_SUPPRESS_DATE_NO_CLOCK;
    size_t no = 0;
    int v6 = 0;

    memset(&sin, 0, sizeof sin);
    memset(&sin6, 0, sizeof sin6);
    if (inet_pton(AF_INET, cfg->bind_addr, &sin.sin_addr) == 1) {
        sin.sin_family = AF_INET;
        sin.sin_port = htons((uint16_t)cfg->port);
        sa = (struct sockaddr *)&sin;
    } else if (inet_pton(AF_INET6, cfg->bind_addr, &sin6.sin6_addr) == 1) {
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons((uint16_t)cfg->port);
        sa = (struct sockaddr *)&sin6;
        flags |= MHD_USE_IPv6;
        v6 = 1;
    } else {
        snprintf(err, errlen, "--bind %s: not an IPv4 or IPv6 address", cfg->bind_addr);
        return NULL;
    }
    if (cfg->tls_cert_pem != NULL) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(err, errlen, "this libmicrohttpd has no TLS support");
            return NULL;
        }
        flags |= MHD_USE_TLS;
        opts[no++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0,
                                             (void *)(uintptr_t)cfg->tls_cert_pem};
        opts[no++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0,
                                             (void *)(uintptr_t)cfg->tls_key_pem};
    }
    if (cfg->threads == 0) {
        flags |= MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD;
    } else {
        flags |= MHD_USE_AUTO_INTERNAL_THREAD;
        if (cfg->threads > 1)
            opts[no++] =
                (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)cfg->threads, NULL};
    }
    opts[no++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, sa};
    opts[no++] =
        (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, (intptr_t)cfg->connection_limit, NULL};
    opts[no++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

    s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    if (getrandom(&s->request_id_prefix, sizeof s->request_id_prefix, 0) !=
        (ssize_t)sizeof s->request_id_prefix)
        s->request_id_prefix =
            (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
    atomic_init(&s->next_request_id, 0UL);
    s->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, handle, s,
                                 MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL, MHD_OPTION_ARRAY,
                                 opts, MHD_OPTION_END);
    if (s->daemon == NULL) {
        snprintf(err, errlen, "cannot listen on %s port %u", cfg->bind_addr, cfg->port);
        free(s);
        return NULL;
    }
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    snprintf(s->url, sizeof s->url, v6 ? "%s://[%s]:%u" : "%s://%s:%u",
             cfg->tls_cert_pem ? "https" : "http", cfg->bind_addr, s->port);
    return s;
}

unsigned emu_server_port(const emu_server *s)
{
    return s->port;
}

const char *emu_server_url(const emu_server *s)
{
    return s->url;
}

void emu_server_stop(emu_server *s)
{
    MHD_stop_daemon(s->daemon);
    free(s);
}
