/*
 * main.c - scm-emulator: command line, startup, waiting for SIGTERM/SIGINT, clean shutdown.
 * owns: the command line, startup, --exit-with-parent and clean shutdown; must not: answer
 * requests (server.c does).
 */
#include "faults.h"
#include "fixtures.h"
#include "listing.h"
#include "log.h"
#include "server.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define MAX_CONNECTIONS 1024
#define PEM_MAX (1024 * 1024)

typedef struct options {
    const char *fixtures;
    const char *port_file;
    const char *log_path;
    const char *tls_cert;
    const char *tls_key;
    int help;
    int exit_with_parent;  /* --exit-with-parent: a test's emulator never outlives the test */
    emu_server_config srv; /* everything the server takes straight from the command line */
} options;

static void usage(FILE *out)
{
    fputs("usage: scm-emulator --fixtures DIR [--bind ADDR] [--port N] [--port-file FILE]\n"
          "         [--project-id ID] [--ak AK --sk SK] [--token TOKEN] [--no-auth]\n"
          "         [--log FILE] [--tls-cert PEM --tls-key PEM] [--threads N]\n"
          "         [--latency-ms N] [--disable-api v2|v3] [--clock-offset SECONDS]\n"
          "         [--disable-api-after v2|v3:N] [--path-prefix /PREFIX] [--exit-with-parent]\n"
          "         [--fault CERT_ID:key=value[,key=value...]]...\n"
          "         [--list-change add|remove:CERT_ID:N]... [--help]\n"
          "Serves GET /v2/{project_id}/scm/cert/{cert_id} (DIR/<cert_id>/legacy.json),\n"
          "GET /v3/scm/certificates/{cert_id} (DIR/<cert_id>/v3.json) and the list\n"
          "GET /v3/scm/certificates?limit=&offset=&status=&enterprise_project_id= until\n"
          "SIGTERM/SIGINT.\n"
          "Fault keys: api=v2|v3|both|list status=N code=CODE shape=error_code|code count=K\n"
          "            retry_after=S latency_ms=N body=malformed|truncated|drop msg=TEXT\n"
          "            header_bytes=N\n"
          "See tools/emulator/README.md.\n",
          out);
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

enum {
    OPT_FIXTURES = 256,
    OPT_BIND,
    OPT_PORT,
    OPT_PORT_FILE,
    OPT_PROJECT_ID,
    OPT_AK,
    OPT_SK,
    OPT_TOKEN,
    OPT_NO_AUTH,
    OPT_LOG,
    OPT_TLS_CERT,
    OPT_TLS_KEY,
    OPT_THREADS,
    OPT_LATENCY,
    OPT_DISABLE_API,
    OPT_DISABLE_API_AFTER,
    OPT_CLOCK_OFFSET,
    OPT_PATH_PREFIX,
    OPT_EXIT_WITH_PARENT,
    OPT_FAULT,
    OPT_LIST_CHANGE,
    OPT_HELP
};

static const struct option LONG_OPTIONS[] = {
    {"fixtures", required_argument, NULL, OPT_FIXTURES},
    {"bind", required_argument, NULL, OPT_BIND},
    {"port", required_argument, NULL, OPT_PORT},
    {"port-file", required_argument, NULL, OPT_PORT_FILE},
    {"project-id", required_argument, NULL, OPT_PROJECT_ID},
    {"ak", required_argument, NULL, OPT_AK},
    {"sk", required_argument, NULL, OPT_SK},
    {"token", required_argument, NULL, OPT_TOKEN},
    {"no-auth", no_argument, NULL, OPT_NO_AUTH},
    {"log", required_argument, NULL, OPT_LOG},
    {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
    {"tls-key", required_argument, NULL, OPT_TLS_KEY},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"latency-ms", required_argument, NULL, OPT_LATENCY},
    {"disable-api", required_argument, NULL, OPT_DISABLE_API},
    {"disable-api-after", required_argument, NULL, OPT_DISABLE_API_AFTER},
    {"clock-offset", required_argument, NULL, OPT_CLOCK_OFFSET},
    {"path-prefix", required_argument, NULL, OPT_PATH_PREFIX},
    {"exit-with-parent", no_argument, NULL, OPT_EXIT_WITH_PARENT},
    {"fault", required_argument, NULL, OPT_FAULT},
    {"list-change", required_argument, NULL, OPT_LIST_CHANGE},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0}};

