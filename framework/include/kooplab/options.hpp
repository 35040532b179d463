#pragma once
// Plugin options declared once: every key of a config section with its type,
// default, check and a one-line doc. The one declaration reads the section
// (typed, checked, errors naming file:line:column and the key) and documents
// it (`kooplab plugins NAME`), so the documented defaults are the defaults.
//
//   struct Settings {
//     double tolerance = 1e-12;
//     Method method = Method::gram;
//   };
//   static const auto options = kooplab::Options<Settings>()
//       .add("tolerance", &Settings::tolerance, "σ_i/σ_1 below this count as zero", kooplab::in_open(0.0, 1.0))
//       .choice("method", &Settings::method, {{"gram", Method::gram}, {"svd", Method::svd}}, "how K is formed");
//   const Settings settings = options.read(section);
//
// Defaults are the values of a default-constructed Settings. A plugin class
// that declares `static const Options<...>& options()` has its keys listed by
// `kooplab plugins NAME` (KOOPLAB_PLUGIN exports them).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <armadillo>
#include <cmath>
#include <complex>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"

namespace kooplab {

// One documented key: "rank", "integer ≥ 1", "full", "truncation of Ψx⁺".
// Keys of a sub-section carry its name: "optimizer.lr".
struct OptionDoc {
  std::string key;
  std::string type;
  std::string default_value;
  std::string doc;
};

// A condition on a value with the words that state it ("≥ 1", "in (0, 1)");
// a value that fails it is reported as "expected <type> <text>, got <value>".
// Bounds are numbers, so one check serves options of every arithmetic type.
template <class T>
struct Check {
  std::function<bool(const T&)> holds;
  std::string text;

