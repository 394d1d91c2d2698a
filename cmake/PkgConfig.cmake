# PkgConfig.cmake - installs scmshim.pc (component dev) naming the prefix the install is made to,
# so `cmake --install --prefix X` gives a .pc pointing at X and a package staged with DESTDIR one
# pointing at /usr. Included by shim/CMakeLists.txt; the .pc's other values are the build's.
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(SCM_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(SCM_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
# Left for the install step, which alone knows the prefix.
set(SCM_PC_PREFIX "@SCM_PC_PREFIX@")
set(scm_pc_template ${CMAKE_CURRENT_BINARY_DIR}/scmshim.pc.in)
configure_file(${PROJECT_SOURCE_DIR}/cmake/scmshim.pc.in ${scm_pc_template} @ONLY)
# Written straight to its destination, not through a file in the build tree that two installs to
# different prefixes running at once would share.
install(CODE "
  set(SCM_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(scm_pc_dir \"${CMAKE_INSTALL_LIBDIR}/pkgconfig\")
  if(NOT IS_ABSOLUTE \"\${scm_pc_dir}\")
    set(scm_pc_dir \"\${CMAKE_INSTALL_PREFIX}/\${scm_pc_dir}\")
  endif()
  set(scm_pc \"\$ENV{DESTDIR}\${scm_pc_dir}/scmshim.pc\")
  message(STATUS \"Installing: \${scm_pc}\")
  configure_file(\"${scm_pc_template}\" \"\${scm_pc}\" @ONLY)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${scm_pc}\")"
  COMPONENT dev)
