/*
 * emu.c - see emu.h.
 * owns: the scm-emulator children of a test process and their temp dirs, started and stopped
 * here only; must not: judge what the emulator answers (the tests do).
 */
#include "emu.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define EMU_MAX_ARGS 96
#define EMU_START_WAIT_MS 10000
#define EMU_STOP_WAIT_MS 30000 /* valgrind takes a while to write its leak report */
#define EMU_MAX_RUNNING 32

/*
 * Every running child, by value: a test that fails in CK_FORK=no mode leaves by longjmp, and
 * the emu it kept on its stack is gone with it; emu_test_end still finds the child here.
 */
static struct running {
    pid_t pid;
    char dir[256];
    int in_test; /* started between emu_test_begin and emu_test_end */
} running[EMU_MAX_RUNNING];
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;
static int in_test;

/* 0, or -1 when every slot is taken (the caller then stops the child itself). */
static int track(const emu *e)
{
    size_t i;
    pthread_mutex_lock(&running_lock);
    for (i = 0; i < EMU_MAX_RUNNING && running[i].pid != 0; i++)
        ;
    if (i < EMU_MAX_RUNNING) {
        running[i].pid = e->pid;
        snprintf(running[i].dir, sizeof running[i].dir, "%s", e->dir);
        running[i].in_test = in_test;
    }
    pthread_mutex_unlock(&running_lock);
    return i < EMU_MAX_RUNNING ? 0 : -1;
}

/* 1 when pid was a running child of ours, now forgotten; 0 when emu_test_end stopped it. */
static int untrack(pid_t pid)
{
    size_t i;
    int found = 0;
    pthread_mutex_lock(&running_lock);
    for (i = 0; i < EMU_MAX_RUNNING; i++)
        if (running[i].pid == pid) {
            memset(&running[i], 0, sizeof running[i]);
            found = 1;
        }
    pthread_mutex_unlock(&running_lock);
    return found;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Reads a whole file, NUL-terminated; NULL when it cannot be read. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (f == NULL)
        return NULL;
    do {
        if (cap - len < 4096) {
            char *p = realloc(buf, cap ? cap * 2 : 8192);
            if (p == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
            cap = cap ? cap * 2 : 8192;
        }
        n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Shows the child's stderr: the only place its startup errors and sanitizer reports go. */
static void dump_stderr(const emu *e)
{
    char path[320];
    char *text;
    snprintf(path, sizeof path, "%s/stderr.log", e->dir);
    text = slurp(path);
    if (text != NULL && *text)
        fprintf(stderr, "emu: scm-emulator stderr:\n%s", text);
    free(text);
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    if (d != NULL) {
        while ((ent = readdir(d)) != NULL)
            if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
                unlinkat(dirfd(d), ent->d_name, 0);
        closedir(d);
    }
    rmdir(dir);
}

/* Splits SCM_EMU_WRAPPER on blanks into argv (the copy is owned by the caller). */
static size_t wrapper_args(char **copy, char **argv, size_t max)
{
    const char *w = getenv("SCM_EMU_WRAPPER");
    char *tok, *save = NULL;
    size_t n = 0;
    *copy = NULL;
    if (w == NULL || *w == '\0' || (*copy = strdup(w)) == NULL)
        return 0;
    for (tok = strtok_r(*copy, " \t", &save); tok != NULL && n < max;
         tok = strtok_r(NULL, " \t", &save))
        argv[n++] = tok;
    return n;
}

/* posix_spawn: safe in a multi-threaded test, and no handler or mask leaks into the child. */
static int spawn(emu *e, char **argv, int use_path)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, defaults;
    char out[320], err[320];
    int rc;

    snprintf(out, sizeof out, "%s/stdout.log", e->dir);
    snprintf(err, sizeof err, "%s/stderr.log", e->dir);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGCHLD);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = use_path ? posix_spawnp(&e->pid, argv[0], &fa, &attr, argv, environ)
                  : posix_spawn(&e->pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        fprintf(stderr, "emu: cannot start %s: %s\n", argv[0], strerror(rc));
        e->pid = 0;
        return -1;
    }
    return 0;
}

/* Polls for the port file; -1 when the child exits or the time runs out. */
static int wait_for_port(emu *e, const char *port_file)
{
    long waited;
    for (waited = 0; waited < EMU_START_WAIT_MS; waited += 10) {
        char *text = slurp(port_file);
        int status;
        if (text != NULL) {
            /* The emulator renames a complete file into place: present means whole. */
            e->port = atoi(text);
            free(text);
            return e->port > 0 ? 0 : -1;
        }
        if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
            fprintf(stderr, "emu: scm-emulator exited during startup (status 0x%x)\n",
                    (unsigned)status);
            e->pid = 0;
            return -1;
        }
        sleep_ms(10);
    }
    fprintf(stderr, "emu: scm-emulator did not write %s within %d ms\n", port_file,
            EMU_START_WAIT_MS);
    return -1;
}