  Check(std::function<bool(const T&)> holds_, std::string text_) : holds(std::move(holds_)), text(std::move(text_)) {}
  template <class U = T>
  requires(std::is_arithmetic_v<U> && !std::is_same_v<U, double>)
      Check(const Check<double>& check)  // NOLINT(google-explicit-constructor): at_least(1) for an integer option
      : holds([h = check.holds](const T& value) { return h(double(value)); }), text(check.text) {}
};

inline Check<double> at_least(double bound) {
  return {[bound](const double& value) { return value >= bound; }, fmt::format("≥ {}", bound)};
}
inline Check<double> greater_than(double bound) {
  return {[bound](const double& value) { return value > bound; }, fmt::format("> {}", bound)};
}
// Closed interval [low, high].
inline Check<double> in_range(double low, double high) {
  return {[low, high](const double& value) { return value >= low && value <= high; },
          fmt::format("in [{}, {}]", low, high)};
}
// Open interval (low, high).
inline Check<double> in_open(double low, double high) {
  return {[low, high](const double& value) { return value > low && value < high; },
          fmt::format("in ({}, {})", low, high)};
}
// Half-open interval (low, high].
inline Check<double> in_left_open(double low, double high) {
  return {[low, high](const double& value) { return value > low && value <= high; },
          fmt::format("in ({}, {}]", low, high)};
}
// A square matrix.
inline Check<arma::mat> square() {
  return {[](const arma::mat& value) { return value.is_square(); }, "that is square"};
}
// A list (or matrix) with at least one entry.
template <class T>
Check<T> non_empty() {
  return {[](const T& values) { return !values.empty(); }, "with at least one entry"};
}
// Every entry of a list ≥ bound.
template <class T>
Check<std::vector<T>> each_at_least(T bound) {
  return {[bound](const std::vector<T>& values) {
            for (const T& value : values)
              if (!(value >= bound)) return false;
            return true;
          },
          fmt::format("with every entry ≥ {}", bound)};
}

// Words that name the values of an enum, in the order they are documented.
template <class E>
using Words = std::vector<std::pair<std::string, E>>;

// "a | b | c"
std::string word_list(const std::vector<std::string>& words);
// "expected one of a, b, c, got 'x' (did you mean 'b'?)"
std::string unknown_word(const std::string& word, const std::vector<std::string>& words);

template <class E>
std::vector<std::string> words_of(const Words<E>& words) {
  std::vector<std::string> out;
  for (const auto& [word, value] : words) out.push_back(word);
  return out;
}

// The value a word names; throws ConfigError "<where>: expected one of ..." otherwise.
template <class E>
E parse_word(const Words<E>& words, const std::string& word, const std::string& where) {
  for (const auto& [known, value] : words)
    if (known == word) return value;
  throw ConfigError(where + ": " + unknown_word(word, words_of(words)));
}

// The word of a value ("?" for a value without one).
template <class E>
std::string word_of(const Words<E>& words, E value) {
  for (const auto& [word, known] : words)
    if (known == value) return word;
  return "?";
}

// Reads `key` of `section` as one of `words`, `fallback` when absent.
template <class E>
E read_word(const Config& section, std::string_view key, const Words<E>& words, E fallback) {
  if (!section.has(key)) return fallback;
  const std::string word = section.get<std::string>(key);
  for (const auto& [known, value] : words)
    if (known == word) return value;
  section.fail(key, unknown_word(word, words_of(words)));
}

// A list of complex numbers, each written as a number (real) or [re, im].
using ComplexList = std::vector<std::complex<double>>;

// A rule across the keys of one section.
struct OptionRule {
  enum Kind { exactly_one, at_most_one } kind;
  std::vector<std::string> keys;
};

// A value type that reads itself, for values the built-in readers do not
// cover (a function given by name or as a map, a number or a list):
//   static T read_option(const Config& section, std::string_view key);  // key is present
//   static std::string option_type();    // its words in docs: "number | list of numbers"
//   std::string option_text() const;     // a value as docs and messages show it
template <class T>
concept ReadsItself = requires(const Config& section, std::string_view key, const T& value) {
  { T::read_option(section, key) } -> std::same_as<T>;
  { T::option_type() } -> std::convertible_to<std::string>;
  { value.option_text() } -> std::convertible_to<std::string>;
};

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
// The value an option holds: T, or the T inside a std::optional<T>.
template <class T>
struct value_type_of {
  using type = T;
};
template <class T>
struct value_type_of<std::optional<T>> {
  using type = T;
};
template <class T>
using value_t = typename value_type_of<T>::type;
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

// An integer ≥ 0 of the full 64-bit range; a negative one is reported as such.
std::uint64_t read_unsigned(const Config& section, std::string_view key);

// Each entry a number (a real value) or [re, im]; "key[i]: ..." names a bad entry.
ComplexList read_complex_list(const Config& section, std::string_view key);
// "[0.9, [0.8, 0.3]]", the form the reader takes.
std::string show_complex_list(const ComplexList& values);

// The words for a value type in docs and messages. An unsigned integer is
// "integer ≥ 0" unless a check states its range.
template <class T>
std::string type_name(bool checked = false) {
  if constexpr (is_optional<T>::value)
    return type_name<typename T::value_type>(checked);
  else if constexpr (std::is_unsigned_v<T> && !std::is_same_v<T, bool>)
    return checked ? "integer" : "integer ≥ 0";
  else if constexpr (ReadsItself<T>)
    return T::option_type();
  else if constexpr (std::is_same_v<T, bool>)
    return "true | false";
  else if constexpr (std::is_integral_v<T>)
    return "integer";
  else if constexpr (std::is_floating_point_v<T>)
    return "number";
  else if constexpr (std::is_same_v<T, std::string>)
    return "string";
  else if constexpr (std::is_same_v<T, std::filesystem::path>)
    return "path";
  else if constexpr (std::is_same_v<T, ComplexList>)
    return "list of numbers or [re, im] pairs";
  else if constexpr (std::is_same_v<T, arma::vec> || std::is_same_v<T, std::vector<double>>)
    return "list of numbers";
  else if constexpr (std::is_same_v<T, std::vector<std::string>>)
    return "list of strings";
  else if constexpr (is_vector<T>::value)
    return "list of integers";
  else if constexpr (std::is_same_v<T, arma::mat>)
    return "matrix (list of rows)";
  else
    static_assert(sizeof(T) == 0, "unsupported option type");
}

// How a default value is shown in docs.
template <class T>
std::string show(const T& value) {
  if constexpr (is_optional<T>::value)
    return value ? show(*value) : "—";
  else if constexpr (ReadsItself<T>)
    return value.option_text();
  else if constexpr (std::is_same_v<T, bool>)
    return value ? "true" : "false";
  else if constexpr (std::is_arithmetic_v<T>)
    return fmt::format("{}", value);
  else if constexpr (std::is_same_v<T, std::string>)
    return value.empty() ? "\"\"" : value;
  else if constexpr (std::is_same_v<T, std::filesystem::path>)
    return value.empty() ? "\"\"" : value.string();
  else if constexpr (std::is_same_v<T, ComplexList>)
    return show_complex_list(value);
  else if constexpr (is_vector<T>::value)
    return fmt::format("[{}]", fmt::join(value, ", "));
  else if constexpr (std::is_same_v<T, arma::vec>)
    return value.is_empty() ? "—" : fmt::format("[{}]", fmt::join(value, ", "));
  else if constexpr (std::is_same_v<T, arma::mat>)
    return value.is_empty() ? "—" : fmt::format("{}×{} matrix", value.n_rows, value.n_cols);
  else
    static_assert(sizeof(T) == 0, "unsupported option type");
}

// A value of `key`, typed: integers of any width are range-checked, numbers must be finite.
template <class T>
T read_value(const Config& section, std::string_view key) {
  if constexpr (ReadsItself<T>) {
    return T::read_option(section, key);
  } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
    return section.resolve_path(key);
  } else if constexpr (std::is_same_v<T, ComplexList>) {
    return read_complex_list(section, key);
  } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string>) {
    return section.get<T>(key);
  } else if constexpr (std::is_integral_v<T>) {
    using Limits = std::numeric_limits<T>;
    if constexpr (std::is_unsigned_v<T>) {
      const std::uint64_t value = read_unsigned(section, key);
      if (value > std::uint64_t(Limits::max()))
        section.fail(key, fmt::format("expected an integer ≤ {}, got {}", Limits::max(), value));
      return T(value);
    } else {
      const std::int64_t value = section.get<std::int64_t>(key);
      if (value < std::int64_t(Limits::min()) || value > std::int64_t(Limits::max()))
        section.fail(key, fmt::format("expected an integer in [{}, {}], got {}", Limits::min(), Limits::max(), value));
      return T(value);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    const double value = section.get<double>(key);
    if (!std::isfinite(value)) section.fail(key, fmt::format("expected a finite number, got {}", value));
    return T(value);
  } else if constexpr (std::is_same_v<T, arma::vec> || std::is_same_v<T, arma::mat> ||
                       std::is_same_v<T, std::vector<double>>) {
    T value = section.get<T>(key);
    for (const double entry : value)
      if (!std::isfinite(entry)) section.fail(key, fmt::format("expected finite numbers, got {}", entry));
    return value;
  } else {
    return section.get<T>(key);
  }
}

