# Packaging.cmake - the install components and `cpack -G DEB`'s three packages:
#   lib  libscmclient1     the shared library and its SONAME link
#   dev  libscmclient-dev  headers, the .so link, scmshim.pc, the CMake package, libscmclient(3)
#   cli  scm-shim          the command, scm-shim(1), its bash completion (if installed)
# Every install() rule names one of these components. Version, names and dependencies come
# from project() and the targets, so tools/package.sh only configures and runs cpack.

set(SCM_PACKAGE_MAINTAINER "scmshim maintainers <dev@scmshim.invalid>"
  CACHE STRING "Maintainer field of the Debian packages")

get_target_property(scm_soversion scmclient SOVERSION)
set(scm_lib_package libscmclient${scm_soversion})
set(scm_dev_package libscmclient-dev)
set(scm_cli_package scm-shim)

# Each package carries the licence as Debian's machine-readable copyright file.
set(SCM_COPYRIGHT ${PROJECT_BINARY_DIR}/copyright)
file(WRITE ${SCM_COPYRIGHT}.tmp
  "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
  "Upstream-Name: scmshim\n\n"
  "Files: *\nCopyright: scmshim contributors\nLicense: Apache-2.0\n\n"
  "License: Apache-2.0\n"
  " Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use\n"
  " this software except in compliance with the License.\n .\n"
  " On Debian systems, the complete text of the Apache License 2.0 can be found in\n"
  " /usr/share/common-licenses/Apache-2.0; it is also the LICENSE file of the source.\n")
configure_file(${SCM_COPYRIGHT}.tmp ${SCM_COPYRIGHT} COPYONLY)
foreach(component lib dev cli)
  install(FILES ${SCM_COPYRIGHT}
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${scm_${component}_package} COMPONENT ${component})
endforeach()

set(CPACK_PACKAGE_NAME scmshim)
set(CPACK_PACKAGE_VENDOR "scmshim")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${SCM_PACKAGE_MAINTAINER})
# CPack's own default summary, which CPackDeb does not put before each component's description:
# the first line of each description below is its package's synopsis.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
# Installs with DESTDIR and the real prefix, so scmshim.pc names /usr, not the staging dir.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL lib dev cli)
set(CPACK_COMPONENTS_GROUPING IGNORE)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${SCM_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The runtime libraries' packages (libcurl4, libssl3, libcjson1, libsqlite3-0, libc6) from what the
# binaries link, by dpkg-shlibdeps; libscmclient.so.1 itself is found in the build tree.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/shim)
set(scm_exact "(= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${scm_lib_package})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
# A shlibs file (only lib has a shared object), so packages built against the library depend on this version or later.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_COMPONENT_LIB_DESCRIPTION "SCM certificate client library: the legacy interface served by the v3 API
libscmclient.so.1 serves programs written against the legacy 'query certificate details' C
interface of Huawei Cloud's SSL Certificate Manager (SCM), unchanged, from the v3 API: a mapping
table rebuilds the legacy layout and reports every field v3 cannot supply.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME ${scm_dev_package})
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The public headers include only the C library's <stddef.h> and <time.h>.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${scm_lib_package} ${scm_exact}")
set(CPACK_COMPONENT_DEV_DESCRIPTION "SCM certificate client library: development files
Headers (the frozen scm_client.h and scm_shim.h), the libscmclient.so link, scmshim.pc, the
CMake package scmshim and the libscmclient(3) man page.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME ${scm_cli_package})
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "${scm_lib_package} ${scm_exact}")
set(CPACK_COMPONENT_CLI_DESCRIPTION "SCM certificate queries, conversion and audits through libscmclient
scm-shim queries certificates through the shipped libscmclient.so.1, converts v3 bodies offline,
prints the mapping table, audits both backends field by field, keeps what only the legacy API
knows in a capture store and diagnoses a configuration (doctor).")

include(CPack)
cpack_add_component(lib DISPLAY_NAME "libscmclient1")
cpack_add_component(dev DISPLAY_NAME "libscmclient-dev" DEPENDS lib)
cpack_add_component(cli DISPLAY_NAME "scm-shim" DEPENDS lib)
