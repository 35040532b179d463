#pragma once
// The kooplab executable driven from tests: configs written to a folder,
// `kooplab run` in the foreground or background, and its results folder read.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <spawn.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "build_paths.hpp"
#include "kooplab/util/files.hpp"
#include "support.hpp"

namespace kooplab::testing::runner {

namespace fs = std::filesystem;

// The test plugins (test_probe among them) join the build's plugins.
inline const std::string kooplab_command = [] {
  ::setenv("KOOPLAB_PLUGIN_PATH", test_plugin_dir().c_str(), 1);
  return kooplab_executable().string();
}();

inline fs::path write_config(const fs::path& folder, const std::string& text) {
  return write(folder / "experiment.yaml", text);
}

inline int kooplab_run(const fs::path& config, const fs::path& out, const std::string& extra = "") {
  return shell(fmt::format("{} run {} --out {} {} > {}.log 2>&1", kooplab_command, config.string(), out.string(), extra,
                           out.string()));
}

// A shell command in the background; its pid.
inline pid_t spawn_shell(const std::string& command) {
  pid_t pid = 0;
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  REQUIRE(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ) == 0);
  return pid;
}

// `kooplab run` in the background (exec'd, so the pid is kooplab's own).
inline pid_t spawn_kooplab(const fs::path& config, const fs::path& out, const fs::path& log, int jobs) {
  return spawn_shell(fmt::format("exec {} run {} --out {} --jobs {} > {} 2>&1", kooplab_command, config.string(),
                                 out.string(), jobs, log.string()));
}

// Run folders moved into place (not the hidden ones in progress).
inline std::size_t finished_runs(const fs::path& out) {
  std::size_t count = 0;
  if (fs::exists(out / "runs"))
    for (const auto& item : fs::directory_iterator(out / "runs"))
      count += item.path().filename().string().starts_with(".") ? 0 : 1;
  return count;
}

inline void wait_for_runs(const fs::path& out, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (finished_runs(out) < count && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

inline std::vector<nlohmann::json> records(const fs::path& out) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(out / "results.jsonl");
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// A record without what measures time (its seconds, metrics with "seconds"
// or "time" in their name or starting with "speedup"), which differs by nature.
inline nlohmann::json without_times(nlohmann::json record) {
  record.erase("seconds");
  auto& metrics = record["metrics"];
  for (auto metric = metrics.begin(); metric != metrics.end();)
    metric = metric.key().find("seconds") != std::string::npos || metric.key().find("time") != std::string::npos ||
                     metric.key().starts_with("speedup")
                 ? metrics.erase(metric)
                 : ++metric;
  return record;
}

// Every file of a results folder except the times, which differ by nature.
inline std::map<std::string, std::string> contents_without_times(const fs::path& out) {
  std::map<std::string, std::string> files;
  for (const auto& item : fs::recursive_directory_iterator(out)) {
    if (!item.is_regular_file()) continue;
    const std::string name = fs::relative(item.path(), out).string();
    if (item.path().extension() == ".csv" || item.path().extension() == ".md") continue;  // hold seconds
    if (item.path().filename() == ".lock") continue;  // holds the last process's pid
    std::string text = read_file(item.path());
    if (item.path().filename() == "record.json") {
      text = without_times(nlohmann::json::parse(text)).dump();
    } else if (item.path().filename() == "results.jsonl") {
      std::string cleaned;
      for (const auto& json : records(out)) cleaned += without_times(json).dump() + "\n";
      text = cleaned;
    } else if (item.path().filename() == "checksums") {
      // record.json's digest covers its seconds.
      std::string kept;
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);)
        if (!line.ends_with("  record.json")) kept += line + "\n";
      text = kept;
    }
    files[name] = text;
  }
  return files;
}

}  // namespace kooplab::testing::runner
