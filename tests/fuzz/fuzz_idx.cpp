// An IDX file (plain or gzip) through the reader, then its columns.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "kooplab/data/idx.hpp"
#include "kooplab/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("kooplab-fuzz-" + std::to_string(::getpid()) + ".idx");
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(data), std::streamsize(size));
  try {
    const kooplab::IdxArray array = kooplab::read_idx(file);
    if (array.payload.size() < (1u << 24)) array.columns();
  } catch (const kooplab::Error&) {
  }
  return 0;
}
