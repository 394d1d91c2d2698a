/*
 * hermetic.h - what each test of a suite leaves behind: nothing. Around every test of a
 * TCase: the environment is saved and put back, and the emulators the test started are
 * stopped, also when it fails (CK_FORK=no runs every test in one process).
 */
#ifndef SCM_TEST_HERMETIC_H
#define SCM_TEST_HERMETIC_H

#include <check.h>

/* Adds the checked fixture doing that to tc; call it before the first tcase_add_test. */
void emu_hermetic(TCase *tc);

#endif