// "a number in (0, 1)", "an integer ≥ 1"; word lists stay as they are.
std::string a(const std::string& type);

[[noreturn]] void fail_rule(const Config& section, const std::string& rule, const std::vector<std::string>& keys);
// The row `kooplab plugins` shows for a rule; `prefix` names the sub-section it sits in ("optimizer.").
OptionDoc rule_doc(const OptionRule& rule, const std::string& prefix);

}  // namespace detail

template <class Settings>
class Options {
 public:
  using Reader = std::function<void(const Config&, Settings&)>;
  // The default a key shows, taken from a default-constructed Settings, so a
  // struct that includes these options with other defaults shows its own.
  using Shown = std::function<std::string(const Settings&)>;

  // An optional key: absent, the member keeps its default. For a std::optional
  // member the check applies to the value inside.
  template <class T>
  Options& add(std::string key, T Settings::*member, std::string doc,
               std::optional<Check<detail::value_t<T>>> check = {}) {
    return add_value(std::move(key), member, std::move(doc), std::move(check), false);
  }
  // A key the section must give.
  template <class T>
  Options& require(std::string key, T Settings::*member, std::string doc,
                   std::optional<Check<detail::value_t<T>>> check = {}) {
    return add_value(std::move(key), member, std::move(doc), std::move(check), true);
  }

  // A key whose value is one of `words`.
  template <class E>
  Options& choice(std::string key, E Settings::*member, Words<E> words, std::string doc) {
    OptionDoc entry{key, word_list(words_of(words)), "", std::move(doc)};
    Shown shown = [member, words](const Settings& defaults) { return word_of(words, defaults.*member); };
    fields_.push_back({std::move(entry),
                       [key, member, words](const Config& section, Settings& settings) {
                         settings.*member = read_word(section, key, words, settings.*member);
                       },
                       std::move(shown)});
    return *this;
  }

  // The keys of `nested` read into `member`, in this same section.
  template <class N>
  Options& include(N Settings::*member, const Options<N>& nested) {
    for (const auto& field : nested.fields())
      fields_.push_back(
          {field.doc,
           [member, read = field.read](const Config& section, Settings& settings) { read(section, settings.*member); },
           shown_through(member, field.shown)});
    for (const auto& rule : nested.rules()) rules_.push_back(rule);
    return *this;
  }

  // A sub-section `key: {...}` whose keys `nested` declares (absent: defaults).
  template <class N>
  Options& section(std::string key, N Settings::*member, const Options<N>& nested, std::string doc) {
    return add_section(
        key, nested, std::move(doc), "{}",
        [key, member, nested](const Config& section, Settings& settings) {
          if (section.has(key)) nested.read_into(section.child(key), settings.*member);
        },
        [member](const Settings& defaults) { return defaults.*member; });
  }
  // A sub-section read into an optional member: absent, the member stays empty.
  template <class N>
  Options& section(std::string key, std::optional<N> Settings::*member, const Options<N>& nested, std::string doc) {
    return add_section(
        key, nested, std::move(doc), "—",
        [key, member, nested](const Config& section, Settings& settings) {
          if (section.has(key)) settings.*member = nested.read(section.child(key));
        },
        [member](const Settings& defaults) { return (defaults.*member).value_or(N{}); });
  }
  // A sub-section the section must give.
  template <class N>
  Options& require_section(std::string key, N Settings::*member, const Options<N>& nested, std::string doc) {
    return add_section(
        key, nested, std::move(doc), "required",
        [key, member, nested](const Config& section, Settings& settings) {
          nested.read_into(section.child(key), settings.*member);
        },
        [member](const Settings& defaults) { return defaults.*member; });
  }

