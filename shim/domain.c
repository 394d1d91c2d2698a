/*
 * domain.c - scm_shim_client_set_domain_id: global credentials for a client
 * made from the frozen scm_config, which has no member for a domain ID.
 * owns: the client's domain ID after creation; must not: touch any other
 * setting or a query in progress (the scope header is request.c's rule).
 */
#include "client.h"
#include "export.h"
#include "scm_shim.h"

#include <stdlib.h>
#include <string.h>

SCM_EXPORT int scm_shim_client_set_domain_id(scm_client *client, const char *domain_id)
{
    char *copy = NULL;

    if (client == NULL)
        return SCM_E_INVALID_PARAM;
    if (domain_id != NULL && domain_id[0] != '\0') {
        if (!scm__valid_id(domain_id))
            return scm__fail(&client->err, SCM__ERR_INVALID_PARAM,
                             "domain_id must be 1-64 characters of A-Z a-z 0-9 _ -");
        if ((copy = strdup(domain_id)) == NULL)
            return scm__fail(&client->err, SCM__ERR_NOMEM, NULL);
    }
    free(client->cfg.domain_id);
    client->cfg.domain_id = copy;
    scm__error_clear(&client->err);
    return SCM_OK;
}
