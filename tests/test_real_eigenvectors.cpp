// RealEigenvectors: the real form of a real matrix's eigenvectors gives M W
// from one real product, and W⁻¹ from one real inverse.
#include <doctest/doctest.h>

#include "kooplab/koopman/real_eigenvectors.hpp"

namespace {

// max_i ‖column i of M W from the real form − (M W)_i‖ / ‖M‖ ‖W‖.
double real_form_error(const kooplab::RealEigenvectors& real_w, const arma::cx_mat& w, const arma::mat& m) {
  const arma::cx_mat expected = arma::cx_mat(m, arma::zeros(arma::size(m))) * w;
  double worst = 0;
  real_w.for_each_column({&m}, [&](arma::uword i, const std::vector<arma::cx_vec>& columns) {
    worst = std::max(worst, arma::norm(columns[0] - expected.col(i)));
  });
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

TEST_CASE("for_each_column forms M W a block of columns at a time") {
  // 16384 rows give blocks of 64 real columns; 150 eigenvectors of a random
  // matrix, most of them in conjugate pairs, so pairs meet the block edges.
  arma::arma_rng::set_seed(5);
  const arma::mat a(150, 150, arma::fill::randn);
  arma::cx_vec lambda;
  arma::cx_mat w;
  REQUIRE(arma::eig_gen(lambda, w, a));
  const kooplab::RealEigenvectors real_w(w);
  const arma::mat m(16384, 150, arma::fill::randn), n = 2.0 * m;
  const arma::cx_mat mw = arma::cx_mat(m, arma::zeros(arma::size(m))) * w;
  arma::uword visited = 0;
  double worst = 0;
  real_w.for_each_column({&m, &n}, [&](arma::uword i, const std::vector<arma::cx_vec>& columns) {
    CHECK(i == visited++);
    REQUIRE(columns.size() == 2);
    worst = std::max({worst, arma::norm(columns[0] - mw.col(i)), arma::norm(columns[1] - 2.0 * mw.col(i))});
  });
  CHECK(visited == 150);
  CHECK(worst < 1e-13 * arma::norm(m) * arma::norm(w));
}
