/* mapdiff.h - `scm-shim mapping --diff FILE`: a table file against the built-in table. */
#ifndef SCM_SHIM_MAPDIFF_H
#define SCM_SHIM_MAPDIFF_H

/*
 * Loads path with the loader's checks and prints, per legacy field, what
 * differs from the built-in table (sources, rule, class, value pairs,
 * description). CLI_OK, or CLI_USAGE when the file does not load (said).
 */
int mapping_diff(const char *path);

#endif
