#pragma once
// NumPy arrays from .npy files and .npz archives (NumPy's format versions 1.0,
// 2.0 and 3.0), float32 or float64, either byte order, C or Fortran order.
// A .npy file and a stored .npz member are memory-mapped and converted to
// doubles only where read, so a block of a file larger than RAM can be read
// alone; a deflated member (numpy.savez_compressed) is inflated into memory.
//
// The header is untrusted input: its length, the dictionary's syntax, the
// dtype, every dimension and the product of the shape (checked for overflow)
// are checked against the file, and each error names the file (and the
// member) and what is wrong.
#include <armadillo>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace kooplab {

struct NpyHeader {
  std::size_t item_size = 8;  // 4 (float32) or 8 (float64)
  bool big_endian = false;
  bool fortran_order = false;
  std::vector<arma::uword> shape;  // () for a scalar
  std::size_t data_offset = 0;     // first byte of the elements
  arma::uword elements = 1;        // product of the shape
};

// Parses the header of the .npy content `bytes` and checks that the elements
// it declares fill the rest exactly. `where` names the file in errors.
NpyHeader parse_npy_header(std::span<const unsigned char> bytes, const std::string& where);

class NpyArray {
 public:
  // `bytes` (kept alive by `owner`) hold a whole .npy file's content.
  NpyArray(std::shared_ptr<const void> owner, std::span<const unsigned char> bytes, std::string where);

  const std::vector<arma::uword>& shape() const { return header_.shape; }
  const NpyHeader& header() const { return header_; }
  const std::string& where() const { return where_; }  // the file (and member), as errors name it

  // Matrix k of the array seen as a stack of matrices: a 1-D array of length L
  // is the 1 × L matrix 0, a 2-D array its only matrix, and a 3-D array of
  // shape (K, A, B) holds K matrices of A × B (k < K). Throws DataError for
  // other ranks.
  arma::uword matrices() const;
  arma::mat matrix(arma::uword k) const;
  // Rows [row, row + rows) of matrix k, columns [col, col + cols) of each, as
  // the columns of a cols × rows matrix (row-major data read column-major).
  arma::mat rows_as_columns(arma::uword k, arma::uword row, arma::uword rows, arma::uword col, arma::uword cols) const;

  // Elements [first, first + count) of the array flattened in C order (the
  // last axis fastest), whatever the file's order; any rank.
  arma::vec c_order(arma::uword first, arma::uword count) const;

 private:
  double element(arma::uword index) const;  // in storage order
  void c_order_into(arma::uword first, arma::uword count, double* out) const;

  std::shared_ptr<const void> owner_;
  std::span<const unsigned char> data_;
  NpyHeader header_;
  std::string where_;
};

// "(2, 3)": a shape as error messages show it.
std::string shape_text(const std::vector<arma::uword>& shape);

struct NamedNpyArray {
  std::string name;  // the member's name without ".npy"; the file's stem for a .npy file
  NpyArray array;
};

// The arrays of a .npy file (one) or a .npz archive (each member, in the
// archive's order). Throws DataError naming the file for anything unreadable.
std::vector<NamedNpyArray> read_npy_arrays(const std::filesystem::path& file);

}  // namespace kooplab
