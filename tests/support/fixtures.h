/*
 * fixtures.h - the fixture pairs under tests/data/certs: how many there are comes from the
 * directory, never from a number written into a test.
 */
#ifndef SCM_TEST_FIXTURES_H
#define SCM_TEST_FIXTURES_H

#include <stddef.h>

/*
 * The number of fixture directories under dir (names without a '.') that hold both
 * legacy.json and v3.json; *dirs (when not NULL) gets the number of fixture directories,
 * so a caller can require every one to be a pair. 0 when dir cannot be read.
 */
size_t tu_fixture_pairs(const char *dir, size_t *dirs);

#endif
