#pragma once
// NumPy .npy encoding (format 1.0), so numpy.load reads kooplab's arrays with
// no extra packages. Matrices are stored column-major (fortran_order: True).
#include <armadillo>
#include <string>
#include <vector>

namespace kooplab {

std::string npy_bytes(const arma::mat& values, bool as_vector = false);
std::string npy_bytes(const arma::cx_mat& values, bool as_vector = false);
// An array of any `shape` (() for a scalar) from its values in C order
// (fortran_order: False), as NumPy writes arrays by default.
std::string npy_bytes(const arma::vec& c_order, const std::vector<arma::uword>& shape);

// Reads a float64 .npy file written by npy_bytes (any shape up to 2-D); a 1-D
// array gives a column. `where` names the file in errors.
arma::mat read_npy(const std::string& bytes, const std::string& where);
// Reads a complex128 or float64 .npy file as complex numbers.
arma::cx_mat read_npy_complex(const std::string& bytes, const std::string& where);

}  // namespace kooplab
