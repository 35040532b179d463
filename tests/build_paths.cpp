#include "build_paths.hpp"

namespace kooplab::testing {

std::filesystem::path kooplab_executable() { return KOOPLAB_EXECUTABLE; }
std::filesystem::path source_dir() { return KOOPLAB_SOURCE_DIR; }
std::filesystem::path test_plugin_dir() { return KOOPLAB_TEST_PLUGIN_DIR; }

}  // namespace kooplab::testing
