# kooplab_add_plugin(<target> SOURCES <files...> [LIBRARIES <libs...>])
# Builds one runtime-loadable plugin library into the folder the registry scans.
function(kooplab_add_plugin target)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE kooplab::framework ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY "${KOOPLAB_PLUGIN_DIR}")
  add_dependencies(kooplab_plugins ${target})
endfunction()
