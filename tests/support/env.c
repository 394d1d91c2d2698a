/*
 * env.c - saving and restoring the environment around a test; see env.h.
 * owns: the saved copy, and clearing the library's variables; must not: know one variable by
 * name (every one is put back; the library's are known by prefix).
 */
#include "env.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

static char **saved;
static size_t nsaved;

static void drop_saved(void)
{
    size_t i;
    for (i = 0; i < nsaved; i++)
        free(saved[i]);
    free(saved);
    saved = NULL;
    nsaved = 0;
}

void tu_env_save(void)
{
    size_t n = 0, i;
    drop_saved();
    while (environ[n] != NULL)
        n++;
    if ((saved = calloc(n + 1, sizeof *saved)) == NULL)
        abort();
    for (i = 0; i < n; i++)
        if ((saved[i] = strdup(environ[i])) == NULL)
            abort();
    nsaved = n;
}

/* The saved "NAME=value" for name (len bytes), or NULL. */
static const char *saved_entry(const char *name, size_t len)
{
    size_t i;
    for (i = 0; i < nsaved; i++)
        if (strncmp(saved[i], name, len) == 0 && saved[i][len] == '=')
            return saved[i];
    return NULL;
}

/* Unsets every variable whose "NAME=value" entry (NAME len bytes) drop says to. */
static void unset_where(int (*drop)(const char *entry, size_t len))
{
    char name[512];
    size_t i;
    /* Each unsetenv changes environ, so look again from the start. */
    for (i = 0; environ[i] != NULL;) {
        size_t len = strcspn(environ[i], "=");
        if (len < sizeof name && drop(environ[i], len)) {
            memcpy(name, environ[i], len);
            name[len] = '\0';
            unsetenv(name);
            i = 0;
        } else {
            i++;
        }
    }
}

/* Not in the saved copy: the test added it. */
static int added(const char *entry, size_t len)
{
    return saved_entry(entry, len) == NULL;
}

static int library_variable(const char *entry, size_t len)
{
    (void)len;
    return strncmp(entry, "HUAWEICLOUD_SDK_", 16) == 0 || strncmp(entry, "SCM_SHIM_", 9) == 0;
}

void tu_env_restore(void)
{
    char name[512];
    size_t i;
    unset_where(added);
    for (i = 0; i < nsaved; i++) {
        size_t len = strcspn(saved[i], "=");
        const char *now;
        if (len >= sizeof name)
            continue;
        memcpy(name, saved[i], len);
        name[len] = '\0';
        now = getenv(name);
        if (now == NULL || strcmp(now, saved[i] + len + 1) != 0)
            setenv(name, saved[i] + len + 1, 1);
    }
}

void tu_env_clear_config(void)
{
    unset_where(library_variable);
}
