# kooplab_add_plugin(<target> SOURCES <files...> [LIBRARIES <libs...>])
# Builds one runtime-loadable plugin library into KOOPLAB_PLUGIN_DIR. In the
# kooplab tree that is the folder the registry scans, and the plugin is shipped
# (installed into lib/kooplab/plugins); against an installed kooplab
# (find_package) it defaults to ${CMAKE_BINARY_DIR}/plugins, a folder to name
# in KOOPLAB_PLUGIN_PATH or a config's plugin_path.
function(kooplab_add_plugin target)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT KOOPLAB_PLUGIN_DIR)
    set(KOOPLAB_PLUGIN_DIR "${CMAKE_BINARY_DIR}/plugins")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE kooplab::framework ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY "${KOOPLAB_PLUGIN_DIR}")
  if(TARGET kooplab_plugins)
    add_dependencies(kooplab_plugins ${target})
    # Installed plugins sit in <libdir>/kooplab/plugins, two levels below libkooplab.
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
    install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/kooplab/plugins")
  endif()
endfunction()
