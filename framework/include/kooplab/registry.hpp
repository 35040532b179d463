#pragma once
// Finds plugin libraries at run time and creates plugin objects by kind and name.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"
#include "kooplab/plugin.hpp"

namespace boost::dll {
class shared_library;
}

namespace kooplab {

struct PluginInfo {
  std::string kind;
  std::string name;
  std::string description;
  std::filesystem::path file;
  std::vector<OptionDoc> options;  // the keys of its section, when it declares them
};

// A library that was found but could not be used, and why.
struct LoadProblem {
  std::filesystem::path file;
  std::string reason;
};

class Registry {
 public:
  // Scans each folder (non-recursively) for shared libraries, in order: the
  // first plugin of a given kind and name wins; later ones are reported.
  explicit Registry(const std::vector<std::filesystem::path>& folders);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The plugins shipped with this kooplab (lib/kooplab/plugins beside an
  // installed libkooplab, else the build's plugin folder) if that folder
  // exists, the folders in KOOPLAB_PLUGIN_PATH, then `extra`.
  static std::vector<std::filesystem::path> default_folders(const std::vector<std::filesystem::path>& extra = {});

  std::vector<PluginInfo> plugins() const;
  const std::vector<LoadProblem>& problems() const { return problems_; }
  std::vector<std::string> names(const std::string& kind) const;

  // Creates the plugin named by `section.name`, of the kind of T, then checks
  // that it read every key of its section. The object keeps its library loaded.
  template <class T>
  std::shared_ptr<T> create(const Config& section) const {
    std::shared_ptr<Plugin> object = create(T::kind, section);
    auto typed = std::dynamic_pointer_cast<T>(object);
    if (!typed) section.fail("name", "plugin is not a " + std::string(T::kind));
    return typed;
  }
  std::shared_ptr<Plugin> create(const std::string& kind, const Config& section) const;

 private:
  struct Entry {
    PluginDescriptor descriptor;
    std::filesystem::path file;
    std::shared_ptr<boost::dll::shared_library> library;
  };
  void load(const std::filesystem::path& file);

  std::map<std::pair<std::string, std::string>, Entry> entries_;
  std::vector<LoadProblem> problems_;
};

// The kinds a plugin can be, in the order the runner builds them.
const std::vector<std::string>& plugin_kinds();

}  // namespace kooplab
