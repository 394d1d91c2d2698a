# Version.cmake - project(VERSION) is the one version number: the library's VERSION, scmshim.pc,
# the CMake package version file, CPack and the man pages read PROJECT_VERSION. What C code sees
# without CMake, scm_shim.h's SCM_SHIM_VERSION_* (scm_shim_version() prints them), and the SONAME
# must agree with it: configuring stops when they do not.
file(STRINGS ${PROJECT_SOURCE_DIR}/include/scm_shim.h scm_version_lines
  REGEX "^#define SCM_SHIM_VERSION_(MAJOR|MINOR|PATCH) ")
foreach(part MAJOR MINOR PATCH)
  set(scm_header_${part} "")
  foreach(line IN LISTS scm_version_lines)
    if(line MATCHES "^#define SCM_SHIM_VERSION_${part} +([0-9]+)$")
      set(scm_header_${part} ${CMAKE_MATCH_1})
    endif()
  endforeach()
  if(NOT scm_header_${part} STREQUAL PROJECT_VERSION_${part})
    message(FATAL_ERROR "include/scm_shim.h: SCM_SHIM_VERSION_${part} is '${scm_header_${part}}', "
      "project(VERSION) says ${PROJECT_VERSION_${part}}")
  endif()
endforeach()
get_target_property(scm_lib_version scmclient VERSION)
get_target_property(scm_lib_soversion scmclient SOVERSION)
if(NOT scm_lib_version STREQUAL PROJECT_VERSION OR NOT scm_lib_soversion STREQUAL PROJECT_VERSION_MAJOR)
  message(FATAL_ERROR "libscmclient's VERSION ${scm_lib_version} and SOVERSION ${scm_lib_soversion} "
    "must be project(VERSION) ${PROJECT_VERSION} and its major number")
endif()
