/*
 * layout_test.c - our scm_client.h has the frozen header's layout, member by member.
 * owns: comparing the two expansions; must not: list members itself (layout.h, frozen.h).
 */
#include "layout.h"

#include <stdio.h>
#include <string.h>

extern const struct layout_entry layout_frozen[];
extern const struct layout_entry layout_ours[];

int main(void)
{
    size_t i, failures = 0;
    for (i = 0; layout_frozen[i].name != NULL; i++) {
        if (layout_ours[i].name == NULL ||
            strcmp(layout_frozen[i].name, layout_ours[i].name) != 0 ||
            layout_frozen[i].value != layout_ours[i].value) {
            printf("DIFFER %s: frozen %lu, ours %lu\n", layout_frozen[i].name,
                   (unsigned long)layout_frozen[i].value, (unsigned long)layout_ours[i].value);
            failures++;
        }
    }
    printf("%lu passed, %lu failed\n", (unsigned long)(i - failures), (unsigned long)failures);
    return failures != 0;
}
