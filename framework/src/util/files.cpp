#include "kooplab/util/files.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "kooplab/error.hpp"

namespace kooplab {

void write_file_atomic(const std::filesystem::path& file, const std::string& content) {
  const std::filesystem::path temporary =
      file.parent_path() / fmt::format(".{}.tmp-{}", file.filename().string(), ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(fmt::format("{}: cannot write file", temporary.string()));
    out.write(content.data(), std::streamsize(content.size()));
    out.flush();
    if (!out) throw Error(fmt::format("{}: write failed (disk full?)", temporary.string()));
  }
  std::filesystem::rename(temporary, file);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot read file", file.string()));
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace kooplab
