#pragma once
// Whole-file reads and writes. A file written here never exists half-written:
// the content goes to a temporary name in the same folder, which is renamed.
#include <filesystem>
#include <string>

namespace kooplab {

void write_file_atomic(const std::filesystem::path& file, const std::string& content);
std::string read_file(const std::filesystem::path& file);

}  // namespace kooplab