/* Fills o from argv. Returns 0, or -1 after printing why (secrets are never echoed). */
static int parse_options(int argc, char **argv, options *o, emu_faults *faults,
                         emu_listing *listing)
{
    char err[256];
    long n;
    int c;

    o->srv.bind_addr = "127.0.0.1";
    o->srv.faults = faults;
    o->srv.listing = listing;
    opterr = 1; /* getopt names unknown options and missing values itself */
    while ((c = getopt_long(argc, argv, "", LONG_OPTIONS, NULL)) != -1) {
        switch (c) {
        case OPT_FIXTURES:
            o->fixtures = optarg;
            break;
        case OPT_BIND:
            o->srv.bind_addr = optarg;
            break;
        case OPT_PORT:
            if (parse_long(optarg, 0, 65535, &n) != 0)
                goto bad_value;
            o->srv.port = (unsigned)n;
            break;
        case OPT_PORT_FILE:
            o->port_file = optarg;
            break;
        case OPT_PROJECT_ID:
            if (!emu_valid_id(optarg))
                goto bad_value;
            o->srv.project_id = optarg;
            break;
        case OPT_AK:
            o->srv.auth.ak = optarg;
            break;
        case OPT_SK:
            o->srv.auth.sk = optarg;
            break;
        case OPT_TOKEN:
            o->srv.auth.token = optarg;
            break;
        case OPT_NO_AUTH:
            o->srv.auth.off = 1;
            break;
        case OPT_LOG:
            o->log_path = optarg;
            break;
        case OPT_TLS_CERT:
            o->tls_cert = optarg;
            break;
        case OPT_TLS_KEY:
            o->tls_key = optarg;
            break;
        case OPT_THREADS:
            if (parse_long(optarg, 0, 1024, &n) != 0)
                goto bad_value;
            o->srv.threads = (unsigned)n;
            break;
        case OPT_LATENCY:
            if (parse_long(optarg, 0, 3600000L, &n) != 0)
                goto bad_value;
            o->srv.latency_ms = (unsigned)n;
            break;
        case OPT_DISABLE_API:
            if (strcmp(optarg, "v2") == 0)
                o->srv.disabled_apis |= EMU_API_V2;
            else if (strcmp(optarg, "v3") == 0)
                o->srv.disabled_apis |= EMU_API_V3;
            else
                goto bad_value;
            break;
        case OPT_DISABLE_API_AFTER: {
            unsigned api = strncmp(optarg, "v2:", 3) == 0   ? EMU_API_V2
                           : strncmp(optarg, "v3:", 3) == 0 ? EMU_API_V3
                                                            : 0;
            if (api == 0 || parse_long(optarg + 3, 0, 1000000000L, &n) != 0)
                goto bad_value;
            o->srv.disable_after_apis |= api;
            o->srv.disable_after[api] = n;
            break;
        }
        case OPT_CLOCK_OFFSET:
            /* A century either way keeps time_t arithmetic far from overflow. */
            if (parse_long(optarg, -3155760000L, 3155760000L, &n) != 0)
                goto bad_value;
            o->srv.auth.clock_offset_s = n;
            break;
        case OPT_PATH_PREFIX:
            if (optarg[0] != '/' || strlen(optarg) < 2 || optarg[strlen(optarg) - 1] == '/')
                goto bad_value;
            o->srv.path_prefix = optarg;
            break;
        case OPT_FAULT:
            if (emu_faults_add(faults, optarg, err, sizeof err) != 0) {
                fprintf(stderr, "scm-emulator: --fault %s: %s\n", optarg, err);
                return -1;
            }
            break;
        case OPT_LIST_CHANGE:
            if (emu_listing_add_change(o->srv.listing, optarg, err, sizeof err) != 0) {
                fprintf(stderr, "scm-emulator: --list-change %s: %s\n", optarg, err);
                return -1;
            }
            break;
        case OPT_EXIT_WITH_PARENT:
            o->exit_with_parent = 1;
            break;
        case OPT_HELP:
            o->help = 1;
            return 0;
        default:
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "scm-emulator: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (o->fixtures == NULL) {
        fprintf(stderr, "scm-emulator: --fixtures is required\n");
        return -1;
    }
    if ((o->srv.auth.ak == NULL) != (o->srv.auth.sk == NULL)) {
        fprintf(stderr, "scm-emulator: --ak and --sk go together\n");
        return -1;
    }
    if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
        fprintf(stderr, "scm-emulator: --tls-cert and --tls-key go together\n");
        return -1;
    }
    if (!o->srv.auth.off && o->srv.auth.ak == NULL && o->srv.auth.token == NULL) {
        fprintf(stderr, "scm-emulator: give --ak/--sk, --token or --no-auth\n");
        return -1;
    }
    return 0;
bad_value:
    /* Only options whose values are not secret reach here, so naming the value is safe. */
    for (n = 0; LONG_OPTIONS[n].val != c; n++)
        ;
    fprintf(stderr, "scm-emulator: bad value '%s' for --%s\n", optarg, LONG_OPTIONS[n].name);
    return -1;
}

