/*
 * layout.h - the members of the frozen structs, listed once for the layout
 * test. Each of layout_frozen.c and layout_ours.c expands it against one
 * header (both use the guard SCM_CLIENT_H, so they cannot share a file).
 */
#ifndef SCM_ABI_LAYOUT_H
#define SCM_ABI_LAYOUT_H

#include <stddef.h>

#define LAYOUT_MEMBERS(X)                                                                          \
    X(scm_config, endpoint)                                                                        \
    X(scm_config, project_id)                                                                      \
    X(scm_config, access_key)                                                                      \
    X(scm_config, secret_key)                                                                      \
    X(scm_config, auth_token)                                                                      \
    X(scm_config, timeout_ms)                                                                      \
    X(scm_auth, method)                                                                            \
    X(scm_auth, status)                                                                            \
    X(scm_auth, domain_name)                                                                       \
    X(scm_auth, host_record)                                                                       \
    X(scm_auth, record_type)                                                                       \
    X(scm_auth, record)                                                                            \
    X(scm_cert_details, cert_id)                                                                   \
    X(scm_cert_details, order_id)                                                                  \
    X(scm_cert_details, cert_name)                                                                 \
    X(scm_cert_details, cert_type)                                                                 \
    X(scm_cert_details, cert_brand)                                                                \
    X(scm_cert_details, domain_type)                                                               \
    X(scm_cert_details, domain_name)                                                               \
    X(scm_cert_details, domain_number)                                                             \
    X(scm_cert_details, cert_describe)                                                             \
    X(scm_cert_details, push_support)                                                              \
    X(scm_cert_details, revoke_reason)                                                             \
    X(scm_cert_details, company_name)                                                              \
    X(scm_cert_details, company_province)                                                          \
    X(scm_cert_details, company_city)                                                              \
    X(scm_cert_details, applicant_name)                                                            \
    X(scm_cert_details, applicant_phone)                                                           \
    X(scm_cert_details, applicant_email)                                                           \
    X(scm_cert_details, contact_name)                                                              \
    X(scm_cert_details, contact_phone)                                                             \
    X(scm_cert_details, contact_email)                                                             \
    X(scm_cert_details, status)                                                                    \
    X(scm_cert_details, encrypt_type)                                                              \
    X(scm_cert_details, country)                                                                   \
    X(scm_cert_details, organization_unit)                                                         \
    X(scm_cert_details, dns_push_status)                                                           \
    X(scm_cert_details, auth_count)                                                                \
    X(scm_cert_details, auth)

#define LAYOUT_CONSTANTS(X)                                                                        \
    X(SCM_OK)                                                                                      \
    X(SCM_E_INVALID_PARAM)                                                                         \
    X(SCM_E_NETWORK)                                                                               \
    X(SCM_E_AUTH)                                                                                  \
    X(SCM_E_NOT_FOUND)                                                                             \
    X(SCM_E_SERVER)                                                                                \
    X(SCM_E_PARSE)                                                                                 \
    X(SCM_E_NOMEM)

struct layout_entry {
    const char *name;
    size_t value; /* offset, size or constant */
};

#endif
