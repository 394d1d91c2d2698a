/*
 * emu.h - runs scm-emulator as a child process for a test: a private temp dir, a free port,
 * the request log. Set SCM_EMU_WRAPPER (e.g. "valgrind --error-exitcode=99") to run the
 * emulator under a tool; emu_stop then reports a non-zero exit on stderr.
 */
#ifndef SCM_TEST_EMU_H
#define SCM_TEST_EMU_H

#include <sys/types.h>

#define EMU_PROJECT_ID "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define EMU_AK "HPUAEXAMPLEAKID00001"
#define EMU_SK "exampleSecretKey0123456789abcdefEXAMPLE"
#define EMU_TOKEN "emu-test-token-0001"

typedef struct emu {
    pid_t pid;
    int port;
    char url[64];       /* "http://127.0.0.1:PORT" (https when TLS args given) */
    char dir[256];      /* private temp dir (mkdtemp) holding port file and log */
    char log_path[300]; /* dir + "/requests.log" */
} emu;

/*
 * Starts SCM_EMULATOR_PATH --fixtures <fixtures> --port 0 --port-file ... --log log_path
 * --project-id EMU_PROJECT_ID --ak EMU_AK --sk EMU_SK --token EMU_TOKEN, plus the
 * NULL-terminated extra args (may be NULL). fixtures NULL = SCM_TEST_FIXTURES_DIR.
 * Waits (max 10 s) for the port file. Returns 0 or -1 (message on stderr).
 */
int emu_start(emu *e, const char *fixtures, const char *const *extra_args);
/* SIGTERM, waitpid, remove the temp dir. Safe on a zeroed or failed-to-start emu. */
void emu_stop(emu *e);
/*
 * A test's own emulators: those started between emu_test_begin() and emu_test_end() are
 * stopped by emu_test_end() when the test did not stop them (it failed half-way); the suite's,
 * started outside, are left alone. emu_hermetic() calls both around each test.
 */
void emu_test_begin(void);
void emu_test_end(void);

/* The whole log, malloc'd; "" if none. */
char *emu_read_log(const emu *e);
/* The number of log lines containing needle. */
int emu_log_count(const emu *e, const char *needle);

#endif
