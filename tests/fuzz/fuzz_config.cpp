// A config text through the parser, the key checks and the sweep expansion:
// any input must end in a value or a kooplab::Error, never a crash or a hang.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"
#include "kooplab/runner/sweep.hpp"

namespace {

// Runs the sweep section asks for (grid values × zip length × seeds), before expanding.
double planned_runs(const kooplab::Config& config) {
  if (!config.has("sweep")) return 1;
  const kooplab::Config sweep = config.child("sweep");
  double runs = sweep.has("seeds") ? sweep.get<double>("seeds") : 1;
  for (const std::string section : {"grid", "zip"}) {
    if (!sweep.has(section)) continue;
    const kooplab::Config lists = sweep.child(section);
    for (const auto& key : lists.keys())
      if (lists.is_list(key)) {
        runs *= double(std::max<std::size_t>(lists.node()[key].size(), 1));
        if (section == "zip") break;  // zip lists walk together
      }
  }
  return runs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const kooplab::Config config = kooplab::Config::parse(text, "fuzz.yaml");
    for (const auto& key : config.keys()) {
      if (config.is_list(key))
        config.get<std::vector<std::string>>(key);
      else if (!config.child(key).keys().empty())
        config.child(key).dump();
      else
        config.get<double>(key);
    }
    // Expanding parses the config once per run: small sweeps show that it works,
    // a fuzzer's thousands of runs would only cost time.
    if (planned_runs(config) > 16) return 0;
    for (const auto& run : kooplab::expand_sweep(text, "fuzz.yaml", {"estimator.rank=1,2"})) run.config().dump();
  } catch (const kooplab::Error&) {
  }
  return 0;
}
