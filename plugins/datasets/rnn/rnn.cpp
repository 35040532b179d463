// Dataset `rnn`: trajectories of a continuous-time network (network_dynamics.hpp),
// integrated with Boost.Odeint (adaptive Runge–Kutta) and sampled every dt from
// random initial states. Also a NetworkDynamicsSource, so rnn_eigenfunctions
// can set the data beside the analytical eigenfunctions.
//
// dataset:
//   name: rnn
//   model: rnn                 # rnn | family1 | family2 (default rnn)
//                              #   rnn:     dx/dt = −x + W σ(x) + θ
//                              #   family1: dx/dt = (1/ζ'(x)) [−ζ(x) + W h(x)]
//                              #   family2: dx/dt = (1/ζ'(x)) [−c + W h(x)]
//   weights: [[-1, 0, -2], [3, 1, 2], [0, -1, 4]]   # W itself, or instead a random W:
//   size: 10                   #   N
//   rank: 3                    #   its rank r (1 ≤ r ≤ N), W = scale · A Bᵀ / √(N r),
//   weight_scale: 1            #   A, B ~ N(0, 1) of size N × r drawn from the run's Rng
//   sigma: tanh                # rnn only: activation (elementwise_function.hpp; default tanh)
//   theta: 0                   # rnn only: number or list of N (default 0)
//   zeta: identity             # family1/2: ζ, must be invertible with ζ' ≠ 0 on the visited
//                              #   states: identity, affine (gain ≠ 0), sinh, asinh on all of ℝ;
//                              #   tanh, sigmoid, softplus only while ζ(x) stays in their range
//   h: tanh                    # family1/2: h, applied component-wise (default tanh)
//   c: 0                       # family2 only: number or list of N (default 0)
//   trajectories: 20           # number of initial states x0 ~ N(0, initial_scale² I)
//   initial_scale: 1
//   steps: 50                  # samples after x0 (steps + 1 snapshots per trajectory)
//   dt: 0.1                    # sampling interval Δt
//   integrator: dopri5         # dopri5 (runge_kutta_dopri5) | cash_karp54 (runge_kutta_cash_karp54)
//   abs_tolerance: 1e-10       # error tolerances of the adaptive step control
//   rel_tolerance: 1e-10
// An integration that needs more than 100000 steps between two samples fails.
// The trajectories' true_eigenvalues are e^{λΔt} of the analytical eigenfunctions.
#include <fmt/format.h>

#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <vector>

#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/dynamics/rnn_families.hpp"
#include "kooplab/dynamics/null_space_eigenfunctions.hpp"

