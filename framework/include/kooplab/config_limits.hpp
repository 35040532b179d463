#pragma once
// Limits of a parsed config, YAML aliases expanded: a few lines of aliases can
// stand for billions of values, or an alias inside its own anchor for an
// endless tree, which every walk over the config would follow until memory or
// the stack ran out. Config::parse and Config::set refuse such a document with
// a ConfigError naming the position.
#include <cstddef>

namespace kooplab {

// Scalars, lists and maps, counted as often as aliases repeat them.
inline constexpr std::size_t max_config_values = 100000;
// Levels of lists and maps inside one another.
inline constexpr int max_config_depth = 64;

}  // namespace kooplab
