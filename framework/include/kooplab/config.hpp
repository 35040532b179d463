#pragma once
// Typed, path-aware access to a YAML experiment configuration.
//
// A Config is a view of one node of a parsed document: it knows the file the
// document came from and the dotted key path of the node, so every error can
// name file:line:column, the key and what was expected. Every key a reader asks
// for is recorded; check_all_keys_used() then reports keys nobody asked for as
// unknown, with a "did you mean" suggestion drawn from the keys that were asked for.
#include <yaml-cpp/yaml.h>

#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kooplab {

class Config {
 public:
  // Parses YAML text; `source` names it in error messages (usually the file path).
  static Config parse(const std::string& text, const std::string& source);
  static Config load_file(const std::filesystem::path& file);

  // Typed reads. Supported T: bool, int, std::int64_t, std::uint64_t, double,
  // std::string, std::vector<int>, std::vector<double>, std::vector<std::string>,
  // arma::vec, arma::mat (a list of rows).
  template <class T>
  T get(std::string_view key) const;
  template <class T>
  T get_or(std::string_view key, const T& fallback) const {
    return has(key) ? get<T>(key) : fallback;
  }

  // True when the key is present and not null. Counts as asking for the key.
  bool has(std::string_view key) const;
  // True when the key is present and holds a scalar equal to `word` (e.g. "auto").
  bool is_word(std::string_view key, std::string_view word) const;
  // True when the key holds a list (for keys that take a value or a list of them).
  bool is_list(std::string_view key) const;
  // The string form of a scalar, for keys that take a number or a word.
  std::string scalar(std::string_view key) const;

  // Sub-sections. child() requires a map; items() reads a list of maps.
  Config child(std::string_view key) const;
  // The section of a plugin nested in this one: a map, or a plain word that
  // names the plugin (`inner: dmd` stands for `inner: {name: dmd}`).
  Config plugin_section(std::string_view key) const;
  std::vector<Config> items(std::string_view key) const;
  std::vector<std::string> keys() const;

  // Where this node sits: "file.yaml:12:3" (or the source name alone for
  // values set on the command line) and its dotted path ("estimator.rank").
  std::string location() const;
  std::string location_of(std::string_view key) const;
  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const;
  const std::string& source() const;
  // The folder relative paths in this config are resolved against.
  std::filesystem::path base_dir() const;
  std::filesystem::path resolve_path(std::string_view key) const;

  // Throws ConfigError "<location>: <key path>: <message>".
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  [[noreturn]] void fail(const std::string& message) const;

  // Throws ConfigError for the first key in this subtree that no reader asked
  // for, naming the closest known key when one is near.
  void check_all_keys_used() const;

  // Sets a dotted key (creating maps on the way) to a YAML value given as text.
  void set(const std::string& dotted_key, const std::string& yaml_value);
  // Removes a top-level key if present.
  void erase(std::string_view key);

  std::string dump() const;
  const YAML::Node& node() const { return node_; }

 private:
  struct Shared {
    std::string source;
    std::set<std::string> asked;
    std::set<std::string> overridden;  // dotted keys set through set()
  };
  Config(YAML::Node node, std::string path, std::shared_ptr<Shared> shared);
  YAML::Node lookup(std::string_view key) const;
  void remember(std::string_view key) const;
  std::string where(const YAML::Node& node, const std::string& full_path) const;
  void check_subtree(const YAML::Node& node, const std::string& path) const;

  YAML::Node node_;
  std::string path_;
  std::shared_ptr<Shared> shared_;
};

// The supported types of Config::get, defined in config.cpp.
template <>
bool Config::get<bool>(std::string_view) const;
template <>
int Config::get<int>(std::string_view) const;
template <>
std::int64_t Config::get<std::int64_t>(std::string_view) const;
template <>
std::uint64_t Config::get<std::uint64_t>(std::string_view) const;
template <>
double Config::get<double>(std::string_view) const;
template <>
std::string Config::get<std::string>(std::string_view) const;
template <>
std::vector<int> Config::get<std::vector<int>>(std::string_view) const;
template <>
std::vector<double> Config::get<std::vector<double>>(std::string_view) const;
template <>
std::vector<std::string> Config::get<std::vector<std::string>>(std::string_view) const;
template <>
arma::vec Config::get<arma::vec>(std::string_view) const;
template <>
arma::mat Config::get<arma::mat>(std::string_view) const;

// Splits "a.b.c" into its parts; rejects empty parts.
std::vector<std::string> split_dotted(const std::string& dotted);

}  // namespace kooplab
