/* export.h - marks the functions the shared library exports (all else is hidden). */
#ifndef SCM_SHIM_EXPORT_H
#define SCM_SHIM_EXPORT_H

#define SCM_EXPORT __attribute__((visibility("default")))

#endif
