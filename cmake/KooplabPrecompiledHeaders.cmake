# Precompiled headers. Armadillo alone takes about 4 s of CPU to parse, and
# nearly every file includes it through kooplab's headers; fmt and the
# standard library add more. They are precompiled once per kind of code
# (position-independent for libraries and plugins, -fPIE for executables: a
# precompiled header serves only the setting it was made with), and every C++
# target of the build reuses one (kooplab_precompile_all). Only third-party
# headers are in it, so editing a kooplab header never rebuilds it.
# Off: -DKOOPLAB_PRECOMPILED_HEADERS=OFF.
option(KOOPLAB_PRECOMPILED_HEADERS "Precompile Armadillo, fmt and standard headers once for every target" ON)

if(KOOPLAB_PRECOMPILED_HEADERS)
  # ccache caches a compilation that uses the precompiled header only when
  # told that its definitions and time macros may be trusted.
  if(CMAKE_CXX_COMPILER_LAUNCHER MATCHES "ccache")
    set(CMAKE_CXX_COMPILER_LAUNCHER env CCACHE_SLOPPINESS=pch_defines,time_macros ${CMAKE_CXX_COMPILER_LAUNCHER})
  endif()
  # GCC 12 checks the inline std::string code of a precompiled header as if
  # it were the including file's own and reports its known false positives
  # (-Warray-bounds, -Wrestrict, -Wstringop-overflow and -overread in string
  # copies); without the precompiled header these stay silent.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    add_compile_options(-Wno-array-bounds -Wno-restrict -Wno-stringop-overflow -Wno-stringop-overread)
    # At -O1 (the sanitizer build) it also reports a false -Wmaybe-uninitialized
    # inside std::regex's std::function: the option for the files using <regex>.
    set(KOOPLAB_REGEX_WARNINGS_OFF -Wno-maybe-uninitialized)
  endif()
  foreach(kind IN ITEMS library executable)
    add_library(kooplab_precompiled_${kind} OBJECT "${CMAKE_CURRENT_LIST_DIR}/precompiled.cpp")
    target_link_libraries(kooplab_precompiled_${kind} PRIVATE kooplab::armadillo fmt::fmt)
    target_precompile_headers(kooplab_precompiled_${kind} PRIVATE
      <armadillo> <fmt/format.h>
      <algorithm> <cmath> <complex> <cstdint> <filesystem> <functional> <map> <memory> <optional> <string> <vector>)
  endforeach()
  set_target_properties(kooplab_precompiled_executable PROPERTIES POSITION_INDEPENDENT_CODE OFF)
  target_compile_options(kooplab_precompiled_executable PRIVATE ${CMAKE_CXX_COMPILE_OPTIONS_PIE})
endif()

# Every C++ target defined in `directory` and below reuses the precompiled headers of its kind.
function(kooplab_precompile_all directory)
  if(NOT KOOPLAB_PRECOMPILED_HEADERS)
    return()
  endif()
  get_property(targets DIRECTORY "${directory}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(target MATCHES "^kooplab_precompiled_")
      continue()
    elseif(type STREQUAL "EXECUTABLE")
      target_precompile_headers(${target} REUSE_FROM kooplab_precompiled_executable)
    elseif(type MATCHES "^(SHARED_LIBRARY|MODULE_LIBRARY|STATIC_LIBRARY|OBJECT_LIBRARY)$")
      target_precompile_headers(${target} REUSE_FROM kooplab_precompiled_library)
    endif()
  endforeach()
  get_property(subdirectories DIRECTORY "${directory}" PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    kooplab_precompile_all("${subdirectory}")
  endforeach()
endfunction()
