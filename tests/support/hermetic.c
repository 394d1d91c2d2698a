/*
 * hermetic.c - one checked fixture per test: environment and emulator children; see
 * hermetic.h.
 * owns: the order of the two (emulators stop before the environment they saw is put back);
 * must not: start anything itself.
 */
#include "hermetic.h"

#include "emu.h"
#include "env.h"

static void before_test(void)
{
    tu_env_save();
    emu_test_begin();
}

static void after_test(void)
{
    emu_test_end();
    tu_env_restore();
}

void emu_hermetic(TCase *tc)
{
    tcase_add_checked_fixture(tc, before_test, after_test);
}
