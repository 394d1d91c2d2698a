/*
 * frozen.h - the one description of the frozen legacy structs of
 * include/scm_client.h: each member of scm_cert_details and of an scm_auth
 * element, with its legacy JSON key and its type. Details, the legacy JSON
 * writer, the comparison, the audit, the reports, the mapping loader and the
 * ABI layout test all walk this list; the mapping table only holds rules.
 * C89-clean: the ABI test expands it against the frozen header.
 */
#ifndef SCM_SHIM_FROZEN_H
#define SCM_SHIM_FROZEN_H

#include <stddef.h>

/* X(member, legacy JSON key, type): scm_cert_details in member order (auth_count goes with auth).
 */
#define SCM_FROZEN_FIELDS(X)                                                                       \
    X(cert_id, "cert_id", STRING)                                                                  \
    X(order_id, "order_id", STRING)                                                                \
    X(cert_name, "cert_name", STRING)                                                              \
    X(cert_type, "cert_type", STRING)                                                              \
    X(cert_brand, "cert_brand", STRING)                                                            \
    X(domain_type, "domain_type", STRING)                                                          \
    X(domain_name, "domain_name", STRING)                                                          \
    X(domain_number, "domain_number", INT)                                                         \
    X(cert_describe, "cert_describe", STRING)                                                      \
    X(push_support, "push_support", STRING)                                                        \
    X(revoke_reason, "revoke_reason", STRING)                                                      \
    X(company_name, "company_name", STRING)                                                        \
    X(company_province, "company_province", STRING)                                                \
    X(company_city, "company_city", STRING)                                                        \
    X(applicant_name, "applicant_name", STRING)                                                    \
    X(applicant_phone, "applicant_phone", STRING)                                                  \
    X(applicant_email, "applicant_email", STRING)                                                  \
    X(contact_name, "contact_name", STRING)                                                        \
    X(contact_phone, "contact_phone", STRING)                                                      \
    X(contact_email, "contact_email", STRING)                                                      \
    X(status, "status", STRING)                                                                    \
    X(encrypt_type, "encrypt_type", STRING)                                                        \
    X(country, "country", STRING)                                                                  \
    X(organization_unit, "organization_unit", STRING)                                              \
    X(dns_push_status, "DNS_push_status", STRING)                                                  \
    X(auth, "auth", ARRAY)

/* X(member, legacy JSON key, type): one scm_auth element, in member order. */
#define SCM_FROZEN_AUTH_FIELDS(X)                                                                  \
    X(method, "method", STRING)                                                                    \
    X(status, "status", STRING)                                                                    \
    X(domain_name, "domain_name", STRING)                                                          \
    X(host_record, "host_record", STRING)                                                          \
    X(record_type, "record_type", STRING)                                                          \
    X(record, "record", STRING)

/* The types a frozen member has: X(id, name used in mapping.json). */
#define SCM_FIELD_TYPES(X) X(STRING, "string") X(INT, "int") X(ARRAY, "array")

typedef enum {
#define X(id, name) SCM_FT_##id,
    SCM_FIELD_TYPES(X)
#undef X
        SCM_FT_COUNT_ /* not a type: C89 allows no comma after the last enumerator */
} scm_field_type;

/* Field indices: the top-level members, then the auth element members (SCM__AUTH_*). */
enum {
#define X(m, key, type) SCM__FIELD_##m,
    SCM_FROZEN_FIELDS(X)
#undef X
        SCM__FROZEN_TOP_COUNT
};
enum {
    SCM__AUTH_BEFORE_ = SCM__FROZEN_TOP_COUNT - 1,
#define X(m, key, type) SCM__AUTH_##m,
    SCM_FROZEN_AUTH_FIELDS(X)
#undef X
        SCM__FROZEN_END_
};
#define SCM__FROZEN_COUNT ((size_t)SCM__FROZEN_END_)

/* Prefix of auth element members in field names: "auth[].method". */
#define SCM_FROZEN_AUTH_ARRAY "auth"
#define SCM_FROZEN_AUTH_PREFIX SCM_FROZEN_AUTH_ARRAY "[]."

typedef struct scm_frozen_field {
    const char *name; /* in reports, audits and the table: "cert_id", "auth[].method" */
    const char *key;  /* JSON key in its object: "DNS_push_status", "method" */
    int in_auth;      /* a member of each auth element */
    scm_field_type type;
    size_t offset; /* in scm_cert_details, or in scm_auth when in_auth */
} scm_frozen_field;

/* The fields in legacy order, SCM__FROZEN_COUNT of them (frozen.c). */
extern const scm_frozen_field scm__frozen[];

/* The field named name ("auth[].method"), or NULL. */
const scm_frozen_field *scm__frozen_find(const char *name);

/* A field's index in scm__frozen: its row in every report. */
#define SCM__FROZEN_INDEX(f) ((size_t)((f)-scm__frozen))

#endif
