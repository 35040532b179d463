#include "kooplab/config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "kooplab/config_limits.hpp"
#include "kooplab/error.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", node.Scalar());
    default:
      return "an undefined value";
  }
}

std::string mark_text(const std::string& source, const YAML::Mark& mark) {
  if (mark.is_null()) return source;
  return fmt::format("{}:{}:{}", source, mark.line + 1, mark.column + 1);
}

template <class T>
T scalar_as(const YAML::Node& node, const char* expected, const Config& where, std::string_view key) {
  if (!node.IsScalar()) where.fail(key, fmt::format("expected {}, got {}", expected, kind_of(node)));
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    where.fail(key, fmt::format("expected {}, got {}", expected, kind_of(node)));
  }
}

template <class T>
std::vector<T> list_as(const YAML::Node& node, const char* expected, const Config& where, std::string_view key) {
  if (!node.IsSequence()) where.fail(key, fmt::format("expected a list of {}, got {}", expected, kind_of(node)));
  std::vector<T> out;
  out.reserve(node.size());
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    out.push_back(scalar_as<T>(item, expected, where, fmt::format("{}[{}]", key, i)));
  }
  return out;
}

// Walks the tree as its readers will, aliases followed: a few lines of YAML
// aliases can stand for a tree of billions of values, or for a cycle, which a
// walk without these limits would follow until memory or the stack ran out.
// Keys must be plain words, once per map (yaml-cpp keeps a duplicate key and
// a lookup would silently see only one of them).
void check_tree(const YAML::Node& node, const std::string& source, int depth, std::size_t& values) {
  if (++values > max_config_values)
    throw ConfigError(
        fmt::format("{}: the config expands to more than {} values (YAML aliases repeat what they "
                    "name); a config may hold at most {}",
                    mark_text(source, node.Mark()), max_config_values, max_config_values));
  if (depth > max_config_depth)
    throw ConfigError(
        fmt::format("{}: the config nests deeper than {} levels (a YAML alias inside the value it "
                    "names repeats it forever)",
                    mark_text(source, node.Mark()), max_config_depth));
  if (node.IsMap()) {
    std::set<std::string> keys;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar())
        throw ConfigError(fmt::format("{}: a key must be a plain word, got {}", mark_text(source, entry.first.Mark()),
                                      kind_of(entry.first)));
      if (!keys.insert(entry.first.Scalar()).second)
        throw ConfigError(fmt::format("{}: duplicate key '{}' in one map", mark_text(source, entry.first.Mark()),
                                      entry.first.Scalar()));
      check_tree(entry.second, source, depth + 1, values);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) check_tree(item, source, depth + 1, values);
  }
}

