/*
 * url.h - an absolute URL split by libcurl's parser, the one the transport
 * sends with, so what settings.c checks is what goes on the wire. No libcurl
 * type crosses this interface.
 */
#ifndef SCM_SHIM_URL_H
#define SCM_SHIM_URL_H

/* The parts of a URL, each malloc'd (scm__url_free), NULL when the URL has none. */
typedef struct scm_url {
    char *scheme;
    char *host;
    char *port;
    char *path;
    int has_extra; /* user info, a query or a fragment */
} scm_url;

/* SCM_OK; SCM_E_INVALID_PARAM when libcurl cannot read it or it has no host; SCM_E_NOMEM. */
int scm__url_split(const char *url, scm_url *out);
void scm__url_free(scm_url *u);

#endif
