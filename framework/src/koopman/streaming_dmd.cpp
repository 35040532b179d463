#include "kooplab/koopman/streaming_dmd.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/exact_dmd.hpp"

namespace kooplab {

const Options<StreamingDmdOptions>& StreamingDmdOptions::options() {
  static const auto options =
      Options<StreamingDmdOptions>()
          .add("forgetting", &StreamingDmdOptions::forgetting,
               "ρ: pair j of M weighs ρ^(M − j) in the least squares (1: batch exact DMD)", in_left_open(0, 1))
          .add("tolerance", &StreamingDmdOptions::tolerance,
               "a snapshot adds a basis direction when its part outside the span exceeds this share of its norm",
               in_open(0, 1));
  return options;
}

namespace {

// The coordinates of v in `basis` (orthonormal columns), after adding the
// normalised part of v outside the span as a new column when it exceeds
// `tolerance` ‖v‖. Classical Gram–Schmidt applied twice keeps the basis
// orthonormal to round-off.
arma::vec project_and_extend(arma::mat& basis, const arma::vec& v, double tolerance) {
  arma::vec coordinates = basis.t() * v;
  arma::vec rest = v - basis * coordinates;
  const arma::vec correction = basis.t() * rest;
  rest -= basis * correction;
  coordinates += correction;
  const double remainder = arma::norm(rest);
  if (!(remainder > tolerance * arma::norm(v))) return coordinates;
  basis.insert_cols(basis.n_cols, rest / remainder);
  coordinates.resize(coordinates.n_elem + 1);
  coordinates(coordinates.n_elem - 1) = remainder;
  return coordinates;
}

}  // namespace

StreamingDmd::StreamingDmd(arma::uword state_dim, const StreamingDmdOptions& options)
    : options_(options), basis_x_(state_dim, 0), basis_y_(state_dim, 0) {}

void StreamingDmd::update(const arma::vec& x, const arma::vec& y) {
  if (x.n_elem != basis_x_.n_rows || y.n_elem != basis_x_.n_rows)
    throw DataError(fmt::format("streaming DMD: a pair of states of dimension {} and {}, the stream has dimension {}",
                                x.n_elem, y.n_elem, basis_x_.n_rows));
  const arma::vec cx = project_and_extend(basis_x_, x, options_.tolerance);
  const arma::vec cy = project_and_extend(basis_y_, y, options_.tolerance);
  gram_x_.resize(cx.n_elem, cx.n_elem);  // new directions: zero for the earlier pairs
  cross_.resize(cy.n_elem, cx.n_elem);
  if (options_.forgetting != 1.0) {
    gram_x_ *= options_.forgetting;
    cross_ *= options_.forgetting;
  }
  gram_x_ += cx * cx.t();
  cross_ += cy * cx.t();
  ++pairs_;
}

KoopmanModel StreamingDmd::model(const arma::vec& first_snapshot, const std::string& where) const {
  if (rank() == 0) throw NumericalError(where + ": the snapshot matrix is zero (rank 0); nothing to fit");
  // B = Qy Ayx Gx⁻¹ with Gx symmetric: Gx⁻¹ Ayxᵀ solved, then transposed.
  arma::mat coefficients;
  if (!arma::solve(coefficients, gram_x_, cross_.t(), arma::solve_opts::no_approx))
    throw NumericalError(where + ": the snapshot Gram matrix is singular (forgetting too strong for the data?)");
  const arma::mat b = basis_y_ * coefficients.t();
  KoopmanModel model = exact_dmd_model(basis_x_, b, first_snapshot, where);
  model.diagnostics["pairs"] = double(pairs_);
  return model;
}

}  // namespace kooplab
