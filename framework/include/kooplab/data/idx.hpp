#pragma once
// IDX arrays, the file format of MNIST and Fashion-MNIST (LeCun's description:
// a big-endian 32-bit magic number 0x0000TTDD with element type TT and DD
// dimensions, DD big-endian 32-bit sizes, then the elements, big-endian).
// Files may be plain or gzip-compressed; zlib tells them apart by content.
#include <armadillo>
#include <filesystem>
#include <vector>

namespace kooplab {

// The elements stay in their stored form until asked for, so a subset of a
// large file is converted (and allocated as doubles) alone.
struct IdxArray {
  std::vector<arma::uword> shape;      // as stored: shape[0] counts the items
  unsigned type = 0x08;                // element type code
  std::vector<unsigned char> payload;  // the elements, big-endian

  arma::uword items() const { return shape.front(); }
  arma::uword item_size() const;  // product of shape[1..]
  // item_size × items as doubles: all items, or those listed (each < items()).
  arma::mat columns() const;
  arma::mat columns(const arma::uvec& which) const;
};

// Throws DataError naming the file when it is missing, unreadable, not an IDX
// file (magic number), shorter than its header declares, or longer (trailing bytes).
IdxArray read_idx(const std::filesystem::path& file);

}  // namespace kooplab
