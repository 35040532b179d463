// The tensor-train core: TT-SVD, orthonormalisation, rounding, contractions,
// and the structured SVD of Khatri–Rao products used by tt_edmd.
#include <doctest/doctest.h>

#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/koopman/tensor_train.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/util/memory.hpp"

using kooplab::TensorTrain;
using kooplab::TtTruncation;

namespace {

TensorTrain random_train(const std::vector<arma::uword>& dims, const std::vector<arma::uword>& ranks,
                         std::uint64_t seed) {
  kooplab::Rng rng(seed);
  std::vector<arma::cube> cores;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const arma::mat entries = rng.normal(ranks[k] * dims[k], ranks[k + 1]);
    cores.emplace_back(entries.memptr(), ranks[k], dims[k], ranks[k + 1]);
  }
  return TensorTrain(std::move(cores));
}

double relative_error(const arma::vec& a, const arma::vec& b) { return arma::norm(a - b) / arma::norm(b); }

// Column j = θ_d(:, j) ⊗ ... ⊗ θ_1(:, j): mode 1 runs fastest, as in the TT vectorisation.
arma::mat khatri_rao_dense(const std::vector<arma::mat>& factors) {
  arma::mat out;
  for (arma::uword j = 0; j < factors[0].n_cols; ++j) {
    arma::vec column = factors[0].col(j);
    for (std::size_t k = 1; k < factors.size(); ++k) column = arma::kron(factors[k].col(j), column);
    if (j == 0) out.set_size(column.n_elem, factors[0].n_cols);
    out.col(j) = column;
  }
  return out;
}

std::vector<arma::mat> random_factors(const std::vector<arma::uword>& dims, arma::uword m, std::uint64_t seed) {
  kooplab::Rng rng(seed);
  std::vector<arma::mat> factors;
  for (const arma::uword n : dims) factors.push_back(rng.uniform(n, m) * 2 - 1);
  return factors;
}

}  // namespace

TEST_CASE("truncation rank: tail budget, rank cap and numerical zeros") {
  const arma::vec sigma{4.0, 2.0, 1.0, 0.5};
  // dropping 0.5 and 1 leaves a tail √1.25 ≤ 1.2; dropping 2 as well would give √5.25.
  CHECK(kooplab::truncation_rank(sigma, 1.2, 0, 4, 4) == 2);
  CHECK(kooplab::truncation_rank(sigma, 1.2, 1, 4, 4) == 1);
  CHECK(kooplab::truncation_rank(sigma, 0.0, 0, 4, 4) == 4);
  CHECK(kooplab::truncation_rank(arma::vec{1.0, 1e-17}, 0.0, 0, 4, 4) == 1);
  CHECK(kooplab::truncation_rank(arma::vec{0.0, 0.0}, 0.0, 0, 4, 4) == 0);
}

TEST_CASE("a rank-one train is the Kronecker product of its factors") {
  const arma::vec a{1, 2}, b{3, -1, 0.5}, c{2, 4};
  const TensorTrain t = TensorTrain::rank_one({a, b, c});
  CHECK(t.ranks() == std::vector<arma::uword>{1, 1, 1, 1});
  CHECK(arma::approx_equal(t.full(), arma::kron(c, arma::kron(b, a)), "absdiff", 1e-15));
  CHECK(t.full()(0 + 2 * (1 + 3 * 1)) == doctest::Approx(1 * -1 * 4));  // T(0, 1, 1)
}

TEST_CASE("TT-SVD round trip of a low-rank tensor is exact and finds its ranks") {
  const std::vector<arma::uword> dims{3, 4, 5, 2}, ranks{1, 2, 3, 2, 1};
  const TensorTrain source = random_train(dims, ranks, 7);
  const arma::vec full = source.full();
  const TensorTrain back = TensorTrain::from_full(full, dims);
  CHECK(back.ranks() == ranks);
  CHECK(back.dims() == dims);
  CHECK(relative_error(back.full(), full) < 1e-13);
  CHECK(back.storage() == 3 * 2 + 2 * 4 * 3 + 3 * 5 * 2 + 2 * 2);
}

