#include "kooplab/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>

#include "kooplab/error.hpp"
#include "kooplab/util/text.hpp"

#ifndef KOOPLAB_PLUGIN_DIR
#error "KOOPLAB_PLUGIN_DIR must name the build's plugin folder"
#endif

namespace kooplab {

Plugin::~Plugin() = default;

const std::vector<std::string>& plugin_kinds() {
  static const std::vector<std::string> kinds{"dataset", "network", "observable", "estimator", "application"};
  return kinds;
}

Registry::Registry(const std::vector<std::filesystem::path>& folders) {
  for (const auto& folder : folders) {
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error)) {
      problems_.push_back({folder, "plugin folder does not exist"});
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(folder))
      if (item.is_regular_file() && item.path().extension() == boost::dll::shared_library::suffix().string())
        files.push_back(item.path());
    std::sort(files.begin(), files.end());  // deterministic precedence
    for (const auto& file : files) load(file);
  }
}

Registry::~Registry() = default;

void Registry::load(const std::filesystem::path& file) {
  auto library = std::make_shared<boost::dll::shared_library>();
  try {
    library->load(boost::dll::fs::path(file.string()),
                  boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    problems_.push_back({file, fmt::format("cannot load library: {}", e.what())});
    return;
  }
  if (!library->has("kooplab_plugin")) {
    problems_.push_back({file, "no 'kooplab_plugin' symbol: not built with KOOPLAB_PLUGIN"});
    return;
  }
  const PluginDescriptor& descriptor = library->get_alias<const PluginDescriptor>("kooplab_plugin");
  if (descriptor.abi_version != abi_version) {
    problems_.push_back({file, fmt::format("ABI version {} but this kooplab has ABI version {}; rebuild the plugin",
                                           descriptor.abi_version, abi_version)});
    return;
  }
  if (!descriptor.kind || !descriptor.name || !descriptor.description || !descriptor.create) {
    problems_.push_back(
        {file, "its descriptor lacks a kind, name, description or factory: not built with KOOPLAB_PLUGIN"});
    return;
  }
  const std::string kind = descriptor.kind, name = descriptor.name;
  if (std::find(plugin_kinds().begin(), plugin_kinds().end(), kind) == plugin_kinds().end()) {
    problems_.push_back({file, fmt::format("unknown plugin kind '{}'", kind)});
    return;
  }
  const auto key = std::make_pair(kind, name);
  if (const auto existing = entries_.find(key); existing != entries_.end()) {
    problems_.push_back(
        {file, fmt::format("{} '{}' is already provided by {}", kind, name, existing->second.file.string())});
    return;
  }
  entries_.emplace(key, Entry{descriptor, file, std::move(library)});
}

namespace {

// The plugins that came with this library: an installed libkooplab has them in
// kooplab/plugins beside it; the one in its build tree uses the build's folder.
// Checking the folder, not comparing paths, keeps a moved installation working.
std::filesystem::path shipped_plugin_folder() {
  boost::dll::fs::error_code error;
  const auto library = boost::dll::this_line_location(error);
  if (!error) {
    const std::filesystem::path folder = library.parent_path().string();
    // Normalised: the loader names the library by its RPATH, e.g. bin/../lib.
    const auto installed = (folder / "kooplab" / "plugins").lexically_normal();
    std::error_code missing;
    if (std::filesystem::is_directory(installed, missing)) return installed;
  }
  return KOOPLAB_PLUGIN_DIR;
}

}  // namespace

std::vector<std::filesystem::path> Registry::default_folders(const std::vector<std::filesystem::path>& extra) {
  std::vector<std::filesystem::path> folders;
  // Only folders someone named are reported when missing; a build without
  // plugins, or an installation without them, is not a problem to report.
  std::error_code error;
  if (const auto shipped = shipped_plugin_folder(); std::filesystem::is_directory(shipped, error))
    folders.push_back(shipped);
  if (const char* env = std::getenv("KOOPLAB_PLUGIN_PATH")) {
    std::string list = env;
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t end = std::min(list.find(':', start), list.size());
      if (end > start) folders.emplace_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  folders.insert(folders.end(), extra.begin(), extra.end());
  return folders;
}

std::vector<PluginInfo> Registry::plugins() const {
  std::vector<PluginInfo> out;
  for (const auto& [key, entry] : entries_)
    out.push_back({key.first, key.second, entry.descriptor.description, entry.file,
                   entry.descriptor.options ? entry.descriptor.options() : std::vector<OptionDoc>{}});
  return out;
}

std::vector<std::string> Registry::names(const std::string& kind) const {
  std::vector<std::string> out;
  for (const auto& [key, entry] : entries_)
    if (key.first == kind) out.push_back(key.second);
  return out;
}

std::shared_ptr<Plugin> Registry::create(const std::string& kind, const Config& section) const {
  const std::string name = section.get<std::string>("name");
  const auto found = entries_.find({kind, name});
  if (found == entries_.end()) {
    const auto known = names(kind);
    std::string message = fmt::format("unknown {} plugin '{}'", kind, name);
    if (const auto near = closest_word(name, known)) message += fmt::format(" (did you mean '{}'?)", *near);
    message += known.empty() ? fmt::format("; no {} plugins were found", kind)
                             : fmt::format("; known {} plugins: {}", kind, join_words(known));
    section.fail("name", message);
  }
  const Entry& entry = found->second;
  std::unique_ptr<Plugin> object = entry.descriptor.create(section, *this);
  if (!object)
    throw PluginError(fmt::format("{}: the factory of {} '{}' returned no object", entry.file.string(), kind, name));
  object->identity_ = fmt::format("{} '{}'", kind, name);
  section.check_all_keys_used();
  // The deleter owns a reference to the library, so the code that destroys
  // the object stays mapped until after the object is gone.
  auto library = entry.library;
  return std::shared_ptr<Plugin>(object.release(), [library](Plugin* plugin) { delete plugin; });
}

}  // namespace kooplab
