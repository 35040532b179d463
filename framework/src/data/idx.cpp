#include "kooplab/data/idx.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

// The whole decompressed content of a plain or gzip file.
std::vector<unsigned char> read_all(const std::filesystem::path& file) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> in(gzopen(file.c_str(), "rb"), &gzclose);
  if (!in) throw DataError(fmt::format("{}: cannot open IDX file: {}", file.string(), std::strerror(errno)));
  // Reads in pieces of the file's size, between 4 KB and 1 MB: a small file
  // costs no megabyte buffers, a large one few calls.
  const std::uintmax_t size = std::filesystem::file_size(file);
  const auto chunk = unsigned(std::clamp<std::uintmax_t>(size, 1u << 12, 1u << 20));
  gzbuffer(in.get(), chunk);
  std::vector<unsigned char> bytes;
  bytes.reserve(size + chunk);  // exact for plain files
  for (;;) {
    const std::size_t used = bytes.size();
    bytes.resize(used + chunk);
    const int got = gzread(in.get(), bytes.data() + used, chunk);
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(in.get(), &code);
      throw DataError(fmt::format("{}: corrupt or truncated gzip data ({})", file.string(), message));
    }
    bytes.resize(used + std::size_t(got));
    if (got == 0) break;
  }
  // zlib reports a gzip stream cut short only as a warning once the data ends.
  int code = 0;
  const char* message = gzerror(in.get(), &code);
  if (code != Z_OK) throw DataError(fmt::format("{}: corrupt or truncated gzip data ({})", file.string(), message));
  return bytes;
}

std::uint32_t big_endian_u32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

// Bytes per element of an IDX type code; 0 for codes the format does not define.
std::size_t element_size(unsigned type) {
  switch (type) {
    case 0x08:
    case 0x09:
      return 1;  // unsigned / signed byte
    case 0x0B:
      return 2;  // int16
    case 0x0C:
    case 0x0D:
      return 4;  // int32, float32
    case 0x0E:
      return 8;  // float64
    default:
      return 0;
  }
}

template <class T>
T big_endian(const unsigned char* p) {
  std::array<unsigned char, sizeof(T)> raw;
  std::memcpy(raw.data(), p, sizeof(T));
  if constexpr (std::endian::native == std::endian::little) std::reverse(raw.begin(), raw.end());
  T value;
  std::memcpy(&value, raw.data(), sizeof(T));
  return value;
}

// Converts `count` big-endian elements of type T, one type switch per file.
template <class T>
void convert(const unsigned char* p, double* out, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i, p += sizeof(T)) out[i] = double(big_endian<T>(p));
}

void convert(unsigned type, const unsigned char* p, double* out, std::size_t count) {
  switch (type) {
    case 0x08:
      std::copy(p, p + count, out);
      break;
    case 0x09:
      convert<std::int8_t>(p, out, count);
      break;
    case 0x0B:
      convert<std::int16_t>(p, out, count);
      break;
    case 0x0C:
      convert<std::int32_t>(p, out, count);
      break;
    case 0x0D:
      convert<float>(p, out, count);
      break;
    default:
      convert<double>(p, out, count);
      break;
  }
}

std::string dimensions_text(const std::vector<arma::uword>& shape) { return fmt::format("{}", fmt::join(shape, "×")); }

}  // namespace

IdxArray read_idx(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) throw DataError(fmt::format("{}: IDX file not found", file.string()));
  std::vector<unsigned char> bytes = read_all(file);
  if (bytes.size() < 4)
    throw DataError(
        fmt::format("{}: truncated: {} bytes, too short for an IDX magic number", file.string(), bytes.size()));
  const std::uint32_t magic = big_endian_u32(bytes.data());
  const unsigned type = bytes[2], dims = bytes[3];
  const std::size_t width = element_size(type);
  if (bytes[0] != 0 || bytes[1] != 0 || width == 0 || dims == 0)
    throw DataError(
        fmt::format("{}: not an IDX file: magic number 0x{:08X}, expected 0x0000TTDD with element type TT "
                    "one of 08 09 0B 0C 0D 0E and DD ≥ 1 dimensions",
                    file.string(), magic));
  const std::size_t header = 4 + 4 * std::size_t(dims);
  if (bytes.size() < header)
    throw DataError(fmt::format("{}: truncated: the header declares {} dimensions but the file has only {} bytes",
                                file.string(), dims, bytes.size()));
  IdxArray out;
  out.type = type;
  for (unsigned d = 0; d < dims; ++d) out.shape.push_back(big_endian_u32(bytes.data() + 4 + 4 * d));
  // A shape whose byte count overflows (65536⁴ is 0 modulo 2⁶⁴) must not pass for a small one.
  std::size_t data_bytes = width;
  for (const arma::uword n : out.shape) {
    if (n != 0 && data_bytes > std::numeric_limits<std::size_t>::max() / n)
      throw DataError(fmt::format("{}: shape {} declares more than 2⁶⁴ bytes of data, the file holds {}", file.string(),
                                  dimensions_text(out.shape), bytes.size() - header));
    data_bytes *= n;
  }
  const std::size_t count = out.item_size() * out.items();
  const std::size_t expected = header + count * width;
  if (bytes.size() < expected)
    throw DataError(fmt::format("{}: truncated: shape {} needs {} bytes of data, the file holds {}", file.string(),
                                dimensions_text(out.shape), count * width, bytes.size() - header));
  if (bytes.size() > expected)
    throw DataError(fmt::format("{}: {} unexpected bytes after the data of shape {}", file.string(),
                                bytes.size() - expected, dimensions_text(out.shape)));
  bytes.erase(bytes.begin(), bytes.begin() + std::ptrdiff_t(header));
  out.payload = std::move(bytes);
  return out;
}

arma::uword IdxArray::item_size() const {
  arma::uword size = 1;
  for (std::size_t d = 1; d < shape.size(); ++d) size *= shape[d];
  return size;
}

arma::mat IdxArray::columns() const {
  arma::mat out(item_size(), items());
  convert(type, payload.data(), out.memptr(), out.n_elem);
  return out;
}

arma::mat IdxArray::columns(const arma::uvec& which) const {
  const arma::uword size = item_size();
  const std::size_t stride = size * element_size(type);
  arma::mat out(size, which.n_elem);
  for (arma::uword j = 0; j < which.n_elem; ++j) {
    if (which(j) >= items()) throw DataError(fmt::format("IDX item {} requested of {}", which(j), items()));
    convert(type, payload.data() + which(j) * stride, out.colptr(j), size);
  }
  return out;
}

}  // namespace kooplab
