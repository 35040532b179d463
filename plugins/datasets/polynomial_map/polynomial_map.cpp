// Dataset `polynomial_map`: trajectories of a polynomial map x' = F(x), each
// component a sum of monomials F_i(x) = Σ c · Π_j x_j^{e_j}, from initial
// states uniform in [−r, r]^n. With sensors > 0 the runs record y = C x
// instead, C a sensors × n matrix of unit rows drawn from sensor_seed (at
// least n sensors, so x = C⁺y and the Koopman eigenvalues stay those of F): a
// low-dimensional system seen in a higher-dimensional space, as hidden layers
// see their inputs. Keys: `kooplab plugins polynomial_map`.
//
//   terms:                                # one list per component
//     - [[0.9, [1, 0]]]                   #   x1' = 0.9 x1
//     - [[0.5, [0, 1]], [0.3, [2, 0]]]    #   x2' = 0.5 x2 + 0.3 x1²
#include <fmt/format.h>

#include <algorithm>

#include "kooplab/dataset.hpp"
#include "kooplab/dynamics/trajectory_sampling.hpp"
#include "kooplab/error.hpp"
#include "kooplab/memory_check.hpp"

namespace {

using kooplab::Config;

struct Term {
  double coefficient;
  arma::uvec exponents;
};
using Components = std::vector<std::vector<Term>>;

// terms: one list of [coefficient, [exponents]] per component.
Components read_terms(const Config& section) {
  if (!section.has("terms")) section.fail("terms", "required: one list of [coefficient, [exponents]] per component");
  const YAML::Node list = section.node()["terms"];
  if (!list.IsSequence() || list.size() == 0)
    section.fail("terms", "expected one list of [coefficient, [exponents]] per component");
  const std::size_t n = list.size();
  Components components;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string key = fmt::format("terms[{}]", i);
    std::vector<Term> component;
    try {
      for (const YAML::Node& item : list[i]) {
        if (!item.IsSequence() || item.size() != 2) section.fail(key, "expected [coefficient, [exponents]] items");
        const auto exponents = item[1].as<std::vector<int>>();
        if (exponents.size() != n)
          section.fail(key, fmt::format("exponent vectors need {} entries (one per component)", n));
        if (std::any_of(exponents.begin(), exponents.end(), [](int e) { return e < 0; }))
          section.fail(key, "exponents must be ≥ 0");
        component.push_back({item[0].as<double>(), arma::conv_to<arma::uvec>::from(
                                                       std::vector<arma::uword>(exponents.begin(), exponents.end()))});
      }
    } catch (const YAML::Exception&) {
      section.fail(key, "expected a list of [coefficient, [exponents]]");
    }
    components.push_back(std::move(component));
  }
  return components;
}

struct Settings {
  Components terms;
  std::optional<kooplab::ComplexList> eigenvalues;
  kooplab::TrajectorySampling sampling{.steps = 30};
  double initial_range = 1.0;
  int sensors = 0;
  std::uint64_t sensor_seed = 0;
};

class PolynomialMap : public kooplab::Dataset {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .custom({"terms", "list of lists of [coefficient, [exponents]]", "required",
                     "F term by term, one list per component (see the plugin's source)"},
                    [](const Config& section, Settings& settings) { settings.terms = read_terms(section); })
            .add("eigenvalues", &Settings::eigenvalues,
                 "known Koopman eigenvalues, if any (reported beside the estimates)",
                 kooplab::non_empty<kooplab::ComplexList>())
            .include(&Settings::sampling, kooplab::TrajectorySampling::options())
            .add("initial_range", &Settings::initial_range, "r: initial states uniform in [−r, r]^n",
                 kooplab::greater_than(0))
            .add("sensors", &Settings::sensors, "record y = C x through this many sensors (0: x itself)",
                 kooplab::at_least(0))
            .add("sensor_seed", &Settings::sensor_seed, "draws C");
    return options;
  }

  explicit PolynomialMap(const Config& section) : settings_(options().read(section)) {
    const auto n = int(settings_.terms.size());
    if (settings_.sensors > 0 && settings_.sensors < n)
      section.fail("sensors",
                   fmt::format("expected 0 or at least {} (the state dimension), so the states can be recovered", n));
    kooplab::check_memory(section, "sensors", 8.0 * double(settings_.sensors) * n,
                          fmt::format("{} sensors of {} states (C)", settings_.sensors, n));
    settings_.sampling.check_memory(section, std::max(double(n), double(settings_.sensors)));
    if (settings_.sensors > 0) {
      kooplab::Rng rng(settings_.sensor_seed, "polynomial_map sensors");
      sensors_ = arma::normalise(rng.normal(arma::uword(settings_.sensors), arma::uword(n)), 2, 1);
    }
    if (settings_.eigenvalues) eigenvalues_ = arma::cx_vec(*settings_.eigenvalues);
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override {
    const arma::uword n = settings_.terms.size();
    kooplab::Trajectories data = settings_.sampling.simulate(
        rng,
        [&](kooplab::Rng& draw) -> arma::vec { return settings_.initial_range * (2.0 * draw.uniform(n, 1) - 1.0); },
        [&](const arma::vec& x, kooplab::Rng&) { return apply(x); },
        [&](arma::mat run, int index) -> arma::mat {
          if (!run.is_finite())
            throw kooplab::DataError(
                fmt::format("{}: trajectory {} diverged; lower initial_range or steps", identity(), index));
          return sensors_.is_empty() ? run : arma::mat(sensors_ * run);
        });
    data.true_eigenvalues = eigenvalues_;
    return data;
  }

 private:
  arma::vec apply(const arma::vec& x) const {
    arma::vec next(x.n_elem, arma::fill::zeros);
    for (arma::uword i = 0; i < settings_.terms.size(); ++i)
      for (const Term& term : settings_.terms[i])
        next(i) += term.coefficient * arma::prod(arma::pow(x, arma::conv_to<arma::vec>::from(term.exponents)));
    return next;
  }

  Settings settings_;
  std::optional<arma::cx_vec> eigenvalues_;
  arma::mat sensors_;  // C (empty: the states themselves)
};

}  // namespace

KOOPLAB_PLUGIN(PolynomialMap, kooplab::Dataset, "polynomial_map",
               "Trajectories of a polynomial map x' = F(x) given term by term, from initial states uniform in a box")
