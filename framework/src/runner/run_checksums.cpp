#include "kooplab/runner/run_checksums.hpp"

#include <fmt/format.h>

#include <map>
#include <sstream>

#include "kooplab/util/files.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

constexpr const char* checksums_file = "checksums";

std::string digest_of(const std::filesystem::path& file) { return hex_digest(stable_hash(read_file(file))); }

}  // namespace

void write_run_checksums(const std::filesystem::path& folder, const std::vector<std::string>& files) {
  std::string lines;
  for (const auto& file : files) lines += fmt::format("{}  {}\n", digest_of(folder / file), file);
  write_file_atomic(folder / checksums_file, lines);
}

std::string run_checksum_problem(const std::filesystem::path& folder, const std::vector<std::string>& required) {
  if (!std::filesystem::exists(folder / checksums_file)) return fmt::format("no {} file", checksums_file);
  std::map<std::string, std::string> listed;  // file -> digest
  std::istringstream lines(read_file(folder / checksums_file));
  for (std::string line; std::getline(lines, line);) {
    const std::size_t gap = line.find("  ");
    if (gap == std::string::npos) return fmt::format("{} is not readable", checksums_file);
    listed[line.substr(gap + 2)] = line.substr(0, gap);
  }
  for (const auto& file : required)
    if (!listed.contains(file)) return fmt::format("{} has no checksum", file);
  for (const auto& [file, digest] : listed) {
    if (!std::filesystem::is_regular_file(folder / file)) return fmt::format("{} is missing", file);
    if (digest_of(folder / file) != digest) return fmt::format("{} was changed", file);
  }
  return {};
}

}  // namespace kooplab
