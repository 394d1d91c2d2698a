/*
 * credfile.c - reads the SDKs' credentials file; see credfile.h.
 * owns: finding the file and its INI grammar; must not: decide which source
 * of credentials wins (settings.c does), or keep a secret longer than the
 * caller does.
 */
#include "credfile.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A line longer than this is no credentials file's. */
#define LINE_MAX_LEN 4096

static void section_free(scm_cred_section *s)
{
#define SCM_CREDFILE_FREE(member, key)                                                             \
    if (s->member != NULL) {                                                                       \
        OPENSSL_cleanse(s->member, strlen(s->member));                                             \
        free(s->member);                                                                           \
    }
    SCM_CREDFILE_KEYS(SCM_CREDFILE_FREE)
#undef SCM_CREDFILE_FREE
    memset(s, 0, sizeof *s);
}

void scm__credfile_free(scm_credfile *f)
{
    section_free(&f->basic);
    section_free(&f->global);
}

/*
 * The file's path in f->path and whether the variable named it (it must exist
 * then); *none when there is no home directory, so no default file.
 */
static int find_path(scm_credfile *f, int *named, int *none, scm_error *err)
{
    const char *v = getenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE"), *home = getenv("HOME");
    struct passwd pw, *found = NULL;
    char buf[4096];
    int n;

    *named = v != NULL && v[0] != '\0';
    *none = 0;
    if (!*named && (home == NULL || home[0] == '\0')) {
        if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) != 0 || found == NULL) {
            *none = 1;
            return SCM_OK;
        }
        home = pw.pw_dir;
    }
    n = *named ? snprintf(f->path, sizeof f->path, "%s", v)
               : snprintf(f->path, sizeof f->path, "%s/.huaweicloud/credentials", home);
    if (n < 0 || (size_t)n >= sizeof f->path)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "%s is too long a path",
                         *named ? "HUAWEICLOUD_SDK_CREDENTIALS_FILE" : "the credentials file");
    return SCM_OK;
}

/*
 * The regular file at path, whole, NUL-terminated in buf (SCM_CREDFILE_MAX + 1
 * bytes); its length, or -1 with err (*missing when it does not exist).
 */
static long read_whole(const char *path, char *buf, int *missing, scm_error *err)
{
    struct stat st;
    size_t n = 0;
    ssize_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    *missing = fd < 0 && errno == ENOENT;
    if (fd < 0) {
        if (!*missing)
            scm__fail(err, SCM__ERR_INVALID_PARAM, "credentials file %s: %s", path,
                      strerror(errno));
        return -1;
    }
    /* Not a FIFO or a device: reading one could block or never end. */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        scm__fail(err, SCM__ERR_INVALID_PARAM, "credentials file %s: not a regular file", path);
        return -1;
    }
    while (n <= SCM_CREDFILE_MAX && (got = read(fd, buf + n, SCM_CREDFILE_MAX + 1 - n)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (got < 0 || n > SCM_CREDFILE_MAX) {
        if (got < 0)
            scm__fail(err, SCM__ERR_INVALID_PARAM, "credentials file %s: %s", path,
                      strerror(errno));
        else
            scm__fail(err, SCM__ERR_INVALID_PARAM, "credentials file %s: larger than %d bytes",
                      path, SCM_CREDFILE_MAX);
        OPENSSL_cleanse(buf, n < SCM_CREDFILE_MAX + 1 ? n : SCM_CREDFILE_MAX + 1);
        return -1;
    }
    buf[n] = '\0';
    return (long)n;
}

/* [start, end) without blanks around it, NUL-terminated in place. */
static char *trim(char *start, char *end)
{
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *end = '\0';
    return start;
}

/* Stores value under key in sec (the last one wins, as in go-ini); other keys are ignored. */
static int set_key(scm_cred_section *sec, const char *key, const char *value)
{
    char **slot = NULL;
#define SCM_CREDFILE_MATCH(member, name)                                                           \
    if (strcmp(key, name) == 0)                                                                    \
        slot = &sec->member;
    SCM_CREDFILE_KEYS(SCM_CREDFILE_MATCH)
#undef SCM_CREDFILE_MATCH
    if (slot == NULL)
        return 0;
    if (*slot != NULL) {
        OPENSSL_cleanse(*slot, strlen(*slot));
        free(*slot);
        *slot = NULL;
    }
    if (value[0] == '\0')
        return 0;
    return (*slot = strdup(value)) != NULL ? 0 : -1;
}

/* The INI grammar of the SDKs' files: [section], key = value, # and ; comments. */
static int parse(scm_credfile *f, char *text, long len, scm_error *err)
{
    scm_cred_section *sec = NULL;
    char *line = text, *end, *next, *eq, *key;
    int lineno = 0;
    size_t n;

    if ((long)strlen(text) != len)
        return scm__fail(err, SCM__ERR_INVALID_PARAM, "credentials file %s: holds a NUL byte",
                         f->path);
    for (; *line != '\0'; line = next) {
        lineno++;
        end = line + strcspn(line, "\n");
        next = *end != '\0' ? end + 1 : end;
        if (end - line > LINE_MAX_LEN)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "credentials file %s, line %d: longer than %d bytes", f->path, lineno,
                             LINE_MAX_LEN);
        key = trim(line, end);
        if (key[0] == '\0' || key[0] == '#' || key[0] == ';')
            continue;
        if (key[0] == '[') {
            n = strlen(key);
            if (key[n - 1] != ']')
                return scm__fail(err, SCM__ERR_INVALID_PARAM,
                                 "credentials file %s, line %d: a section needs a closing ]",
                                 f->path, lineno);
            key = trim(key + 1, key + n - 1);
            sec = strcmp(key, "basic") == 0    ? &f->basic
                  : strcmp(key, "global") == 0 ? &f->global
                                               : NULL;
            continue;
        }
        if ((eq = strchr(key, '=')) == NULL)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "credentials file %s, line %d: expected key = value", f->path, lineno);
        /* A key of another section, or before the first, is not ours. */
        if (sec != NULL && set_key(sec, trim(key, eq), trim(eq + 1, eq + 1 + strlen(eq + 1))) != 0)
            return scm__fail(err, SCM__ERR_NOMEM, NULL);
    }
    return SCM_OK;
}

int scm__credfile_read(scm_credfile *f, scm_error *err)
{
    char *text;
    long len;
    int named, none, missing, rc;

    memset(f, 0, sizeof *f);
    if ((rc = find_path(f, &named, &none, err)) != SCM_OK || none)
        return rc;
    if ((text = malloc(SCM_CREDFILE_MAX + 1)) == NULL)
        return scm__fail(err, SCM__ERR_NOMEM, NULL);
    len = read_whole(f->path, text, &missing, err);
    if (len < 0) {
        free(text);
        if (missing && !named)
            return SCM_OK;
        if (missing)
            return scm__fail(err, SCM__ERR_INVALID_PARAM,
                             "HUAWEICLOUD_SDK_CREDENTIALS_FILE=%s: no such file", f->path);
        return SCM_E_INVALID_PARAM;
    }
    f->found = 1;
    rc = parse(f, text, len, err);
    OPENSSL_cleanse(text, (size_t)len);
    free(text);
    if (rc != SCM_OK)
        scm__credfile_free(f);
    return rc;
}
