#include "kooplab/data/mapped_file.hpp"

#include <fmt/format.h>

#include <boost/interprocess/file_mapping.hpp>
#include <boost/interprocess/mapped_region.hpp>

#include "kooplab/error.hpp"

namespace kooplab {

struct MappedFile::Mapping {
  boost::interprocess::file_mapping file;
  boost::interprocess::mapped_region region;
};

MappedFile::MappedFile(const std::filesystem::path& file) : path_(file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) throw DataError(fmt::format("{}: cannot open: {}", file.string(), error.message()));
  if (size == 0) return;  // mapped_region refuses an empty file
  try {
    mapping_ = std::make_unique<Mapping>();
    mapping_->file = boost::interprocess::file_mapping(file.c_str(), boost::interprocess::read_only);
    mapping_->region = boost::interprocess::mapped_region(mapping_->file, boost::interprocess::read_only);
  } catch (const boost::interprocess::interprocess_exception& failure) {
    throw DataError(fmt::format("{}: cannot map the file: {}", file.string(), failure.what()));
  }
  bytes_ = {static_cast<const unsigned char*>(mapping_->region.get_address()), mapping_->region.get_size()};
}

MappedFile::~MappedFile() = default;
MappedFile::MappedFile(MappedFile&&) noexcept = default;
MappedFile& MappedFile::operator=(MappedFile&&) noexcept = default;

}  // namespace kooplab
