# find_package(kooplab): the kooplab::framework target and kooplab_add_plugin().
include(CMakeFindDependencyMacro)
# The packages the framework's public headers and link interface use.
find_dependency(Armadillo)
find_dependency(yaml-cpp)
find_dependency(Boost 1.74 COMPONENTS filesystem)
find_dependency(fmt)
find_dependency(nlohmann_json 3.10)
include("${CMAKE_CURRENT_LIST_DIR}/KooplabArmadillo.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/kooplabTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/KooplabPlugin.cmake")
