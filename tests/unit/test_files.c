/*
 * test_files.c - the files that hold audit lines and personal data: no link, no FIFO, no other
 * user's file, never readable by others; a full disk loses whole lines only, and says so once;
 * the library's log lines carry no control characters.
 * owns: these expectations of private files and log lines; must not: leave its temp dir
 * behind.
 */
#include "audit.h"
#include "log.h"
#include "privfile.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/scmshim-files-XXXXXX";

static const char *in_dir(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

START_TEST(refuses_links_fifos_and_directories)
{
    scm_error err;
    char target[256];
    snprintf(target, sizeof target, "%s", in_dir("target"));
    ck_assert_int_eq(symlink(target, in_dir("link")), 0);
    ck_assert_int_eq(scm__privfile_open(in_dir("link"), O_WRONLY | O_CREAT, &err), -1);
    ck_assert_str_eq(err.msg, "a symbolic link");
    /* The link was not followed: its target was not created. */
    ck_assert_int_ne(access(target, F_OK), 0);
    ck_assert_int_eq(mkfifo(in_dir("fifo"), 0600), 0);
    ck_assert_int_eq(scm__privfile_open(in_dir("fifo"), O_WRONLY | O_APPEND | O_CREAT, &err), -1);
    ck_assert_str_eq(err.msg, "not a regular file");
    ck_assert_int_eq(scm__privfile_open(dir, O_RDONLY, &err), -1);
    ck_assert_int_eq(scm__privfile_check(in_dir("link"), &err), SCM_E_INVALID_PARAM);
    ck_assert_int_eq(scm__privfile_check(in_dir("absent"), &err), SCM_OK);
    ck_assert_ptr_null(scm__audit_log_open(in_dir("link")));
}
END_TEST

START_TEST(tightens_a_readable_file)
{
    scm_error err;
    struct stat st;
    int fd = open(in_dir("wide"), O_WRONLY | O_CREAT, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fchmod(fd, 0644), 0);
    close(fd);
    fd = scm__privfile_open(in_dir("wide"), O_WRONLY | O_APPEND, &err);
    ck_assert_msg(fd >= 0, "%s", err.msg);
    close(fd);
    ck_assert_int_eq(stat(in_dir("wide"), &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(chmod(in_dir("wide"), 0640), 0);
    ck_assert_int_eq(scm__privfile_check(in_dir("wide"), &err), SCM_OK);
    ck_assert_int_eq(stat(in_dir("wide"), &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

/* A disk that fills up mid-line (RLIMIT_FSIZE stands in for it) keeps whole lines only. */
START_TEST(full_disk_leaves_no_half_line)
{
    const char *line = "{\"cert_id\":\"scs1\",\"result\":\"match\"}\n";
    char *text, *err;
    pid_t pid;
    int status;

    if ((pid = fork()) == 0) {
        struct rlimit lim = {100, 100};
        scm_audit_log *log;
        int fd = open(in_dir("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600), i;
        dup2(fd, 2);
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &lim);
        log = scm__audit_log_open(in_dir("audit.log"));
        for (i = 0; log != NULL && i < 5; i++)
            scm__audit_log_write(log, line);
        scm__audit_log_close(log);
        _exit(log != NULL ? 0 : 1);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    text = tu_read_file(in_dir("audit.log"), NULL);
    /* 36-byte lines: two fit in 100 bytes, the third was cut and taken back. */
    ck_assert_uint_eq(strlen(text), 2 * strlen(line));
    free(text);
    err = tu_read_file(in_dir("stderr"), NULL);
    ck_assert_ptr_nonnull(strstr(err, "the audit log cannot be written"));
    ck_assert_ptr_null(strstr(strstr(err, "cannot be written") + 1, "cannot be written"));
    free(err);
}
END_TEST

START_TEST(log_lines_carry_no_controls)
{
    char out[64];
    scm__log_escape(out, sizeof out, "bad\r\nscmshim: fake\x1b[31m\x07");
    ck_assert_str_eq(out, "bad\\x0d\\x0ascmshim: fake\\x1b[31m\\x07");
    /* Cut on a whole character, and before a half escape. */
    scm__log_escape(out, 6, "ab\xe8\xaf\xb4x");
    ck_assert_str_eq(out, "ab\xe8\xaf\xb4");
    scm__log_escape(out, 5, "abc\n");
    ck_assert_str_eq(out, "abc");
}
END_TEST

static void cleanup(void)
{
    static const char *const names[] = {"link", "fifo", "wide", "audit.log", "stderr", "target"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(in_dir(names[i]));
    rmdir(dir);
}

int main(void)
{
    Suite *s = suite_create("files");
    TCase *tc = tcase_create("private files");
    int rc;
    if (mkdtemp(dir) == NULL)
        return EXIT_FAILURE;
    tcase_add_test(tc, refuses_links_fifos_and_directories);
    tcase_add_test(tc, tightens_a_readable_file);
    tcase_add_test(tc, full_disk_leaves_no_half_line);
    tcase_add_test(tc, log_lines_carry_no_controls);
    suite_add_tcase(s, tc);
    rc = tu_run(s);
    cleanup();
    return rc;
}
