#pragma once
// Where this build's pieces are. Defined in build_paths.cpp, the one test file
// compiled with the paths, so the suites themselves compile the same in any
// checkout and the compiler cache serves them across checkouts.
#include <filesystem>

namespace kooplab::testing {

std::filesystem::path kooplab_executable();  // the built `kooplab`
std::filesystem::path source_dir();          // the checkout's top folder
std::filesystem::path test_plugin_dir();     // the test-only plugins

}  // namespace kooplab::testing
