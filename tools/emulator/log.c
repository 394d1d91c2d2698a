/*
 * log.c - see log.h.
 * owns: the request log's JSON lines, whole under a lock; must not: be given a credential (an
 * entry has no field that could hold one).
 */
#include "log.h"
#include "buf.h"
#include "clock.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int emu_log_open(emu_log *l, const char *path)
{
    l->fd = -1;
    if (path != NULL) {
        l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (l->fd < 0)
            return -1;
    }
    pthread_mutex_init(&l->lock, NULL);
    return 0;
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* a full disk must not take the emulator down */
        p += w;
        n -= (size_t)w;
    }
}

void emu_log_request(emu_log *l, const emu_log_entry *e)
{
    char now[EMU_RFC3339_LEN + 1];
    cJSON *o;
    char *line;
    scm_buf out;

    if (l->fd < 0)
        return;
    emu_rfc3339_now(now);
    o = cJSON_CreateObject();
    if (o == NULL)
        return;
    cJSON_AddStringToObject(o, "time", now);
    cJSON_AddStringToObject(o, "method", e->method);
    cJSON_AddStringToObject(o, "path", e->path);
    cJSON_AddStringToObject(o, "api", e->api);
    cJSON_AddStringToObject(o, "cert_id", e->cert_id);
    cJSON_AddNumberToObject(o, "client_port", e->client_port);
    cJSON_AddStringToObject(o, "auth", e->auth);
    cJSON_AddNumberToObject(o, "status", e->status);
    cJSON_AddStringToObject(o, "fault", e->fault);
    cJSON_AddStringToObject(o, "request_id", e->request_id);
    cJSON_AddStringToObject(o, "signed_headers", e->signed_headers);
    line = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (line == NULL)
        return;
    scm__buf_init(&out);
    scm__buf_puts(&out, line);
    scm__buf_putc(&out, '\n');
    free(line);
    if (out.oom) {
        scm__buf_free(&out);
        return;
    }
    pthread_mutex_lock(&l->lock);
    write_all(l->fd, out.data, out.len);
    pthread_mutex_unlock(&l->lock);
    scm__buf_free(&out);
}

void emu_log_close(emu_log *l)
{
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    pthread_mutex_destroy(&l->lock);
}
