// The framework's folders are its layers, and includes point down only:
// plugins and numerical folders never reach into the runner or the report
// layer above it, the runner never into the report layer, and the plugin SDK
// (kooplab/*.hpp) needs nothing but itself and util/.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "build_paths.hpp"

namespace {

const std::filesystem::path source_dir = kooplab::testing::source_dir();

// The layer a framework file belongs to: "sdk" for the top-level headers and
// sources, else the name of its subfolder (runner, koopman, nn, ...).
std::string layer_of(const std::filesystem::path& relative) {
  return std::distance(relative.begin(), relative.end()) == 1 ? "sdk" : relative.begin()->string();
}

// The kooplab layers a file includes: "kooplab/koopman/edmd.hpp" -> "koopman".
std::vector<std::string> included_layers(const std::filesystem::path& file) {
  static const std::regex include(R"re(^\s*#\s*include\s*"kooplab/([^"]+)")re");
  std::vector<std::string> layers;
  std::ifstream in(file);
  std::smatch match;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, match, include)) layers.push_back(layer_of(match[1].str()));
  return layers;
}

struct Violation {
  std::string file, layer;
};

// Every include from a file under `root` into a layer that `allowed` refuses.
template <class Allowed>
std::vector<Violation> violations(const std::filesystem::path& root, Allowed allowed) {
  std::vector<Violation> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto extension = entry.path().extension();
    if (extension != ".hpp" && extension != ".cpp") continue;
    const std::string from = layer_of(std::filesystem::relative(entry.path(), root));
    for (const std::string& to : included_layers(entry.path()))
      if (!allowed(from, to)) found.push_back({std::filesystem::relative(entry.path(), source_dir).string(), to});
  }
  return found;
}

void check_none(const std::vector<Violation>& found) {
  for (const Violation& v : found) MESSAGE(v.file << " includes kooplab/" << v.layer << "/");
  CHECK(found.empty());
}

}  // namespace

TEST_CASE("framework layers include only the SDK, util/ and layers below them, never runner/ or report/") {
  const auto allowed = [](const std::string& from, const std::string& to) {
    if (to == from || to == "util") return true;
    if (from == "util") return to == "sdk";
    if (from == "sdk") return false;
    if (to == "report") return false;  // the top layer: only the executable and the tests use it
    if (to == "runner") return from == "report";
    return true;  // numerical folders may use the SDK and each other
  };
  check_none(violations(source_dir / "framework/include/kooplab", allowed));
  check_none(violations(source_dir / "framework/src", allowed));
}

TEST_CASE("plugins never include the runner or the report layer") {
  check_none(violations(source_dir / "plugins",
                        [](const std::string&, const std::string& to) { return to != "runner" && to != "report"; }));
}

TEST_CASE("the layer check sees includes") {
  // Guards the checker itself: a file of the runner does include the runner.
  const auto found = violations(source_dir / "framework/src/runner",
                                [](const std::string&, const std::string& to) { return to != "runner"; });
  CHECK(!found.empty());
}
