# `cmake --install`: libkooplab, its headers, the kooplab executable and the
# package files behind find_package(kooplab). The shipped plugins install
# themselves (KooplabPlugin.cmake).
include(CMakePackageConfigHelpers)

install(TARGETS kooplab_framework EXPORT kooplabTargets LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(TARGETS kooplab RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
# The runner's headers stay behind: its library is part of the executable only.
install(DIRECTORY "${CMAKE_SOURCE_DIR}/framework/include/kooplab" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  PATTERN runner EXCLUDE)
include("${CMAKE_CURRENT_LIST_DIR}/KooplabCompatHeaders.cmake")

set(kooplab_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/kooplab")
install(EXPORT kooplabTargets NAMESPACE kooplab:: DESTINATION "${kooplab_cmake_dir}")
# The plugin ABI changes between minor versions, so only patch releases are compatible.
write_basic_package_version_file("${CMAKE_BINARY_DIR}/kooplabConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
install(FILES
  "${CMAKE_SOURCE_DIR}/cmake/kooplabConfig.cmake"
  "${CMAKE_BINARY_DIR}/kooplabConfigVersion.cmake"
  "${CMAKE_SOURCE_DIR}/cmake/KooplabArmadillo.cmake"
  "${CMAKE_SOURCE_DIR}/cmake/KooplabPlugin.cmake"
  DESTINATION "${kooplab_cmake_dir}")
