// A config text through the parser, the key checks and the sweep expansion:
// any input must end in a value or a kooplab::Error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"
#include "kooplab/runner/sweep.hpp"

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
    // Sweeps within the run limit are expanded; a fuzzer's seeds: 999999 only costs time.
    if (config.has("sweep") && config.child("sweep").has("seeds") && config.child("sweep").get<int>("seeds") > 100)
      return 0;
    for (const auto& run : kooplab::expand_sweep(text, "fuzz.yaml", {"estimator.rank=1,2"})) run.config().dump();
  } catch (const kooplab::Error&) {
  }
  return 0;
}
