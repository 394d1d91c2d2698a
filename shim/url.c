/*
 * url.c - splits a URL with libcurl's URL API (url.h).
 * owns: the one use of libcurl outside the transport (http.c); must not: judge
 * the parts (settings.c decides what an endpoint may be).
 */
#include "url.h"

#include "scm_client.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

/* libcurl's strings are freed with curl_free: copy them so callers use free. */
static int take(CURLU *u, CURLUPart part, char **out)
{
    char *s = NULL;
    *out = NULL;
    if (curl_url_get(u, part, &s, 0) != CURLUE_OK)
        return 0;
    *out = strdup(s);
    curl_free(s);
    return *out != NULL ? 1 : -1;
}

int scm__url_split(const char *url, scm_url *out)
{
    CURLU *u = curl_url();
    char *extra = NULL;
    int rc = SCM_E_INVALID_PARAM, got[4], i;

    memset(out, 0, sizeof *out);
    if (u == NULL)
        return SCM_E_NOMEM;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto out;
    got[0] = take(u, CURLUPART_SCHEME, &out->scheme);
    got[1] = take(u, CURLUPART_HOST, &out->host);
    got[2] = take(u, CURLUPART_PORT, &out->port);
    got[3] = take(u, CURLUPART_PATH, &out->path);
    for (i = 0; i < 4; i++)
        if (got[i] < 0) {
            rc = SCM_E_NOMEM;
            goto out;
        }
    if (out->scheme == NULL || out->host == NULL || out->host[0] == '\0' || out->path == NULL)
        goto out;
    out->has_extra = curl_url_get(u, CURLUPART_USER, &extra, 0) == CURLUE_OK ||
                     curl_url_get(u, CURLUPART_QUERY, &extra, 0) == CURLUE_OK ||
                     curl_url_get(u, CURLUPART_FRAGMENT, &extra, 0) == CURLUE_OK;
    rc = SCM_OK;
out:
    curl_free(extra);
    curl_url_cleanup(u);
    if (rc != SCM_OK)
        scm__url_free(out);
    return rc;
}

void scm__url_free(scm_url *u)
{
    free(u->scheme);
    free(u->host);
    free(u->port);
    free(u->path);
    memset(u, 0, sizeof *u);
}
