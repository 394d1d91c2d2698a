/*
 * export.h - marks the public entry points in the source. What libscmclient.so.1 exports is
 * decided by shim/symbols.txt alone (the version script generated from it hides the rest).
 */
#ifndef SCM_SHIM_EXPORT_H
#define SCM_SHIM_EXPORT_H

#define SCM_EXPORT __attribute__((visibility("default")))

#endif