  // A key read by hand, for values no typed reader covers (rank: full | auto | N).
  Options& custom(OptionDoc doc, Reader read) {
    fields_.push_back({std::move(doc), std::move(read), {}});
    return *this;
  }

  // Rules across keys, checked after every key is read.
  Options& exactly_one_of(std::vector<std::string> keys) {
    rules_.push_back({OptionRule::exactly_one, std::move(keys)});
    return *this;
  }
  Options& at_most_one_of(std::vector<std::string> keys) {
    rules_.push_back({OptionRule::at_most_one, std::move(keys)});
    return *this;
  }

  // Shows `text` as the default of the last key (for defaults that depend on other keys).
  Options& shown_default(std::string text) {
    fields_.back().doc.default_value = std::move(text);
    fields_.back().shown = {};
    return *this;
  }

  Settings read(const Config& section) const {
    Settings settings{};
    read_into(section, settings);
    return settings;
  }
  void read_into(const Config& section, Settings& settings) const {
    for (const auto& field : fields_) field.read(section, settings);
    for (const auto& rule : rules_) {
      std::size_t given = 0;
      for (const auto& key : rule.keys) given += section.has(key) ? 1 : 0;
      if (given > 1 || (rule.kind == OptionRule::exactly_one && given == 0))
        detail::fail_rule(section, rule.kind == OptionRule::exactly_one ? "exactly one of" : "at most one of",
                          rule.keys);
    }
  }

  std::vector<OptionDoc> docs() const {
    const Settings defaults{};
    std::vector<OptionDoc> out;
    for (const auto& field : fields_) {
      out.push_back(field.doc);
      if (field.shown) out.back().default_value = field.shown(defaults);
    }
    for (const auto& rule : rules_) out.push_back(detail::rule_doc(rule, ""));
    return out;
  }

  struct Field {
    OptionDoc doc;
    Reader read;
    Shown shown;  // empty: doc.default_value as it stands
  };
  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<OptionRule>& rules() const { return rules_; }

 private:
  template <class N>
  static Shown shown_through(N Settings::*member, typename Options<N>::Shown shown) {
    if (!shown) return {};
    return [member, shown = std::move(shown)](const Settings& defaults) { return shown(defaults.*member); };
  }

  // The row of sub-section `key`, then the rows of its keys as `key.name` and
  // of its rules (all read by `read`); `defaults` gives the sub-section's
  // defaults in a default Settings.
  template <class N>
  Options& add_section(const std::string& key, const Options<N>& nested, std::string doc, std::string shown,
                       Reader read, std::type_identity_t<std::function<N(const Settings&)>> defaults) {
    fields_.push_back({{key, "section", std::move(shown), std::move(doc)}, std::move(read), {}});
    const auto documented = [](const Config&, Settings&) {};  // read by the section's reader above
    for (const auto& field : nested.fields()) {
      OptionDoc entry = field.doc;
      entry.key = key + "." + entry.key;
      Shown nested_shown;
      if (field.shown)
        nested_shown = [defaults, shown = field.shown](const Settings& settings) { return shown(defaults(settings)); };
      fields_.push_back({std::move(entry), documented, std::move(nested_shown)});
    }
    for (const auto& rule : nested.rules()) fields_.push_back({detail::rule_doc(rule, key + "."), documented, {}});
    return *this;
  }

  template <class T>
  Options& add_value(std::string key, T Settings::*member, std::string doc,
                     std::optional<Check<detail::value_t<T>>> check, bool required) {
    std::string type = detail::type_name<T>(check.has_value());
    if (check) type += " " + check->text;
    Shown shown;
    if (!required) shown = [member](const Settings& defaults) { return detail::show(defaults.*member); };
    auto read = [key, member, check, required, type](const Config& section, Settings& settings) {
      if (!required && !section.has(key)) return;
      detail::value_t<T> value = detail::read_value<detail::value_t<T>>(section, key);
      if (check && !check->holds(value))
        section.fail(key, fmt::format("expected {}, got {}", detail::a(type), detail::show(value)));
      settings.*member = std::move(value);
    };
    fields_.push_back({{std::move(key), std::move(type), required ? "required" : "", std::move(doc)},
                       std::move(read),
                       std::move(shown)});
    return *this;
  }

  std::vector<Field> fields_;
  std::vector<OptionRule> rules_;
};

}  // namespace kooplab
