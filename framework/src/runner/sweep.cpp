#include "kooplab/runner/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

std::string yaml_text(const YAML::Node& node) {
  YAML::Emitter out;
  out.SetDoublePrecision(17);
  out << YAML::Flow << node;
  return out.c_str();
}

// One axis of the product: each point assigns one or more keys.
using Point = std::vector<std::pair<std::string, std::string>>;
using Axis = std::vector<Point>;

Axis list_axis(const Config& section, const std::string& key) {
  const YAML::Node& map = section.node();
  const YAML::Node values = map[key];
  if (!values.IsSequence() || values.size() == 0)
    section.fail(key, "expected a non-empty list of values to sweep over");
  Axis axis;
  for (const auto& value : values) axis.push_back({{key, yaml_text(value)}});
  return axis;
}

// Removes `key` from every axis: a grid axis of that key goes, a zip axis
// walks its other keys (and goes when none is left).
void drop_key(std::vector<std::pair<std::string, Axis>>& axes, const std::string& key) {
  for (auto& [name, axis] : axes)
    for (Point& point : axis) std::erase_if(point, [&](const auto& assignment) { return assignment.first == key; });
  std::erase_if(axes, [](const auto& named) { return named.second.front().empty(); });
}

// The base with the command line's fixed values: what every run starts from.
Config with_fixed_values(const SweepBase& base) {
  Config config = Config::parse(base.text, base.source);
  for (const auto& [key, value] : base.fixed) config.set(key, value);
  return config;
}

// Whether `inner` is `outer` or a key below it ("a.b" is below "a").
bool within(const std::string& inner, const std::string& outer) {
  return inner == outer || (inner.starts_with(outer) && inner[outer.size()] == '.');
}

// `config` (with the fixed values) given one point's values; the run's seed is
// set after. A fixed value below a swept key (estimator.rank=5 with a grid of
// whole estimator sections) is set again: the command line wins.
void set_point(Config& config, const Point& point, const Point& fixed) {
  for (const auto& [key, value] : point) config.set(key, value);
  for (const auto& assignment : fixed)
    if (std::any_of(point.begin(), point.end(),
                    [&](const auto& swept) { return within(assignment.first, swept.first); }))
      config.set(assignment.first, assignment.second);
  // What to sweep and how to report are kooplab's business, not the run's.
  config.erase("sweep");
  config.erase("report");
}

}  // namespace

Config RunSpec::config() const {
  Config config = with_fixed_values(*base);
  set_point(config, params, base->fixed);
  config.set("seed", std::to_string(seed));
  return config;
}

std::vector<std::string> split_top_level_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  char quote = 0;
  for (const char c : text) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      parts.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  parts.push_back(current);
  return parts;
}

