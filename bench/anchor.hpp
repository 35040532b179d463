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

inline std::map<std::string, double> anchor_seconds(const std::string& script_and_arguments) {
  std::map<std::string, double> seconds;
  if (std::getenv("KOOPLAB_NO_ANCHOR")) return seconds;
  const char* python = std::getenv("KOOPLAB_PYTHON");
  const std::string command = fmt::format("{} {}/{} 2>/dev/null", python ? python : "/usr/bin/python3",
                                          KOOPLAB_BENCH_DIR, script_and_arguments);
  const std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return seconds;
  std::array<char, 64> label{};
  double value = 0.0;
  while (std::fscanf(pipe.get(), "%63s %lf", label.data(), &value) == 2) seconds[label.data()] = value;
  return seconds;
}

}  // namespace kooplab::bench