namespace {

using kooplab::Config;
using kooplab::ElementwiseFunction;
using kooplab::NetworkDynamics;
namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;

// Steps allowed between two samples before the integration counts as stuck.
constexpr int max_steps_per_sample = 100000;

class Rnn : public kooplab::Dataset, public kooplab::NetworkDynamicsSource {
 public:
  explicit Rnn(const Config& section)
      : model_(section.get_or<std::string>("model", "rnn")),
        trajectories_(section.get_or<int>("trajectories", 20)),
        steps_(section.get_or<int>("steps", 50)),
        dt_(section.get_or<double>("dt", 0.1)),
        initial_scale_(section.get_or<double>("initial_scale", 1.0)),
        integrator_(section.get_or<std::string>("integrator", "dopri5")),
        abs_tolerance_(section.get_or<double>("abs_tolerance", 1e-10)),
        rel_tolerance_(section.get_or<double>("rel_tolerance", 1e-10)) {
    if (trajectories_ < 1) section.fail("trajectories", "expected at least 1");
    if (steps_ < 1) section.fail("steps", "expected at least 1");
    if (!(dt_ > 0)) section.fail("dt", "expected a positive sampling interval");
    if (!(initial_scale_ > 0)) section.fail("initial_scale", "expected a positive standard deviation");
    if (integrator_ != "dopri5" && integrator_ != "cash_karp54")
      section.fail("integrator", fmt::format("expected dopri5 or cash_karp54, got '{}'", integrator_));
    if (!(abs_tolerance_ > 0)) section.fail("abs_tolerance", "expected a positive tolerance");
    if (!(rel_tolerance_ > 0)) section.fail("rel_tolerance", "expected a positive tolerance");
    read_weights(section);
    read_model(section);
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override { return sample(rng).data; }

  Sample sample(kooplab::Rng& rng) const override {
    NetworkDynamics dynamics = dynamics_;
    if (dynamics.weights.is_empty()) {
      const arma::mat a = rng.normal(size_, rank_), b = rng.normal(size_, rank_);
      dynamics.weights = weight_scale_ / std::sqrt(double(size_ * rank_)) * a * b.t();
    }
    dynamics.validate(identity());
    kooplab::Trajectories data;
    data.dt = dt_;
    const kooplab::NullSpaceEigenfunctions analytical = kooplab::null_space_eigenfunctions(dynamics);
    if (analytical.count() > 0)
      data.true_eigenvalues = arma::cx_vec(arma::exp(analytical.eigenvalues * dt_), arma::zeros(analytical.count()));
    for (int k = 0; k < trajectories_; ++k)
      data.runs.push_back(integrate(dynamics, initial_scale_ * rng.normal(dynamics.size(), 1), k));
    return {std::move(dynamics), std::move(data)};
  }

 private:
  void read_weights(const Config& section) {
    if (section.has("weights") == section.has("rank"))
      section.fail("give exactly one of 'weights' (the matrix W) and 'rank' (with 'size', for a random W)");
    if (section.has("weights")) {
      dynamics_.weights = section.get<arma::mat>("weights");
      if (!dynamics_.weights.is_square())
        section.fail("weights", fmt::format("expected a square matrix, got {}×{}", dynamics_.weights.n_rows, dynamics_.weights.n_cols));
      size_ = dynamics_.weights.n_rows;
      return;
    }
    const int size = section.get<int>("size"), rank = section.get<int>("rank");
    weight_scale_ = section.get_or<double>("weight_scale", 1.0);
    if (size < 1) section.fail("size", "expected at least 1");
    if (rank < 1 || rank > size) section.fail("rank", fmt::format("expected 1 ≤ rank ≤ size = {}, got {}", size, rank));
    if (!std::isfinite(weight_scale_)) section.fail("weight_scale", "expected a finite number");
    size_ = arma::uword(size);
    rank_ = arma::uword(rank);
  }

  void read_model(const Config& section) {
    const auto sized = [&](std::string_view key, double fallback) {
      const arma::vec values = kooplab::number_or_list(section, key, fallback);
      if (values.n_elem != 1 && values.n_elem != size_)
        section.fail(key, fmt::format("expected a number or a list of {} entries, got {}", size_, values.n_elem));
      return values.n_elem == 1 ? arma::vec(size_, arma::fill::value(values(0))) : values;
    };
    if (model_ == "rnn") {
      dynamics_.family = NetworkDynamics::Family::one;
      dynamics_.zeta = ElementwiseFunction(ElementwiseFunction::Base::identity, arma::vec{1.0}, -sized("theta", 0.0));
      dynamics_.h = section.has("sigma") ? ElementwiseFunction::from_config(section, "sigma")
                                         : ElementwiseFunction(ElementwiseFunction::Base::tanh, {1.0}, {0.0});
    } else if (model_ == "family1" || model_ == "family2") {
      dynamics_.family = model_ == "family1" ? NetworkDynamics::Family::one : NetworkDynamics::Family::two;
      if (section.has("zeta")) dynamics_.zeta = ElementwiseFunction::from_config(section, "zeta");
      dynamics_.h = section.has("h") ? ElementwiseFunction::from_config(section, "h")
                                     : ElementwiseFunction(ElementwiseFunction::Base::tanh, {1.0}, {0.0});
      if (dynamics_.family == NetworkDynamics::Family::two) dynamics_.drive = sized("c", 0.0);
      if (!dynamics_.zeta.strictly_monotone())
        section.fail("zeta", fmt::format("{} is not invertible (zeta' vanishes); the families need zeta' ≠ 0", dynamics_.zeta.describe()));
    } else {
      section.fail("model", fmt::format("expected rnn, family1 or family2, got '{}'", model_));
    }
    for (const auto& [key, function] : {std::pair{"zeta", &dynamics_.zeta}, std::pair{"h", &dynamics_.h}})
      if (function->components() != 0 && function->components() != size_)
        section.fail(model_ == "rnn" && std::string_view(key) == "h" ? "sigma" : key,
                     fmt::format("has parameters for {} components, the network has {}", function->components(), size_));
  }

  // One trajectory sampled at t = 0, dt, ..., steps·dt.
  arma::mat integrate(const NetworkDynamics& dynamics, const arma::vec& x0, int index) const {
    const arma::uword n = dynamics.size();
    arma::mat run(n, arma::uword(steps_) + 1);
    const auto system = [&](const State& x, State& dxdt, double) {
      const arma::vec rate = dynamics.rate(arma::vec(const_cast<double*>(x.data()), n, false, true));
      dxdt.assign(rate.begin(), rate.end());
    };
    arma::uword column = 0;
    const auto observe = [&](const State& x, double t) {
      run.col(column) = arma::vec(x);
      if (!run.col(column).is_finite())
        throw kooplab::NumericalError(fmt::format("{}: trajectory {} left the domain where ζ' ≠ 0 (non-finite state at t = {})",
                                                  identity(), index, t));
      ++column;
    };
    std::vector<double> times(arma::uword(steps_) + 1);
    for (std::size_t k = 0; k < times.size(); ++k) times[k] = double(k) * dt_;
    State x(x0.begin(), x0.end());
    try {
      if (integrator_ == "dopri5")
        odeint::integrate_times(odeint::make_controlled(abs_tolerance_, rel_tolerance_, odeint::runge_kutta_dopri5<State>()),
                                system, x, times.begin(), times.end(), dt_ / 10, observe,
                                odeint::max_step_checker(max_steps_per_sample));
      else
        odeint::integrate_times(odeint::make_controlled(abs_tolerance_, rel_tolerance_, odeint::runge_kutta_cash_karp54<State>()),
                                system, x, times.begin(), times.end(), dt_ / 10, observe,
                                odeint::max_step_checker(max_steps_per_sample));
    } catch (const odeint::odeint_error& e) {
      throw kooplab::NumericalError(fmt::format("{}: integrating trajectory {} failed: {}", identity(), index, e.what()));
    }
    return run;
  }

  std::string model_;
  int trajectories_, steps_;
  double dt_, initial_scale_;
  std::string integrator_;
  double abs_tolerance_, rel_tolerance_;
  arma::uword size_ = 0, rank_ = 0;
  double weight_scale_ = 1.0;
  NetworkDynamics dynamics_;  // weights empty when drawn per run
};

}  // namespace

KOOPLAB_PLUGIN(Rnn, kooplab::Dataset, "rnn",
               "Continuous-time RNN dx/dt = -x + W sigma(x) + theta and the low-rank families of Claveau et al., "
               "integrated by adaptive Runge-Kutta (Boost.Odeint)")
