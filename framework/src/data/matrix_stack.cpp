#include "kooplab/data/matrix_stack.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"

namespace kooplab {

MatrixShape matrix_shape(const std::vector<arma::uword>& shape) {
  const std::size_t rank = shape.size();
  if (rank == 0) return {1, 1};
  return {rank == 1 ? 1 : shape[rank - 2], shape[rank - 1]};
}

void check_block(arma::uword k, arma::uword count, MatrixShape shape, arma::uword row, arma::uword rows,
                 arma::uword col, arma::uword cols, const std::string& where) {
  if (k >= count || row > shape.rows || rows > shape.rows - row || col > shape.cols || cols > shape.cols - col)
    throw DataError(
        fmt::format("{}: rows {}..{} and columns {}..{} of matrix {} are outside a stack of {} matrices of "
                    "{} × {}",
                    where, row, row + rows, col, col + cols, k, count, shape.rows, shape.cols));
}

}  // namespace kooplab
