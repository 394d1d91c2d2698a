/*
 * list.c - every certificate of an account through v3 ListCertificates; see list.h.
 * owns: the paging (limit, offset, when it ends), the retries of one page, reading a page's
 * body (every number in it hostile) and keeping each ID once; must not: build a request
 * (backend.c), decide what is retried or how long to wait (retry.c), or query a certificate.
 */
#include "list.h"

#include "backend.h"
#include "client.h"
#include "log.h"
#include "retry.h"
#include "sign.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The IDs found so far, in the order first listed, with an open-addressing set over them. */
typedef struct id_list {
    char **ids;
    size_t n, cap;
    size_t *slots; /* index + 1 into ids; 0: empty. Its size is a power of two, over 2 * cap. */
    size_t nslots;
} id_list;

static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

/* The slot holding id, or the empty one where it belongs. */
static size_t *slot_of(const id_list *l, const char *id)
{
    size_t i = hash(id) & (l->nslots - 1);
    while (l->slots[i] != 0 && strcmp(l->ids[l->slots[i] - 1], id) != 0)
        i = (i + 1) & (l->nslots - 1);
    return &l->slots[i];
}

/* Room for one more ID, the set rebuilt when it grows; SCM_OK or SCM_E_NOMEM. */
static int grow(id_list *l)
{
    size_t cap = l->cap ? l->cap * 2 : 64, nslots = 256, i;
    char **ids;
    size_t *slots;
    if (l->n < l->cap)
        return SCM_OK;
    while (nslots < 2 * cap)
        nslots *= 2;
    if ((ids = realloc(l->ids, cap * sizeof *ids)) == NULL)
        return SCM_E_NOMEM;
    l->ids = ids;
    if ((slots = calloc(nslots, sizeof *slots)) == NULL)
        return SCM_E_NOMEM;
    free(l->slots);
    l->slots = slots;
    l->nslots = nslots;
    l->cap = cap;
    for (i = 0; i < l->n; i++)
        *slot_of(l, l->ids[i]) = i + 1;
    return SCM_OK;
}

/* Adds id unless it is there already; SCM_OK or SCM_E_NOMEM. */
static int add_id(id_list *l, const char *id)
{
    size_t *slot;
    if (l->nslots > 0 && *slot_of(l, id) != 0)
        return SCM_OK;
    if (grow(l) != SCM_OK || (l->ids[l->n] = strdup(id)) == NULL)
        return SCM_E_NOMEM;
    slot = slot_of(l, id);
    *slot = ++l->n;
    return SCM_OK;
}

static void free_ids(id_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        free(l->ids[i]);
    free(l->ids);
    free(l->slots);
    memset(l, 0, sizeof *l);
}

/* A filter value sent as given: 1 to SCM_LIST_FILTER_MAX printable ASCII characters. */
static int valid_filter(const char *v)
{
    size_t i, n = v != NULL ? strlen(v) : 1;
    if (n == 0 || n > SCM_LIST_FILTER_MAX)
        return 0;
    for (i = 0; v != NULL && i < n; i++)
        if (v[i] <= ' ' || v[i] > '~')
            return 0;
    return 1;
}

/*
 * One page, retried as a query is (retry.h) within the client's timeout from now; a's answer,
 * SCM_OK with its body parsed or the failure.
 */
static int fetch_page(scm_client *c, const scm_kv *query, size_t nquery, scm_answer *a)
{
    scm_http_req *req = c->req[SCM_BACKEND_V3];
    long deadline = c->deadline = scm__now_ms() + c->cfg.timeout_ms, left, wait;
    int attempt, skew_retried = 0;

    for (attempt = 0;; attempt++) {
        left = deadline - scm__now_ms();
        scm__answer_clear(a);
        if (scm__backend_prepare_list(req, &c->cfg, query, nquery, time(NULL) + c->clock_offset,
                                      left > 0 ? left : 1) != SCM_OK)
            return a->rc = scm__fail(&a->err, SCM__ERR_NOMEM, NULL);
        scm__transport_run(c->transport, &req, 1, deadline);
        scm__backend_answer(req, SCM_BACKEND_V3, a);
        scm__log(SCM_LOG_DEBUG, "v3 list offset %s: %s, HTTP %ld, attempt %d", query[1].value,
                 a->rc == SCM_OK ? "ok" : a->err.code, a->resp->status, attempt + 1);
        if (!skew_retried && scm__retry_learn_skew(&c->clock_offset, a, c->cfg.ak != NULL,
                                                   c->cfg.ep[SCM_BACKEND_V3].host)) {
            skew_retried = 1;
            attempt--; /* a corrected clock is not a retry */
            continue;
        }
        if (!scm__retry_again(a, attempt, c->cfg.retries))
            break;
        wait = scm__retry_backoff_ms(a, attempt, &c->rng);
        if (wait >= deadline - scm__now_ms() || scm__sleep_ms(wait) != SCM_OK)
            break;
    }
    return a->rc;
}

/* A count from a body: a number in [0, SCM_LIST_MAX_IDS], anything else (NaN included) clamped. */
static size_t clamp_count(const cJSON *v)
{
    double d = cJSON_IsNumber(v) ? v->valuedouble : 0.0;
    if (!(d > 0.0))
        return 0;
    return d >= SCM_LIST_MAX_IDS ? SCM_LIST_MAX_IDS : (size_t)d;
}

