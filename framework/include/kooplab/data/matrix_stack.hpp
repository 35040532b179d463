#pragma once
// An array of 1 to 3 axes seen as a stack of matrices, as the array readers
// (npy_array.hpp, hdf5_array.hpp) see it: a 3-D array of shape (K, A, B) holds
// K matrices A × B, a 2-D array is one matrix, a 1-D array of length L one
// 1 × L matrix.
#include <armadillo>
#include <string>
#include <vector>

namespace kooplab {

struct MatrixShape {
  arma::uword rows = 0, cols = 0;
};

// The shape of each matrix of an array of shape `shape` (1 to 3 axes).
MatrixShape matrix_shape(const std::vector<arma::uword>& shape);

// Throws DataError, naming `where`, unless rows [row, row + rows) and columns
// [col, col + cols) of matrix k lie inside a stack of `count` matrices of `shape`.
void check_block(arma::uword k, arma::uword count, MatrixShape shape, arma::uword row, arma::uword rows,
                 arma::uword col, arma::uword cols, const std::string& where);

}  // namespace kooplab