// One YAML document, within the limits of check_tree.
// Where the documents of a YAML stream begin (the mark of each one's root
// node), up to the second: yaml-cpp's LoadAll never ends on some broken
// streams (it keeps reporting empty documents), so only two are asked for.
class DocumentRoots : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override {
    marks.push_back(mark);
    awaiting_root_ = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { root_at(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { root_at(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    root_at(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root_at(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    root_at(mark);
  }
  void OnMapEnd() override {}

 private:
  void root_at(const YAML::Mark& mark) {
    if (awaiting_root_) marks.back() = mark;
    awaiting_root_ = false;
  }
  bool awaiting_root_ = false;
};

YAML::Node load_document(const std::string& text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentRoots roots;
    if (parser.HandleNextDocument(roots) && parser.HandleNextDocument(roots))
      throw ConfigError(fmt::format("{}: a second YAML document (after '---'); a config is one document",
                                    mark_text(source, roots.marks.back())));
  } catch (const YAML::ParserException& e) {
    throw ConfigError(fmt::format("{}:{}:{}: broken YAML: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  std::size_t values = 0;
  check_tree(root, source, 0, values);
  return root;
}

}  // namespace

std::vector<std::string> split_dotted(const std::string& dotted) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(dotted);
  while (std::getline(in, part, '.')) {
    if (part.empty()) throw ConfigError(fmt::format("'{}': empty part in dotted key", dotted));
    parts.push_back(part);
  }
  if (parts.empty()) throw ConfigError("empty key");
  return parts;
}

Config::Config(YAML::Node node, std::string path, std::shared_ptr<Shared> shared)
    : node_(std::move(node)), path_(std::move(path)), shared_(std::move(shared)) {}

Config Config::parse(const std::string& text, const std::string& source) {
  YAML::Node root = load_document(text, source);
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap())
    throw ConfigError(fmt::format("{}: expected a map of sections at the top, got {}", source, kind_of(root)));
  return Config(root, "", std::make_shared<Shared>(Shared{source, {}, {}}));
}

Config Config::load_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(fmt::format("{}: cannot open config file", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

std::string Config::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (!key.empty() && key.front() == '[') return path_ + std::string(key);
  return path_ + "." + std::string(key);
}

const std::string& Config::source() const { return shared_->source; }

std::filesystem::path Config::base_dir() const {
  const std::filesystem::path source_path(shared_->source);
  return source_path.has_parent_path() ? source_path.parent_path() : std::filesystem::path(".");
}

std::filesystem::path Config::resolve_path(std::string_view key) const {
  const std::filesystem::path value(get<std::string>(key));
  return value.is_absolute() ? value : base_dir() / value;
}

void Config::remember(std::string_view key) const { shared_->asked.insert(key_path(key)); }

YAML::Node Config::lookup(std::string_view key) const {
  remember(key);
  const YAML::Node& self = node_;  // const access never inserts keys
  if (!self.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node value = self[std::string(key)];
  // A missing key gives yaml-cpp's invalid node, whose IsMap() and the like
  // throw; a valid undefined node answers them.
  return value.IsDefined() ? value : YAML::Node(YAML::NodeType::Undefined);
}

bool Config::has(std::string_view key) const {
  const YAML::Node value = lookup(key);
  return value.IsDefined() && !value.IsNull();
}

bool Config::is_word(std::string_view key, std::string_view word) const {
  const YAML::Node value = lookup(key);
  return value.IsDefined() && value.IsScalar() && value.Scalar() == word;
}

bool Config::is_list(std::string_view key) const {
  const YAML::Node value = lookup(key);
  return value.IsDefined() && value.IsSequence();
}

std::string Config::scalar(std::string_view key) const { return get<std::string>(key); }

std::string Config::where(const YAML::Node& node, const std::string& full_path) const {
  // Values set by an override carry marks of their own one-line text, not of the file.
  for (const auto& overridden : shared_->overridden)
    if (full_path == overridden || full_path.starts_with(overridden + ".") || full_path.starts_with(overridden + "["))
      return shared_->source + " (set by an override or sweep)";
  return mark_text(shared_->source, node.Mark());
}

std::string Config::location() const { return where(node_, path_); }

std::string Config::location_of(std::string_view key) const {
  // Keys may carry list indices, "rows[1][0]": walk down as far as they exist.
  // A key written with a bracket in the file itself names its own value.
  const std::string text(key);
  const YAML::Node& self = node_;
  if (!self.IsMap()) return location();
  if (const YAML::Node literal = self[text]; literal.IsDefined()) return where(literal, key_path(key));
  const std::size_t bracket = text.find('[');
  YAML::Node value = self[text.substr(0, bracket)];
  if (!value.IsDefined()) return location();
  for (std::size_t open = bracket; open != std::string::npos; open = text.find('[', open + 1)) {
    std::size_t index = 0;
    const char* digits = text.data() + open + 1;
    const auto [end, error] = std::from_chars(digits, text.data() + text.size(), index);
    if (error != std::errc{} || *end != ']' || !value.IsSequence() || index >= value.size()) break;
    const YAML::Node item = value[index];
    value.reset(item);
  }
  return where(value, key_path(key));
}

void Config::fail(std::string_view key, const std::string& message) const {
  throw ConfigError(fmt::format("{}: {}: {}", location_of(key), key_path(key), message));
}

void Config::fail(const std::string& message) const {
  throw ConfigError(fmt::format("{}: {}: {}", location(), path_.empty() ? "<top>" : path_, message));
}

Config Config::child(std::string_view key) const {
  const YAML::Node value = lookup(key);
  if (!value.IsDefined() || value.IsNull()) fail(key, "missing section");
  if (!value.IsMap()) fail(key, fmt::format("expected a map, got {}", kind_of(value)));
  return Config(value, key_path(key), shared_);
}

Config Config::plugin_section(std::string_view key) const {
  const YAML::Node value = lookup(key);
  if (!value.IsDefined() || !value.IsScalar()) return child(key);
  YAML::Node section(YAML::NodeType::Map);
  section["name"] = value;  // the word itself, so messages about the name point at it
  return Config(section, key_path(key), shared_);
}

std::vector<Config> Config::items(std::string_view key) const {
  const YAML::Node value = lookup(key);
  if (!value.IsSequence()) fail(key, fmt::format("expected a list of maps, got {}", kind_of(value)));
  std::vector<Config> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_key = fmt::format("{}[{}]", key, i);
    remember(item_key);
    if (!value[i].IsMap()) fail(item_key, fmt::format("expected a map, got {}", kind_of(value[i])));
    out.push_back(Config(value[i], key_path(item_key), shared_));
  }
  return out;
}

std::vector<std::string> Config::keys() const {
  std::vector<std::string> out;
  if (node_.IsMap())
    for (const auto& entry : node_) out.push_back(entry.first.as<std::string>());
  return out;
}

template <>
std::string Config::get<std::string>(std::string_view key) const {
  const YAML::Node value = lookup(key);
  if (!value.IsDefined() || value.IsNull()) fail(key, "missing key (expected a string)");
  return scalar_as<std::string>(value, "a string", *this, key);
}

#define KOOPLAB_SCALAR_GETTER(T, expected)                                                      \
  template <>                                                                                   \
  T Config::get<T>(std::string_view key) const {                                                \
    const YAML::Node value = lookup(key);                                                       \
    if (!value.IsDefined() || value.IsNull()) fail(key, "missing key (expected " expected ")"); \
    return scalar_as<T>(value, expected, *this, key);                                           \
  }
KOOPLAB_SCALAR_GETTER(bool, "true or false")
KOOPLAB_SCALAR_GETTER(int, "an integer")
KOOPLAB_SCALAR_GETTER(std::int64_t, "an integer")
KOOPLAB_SCALAR_GETTER(std::uint64_t, "a non-negative integer")
KOOPLAB_SCALAR_GETTER(double, "a number")
#undef KOOPLAB_SCALAR_GETTER

template <>
std::vector<double> Config::get<std::vector<double>>(std::string_view key) const {
  return list_as<double>(lookup(key), "numbers", *this, key);
}
template <>
std::vector<int> Config::get<std::vector<int>>(std::string_view key) const {
  return list_as<int>(lookup(key), "integers", *this, key);
}
template <>
std::vector<std::string> Config::get<std::vector<std::string>>(std::string_view key) const {
  return list_as<std::string>(lookup(key), "strings", *this, key);
}
template <>
arma::vec Config::get<arma::vec>(std::string_view key) const {
  return arma::vec(get<std::vector<double>>(key));
}
template <>
arma::mat Config::get<arma::mat>(std::string_view key) const {
  const YAML::Node rows = lookup(key);
  if (!rows.IsSequence() || rows.size() == 0)
    fail(key, fmt::format("expected a matrix as a list of rows, got {}", kind_of(rows)));
  arma::mat out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string row_key = fmt::format("{}[{}]", key, i);
    const auto row = list_as<double>(rows[i], "numbers", *this, row_key);
    if (i == 0) out.set_size(rows.size(), row.size());
    if (row.size() != out.n_cols)
      fail(row_key, fmt::format("row has {} entries, the first row has {}", row.size(), out.n_cols));
    for (std::size_t j = 0; j < row.size(); ++j) out(i, j) = row[j];
  }
  return out;
}

void Config::check_subtree(const YAML::Node& node, const std::string& path) const {
  auto join = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
  if (node.IsMap()) {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      const std::string full = join(key);
      if (!shared_->asked.contains(full)) {
        std::vector<std::string> known;
        const std::string prefix = path.empty() ? "" : path + ".";
        for (const auto& asked : shared_->asked) {
          if (!asked.starts_with(prefix)) continue;
          const std::string rest = asked.substr(prefix.size());
          if (rest.find_first_of(".[") == std::string::npos) known.push_back(rest);
        }
        std::string message = fmt::format("{}: {}: unknown key", where(entry.first, full), full);
        if (const auto near = closest_word(key, known))
          message += fmt::format(" (did you mean '{}'?)", *near);
        else if (!known.empty())
          message += fmt::format(" (known keys here: {})", join_words(known));
        throw ConfigError(message);
      }
      check_subtree(entry.second, full);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      if (node[i].IsMap() && shared_->asked.contains(fmt::format("{}[{}]", path, i)))
        check_subtree(node[i], fmt::format("{}[{}]", path, i));
  }
}

void Config::check_all_keys_used() const { check_subtree(node_, path_); }

void Config::set(const std::string& dotted_key, const std::string& yaml_value) {
  const YAML::Node value = load_document(yaml_value, fmt::format("override {}={}", dotted_key, yaml_value));
  const auto parts = split_dotted(dotted_key);
  YAML::Node current = node_;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node next = current[parts[i]];
    if (next.IsDefined() && !next.IsNull() && !next.IsMap())
      throw ConfigError(fmt::format("override {}: '{}' is not a map", dotted_key, parts[i]));
    if (!next.IsDefined() || next.IsNull()) {
      current[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next = current[parts[i]];
    }
    current.reset(next);
  }
  current[parts.back()] = value;
  shared_->overridden.insert(dotted_key);
}

void Config::erase(std::string_view key) {
  if (node_.IsMap()) node_.remove(std::string(key));
}

std::string Config::dump() const {
  YAML::Emitter out;
  out.SetDoublePrecision(17);
  out << node_;
  return std::string(out.c_str()) + "\n";
}

}  // namespace kooplab