/*
 * Reads one page into l: at most limit items (a longer page is cut), each item's valid "id"
 * kept once. Its item count in *items and total_count in *total; SCM_OK, SCM_E_PARSE (no
 * certificates array) or SCM_E_NOMEM.
 */
static int read_page(scm_answer *a, id_list *l, size_t limit, size_t *items, size_t *total)
{
    const cJSON *certs = cJSON_GetObjectItemCaseSensitive(a->doc, "certificates"), *it;
    size_t skipped = 0;

    if (!cJSON_IsArray(certs))
        return a->rc = scm__fail_status(&a->err, SCM__ERR_PARSE, SCM_E_PARSE, a->resp->status,
                                        "HTTP %ld list answer has no certificates array",
                                        a->resp->status);
    *total = clamp_count(cJSON_GetObjectItemCaseSensitive(a->doc, "total_count"));
    *items = 0;
    cJSON_ArrayForEach(it, certs)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (*items == limit)
            break;
        (*items)++;
        if (!cJSON_IsString(id) || !scm__valid_id(id->valuestring))
            skipped++;
        else if (add_id(l, id->valuestring) != SCM_OK)
            return a->rc = scm__fail(&a->err, SCM__ERR_NOMEM, NULL);
    }
    if (skipped > 0)
        scm__log(SCM_LOG_WARN, "v3 list: %zu item%s without a certificate ID skipped", skipped,
                 skipped == 1 ? "" : "s");
    return SCM_OK;
}

/* Pages through the listing into l; SCM_OK with *total_count, or the failure in a. */
static int list_pages(scm_client *c, const scm_list_filter *f, id_list *l, scm_answer *a,
                      size_t *total_count)
{
    size_t limit = f->limit > 0 ? (size_t)f->limit : SCM_LIST_PAGE_MAX, offset = 0, page, items = 0,
           bound = 1;
    char limit_s[24], offset_s[24];
    scm_kv query[4] = {{"limit", limit_s}, {"offset", offset_s}};
    size_t nquery = 2;

    if (f->status != NULL)
        query[nquery++] = (scm_kv){"status", f->status};
    if (f->enterprise_project_id != NULL)
        query[nquery++] = (scm_kv){"enterprise_project_id", f->enterprise_project_id};
    snprintf(limit_s, sizeof limit_s, "%zu", limit);
    for (page = 0; page < bound; page++) {
        size_t before = l->n;
        snprintf(offset_s, sizeof offset_s, "%zu", offset);
        if (fetch_page(c, query, nquery, a) != SCM_OK ||
            read_page(a, l, limit, &items, total_count) != SCM_OK)
            return a->rc;
        /* A full page of certificates listed already: the service does not page by offset, and
         * asking on would only repeat it up to the bound. */
        if (page > 0 && items == limit && l->n == before)
            return a->rc = scm__fail_status(&a->err, SCM__ERR_PARSE, SCM_E_PARSE, a->resp->status,
                                            "the list page at offset %zu repeats certificates "
                                            "listed before: the service ignores offset",
                                            offset);
        if (f->progress != NULL)
            f->progress(l->n, *total_count, f->ctx);
        offset += items;
        /* From the first page only: a total_count that grows with every page cannot stretch it.
         * The margin covers certificates added meanwhile. */
        if (page == 0)
            bound = *total_count / limit + SCM_LIST_PAGE_MARGIN;
        if (items < limit || offset >= *total_count)
            return SCM_OK;
    }
    return a->rc = scm__fail_status(&a->err, SCM__ERR_PARSE, SCM_E_PARSE, a->resp->status,
                                    "the list did not end after %zu pages (total_count %zu)", page,
                                    *total_count);
}

int scm__client_list(scm_client *c, const scm_list_filter *f, char ***ids, size_t *n,
                     size_t *total_count)
{
    static const scm_list_filter every = {NULL, NULL, 0, NULL, NULL};
    scm_answer a;
    id_list l;
    int rc;

    *ids = NULL;
    *n = *total_count = 0;
    if (f == NULL)
        f = &every;
    scm__error_clear(&c->err);
    c->request_id[0] = '\0';
    if (f->limit != 0 && f->limit != 10 && f->limit != 20 && f->limit != SCM_LIST_PAGE_MAX)
        return scm__fail(&c->err, SCM__ERR_INVALID_PARAM, "the page size must be 10, 20 or 50");
    if (!valid_filter(f->status) || !valid_filter(f->enterprise_project_id))
        return scm__fail(&c->err, SCM__ERR_INVALID_PARAM,
                         "a list filter must be 1-%d printable characters", SCM_LIST_FILTER_MAX);
    if (c->cfg.ep[SCM_BACKEND_V3].base == NULL)
        return scm__fail(&c->err, SCM__ERR_INVALID_PARAM, "listing needs a v3 endpoint");
    memset(&a, 0, sizeof a);
    memset(&l, 0, sizeof l);
    a.backend = SCM_BACKEND_V3;
    rc = list_pages(c, f, &l, &a, total_count);
    if (a.resp != NULL)
        memcpy(c->request_id, a.resp->request_id, sizeof c->request_id);
    scm__answer_clear(&a);
    if (rc != SCM_OK) {
        c->err = a.err;
        free_ids(&l);
        *total_count = 0;
        return rc;
    }
    free(l.slots);
    *ids = l.ids;
    *n = l.n;
    return SCM_OK;
}