/* Reads a PEM file as a NUL-terminated string, or NULL with a message. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "scm-emulator: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf = malloc(PEM_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        fprintf(stderr, "scm-emulator: out of memory\n");
        return NULL;
    }
    n = fread(buf, 1, PEM_MAX + 1, f);
    fclose(f);
    if (n == 0 || n > PEM_MAX) {
        fprintf(stderr, "scm-emulator: %s: empty or larger than %d bytes\n", path, PEM_MAX);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* The private key's copy in memory is wiped before it is freed. */
static void free_secret(char *s)
{
    if (s != NULL)
        explicit_bzero(s, strlen(s));
    free(s);
}

/* Writes "PORT\n" to a temporary file and renames it, so readers never see a partial file. */
static int write_port_file(const char *path, unsigned port)
{
    char *tmp = NULL;
    FILE *f;
    int ok;

    if (asprintf(&tmp, "%s.%ld.tmp", path, (long)getpid()) < 0)
        return -1;
    f = fopen(tmp, "w");
    if (f == NULL) {
        free(tmp);
        return -1;
    }
    ok = fprintf(f, "%u\n", port) > 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

/* Room for MAX_CONNECTIONS sockets when the hard limit allows; the limit follows the fds. */
static unsigned connection_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 256;
    if (rl.rlim_cur < MAX_CONNECTIONS + 64 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max < MAX_CONNECTIONS + 64 ? rl.rlim_max : MAX_CONNECTIONS + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur >= MAX_CONNECTIONS + 64)
        return MAX_CONNECTIONS;
    return rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
}

int main(int argc, char **argv)
{
    options o;
    emu_faults faults;
    emu_listing listing;
    emu_store store;
    emu_log log;
    emu_server *server = NULL;
    char *cert_pem = NULL, *key_pem = NULL, err[512];
    sigset_t stop_signals;
    int sig, rc = EXIT_FAILURE;

    /* Blocked before any thread exists, so only sigwait() below ever sees them. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    memset(&o, 0, sizeof o);
    emu_faults_init(&faults);
    emu_listing_init(&listing);
    if (parse_options(argc, argv, &o, &faults, &listing) != 0) {
        usage(stderr);
        emu_faults_free(&faults);
        return EXIT_USAGE;
    }
    if (o.help) {
        usage(stdout);
        emu_faults_free(&faults);
        return EXIT_SUCCESS;
    }
    /* The parent's death stops us like a SIGTERM would (sigwait below); it may be gone already. */
    if (o.exit_with_parent && (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() == 1)) {
        emu_faults_free(&faults);
        return EXIT_FAILURE;
    }
    if (emu_store_load(&store, o.fixtures, err, sizeof err) != 0) {
        fprintf(stderr, "scm-emulator: fixtures: %s\n", err);
        emu_faults_free(&faults);
        return EXIT_FAILURE;
    }
    if (emu_log_open(&log, o.log_path) != 0) {
        fprintf(stderr, "scm-emulator: %s: %s\n", o.log_path, strerror(errno));
        goto out_store;
    }
    if (o.tls_cert != NULL &&
        ((cert_pem = read_pem(o.tls_cert)) == NULL || (key_pem = read_pem(o.tls_key)) == NULL))
        goto out_log;
    o.srv.tls_cert_pem = cert_pem;
    o.srv.tls_key_pem = key_pem;
    o.srv.store = &store;
    o.srv.log = &log;
    o.srv.connection_limit = connection_limit();

    server = emu_server_start(&o.srv, err, sizeof err);
    if (server == NULL) {
        fprintf(stderr, "scm-emulator: %s\n", err);
        goto out_log;
    }
    printf("scm-emulator listening on %s\n", emu_server_url(server));
    fflush(stdout);
    if (o.port_file != NULL && write_port_file(o.port_file, emu_server_port(server)) != 0) {
        fprintf(stderr, "scm-emulator: %s: cannot write the port file\n", o.port_file);
        goto out_server;
    }
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    rc = EXIT_SUCCESS;
out_server:
    emu_server_stop(server);
out_log:
    free(cert_pem);
    free_secret(key_pem);
    emu_log_close(&log);
out_store:
    emu_store_free(&store);
    emu_faults_free(&faults);
    return rc;
}
