// Registry: plugins found at run time; broken libraries reported, not fatal.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>

#include "build_paths.hpp"
#include "kooplab/application.hpp"
#include "kooplab/registry.hpp"
#include "support.hpp"

namespace {

std::string reason_for(const kooplab::Registry& registry, const std::string& file_name) {
  for (const auto& problem : registry.problems())
    if (problem.file.filename() == file_name) return problem.reason;
  return "";
}

}  // namespace

TEST_CASE("broken, symbol-less and wrong-ABI libraries are reported and the good one still loads") {
  const kooplab::Registry registry({kooplab::testing::test_plugin_dir()});
  CHECK(reason_for(registry, "libkooplab_test_broken.so").starts_with("cannot load library:"));
  CHECK(reason_for(registry, "libkooplab_test_no_symbol.so") ==
        "no 'kooplab_plugin' symbol: not built with KOOPLAB_PLUGIN");
  CHECK(reason_for(registry, "libkooplab_test_wrong_abi.so") ==
        "ABI version " + std::to_string(kooplab::abi_version + 1) + " but this kooplab has ABI version " +
            std::to_string(kooplab::abi_version) + "; rebuild the plugin");
  CHECK(reason_for(registry, "libkooplab_test_null_kind.so") ==
        "its descriptor lacks a kind, name, description or factory: not built with KOOPLAB_PLUGIN");
  CHECK(registry.problems().size() == 4);
  REQUIRE(registry.names("application") == std::vector<std::string>{"test_null_object", "test_probe"});
  const auto probe = registry.create<kooplab::Application>(kooplab::Config::parse("name: test_probe\n", "t.yaml"));
  CHECK(probe->identity() == "application 'test_probe'");
  // A factory that returns nothing is an error naming the library, not a crash.
  const std::string error = kooplab::testing::error_of<kooplab::PluginError>(
      [&] { registry.create<kooplab::Application>(kooplab::Config::parse("name: test_null_object\n", "t.yaml")); });
  CHECK(error.ends_with(
      "libkooplab_test_null_object.so: the factory of application 'test_null_object' returned no object"));
}

TEST_CASE("the build's plugins are all found with kind, name, description and file") {
  const auto& registry = kooplab::testing::plugins();
  for (const auto& [kind, name] : std::vector<std::pair<std::string, std::string>>{{"dataset", "linear_system"},
                                                                                   {"dataset", "csv"},
                                                                                   {"observable", "identity"},
                                                                                   {"estimator", "dmd"},
                                                                                   {"application", "spectrum"}}) {
    const auto all = registry.plugins();
    const auto found =
        std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.kind == kind && p.name == name; });
    REQUIRE(found != all.end());
    CHECK(!found->description.empty());
    CHECK(std::filesystem::exists(found->file));
  }
}

TEST_CASE("every plugin declares each of its keys once") {
  // Two options of the same name (say an estimator's own `tolerance` beside its
  // rank rule's) would read one value for both and show two rows. A key of one
  // variant of a section (an optimizer's `eps`, documented "adam: ...") is
  // declared once per variant.
  for (const auto& plugin : kooplab::testing::plugins().plugins()) {
    CAPTURE(plugin.name);
    std::set<std::string> keys;
    for (const auto& option : plugin.options) {
      if (option.type == "rule") continue;
      const std::size_t colon = option.doc.find(": ");
      const bool variant = colon != std::string::npos && option.doc.find(' ') > colon;
      const std::string key = option.key + (variant ? " of " + option.doc.substr(0, colon) : "");
      CHECK_MESSAGE(keys.insert(key).second, "key declared twice: " << key);
    }
  }
}

TEST_CASE("a plugin found twice is used from the first folder and the second is reported") {
  const kooplab::Registry registry({kooplab::testing::test_plugin_dir(), kooplab::testing::test_plugin_dir()});
  CHECK(registry.names("application").size() == 2);
  CHECK(reason_for(registry, "libkooplab_test_probe.so").find("already provided by") != std::string::npos);
}

TEST_CASE("a missing plugin folder is reported") {
  const kooplab::Registry registry({"/nonexistent/kooplab/plugins"});
  REQUIRE(registry.problems().size() == 1);
  CHECK(registry.problems().front().reason == "plugin folder does not exist");
}

TEST_CASE(
    "default folders: the shipped plugins, KOOPLAB_PLUGIN_PATH, the extra ones; named ones missing are reported") {
  ::setenv("KOOPLAB_PLUGIN_PATH", "/missing/a::/missing/b", 1);
  const auto folders = kooplab::Registry::default_folders({"/missing/c"});
  ::unsetenv("KOOPLAB_PLUGIN_PATH");
  REQUIRE(folders.size() == 4);
  CHECK(folders[0] == kooplab::testing::plugins().plugins().front().file.parent_path());
  CHECK(std::vector(folders.begin() + 1, folders.end()) ==
        std::vector<std::filesystem::path>{"/missing/a", "/missing/b", "/missing/c"});
  CHECK(kooplab::Registry(folders).problems().size() == 3);
}
