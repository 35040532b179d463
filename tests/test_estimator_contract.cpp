// The estimator contract (kooplab/testing/koopman_model_checks.hpp) on every
// registered estimator, and the answers every estimator gives to bad data.
#include <doctest/doctest.h>

#include <map>

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/testing/koopman_model_checks.hpp"
#include "support.hpp"

using kooplab::KoopmanModel;
using kooplab::Trajectories;
using kooplab::testing::check_model_invariants;
using kooplab::testing::fit;
using kooplab::testing::LinearSystem;
using kooplab::testing::model_invariant_violations;
using kooplab::testing::ModelCheckOptions;

namespace {

// One contract case per estimator: its section, the observable it needs, and
// noise-free data it must describe exactly.
struct ContractCase {
  std::string estimator, observable;
  Trajectories data;
  ModelCheckOptions options = {};
};

// A new estimator needs an entry here (the test below fails naming it).
// The trajectories with `inputs` rows of zeros under each state: [x_t; 0].
Trajectories with_zero_inputs(Trajectories data, arma::uword inputs) {
  for (arma::mat& run : data.runs) run = arma::join_cols(run, arma::mat(inputs, run.n_cols, arma::fill::zeros));
  return data;
}

Trajectories sinusoid_signal() {
  Trajectories data;
  data.runs.push_back(kooplab::testing::sinusoids({0.4, 1.1}, 60, 0.0, 1));
  data.dt = 0.1;
  return data;
}

std::map<std::string, ContractCase> contract_cases() {
  const Trajectories linear = LinearSystem().data(3, 10);  // eigenvalues 0.9 (twice), 0.8 ± 0.3i, 0, 0.5
  Trajectories polynomial = kooplab::testing::PolynomialMap().data(4, 12, 5);
  polynomial.dt = 0.25;
  return {
      {"dmd", {"name: dmd", "", linear}},
      {"dmd_rrr", {"name: dmd_rrr", "", linear}},
      {"delay_dmd", {"name: delay_dmd\ndelays: 3\ninner: dmd_rrr", "", linear, {.settle = 2}}},
      // span{x1, x2, x1²} is invariant under x1' = μ x1, x2' = λ x2 + c x1².
      {"edmd", {"name: edmd", "name: polynomial\nexponents: [[1, 0], [0, 1], [2, 0]]", polynomial}},
      // On a diagonal system every product of coordinates is an eigenfunction.
      {"tt_edmd",
       {"name: tt_edmd\nbasis: {type: monomial, degree: 1}", "", LinearSystem({0.9, -0.6, 0.5}, false).data(4, 10)}},
      {"fbdmd", {"name: fbdmd", "", LinearSystem({0.9, 0.9, {0.8, 0.3}, -0.6, 0.4}).data(3, 10)}},  // invertible
      {"tlsdmd", {"name: tlsdmd", "", linear}},
      // Continuous-time rates: no zero or repeated eigenvalue (log 0, one mode per rate).
      {"bopdmd", {"name: bopdmd", "", LinearSystem({0.9, {0.8, 0.3}, 0.5, {0.3, 0.6}}).data(3, 10)}},
      // Two sinusoids: four delay coordinates evolve linearly, the forcing is round-off.
      {"havok", {"name: havok\ndelays: 6", "", sinusoid_signal(), {.settle = 5}}},
      {"hodmd", {"name: hodmd\ndelays: 6", "", sinusoid_signal(), {.settle = 5}}},
      // Zero inputs: the data are the free system dmdc models.
      {"dmdc", {"name: dmdc\ninputs: 2", "", with_zero_inputs(linear, 2)}},
      {"randomized_dmd", {"name: randomized_dmd\ntarget_rank: 6", "", linear}},
      {"streaming_dmd", {"name: streaming_dmd", "", linear}},
      // The polynomials of degree ≤ 2 are invariant under a linear map. RRR is
      // Tikhonov-regularised: its eigenfunctions carry a bias of order γ over
      // the smallest feature variance (1e-7 relative here), hence 1e-6.
      {"kernel_edmd", {"name: kernel_edmd\nkernel: polynomial", "", LinearSystem({0.9, 0.5}).data(5, 10)}},
      {"rrr",
       {"name: rrr\nkernel: polynomial\nrank: 6\nregularization: 1e-14",
        "",
        LinearSystem({0.9, 0.5}).data(5, 10),
        {.tolerance = 1e-6}}},
  };
}

}  // namespace

