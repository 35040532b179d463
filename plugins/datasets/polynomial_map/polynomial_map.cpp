// Dataset `polynomial_map`: trajectories of a polynomial map x' = F(x), each
// component a sum of monomials, from initial states uniform in a box.
//
// dataset:
//   name: polynomial_map
//   terms:                          # one list per component i: F_i(x) = Σ c · Π_j x_j^{e_j}
//     - [[0.9, [1, 0]]]             #   x1' = 0.9 x1
//     - [[0.5, [0, 1]], [0.3, [2, 0]]]   #   x2' = 0.5 x2 + 0.3 x1²
//   eigenvalues: [0.9, 0.5, 0.81]   # known Koopman eigenvalues, if any (complex as [re, im])
//   trajectories: 4                 # number of trajectories
//   steps: 30                       # transitions per trajectory
//   initial_range: 1                # initial states uniform in [−r, r]^n
//   sensors: 0                      # > 0: record y = C x instead of x, C a sensors × n matrix of unit
//                                   #   rows drawn from sensor_seed (at least n sensors, so x = C⁺y and the
//                                   #   Koopman eigenvalues stay those of F): a low-dimensional system seen
//                                   #   in a higher-dimensional space, as hidden layers see their inputs
//   sensor_seed: 0
//   noise: 0                        # std of Gaussian measurement noise on every recorded snapshot
//   dt: 1                           # sampling interval
#include <fmt/format.h>

#include <algorithm>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"

namespace {

using kooplab::Config;

struct Term {
  double coefficient;
  arma::uvec exponents;
};

class PolynomialMap : public kooplab::Dataset {
 public:
  explicit PolynomialMap(const Config& section)
      : trajectories_(section.get_or<int>("trajectories", 4)),
        steps_(section.get_or<int>("steps", 30)),
        range_(section.get_or<double>("initial_range", 1.0)),
        noise_(section.get_or<double>("noise", 0.0)),
        dt_(section.get_or<double>("dt", 1.0)) {
    if (trajectories_ < 1) section.fail("trajectories", "expected at least 1");
    if (steps_ < 1) section.fail("steps", "expected at least 1");
    if (!(range_ > 0)) section.fail("initial_range", "expected a number > 0");
    if (noise_ < 0) section.fail("noise", "expected a standard deviation ≥ 0");
    if (!(dt_ > 0)) section.fail("dt", "expected a positive sampling interval");
    read_terms(section);
    if (section.has("eigenvalues")) read_eigenvalues(section);
    read_sensors(section);
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override {
    kooplab::Trajectories data;
    data.dt = dt_;
    data.true_eigenvalues = eigenvalues_;
    const arma::uword n = components_.size();
    for (int k = 0; k < trajectories_; ++k) {
      arma::mat run(n, arma::uword(steps_) + 1);
      run.col(0) = range_ * (2.0 * rng.uniform(n, 1) - 1.0);
      for (arma::uword t = 0; t < arma::uword(steps_); ++t) run.col(t + 1) = apply(run.col(t));
      if (!run.is_finite())
        throw kooplab::DataError(fmt::format("{}: trajectory {} diverged; lower initial_range or steps", identity(), k));
      if (!sensors_.is_empty()) run = sensors_ * run;
      if (noise_ > 0) run += noise_ * rng.normal(run.n_rows, run.n_cols);
      data.runs.push_back(std::move(run));
    }
    return data;
  }

 private:
  arma::vec apply(const arma::vec& x) const {
    arma::vec next(x.n_elem, arma::fill::zeros);
    for (arma::uword i = 0; i < components_.size(); ++i)
      for (const Term& term : components_[i]) next(i) += term.coefficient * arma::prod(arma::pow(x, arma::conv_to<arma::vec>::from(term.exponents)));
    return next;
  }

  void read_terms(const Config& section) {
    if (!section.has("terms")) section.fail("terms", "required: one list of [coefficient, [exponents]] per component");
    const YAML::Node list = section.node()["terms"];
    if (!list.IsSequence() || list.size() == 0) section.fail("terms", "expected one list of [coefficient, [exponents]] per component");
    const std::size_t n = list.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string key = fmt::format("terms[{}]", i);
      std::vector<Term> component;
      try {
        for (const YAML::Node& item : list[i]) {
          if (!item.IsSequence() || item.size() != 2) section.fail(key, "expected [coefficient, [exponents]] items");
          const auto exponents = item[1].as<std::vector<int>>();
          if (exponents.size() != n) section.fail(key, fmt::format("exponent vectors need {} entries (one per component)", n));
          if (std::any_of(exponents.begin(), exponents.end(), [](int e) { return e < 0; })) section.fail(key, "exponents must be ≥ 0");
          component.push_back({item[0].as<double>(), arma::conv_to<arma::uvec>::from(std::vector<arma::uword>(exponents.begin(), exponents.end()))});
        }
      } catch (const YAML::Exception&) {
        section.fail(key, "expected a list of [coefficient, [exponents]]");
      }
      components_.push_back(std::move(component));
    }
  }

  void read_eigenvalues(const Config& section) {
    const YAML::Node list = section.node()["eigenvalues"];
    if (!list.IsSequence() || list.size() == 0) section.fail("eigenvalues", "expected a list of eigenvalues");
    arma::cx_vec values(list.size());
    try {
      for (std::size_t i = 0; i < list.size(); ++i)
        values(i) = list[i].IsSequence() ? std::complex<double>(list[i][0].as<double>(), list[i][1].as<double>())
                                         : std::complex<double>(list[i].as<double>(), 0.0);
    } catch (const YAML::Exception&) {
      section.fail("eigenvalues", "expected numbers or [re, im] pairs");
    }
    eigenvalues_ = values;
  }

  void read_sensors(const Config& section) {
    const int count = section.get_or<int>("sensors", 0);
    const auto seed = section.get_or<std::uint64_t>("sensor_seed", 0);
    const auto n = int(components_.size());
    if (count == 0) return;
    if (count < n)
      section.fail("sensors", fmt::format("expected 0 or at least {} (the state dimension), so the states can be recovered", n));
    kooplab::Rng rng(seed, "polynomial_map sensors");
    sensors_ = arma::normalise(rng.normal(arma::uword(count), arma::uword(n)), 2, 1);
  }

  int trajectories_, steps_;
  double range_, noise_, dt_;
  std::vector<std::vector<Term>> components_;
  std::optional<arma::cx_vec> eigenvalues_;
  arma::mat sensors_;  // C (empty: the states themselves)
};

}  // namespace

KOOPLAB_PLUGIN(PolynomialMap, kooplab::Dataset, "polynomial_map",
               "Trajectories of a polynomial map x' = F(x) given term by term, from initial states uniform in a box")
