// RealEigenvectors: the real form of a real matrix's eigenvectors gives M W
// from one real product, and W⁻¹ from one real inverse.
#include <doctest/doctest.h>

#include "kooplab/koopman/real_eigenvectors.hpp"

namespace {

// max_i ‖column i of M W from the real form − (M W)_i‖ / ‖M‖ ‖W‖.
double real_form_error(const kooplab::RealEigenvectors& real_w, const arma::cx_mat& w, const arma::mat& m) {
  const arma::mat product = m * real_w.columns();
  const arma::cx_mat expected = arma::cx_mat(m, arma::zeros(arma::size(m))) * w;
  double worst = 0;
  for (arma::uword i = 0; i < w.n_cols; ++i)
    worst = std::max(worst, arma::norm(real_w.column(product, i) - expected.col(i)));
  return worst / (arma::norm(m) * arma::norm(w));
}

}  // namespace

TEST_CASE("a conjugate pair shares one real and one imaginary column") {
  // Eigenvalues 0.5 ± 0.8i (a rotation-scaling block) and 0.3.
  const arma::mat a = {{0.5, -0.8, 0.1}, {0.8, 0.5, 0.2}, {0.0, 0.0, 0.3}};
  arma::cx_vec lambda;
  arma::cx_mat w;
  REQUIRE(arma::eig_gen(lambda, w, a));
  const kooplab::RealEigenvectors real_w(w);
  CHECK(real_w.columns().n_cols == 3);
  arma::arma_rng::set_seed(3);
  const arma::mat m(7, 3, arma::fill::randn);
  CHECK(real_form_error(real_w, w, m) < 1e-14);
  // W⁻¹ from the real form: W W⁻¹ = I, and the complex inverse's values.
  const std::optional<arma::cx_mat> inverse = real_w.inverse();
  REQUIRE(inverse.has_value());
  CHECK(arma::norm(w * *inverse - arma::eye<arma::cx_mat>(3, 3)) < 1e-14);
  CHECK(arma::norm(*inverse - arma::inv(w)) < 1e-14 * arma::norm(arma::inv(w)));
}

TEST_CASE("a complex vector without its conjugate keeps two real columns") {
  const arma::cx_mat w = {{{1.0, 2.0}, {0.5, 0.0}}, {{-1.0, 0.25}, {2.0, 0.0}}};
  const kooplab::RealEigenvectors real_w(w);
  CHECK(real_w.columns().n_cols == 3);
  const arma::mat m = {{1.0, 2.0}, {3.0, -4.0}, {0.5, 0.25}};
  CHECK(real_form_error(real_w, w, m) < 1e-14);
  CHECK_FALSE(real_w.inverse().has_value());  // Wᵣ is 2 × 3
}

TEST_CASE("the real form of singular eigenvectors has no inverse") {
  const arma::cx_mat w = {{{1.0, 1.0}, {1.0, -1.0}, {2.0, 0.0}},
                          {{0.5, 0.0}, {0.5, 0.0}, {1.0, 0.0}},
                          {{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}}};
  CHECK_FALSE(kooplab::RealEigenvectors(w).inverse().has_value());
}