std::vector<RunSpec> expand_sweep(const std::string& config_text, const std::string& source,
                                  const std::vector<std::string>& overrides) {
  const Config base = Config::parse(config_text, source);
  std::vector<std::pair<std::string, std::string>> fixed;
  std::vector<std::pair<std::string, Axis>> axes;  // named, so the command line can replace a grid key

  if (base.has("sweep")) {
    const Config sweep = base.child("sweep");
    for (const auto& key : sweep.keys())
      if (key != "grid" && key != "zip" && key != "seeds") {
        std::string message = fmt::format("unknown key '{}' in sweep", key);
        if (const auto near = closest_word(key, {"grid", "zip", "seeds"}))
          message += fmt::format(" (did you mean '{}'?)", *near);
        sweep.fail(key, message + "; expected grid, zip or seeds");
      }
    if (sweep.has("zip")) {
      const Config zip = sweep.child("zip");
      Axis axis;
      std::size_t length = 0;
      for (const auto& key : zip.keys()) {
        split_dotted(key);
        const Axis values = list_axis(zip, key);
        if (axis.empty()) {
          length = values.size();
          axis.resize(length);
        } else if (values.size() != length) {
          zip.fail(key, fmt::format("zip lists must have equal lengths: this one has {}, the first has {}",
                                    values.size(), length));
        }
        for (std::size_t i = 0; i < length; ++i) axis[i].push_back(values[i].front());
      }
      if (!axis.empty()) axes.emplace_back("", std::move(axis));
    }
    if (sweep.has("grid")) {
      const Config grid = sweep.child("grid");
      for (const auto& key : grid.keys()) {
        split_dotted(key);
        axes.emplace_back(key, list_axis(grid, key));
      }
    }
  }

  for (const auto& assignment : overrides) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0)
      throw ConfigError(fmt::format("override '{}': expected key.path=value", assignment));
    const std::string key = assignment.substr(0, equals), value = assignment.substr(equals + 1);
    split_dotted(key);
    if (within(key, "sweep") && key != "sweep.seeds")
      throw ConfigError(
          fmt::format("override '{}': the sweep's grid and zip are read from the config only; sweep "
                      "a key from the command line with key.path=a,b,c",
                      assignment));
    const auto values = split_top_level_commas(value);
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values.size() > 1 && values[i].find_first_not_of(" \t") == std::string::npos)
        throw ConfigError(fmt::format("override '{}': value {} of {} is empty", assignment, i + 1, values.size()));
    if (values.size() == 1) {
      // One value wins over the config's sweep of the same key, as in Hydra.
      drop_key(axes, key);
      fixed.emplace_back(key, value);
      continue;
    }
    Axis axis;
    for (const auto& v : values) axis.push_back({{key, v}});
    const auto same = std::find_if(axes.begin(), axes.end(), [&](const auto& a) { return a.first == key; });
    if (same != axes.end())
      same->second = std::move(axis);
    else
      axes.emplace_back(key, std::move(axis));
  }

  // Seeds after the overrides, so "seed=5" moves the base of the replication.
  auto shared = std::make_shared<SweepBase>(SweepBase{config_text, source, std::move(fixed)});
  const Config start = with_fixed_values(*shared);
  const std::uint64_t base_seed = start.get_or<std::uint64_t>("seed", 0);
  std::uint64_t seeds = 1;
  if (start.has("sweep") && start.child("sweep").has("seeds")) {
    const Config sweep = start.child("sweep");
    const int count = sweep.get<int>("seeds");
    if (count < 1) sweep.fail("seeds", "expected a positive number of seeds");
    seeds = std::uint64_t(count);
  }

  // Counted before anything is expanded (in floating point: the product may
  // not fit an integer).
  double count = double(seeds);
  std::vector<std::string> factors;
  for (const auto& [name, axis] : axes) {
    count *= double(axis.size());
    factors.push_back(fmt::format("{} ({})", axis.size(), name.empty() ? "zip" : name));
  }
  if (seeds > 1) factors.push_back(fmt::format("{} (seeds)", seeds));
  if (count > double(max_sweep_runs))
    throw ConfigError(fmt::format("{}: the sweep has {:.0f} runs ({}), more than the limit of {}", source, count,
                                  join_words(factors, " × "), max_sweep_runs));

  std::vector<Point> points{Point{}};
  for (const auto& [name, axis] : axes) {
    std::vector<Point> next;
    next.reserve(points.size() * axis.size());
    for (const auto& point : points)
      for (const auto& value : axis) {
        Point combined = point;
        combined.insert(combined.end(), value.begin(), value.end());
        next.push_back(std::move(combined));
      }
    points = std::move(next);
  }

  std::vector<RunSpec> runs;
  runs.reserve(points.size() * seeds);
  for (const auto& point : points)
    for (std::uint64_t s = 0; s < seeds; ++s) {
      Config config = with_fixed_values(*shared);
      set_point(config, point, shared->fixed);
      RunSpec run;
      run.index = runs.size();
      run.seed = config.get_or<std::uint64_t>("seed", base_seed) + s;
      config.set("seed", std::to_string(run.seed));
      run.hash = hex_digest(stable_hash(config.dump()));
      run.params = point;
      run.base = shared;
      runs.push_back(std::move(run));
    }
  return runs;
}

}  // namespace kooplab
