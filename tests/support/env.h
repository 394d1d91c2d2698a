/*
 * env.h - the environment as a test found it: saved before each test and put back after it,
 * so that no variable a test sets or unsets reaches the next one (integration tests share one
 * process: CK_FORK=no).
 */
#ifndef SCM_TEST_ENV_H
#define SCM_TEST_ENV_H

/* Saves a copy of the whole environment (replacing an earlier copy). */
void tu_env_save(void);
/* Makes the environment the saved copy again: unsets what was added, resets what changed. */
void tu_env_restore(void);

/* Unsets every variable the library reads: HUAWEICLOUD_SDK_* and SCM_SHIM_*. */
void tu_env_clear_config(void);

#endif
