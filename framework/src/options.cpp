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

void fail_rule(const Config& section, const std::string& rule, const std::vector<std::string>& keys) {
  std::vector<std::string> given;
  for (const auto& key : keys)
    if (section.has(key)) given.push_back(key);
  section.fail(fmt::format("give {} {} ({})", rule, join_words(keys),
                           given.empty() ? std::string("none given") : "given: " + join_words(given)));
}

}  // namespace detail
}  // namespace kooplab