TEST_CASE("every registered estimator satisfies the Koopman model contract on exact data") {
  const auto cases = contract_cases();
  const std::vector<std::string> names = kooplab::testing::plugins().names("estimator");
  REQUIRE(!names.empty());
  for (const std::string& name : names) {
    CAPTURE(name);
    const auto found = cases.find(name);
    if (found == cases.end()) {
      FAIL_CHECK("estimator '" << name << "' has no entry in contract_cases() of tests/test_estimator_contract.cpp");
      continue;
    }
    const ContractCase& entry = found->second;
    const KoopmanModel model = fit(entry.estimator, entry.data, entry.observable);
    const std::vector<std::string> violations = model_invariant_violations(model, entry.data, entry.options);
    for (const auto& violation : violations) MESSAGE(name << ": " << violation);
    CHECK(violations.empty());
  }
}

TEST_CASE("the contract check names every violated invariant") {
  const LinearSystem system;
  const Trajectories data = system.data(3, 10);
  const KoopmanModel good = fit("name: dmd", data);
  CHECK(model_invariant_violations(good, data).empty());
  CHECK_NOTHROW(check_model_invariants(good, data));

  KoopmanModel broken = good;
  broken.dt.reset();
  broken.residuals(2) = -1.0;
  broken.amplitudes.resize(5);
  broken.eigenvalues(0) *= 1.01;  // no longer what the eigenfunctions do
  const std::vector<std::string> violations = model_invariant_violations(broken, data);
  CAPTURE(violations.size());
  const auto any = [&](const std::string& part) {
    return std::ranges::any_of(violations, [&](const std::string& v) { return kooplab::testing::contains(v, part); });
  };
  CHECK(any("Δt is unset, the data's is 0.5"));
  CHECK(any("residuals are not all finite and ≥ 0"));
  CHECK(any("5 amplitudes for 6 eigenvalues"));
  // Amplitudes of the wrong size stop the exact-data checks, which need them.
  CHECK(violations.size() == 3);
  broken.amplitudes = good.amplitudes;
  const std::vector<std::string> exact = model_invariant_violations(broken, data);
  CHECK(std::ranges::any_of(
      exact, [](const std::string& v) { return kooplab::testing::contains(v, "φ(x_(t+1)) = λ φ(x_t) fails"); }));
  CHECK(
      std::ranges::any_of(exact, [](const std::string& v) { return kooplab::testing::contains(v, "Koopman matrix"); }));
  CHECK_THROWS_WITH_AS(check_model_invariants(broken, data), doctest::Contains("the Koopman model violates"),
                       kooplab::Error);
  // On noisy data only the structure is checked.
  CHECK(model_invariant_violations(fit("name: dmd", system.data(3, 10, 0.1)), system.data(3, 10, 0.1), {.exact = false})
            .empty());
}

TEST_CASE("bad data give clear errors, constant data a clean answer, for every state-space estimator") {
  const LinearSystem system;
  for (const std::string estimator :
       {"name: dmd", "name: dmd_rrr", "name: edmd", "name: delay_dmd\ndelays: 2", "name: fbdmd", "name: tlsdmd",
        "name: randomized_dmd", "name: streaming_dmd", "name: bopdmd"}) {
    CAPTURE(estimator);
    Trajectories nan = system.data(2, 5);
    nan.runs[1](2, 3) = arma::datum::nan;
    CHECK_THROWS_WITH_AS(fit(estimator, nan, "name: identity"), doctest::Contains("non-finite"), kooplab::DataError);
    Trajectories short_run = system.data(2, 5);
    short_run.runs[0] = short_run.runs[0].col(0);
    CHECK_THROWS_WITH_AS(fit(estimator, short_run, "name: identity"), doctest::Contains("at least 2"),
                         kooplab::DataError);
    Trajectories zero = system.data(1, 5);
    zero.runs[0].zeros();
    CHECK_THROWS_WITH_AS(fit(estimator, zero, "name: identity"), doctest::Contains("rank 0"), kooplab::NumericalError);
    // Rank-deficient data with an explicit rank above the numerical rank
    // (streaming_dmd has no rank: its basis grows with the data).
    Trajectories flat;
    flat.runs.push_back(arma::vec{1.0, -2.0, 0.5, 0.0} *
                        arma::exp(std::log(0.7) * arma::regspace<arma::rowvec>(0, 12)));
    const std::string ranked = estimator.starts_with("name: delay_dmd") ? estimator + "\ninner: {name: dmd, rank: 3}"
                                                                        : estimator + "\nrank: 3";
    if (estimator != "name: streaming_dmd")
      CHECK_THROWS_WITH_AS(fit(ranked, flat, "name: identity"), doctest::Contains("numerical rank"),
                           kooplab::NumericalError);
    // A constant trajectory is the eigenvalue 1, exactly.
    Trajectories constant;
    constant.runs.push_back(arma::repmat(arma::vec{1.0, -2.0, 0.5}, 1, 9));
    const KoopmanModel model = fit(estimator, constant, "name: identity");
    REQUIRE(model.rank() == 1);
    CHECK(std::abs(model.eigenvalues(0) - 1.0) < 1e-12);
  }
}