/* SIGTERM, then SIGKILL when ignored; what the child said when it did not exit cleanly. */
static void stop_child(const emu *e)
{
    int status = 0;
    long waited = 0;
    pid_t r;
    kill(e->pid, SIGTERM);
    while ((r = waitpid(e->pid, &status, WNOHANG)) == 0 && waited < EMU_STOP_WAIT_MS) {
        sleep_ms(5);
        waited += 5;
    }
    if (r == 0) {
        fprintf(stderr, "emu: scm-emulator ignored SIGTERM; killing it\n");
        kill(e->pid, SIGKILL);
        waitpid(e->pid, &status, 0);
    } else if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "emu: scm-emulator did not exit cleanly (status 0x%x)\n", (unsigned)status);
        dump_stderr(e);
    }
}

int emu_start(emu *e, const char *fixtures, const char *const *extra_args)
{
    static const char *const fixed[] = {
        "--port", "0",       "--project-id", EMU_PROJECT_ID,      "--ak", EMU_AK, "--sk",
        EMU_SK,   "--token", EMU_TOKEN,      "--exit-with-parent"};
    char *argv[EMU_MAX_ARGS], *wrapper = NULL, port_file[320];
    const char *tmp = getenv("TMPDIR");
    size_t n, i, nwrap;
    int tls = 0;
    pid_t child;

    memset(e, 0, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "%s/scm-emu-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(e->dir) == NULL) {
        fprintf(stderr, "emu: mkdtemp %s: %s\n", e->dir, strerror(errno));
        e->dir[0] = '\0';
        return -1;
    }
    snprintf(e->log_path, sizeof e->log_path, "%s/requests.log", e->dir);
    snprintf(port_file, sizeof port_file, "%s/port", e->dir);

    nwrap = n = wrapper_args(&wrapper, argv, 16);
    argv[n++] = (char *)SCM_EMULATOR_PATH;
    argv[n++] = (char *)"--fixtures";
    argv[n++] = (char *)(fixtures ? fixtures : SCM_TEST_FIXTURES_DIR);
    argv[n++] = (char *)"--port-file";
    argv[n++] = port_file;
    argv[n++] = (char *)"--log";
    argv[n++] = e->log_path;
    for (i = 0; i < sizeof fixed / sizeof *fixed; i++)
        argv[n++] = (char *)fixed[i];
    for (i = 0; extra_args != NULL && extra_args[i] != NULL; i++) {
        if (n == EMU_MAX_ARGS - 1) {
            fprintf(stderr, "emu: too many arguments\n");
            free(wrapper);
            emu_stop(e);
            return -1;
        }
        if (strcmp(extra_args[i], "--tls-cert") == 0)
            tls = 1;
        argv[n++] = (char *)extra_args[i];
    }
    argv[n] = NULL;

    if (spawn(e, argv, nwrap > 0) != 0) {
        free(wrapper);
        dump_stderr(e);
        emu_stop(e);
        return -1;
    }
    free(wrapper);
    if (track(e) != 0) {
        fprintf(stderr, "emu: more than %d emulators running at once\n", EMU_MAX_RUNNING);
        stop_child(e);
        emu_stop(e);
        return -1;
    }
    child = e->pid;
    if (wait_for_port(e, port_file) != 0) {
        dump_stderr(e);
        if (e->pid == 0) /* it exited during startup and was reaped */
            untrack(child);
        emu_stop(e);
        return -1;
    }
    snprintf(e->url, sizeof e->url, "%s://127.0.0.1:%d", tls ? "https" : "http", e->port);
    return 0;
}

void emu_stop(emu *e)
{
    /* Not tracked: stopped already when its test failed; its pid may be another's by now. */
    if (e->pid > 0 && untrack(e->pid))
        stop_child(e);
    if (e->dir[0] != '\0')
        remove_dir(e->dir);
    memset(e, 0, sizeof *e);
}

void emu_test_begin(void)
{
    in_test = 1;
}

void emu_test_end(void)
{
    size_t i;
    in_test = 0;
    for (i = 0; i < EMU_MAX_RUNNING; i++) {
        emu left;
        pthread_mutex_lock(&running_lock);
        memset(&left, 0, sizeof left);
        if (running[i].pid != 0 && running[i].in_test) {
            left.pid = running[i].pid;
            snprintf(left.dir, sizeof left.dir, "%s", running[i].dir);
        }
        pthread_mutex_unlock(&running_lock);
        if (left.pid != 0) {
            fprintf(stderr, "emu: the test left scm-emulator %ld running; stopping it\n",
                    (long)left.pid);
            emu_stop(&left);
        }
    }
}

char *emu_read_log(const emu *e)
{
    char *text = slurp(e->log_path);
    return text != NULL ? text : strdup("");
}

int emu_log_count(const emu *e, const char *needle)
{
    char *text = emu_read_log(e), *line, *save = NULL;
    int count = 0;
    if (text == NULL)
        return 0;
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
        if (strstr(line, needle) != NULL)
            count++;
    free(text);
    return count;
}
