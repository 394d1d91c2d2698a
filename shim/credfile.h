/*
 * credfile.h - the official SDKs' credentials file: ~/.huaweicloud/credentials,
 * or the path in HUAWEICLOUD_SDK_CREDENTIALS_FILE; an INI file whose [basic]
 * section holds project-scoped credentials and whose [global] section holds
 * account-scoped ones (ak, sk, security_token, project_id, domain_id).
 */
#ifndef SCM_SHIM_CREDFILE_H
#define SCM_SHIM_CREDFILE_H

#include "error.h"

#include <stddef.h>

/* Larger is no credentials file: the file is read whole, then cleansed. */
#define SCM_CREDFILE_MAX (64 * 1024)
#define SCM_CREDFILE_PATH_MAX 4096

/* The keys the shim reads from a section; every other key is ignored, as the SDKs do. */
#define SCM_CREDFILE_KEYS(X)                                                                       \
    X(ak, "ak")                                                                                    \
    X(sk, "sk")                                                                                    \
    X(security_token, "security_token")                                                            \
    X(project_id, "project_id")                                                                    \
    X(domain_id, "domain_id")

typedef struct scm_cred_section {
#define SCM_CREDFILE_MEMBER(member, key) char *member; /* NULL when absent or empty */
    SCM_CREDFILE_KEYS(SCM_CREDFILE_MEMBER)
#undef SCM_CREDFILE_MEMBER
} scm_cred_section;

typedef struct scm_credfile {
    char path[SCM_CREDFILE_PATH_MAX]; /* the file read, for messages */
    int found;                        /* 0: the default path has no file (no error) */
    scm_cred_section basic;           /* [basic] */
    scm_cred_section global;          /* [global] */
} scm_credfile;

/*
 * Reads the credentials file into f: HUAWEICLOUD_SDK_CREDENTIALS_FILE's path
 * (which must exist), else $HOME/.huaweicloud/credentials (which may not:
 * f->found stays 0). SCM_OK, or an SCM_E_* code with a one-line reason naming
 * the file and line (never a value) in err; f holds nothing then.
 */
int scm__credfile_read(scm_credfile *f, scm_error *err);

/* Frees and cleanses what f holds. */
void scm__credfile_free(scm_credfile *f);

#endif
