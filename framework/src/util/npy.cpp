#include "kooplab/util/npy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <regex>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

std::string header(const char* descr, bool fortran_order, const std::string& shape) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", descr,
                                 fortran_order ? "True" : "False", shape);
  // Magic (6) + version (2) + length (2) + dict + newline, padded to 64 bytes.
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(dict.size() & 0xff);
  out += char((dict.size() >> 8) & 0xff);
  return out + dict;
}

std::string header(const char* descr, arma::uword rows, arma::uword cols, bool as_vector) {
  return header(descr, true, as_vector ? fmt::format("({},)", rows * cols) : fmt::format("({}, {})", rows, cols));
}

std::string with_data(std::string header, const void* data, std::size_t bytes) {
  const std::size_t start = header.size();
  header.resize(start + bytes);
  if (bytes) std::memcpy(header.data() + start, data, bytes);
  return header;
}

template <class Matrix>
std::string encode(const Matrix& values, const char* descr, bool as_vector) {
  return with_data(header(descr, values.n_rows, values.n_cols, as_vector), values.memptr(),
                   values.n_elem * sizeof(typename Matrix::elem_type));
}

}  // namespace

std::string npy_bytes(const arma::mat& values, bool as_vector) { return encode(values, "<f8", as_vector); }
std::string npy_bytes(const arma::cx_mat& values, bool as_vector) { return encode(values, "<c16", as_vector); }

std::string npy_bytes(const arma::vec& c_order, const std::vector<arma::uword>& shape) {
  arma::uword elements = 1;
  for (const arma::uword size : shape) elements *= size;
  if (elements != c_order.n_elem)
    throw DataError(fmt::format("npy_bytes: shape ({}) holds {} values, {} given", fmt::join(shape, ", "), elements,
                                c_order.n_elem));
  const std::string text =
      shape.size() == 1 ? fmt::format("({},)", shape.front()) : fmt::format("({})", fmt::join(shape, ", "));
  return with_data(header("<f8", false, text), c_order.memptr(), c_order.n_elem * sizeof(double));
}

namespace {

struct NpyHeader {
  bool complex = false, fortran = true;
  arma::uword rows = 1, cols = 1;
  std::size_t data_offset = 0;
};

// The layout of a float64 or complex128 .npy file (any shape up to 2-D).
NpyHeader read_header(const std::string& bytes, const std::string& where) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw DataError(where + ": not a .npy file");
  const std::size_t length = std::uint8_t(bytes[8]) | (std::size_t(std::uint8_t(bytes[9])) << 8);
  if (bytes.size() < 10 + length) throw DataError(where + ": truncated .npy header");
  const std::string dict = bytes.substr(10, length);
  NpyHeader header;
  header.complex = dict.find("'<c16'") != std::string::npos;
  if (!header.complex && dict.find("'<f8'") == std::string::npos)
    throw DataError(where + ": only float64 and complex128 .npy files are read");
  header.fortran = dict.find("'fortran_order': True") != std::string::npos;
  std::smatch shape;
  if (!std::regex_search(dict, shape, std::regex(R"('shape': \((\d*),? ?(\d*),?\))")))
    throw DataError(where + ": cannot read the .npy shape");
  header.rows = shape[1].str().empty() ? 1 : std::stoull(shape[1].str());
  header.cols = shape[2].str().empty() ? 1 : std::stoull(shape[2].str());
  header.data_offset = 10 + length;
  const std::size_t element = header.complex ? sizeof(arma::cx_double) : sizeof(double);
  if (bytes.size() != header.data_offset + header.rows * header.cols * element)
    throw DataError(where + ": .npy data has the wrong size");
  return header;
}

template <class Matrix>
Matrix read_data(const std::string& bytes, const NpyHeader& header) {
  Matrix out(header.fortran ? header.rows : header.cols, header.fortran ? header.cols : header.rows);
  std::memcpy(out.memptr(), bytes.data() + header.data_offset, out.n_elem * sizeof(typename Matrix::elem_type));
  return header.fortran ? out : Matrix(out.st());
}

}  // namespace

arma::mat read_npy(const std::string& bytes, const std::string& where) {
  const NpyHeader header = read_header(bytes, where);
  if (header.complex) throw DataError(where + ": a complex .npy file where real numbers are expected");
  return read_data<arma::mat>(bytes, header);
}

arma::cx_mat read_npy_complex(const std::string& bytes, const std::string& where) {
  const NpyHeader header = read_header(bytes, where);
  if (header.complex) return read_data<arma::cx_mat>(bytes, header);
  return arma::conv_to<arma::cx_mat>::from(read_data<arma::mat>(bytes, header));
}

}  // namespace kooplab