TEST_CASE("TT-SVD with a tolerance keeps the error within it") {
  // A tensor with decaying but full spectra: sum of a low-rank part and small noise.
  const std::vector<arma::uword> dims{4, 5, 4, 5};
  kooplab::Rng rng(3);
  const arma::vec full = random_train(dims, {1, 2, 2, 2, 1}, 11).full() + 0.05 * rng.normal(400, 1);
  for (const double epsilon : {0.3, 0.1, 0.02, 1e-6}) {
    CAPTURE(epsilon);
    const TensorTrain t = TensorTrain::from_full(full, dims, {epsilon, 0});
    CHECK(arma::norm(t.full() - full) <= epsilon * arma::norm(full) * (1 + 1e-12));
  }
  // A rank cap binds: ranks never exceed it.
  const TensorTrain capped = TensorTrain::from_full(full, dims, {0.0, 2});
  CHECK(capped.max_rank() == 2);
}

TEST_CASE("orthonormalisation keeps the tensor and makes the cores orthonormal") {
  const std::vector<arma::uword> dims{3, 4, 2, 3};
  const TensorTrain source = random_train(dims, {1, 3, 5, 3, 1}, 5);
  TensorTrain left = source, right = source;
  left.left_orthonormalise();
  right.right_orthonormalise();
  CHECK(relative_error(left.full(), source.full()) < 1e-13);
  CHECK(relative_error(right.full(), source.full()) < 1e-13);
  for (arma::uword k = 0; k + 1 < left.order(); ++k) {
    const arma::cube& c = left.core(k);
    const arma::mat unfolding(c.memptr(), c.n_rows * c.n_cols, c.n_slices);
    CHECK(arma::norm(unfolding.t() * unfolding - arma::eye(c.n_slices, c.n_slices)) < 1e-13);
  }
  for (arma::uword k = 1; k < right.order(); ++k) {
    const arma::cube& c = right.core(k);
    const arma::mat unfolding(c.memptr(), c.n_rows, c.n_cols * c.n_slices);
    CHECK(arma::norm(unfolding * unfolding.t() - arma::eye(c.n_rows, c.n_rows)) < 1e-13);
  }
  // No unfolding is narrower than its rank here, so both sweeps keep the ranks.
  CHECK(left.ranks() == source.ranks());
  CHECK(right.ranks() == source.ranks());
}

TEST_CASE("norm and inner product match the full tensors") {
  const std::vector<arma::uword> dims{2, 3, 4};
  const TensorTrain a = random_train(dims, {1, 2, 3, 1}, 1), b = random_train(dims, {1, 3, 2, 1}, 2);
  CHECK(kooplab::inner(a, b) == doctest::Approx(arma::dot(a.full(), b.full())).epsilon(1e-13));
  CHECK(a.norm() == doctest::Approx(arma::norm(a.full())).epsilon(1e-13));
  CHECK(relative_error((a + b).full(), a.full() + b.full()) < 1e-14);
  CHECK(relative_error((a - b).full(), a.full() - b.full()) < 1e-14);
  CHECK((a + b).ranks() == std::vector<arma::uword>{1, 5, 5, 1});
  CHECK(relative_error((2.5 * a).full(), 2.5 * a.full()) < 1e-15);
  CHECK_THROWS_AS(kooplab::inner(a, random_train({2, 3}, {1, 2, 1}, 3)), kooplab::DataError);
}

TEST_CASE("rounding recovers the ranks of a sum and respects the tolerance") {
  const std::vector<arma::uword> dims{3, 4, 5, 3};
  const TensorTrain a = random_train(dims, {1, 2, 3, 2, 1}, 9);
  TensorTrain doubled = a + a;  // ranks 4, 6, 4 holding a rank-(2, 3, 2) tensor
  doubled.round({1e-13, 0});
  CHECK(doubled.ranks() == std::vector<arma::uword>{1, 2, 3, 2, 1});
  CHECK(relative_error(doubled.full(), 2 * a.full()) < 1e-12);

  // Rounding a genuinely higher-rank tensor: error within ε‖T‖ for each ε.
  const TensorTrain b = random_train(dims, {1, 3, 6, 3, 1}, 4);
  for (const double epsilon : {0.5, 0.2, 0.05}) {
    CAPTURE(epsilon);
    TensorTrain rounded = b;
    rounded.round({epsilon, 0});
    CHECK(arma::norm(rounded.full() - b.full()) <= epsilon * arma::norm(b.full()) * (1 + 1e-12));
    CHECK(rounded.max_rank() <= b.max_rank());
  }
}

