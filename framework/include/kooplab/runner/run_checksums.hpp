#pragma once
// A completed run folder carries `checksums`: one line "<digest>  <file>" for
// each file the run wrote (config.yaml, record.json, its arrays, whatever its
// application saved, e.g. model/). Resuming
// reuses a folder only when every listed file is present and unchanged, so an
// edited metric or a truncated array is redone, never reported.
#include <filesystem>
#include <string>
#include <vector>

namespace kooplab {

// Writes `folder`/checksums for `files` (names inside `folder`).
void write_run_checksums(const std::filesystem::path& folder, const std::vector<std::string>& files);

// Empty when `folder`/checksums lists every file of `required` and each listed
// file matches its digest; else what is wrong, e.g. "record.json was changed".
std::string run_checksum_problem(const std::filesystem::path& folder, const std::vector<std::string>& required);

}  // namespace kooplab
