#pragma once
// The Python anchors of the benchmarks: runs bench/SCRIPT with Debian's
// /usr/bin/python3 (KOOPLAB_PYTHON names another interpreter) and reads the
// "<label> <seconds>" lines it prints. Empty, so that the anchor column is
// left out, when KOOPLAB_NO_ANCHOR is set or the script cannot run (its
// module, python3-numpy or python3-torch, is absent).
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

namespace kooplab::bench {

// The anchors allocate their arrays afresh at every step. glibc hands large
// freed blocks back to the system and the next step faults the pages in
// again: on a VM where page faults are dear, that made PyTorch's epoch 2.7 to
// 6.7 times slower (float32 CNN, 6000 images: 3.15 and 7.83 s of CPU in two
// runs, 1.16 s with freed memory kept). The anchor runs with freed memory
// kept, at its best; kooplab's own loops allocate nothing per step and
// measure the same either way.
constexpr const char* keep_freed_memory =
    "MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=100000000";

inline std::map<std::string, double> anchor_seconds(const std::string& script_and_arguments) {
  std::map<std::string, double> seconds;
  if (std::getenv("KOOPLAB_NO_ANCHOR")) return seconds;
  const char* python = std::getenv("KOOPLAB_PYTHON");
  const std::string command =
      fmt::format("env {} {} {}/{} 2>/dev/null", keep_freed_memory, python ? python : "/usr/bin/python3",
                  KOOPLAB_BENCH_DIR, script_and_arguments);
  const std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return seconds;
  std::array<char, 64> label{};
  double value = 0.0;
  while (std::fscanf(pipe.get(), "%63s %lf", label.data(), &value) == 2) seconds[label.data()] = value;
  return seconds;
}

// One line per precision ("float64", "float32"): kooplab's seconds beside
// PyTorch's of the same dtype and their ratio, or kooplab's alone when the
// anchor is skipped. `label` starts each line (e.g. "batch 64: ").
inline void print_beside_anchor(const std::string& label, const std::map<std::string, double>& kooplab,
                                const std::map<std::string, double>& torch) {
  for (const auto& [dtype, seconds] : kooplab) {
    const auto anchor = torch.find(dtype);
    if (anchor == torch.end())
      fmt::print("{}kooplab {} {:.3f} s; PyTorch anchor skipped\n", label, dtype, seconds);
    else
      fmt::print("{}kooplab {} {:.3f} s | PyTorch {} {:.3f} s | kooplab ÷ PyTorch {:.2f}\n", label, dtype, seconds,
                 dtype, anchor->second, seconds / anchor->second);
  }
}

}  // namespace kooplab::bench
