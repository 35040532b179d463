#pragma once
// A file mapped read-only into memory, so a reader touches only the pages it
// reads and a file larger than RAM can still be read a block at a time.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>

namespace kooplab {

class MappedFile {
 public:
  // Throws DataError naming the file when it is missing or cannot be mapped.
  // An empty file maps to an empty span.
  explicit MappedFile(const std::filesystem::path& file);
  ~MappedFile();
  MappedFile(MappedFile&&) noexcept;
  MappedFile& operator=(MappedFile&&) noexcept;

  std::span<const unsigned char> bytes() const { return bytes_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Mapping;
  std::filesystem::path path_;
  std::unique_ptr<Mapping> mapping_;
  std::span<const unsigned char> bytes_;
};

}  // namespace kooplab
