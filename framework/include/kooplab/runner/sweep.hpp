#pragma once
// Expansion of a config and its command-line overrides into fully resolved runs.
//
// YAML:
//   seed: 0                 base seed (default 0)
//   sweep:
//     grid: {estimator.rank: [2, 4], dataset.noise: [0, 0.01]}   cartesian product
//     zip:  {dataset.steps: [50, 100], dataset.trajectories: [4, 2]}  walked together
//     seeds: 3              replicate every point with seeds seed, seed+1, seed+2
// Command line: key=value sets a key, and wins over a sweep of that key (the
// grid or zip entry is dropped, as in Hydra); key=v1,v2,v3 adds a grid
// dimension (replacing a grid entry for the same key).
//
// A sweep has at most max_sweep_runs runs (points × seeds), counted before
// anything is expanded. A run keeps its parameters and hash only; its config
// is made again when asked for, so a long sweep costs little memory per run.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kooplab/config.hpp"

namespace kooplab {

inline constexpr std::uint64_t max_sweep_runs = 1000000;

// The config text and the single-value overrides every run of a sweep shares.
struct SweepBase {
  std::string text, source;
  std::vector<std::pair<std::string, std::string>> fixed;  // key=value from the command line
};

struct RunSpec {
  std::size_t index = 0;
  std::vector<std::pair<std::string, std::string>> params;  // swept key → value (YAML text)
  std::uint64_t seed = 0;
  std::string hash;  // of the resolved config's text
  std::shared_ptr<const SweepBase> base;

  // The resolved config: overrides applied, sweep removed, seed set.
  Config config() const;
};

// Splits "a,b,[c,d]" at top-level commas (not inside brackets, braces or quotes).
std::vector<std::string> split_top_level_commas(const std::string& text);

std::vector<RunSpec> expand_sweep(const std::string& config_text, const std::string& source,
                                  const std::vector<std::string>& overrides);

}  // namespace kooplab