TEST_CASE("contractions with vectors, sample batches and matrices") {
  const std::vector<arma::uword> dims{3, 2, 4};
  const TensorTrain t = random_train(dims, {1, 2, 3, 1}, 6);
  const arma::vec v1{1, -2, 0.5}, v2{3, 1}, v3{0.1, 0.2, -1, 2};
  const double expected = arma::dot(t.full(), arma::kron(v3, arma::kron(v2, v1)));
  CHECK(kooplab::contract(t, {v1, v2, v3}) == doctest::Approx(expected).epsilon(1e-14));

  // Batches: all modes give one value per sample; leading modes the interface vectors.
  const std::vector<arma::mat> factors = random_factors(dims, 5, 8);
  const arma::mat values = kooplab::contract_leading(t, factors);
  REQUIRE(values.n_rows == 5);
  REQUIRE(values.n_cols == 1);
  const arma::mat psi = khatri_rao_dense(factors);
  for (arma::uword j = 0; j < 5; ++j)
    CHECK(values(j, 0) == doctest::Approx(arma::dot(t.full(), psi.col(j))).epsilon(1e-13));
  const arma::mat interface = kooplab::contract_leading(t, {factors[0], factors[1]});
  REQUIRE(interface.n_cols == 3);
  const arma::mat last = t.core(2).slice(0);  // r_2 × n_3
  for (arma::uword j = 0; j < 5; ++j)
    CHECK(arma::dot(interface.row(j), last * factors[2].col(j)) == doctest::Approx(values(j, 0)).epsilon(1e-13));

  // Mode product along mode 2 (0-based 1): T ×_2 M.
  const arma::mat m{{1, 2}, {0, -1}, {3, 0.5}};  // 3 × 2: mode size 2 → 3
  const TensorTrain product = kooplab::mode_product(t, 1, m);
  CHECK(product.dims() == std::vector<arma::uword>{3, 3, 4});
  arma::vec direct(3 * 3 * 4);
  const arma::vec full = t.full();
  for (arma::uword i = 0; i < 3; ++i)
    for (arma::uword p = 0; p < 3; ++p)
      for (arma::uword l = 0; l < 4; ++l) {
        double sum = 0;
        for (arma::uword q = 0; q < 2; ++q) sum += m(p, q) * full(i + 3 * (q + 2 * l));
        direct(i + 3 * (p + 3 * l)) = sum;
      }
  CHECK(relative_error(product.full(), direct) < 1e-14);
}

TEST_CASE("the basis decomposition of a Khatri–Rao product") {
  const std::vector<arma::uword> dims{2, 3, 2};
  const std::vector<arma::mat> factors = random_factors(dims, 6, 12);
  const arma::mat psi = khatri_rao_dense(factors);
  const TensorTrain t = kooplab::khatri_rao_tensor(factors);
  CHECK(t.ranks() == std::vector<arma::uword>{1, 6, 6, 6, 1});
  CHECK(relative_error(t.full(), arma::vectorise(psi)) < 1e-15);
}

TEST_CASE("structured SVD of a Khatri–Rao product equals the dense SVD") {
  const std::vector<arma::uword> dims{3, 2, 3, 2};
  const std::vector<arma::mat> factors = random_factors(dims, 50, 21);  // Ψ is 36 × 50, rank 36
  const arma::mat psi = khatri_rao_dense(factors);
  const arma::vec sigma = arma::svd(psi);
  // The Gram form squares the condition number (here σ_1/σ_36 ≈ 40): looser bounds.
  for (const auto& [method, bound] :
       {std::pair{kooplab::KhatriRaoMethod::svd, 1e-13}, std::pair{kooplab::KhatriRaoMethod::gram, 1e-11}}) {
    CAPTURE(bound);
    const kooplab::TtSvd svd = kooplab::khatri_rao_svd(factors, {}, method);
    REQUIRE(svd.sigma.n_elem == 36);
    CHECK(arma::norm(svd.sigma - sigma) / sigma(0) < bound);
    CHECK(svd.norm == doctest::Approx(arma::norm(psi, "fro")).epsilon(1e-13));
    const arma::mat u = arma::reshape(svd.u.full(), psi.n_rows, svd.sigma.n_elem);
    CHECK(arma::norm(u.t() * u - arma::eye(36, 36)) < 1e-13);
    CHECK(arma::norm(svd.v.t() * svd.v - arma::eye(36, 36)) < bound);
    CHECK(arma::norm(u * arma::diagmat(svd.sigma) * svd.v.t() - psi, "fro") / arma::norm(psi, "fro") < bound);
    CHECK(svd.u.ranks() == std::vector<arma::uword>{1, 3, 6, 18, 36, 1});
  }
}

