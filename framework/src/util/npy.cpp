#include "kooplab/util/npy.hpp"

#include <fmt/format.h>

#include <cstring>
#include <regex>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

std::string header(const char* descr, arma::uword rows, arma::uword cols, bool as_vector) {
  const std::string shape = as_vector ? fmt::format("({},)", rows * cols) : fmt::format("({}, {})", rows, cols);
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': True, 'shape': {}, }}", descr, shape);
  // Magic (6) + version (2) + length (2) + dict + newline, padded to 64 bytes.
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(dict.size() & 0xff);
  out += char((dict.size() >> 8) & 0xff);
  return out + dict;
}

template <class Matrix>
std::string encode(const Matrix& values, const char* descr, bool as_vector) {
  std::string out = header(descr, values.n_rows, values.n_cols, as_vector);
  const std::size_t bytes = values.n_elem * sizeof(typename Matrix::elem_type);
  const std::size_t start = out.size();
  out.resize(start + bytes);
  if (bytes) std::memcpy(out.data() + start, values.memptr(), bytes);
  return out;
}

}  // namespace

std::string npy_bytes(const arma::mat& values, bool as_vector) { return encode(values, "<f8", as_vector); }
std::string npy_bytes(const arma::cx_mat& values, bool as_vector) { return encode(values, "<c16", as_vector); }

arma::mat read_npy(const std::string& bytes, const std::string& where) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw DataError(where + ": not a .npy file");
  const std::size_t length = std::uint8_t(bytes[8]) | (std::size_t(std::uint8_t(bytes[9])) << 8);
  if (bytes.size() < 10 + length) throw DataError(where + ": truncated .npy header");
  const std::string dict = bytes.substr(10, length);
  if (dict.find("'<f8'") == std::string::npos) throw DataError(where + ": only float64 .npy files are read");
  const bool fortran = dict.find("'fortran_order': True") != std::string::npos;
  std::smatch shape;
  if (!std::regex_search(dict, shape, std::regex(R"('shape': \((\d*),? ?(\d*),?\))")))
    throw DataError(where + ": cannot read the .npy shape");
  const arma::uword rows = shape[1].str().empty() ? 1 : std::stoull(shape[1].str());
  const arma::uword cols = shape[2].str().empty() ? 1 : std::stoull(shape[2].str());
  if (bytes.size() != 10 + length + rows * cols * sizeof(double)) throw DataError(where + ": .npy data has the wrong size");
  arma::mat out(fortran ? rows : cols, fortran ? cols : rows);
  std::memcpy(out.memptr(), bytes.data() + 10 + length, rows * cols * sizeof(double));
  return fortran ? out : arma::mat(out.t());
}

}  // namespace kooplab
