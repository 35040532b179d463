#pragma once
// Helpers shared by the test suites.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"
#include "kooplab/registry.hpp"

namespace kooplab::testing {

// The registry of the build's real plugins, loaded once per test executable.
inline const Registry& plugins() {
  static const Registry registry(Registry::default_folders());
  return registry;
}

// Creates the plugin described by a YAML section, e.g. "name: dmd\nrank: 3".
template <class T>
std::shared_ptr<T> make(const std::string& yaml) {
  const Config config = Config::parse(yaml, "test.yaml");
  return plugins().create<T>(config);
}

// The message of the exception of type E that `action` throws; "" when it throws none.
template <class E = Error>
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const E& error) {
    return error.what();
  }
  return "";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A fresh empty folder under the system's temporary folder.
inline std::filesystem::path temporary_folder(const std::string& name) {
  const auto folder = std::filesystem::temp_directory_path() / ("kooplab-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

// Runs a shell command, returning its exit status.
inline int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace kooplab::testing