TEST_CASE("truncated Khatri–Rao SVD: error within the tolerance and equal to the dropped norm") {
  // Points near a curve make the dictionary matrix numerically low-rank.
  kooplab::Rng rng(5);
  const arma::rowvec s = rng.uniform(1, 200) * 2 - 1;
  std::vector<arma::mat> factors;
  for (arma::uword k = 0; k < 4; ++k) {
    const arma::rowvec coordinate = arma::sin((k + 1.0) * s) + 1e-3 * rng.normal(1, 200);
    arma::mat theta(4, 200);
    for (arma::uword p = 0; p < 4; ++p) theta.row(p) = arma::pow(coordinate, double(p));
    factors.push_back(theta);
  }
  const arma::mat psi = khatri_rao_dense(factors);
  // The Gram form resolves σ only down to ≈ 1e-7 σ_1, so it is held to ε ≥ 1e-6.
  for (const auto& [method, epsilon] :
       {std::pair{kooplab::KhatriRaoMethod::svd, 1e-2}, std::pair{kooplab::KhatriRaoMethod::svd, 1e-4},
        std::pair{kooplab::KhatriRaoMethod::svd, 1e-8}, std::pair{kooplab::KhatriRaoMethod::gram, 1e-2},
        std::pair{kooplab::KhatriRaoMethod::gram, 1e-4}, std::pair{kooplab::KhatriRaoMethod::gram, 1e-6}}) {
    CAPTURE(epsilon);
    CAPTURE(int(method));
    const kooplab::TtSvd svd = kooplab::khatri_rao_svd(factors, {epsilon, 0}, method);
    const arma::mat u = arma::reshape(svd.u.full(), psi.n_rows, svd.sigma.n_elem);
    const double error = arma::norm(u * arma::diagmat(svd.sigma) * svd.v.t() - psi, "fro");
    CHECK(error <= epsilon * svd.norm * (1 + 1e-10));
    const double dropped = std::sqrt(std::max(svd.norm * svd.norm - arma::accu(arma::square(svd.sigma)), 0.0));
    // norm² − ‖σ‖² cancels down to ~√ε_machine ‖Ψ‖, so compare only well above that.
    if (epsilon >= 1e-4) CHECK(error == doctest::Approx(dropped).epsilon(1e-6));
    CHECK(svd.sigma.n_elem < 200);
  }
  const kooplab::TtSvd capped = kooplab::khatri_rao_svd(factors, {0.0, 5});
  CHECK(capped.u.max_rank() == 5);
}

TEST_CASE("malformed trains and factors are rejected") {
  CHECK_THROWS_AS(TensorTrain({arma::cube(1, 2, 2), arma::cube(3, 2, 1)}), kooplab::DataError);
  CHECK_THROWS_AS(TensorTrain({arma::cube(2, 2, 1)}), kooplab::DataError);
  CHECK_THROWS_AS(TensorTrain::from_full(arma::vec(5), {2, 3}), kooplab::DataError);
  CHECK_THROWS_AS(kooplab::khatri_rao_svd({arma::mat(2, 3), arma::mat(2, 4)}, {}), kooplab::DataError);
}

TEST_CASE("a TT-SVD step larger than the memory budget is refused before it is allocated") {
  kooplab::Rng rng(3, "budget");
  // Step 2 unfolds r_1 n_2 = 20 · 20 rows by 1000 samples: the unfolding and
  // its weighted copy alone are 6.4 MB.
  const std::vector<arma::mat> factors{rng.normal(20, 1000), rng.normal(20, 1000), rng.normal(20, 1000)};
  kooplab::set_memory_budget(4 << 20);
  std::string message;
  try {
    kooplab::khatri_rao_svd(factors, {}, kooplab::KhatriRaoMethod::gram);
  } catch (const kooplab::NumericalError& e) {
    message = e.what();
  }
  kooplab::set_memory_budget(0);
  CHECK(message.find("step 2 factors a 400×1000 matrix") != std::string::npos);
  CHECK(message.find("more than the budget of 4 MB (--max-memory)") != std::string::npos);
  CHECK(kooplab::khatri_rao_svd(factors, {0.0, 5}, kooplab::KhatriRaoMethod::gram).sigma.n_elem == 5);
}
