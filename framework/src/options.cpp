#include "kooplab/options.hpp"

#include "kooplab/util/text.hpp"

namespace kooplab {

std::string word_list(const std::vector<std::string>& words) { return join_words(words, " | "); }

std::string unknown_word(const std::string& word, const std::vector<std::string>& words) {
  std::string message = fmt::format("expected one of {}, got '{}'", join_words(words), word);
  if (const auto near = closest_word(word, words)) message += fmt::format(" (did you mean '{}'?)", *near);
  return message;
}

namespace detail {

std::string a(const std::string& type) {
  if (type.find('|') != std::string::npos) return type;
  return (std::string("aeiou").find(type.front()) != std::string::npos ? "an " : "a ") + type;
}

OptionDoc rule_doc(const OptionRule& rule, const std::string& prefix) {
  std::vector<std::string> keys;
  for (const auto& key : rule.keys) keys.push_back(prefix + key);
  return {join_words(keys), "rule", "",
          fmt::format("give {} these", rule.kind == OptionRule::exactly_one ? "exactly one of" : "at most one of")};
}

std::uint64_t read_unsigned(const Config& section, std::string_view key) {
  const YAML::Node& map = section.node();  // const access never inserts keys
  const YAML::Node value = map.IsMap() ? map[std::string(key)] : YAML::Node();
  // IsDefined first: yaml-cpp throws from IsScalar on the node of a missing key.
  if (value.IsDefined() && value.IsScalar() && value.Scalar().starts_with('-')) {
    const std::int64_t negative = section.get<std::int64_t>(key);
    if (negative < 0) section.fail(key, fmt::format("expected a non-negative integer, got {}", negative));
    return 0;  // "-0"
  }
  return section.get<std::uint64_t>(key);
}

ComplexList read_complex_list(const Config& section, std::string_view key) {
  constexpr const char* expected = "a list of numbers or [re, im] pairs";
  if (!section.has(key)) section.fail(key, fmt::format("missing key (expected {})", expected));
  const YAML::Node& map = section.node();         // const access never inserts keys
  const YAML::Node list = map[std::string(key)];  // has() made sure the section is a map
  if (!list.IsSequence()) section.fail(key, fmt::format("expected {}", expected));
  ComplexList values;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string item_key = fmt::format("{}[{}]", key, i);
    double re = 0.0, im = 0.0;
    try {
      if (item.IsScalar()) {
        re = item.as<double>();
      } else if (item.IsSequence() && item.size() == 2 && item[0].IsScalar() && item[1].IsScalar()) {
        re = item[0].as<double>();
        im = item[1].as<double>();
      } else {
        section.fail(item_key, "expected a number or [re, im]");
      }
    } catch (const YAML::Exception&) {
      section.fail(item_key, "expected a number or [re, im]");
    }
    if (!std::isfinite(re) || !std::isfinite(im)) section.fail(item_key, "expected finite numbers");
    values.emplace_back(re, im);
  }
  return values;
}

std::string show_complex_list(const ComplexList& values) {
  std::vector<std::string> entries;
  for (const auto& value : values)
    entries.push_back(value.imag() == 0.0 ? fmt::format("{}", value.real())
                                          : fmt::format("[{}, {}]", value.real(), value.imag()));
  return fmt::format("[{}]", join_words(entries));
}

void fail_rule(const Config& section, const std::string& rule, const std::vector<std::string>& keys) {
  std::vector<std::string> given;
  for (const auto& key : keys)
    if (section.has(key)) given.push_back(key);
  section.fail(fmt::format("give {} {} ({})", rule, join_words(keys),
                           given.empty() ? std::string("none given") : "given: " + join_words(given)));
}

}  // namespace detail
}  // namespace kooplab
