// Dataset `rnn`: trajectories of a continuous-time network (network_dynamics.hpp),
// integrated with Boost.Odeint (adaptive Runge–Kutta) and sampled every dt from
// random initial states. Also a NetworkDynamicsSource, so rnn_eigenfunctions
// can set the data beside the analytical eigenfunctions.
//
//   rnn:     dx/dt = −x + W σ(x) + θ
//   family1: dx/dt = (1/ζ'(x)) [−ζ(x) + W h(x)]
//   family2: dx/dt = (1/ζ'(x)) [−c + W h(x)]
// W is given, or drawn per run as W = scale · A Bᵀ / √(N r) with A, B ~ N(0, 1)
// of size N × r. ζ must be invertible with ζ' ≠ 0 on the visited states:
// identity, affine (gain ≠ 0), sinh, asinh on all of ℝ; tanh, sigmoid,
// softplus only while ζ(x) stays in their range. Initial states are
// x0 ~ N(0, initial_scale² I). An integration that needs more than 100000
// steps between two samples fails. The trajectories' true_eigenvalues are
// e^{λΔt} of the analytical eigenfunctions. Keys: `kooplab plugins rnn`.
#include <fmt/format.h>

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <vector>

#include "kooplab/dataset.hpp"
#include "kooplab/dynamics/null_space_eigenfunctions.hpp"
#include "kooplab/dynamics/rnn_families.hpp"
#include "kooplab/error.hpp"
#include "kooplab/memory_check.hpp"

namespace {

using kooplab::Config;
using kooplab::ElementwiseFunction;
using kooplab::NetworkDynamics;
namespace odeint = boost::numeric::odeint;
using State = std::vector<double>;

// Steps allowed between two samples before the integration counts as stuck.
constexpr int max_steps_per_sample = 100000;

enum class Model { rnn, family1, family2 };
enum class Integrator { dopri5, cash_karp54 };

ElementwiseFunction plain(ElementwiseFunction::Base base) { return {base, arma::vec{1.0}, arma::vec{0.0}}; }

struct Settings {
  Model model = Model::rnn;
  arma::mat weights;
  std::optional<int> size, rank;
  double weight_scale = 1.0;
  ElementwiseFunction sigma = plain(ElementwiseFunction::Base::tanh);
  kooplab::NumberOrList theta{arma::vec{0.0}};
  ElementwiseFunction zeta = ElementwiseFunction::identity();
  ElementwiseFunction h = plain(ElementwiseFunction::Base::tanh);
  kooplab::NumberOrList c{arma::vec{0.0}};
  int trajectories = 20;
  double initial_scale = 1.0;
  int steps = 50;
  double dt = 0.1;
  Integrator integrator = Integrator::dopri5;
  double abs_tolerance = 1e-10, rel_tolerance = 1e-10;
};

// The keys that belong to some models only.
const std::vector<std::pair<std::string, std::vector<Model>>> model_keys{{"sigma", {Model::rnn}},
                                                                         {"theta", {Model::rnn}},
                                                                         {"zeta", {Model::family1, Model::family2}},
                                                                         {"h", {Model::family1, Model::family2}},
                                                                         {"c", {Model::family2}}};

class Rnn : public kooplab::Dataset, public kooplab::NetworkDynamicsSource {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .choice("model", &Settings::model, models(), "the network: the RNN, or family one or two of Claveau et al.")
            .add("weights", &Settings::weights, "W itself", kooplab::square())
            .add("rank", &Settings::rank, "r, for a random W of rank r (with size)", kooplab::at_least(1))
            .exactly_one_of({"weights", "rank"})
            .add("size", &Settings::size, "N, the number of units of a random W", kooplab::at_least(1))
            .add("weight_scale", &Settings::weight_scale, "scale of a random W")
            .add("sigma", &Settings::sigma, "rnn: the activation σ")
            .add("theta", &Settings::theta, "rnn: θ, one number or N")
            .add("zeta", &Settings::zeta, "family1/2: ζ")
            .add("h", &Settings::h, "family1/2: h, applied component-wise")
            .add("c", &Settings::c, "family2: c, one number or N")
            .add("trajectories", &Settings::trajectories, "number of initial states", kooplab::at_least(1))
            .add("initial_scale", &Settings::initial_scale, "standard deviation of the initial states",
                 kooplab::greater_than(0))
            .add("steps", &Settings::steps, "samples after x0 (steps + 1 snapshots per trajectory)",
                 kooplab::at_least(1))
            .add("dt", &Settings::dt, "sampling interval Δt", kooplab::greater_than(0))
            .choice("integrator", &Settings::integrator,
                    {{"dopri5", Integrator::dopri5}, {"cash_karp54", Integrator::cash_karp54}},
                    "Boost.Odeint's runge_kutta_dopri5 or runge_kutta_cash_karp54")
            .add("abs_tolerance", &Settings::abs_tolerance, "absolute error tolerance of the adaptive step control",
                 kooplab::greater_than(0))
            .add("rel_tolerance", &Settings::rel_tolerance, "relative error tolerance of the adaptive step control",
                 kooplab::greater_than(0));
    return options;
  }

  explicit Rnn(const Config& section) : settings_(options().read(section)) {
    read_weights(section);
    check_memory(section);
    read_model(section);
  }

  kooplab::Trajectories trajectories(kooplab::Rng& rng) const override { return sample(rng).data; }

  Sample sample(kooplab::Rng& rng) const override {
    NetworkDynamics dynamics = dynamics_;
    if (dynamics.weights.is_empty()) {
      const arma::mat a = rng.normal(size_, rank_), b = rng.normal(size_, rank_);
      dynamics.weights = settings_.weight_scale / std::sqrt(double(size_ * rank_)) * a * b.t();
    }
    dynamics.validate(identity());
    kooplab::Trajectories data;
    data.dt = settings_.dt;
    const kooplab::NullSpaceEigenfunctions analytical = kooplab::null_space_eigenfunctions(dynamics);
    if (analytical.count() > 0)
      data.true_eigenvalues =
          arma::cx_vec(arma::exp(analytical.eigenvalues * settings_.dt), arma::zeros(analytical.count()));
    for (int k = 0; k < settings_.trajectories; ++k)
      data.runs.push_back(integrate(dynamics, settings_.initial_scale * rng.normal(dynamics.size(), 1), k));
    return {std::move(dynamics), std::move(data)};
  }

 private:
  static const kooplab::Words<Model>& models() {
    static const kooplab::Words<Model> words{
        {"rnn", Model::rnn}, {"family1", Model::family1}, {"family2", Model::family2}};
    return words;
  }

  void read_weights(const Config& section) {
    if (!settings_.rank) {
      for (const char* key : {"size", "weight_scale"})
        if (section.has(key)) section.fail(key, "goes with rank (a random W), not with weights");
      dynamics_.weights = settings_.weights;
      size_ = dynamics_.weights.n_rows;
      return;
    }
    if (!settings_.size) section.fail("size", "missing key (N, the number of units of a random W of rank r)");
    if (*settings_.rank > *settings_.size)
      section.fail("rank", fmt::format("expected 1 ≤ rank ≤ size = {}, got {}", *settings_.size, *settings_.rank));
    size_ = arma::uword(*settings_.size);
    rank_ = arma::uword(*settings_.rank);
  }

  // W (N × N) and every trajectory's snapshots, in doubles, before any is allocated.
  void check_memory(const Config& section) const {
    const double n = double(size_), snapshots = double(settings_.trajectories) * (double(settings_.steps) + 1.0);
    kooplab::check_memory(section, settings_.rank ? "size" : "trajectories", 8.0 * (n * n + snapshots * n),
                          fmt::format("N = {} units (W, N × N) with {} trajectories of {} snapshots", size_,
                                      settings_.trajectories, settings_.steps + 1));
  }

  void read_model(const Config& section) {
    const std::string model = kooplab::word_of(models(), settings_.model);
    for (const auto& [key, owners] : model_keys)
      if (section.has(key) && std::find(owners.begin(), owners.end(), settings_.model) == owners.end())
        section.fail(key, fmt::format("does not apply to model {}", model));
    const auto sized = [&](std::string_view key, const kooplab::NumberOrList& parameter) {
      const arma::vec& values = parameter.values;
      if (values.n_elem != 1 && values.n_elem != size_)
        section.fail(key, fmt::format("expected a number or a list of {} entries, got {}", size_, values.n_elem));
      return values.n_elem == 1 ? arma::vec(size_, arma::fill::value(values(0))) : values;
    };
    if (settings_.model == Model::rnn) {
      dynamics_.family = NetworkDynamics::Family::one;
      dynamics_.zeta =
          ElementwiseFunction(ElementwiseFunction::Base::identity, arma::vec{1.0}, -sized("theta", settings_.theta));
      dynamics_.h = settings_.sigma;
    } else {
      dynamics_.family =
          settings_.model == Model::family1 ? NetworkDynamics::Family::one : NetworkDynamics::Family::two;
      dynamics_.zeta = settings_.zeta;
      dynamics_.h = settings_.h;
      if (dynamics_.family == NetworkDynamics::Family::two) dynamics_.drive = sized("c", settings_.c);
      if (!dynamics_.zeta.strictly_monotone())
        section.fail("zeta", fmt::format("{} is not invertible (zeta' vanishes); the families need zeta' ≠ 0",
                                         dynamics_.zeta.describe()));
    }
    for (const auto& [key, function] : {std::pair{"zeta", &dynamics_.zeta}, std::pair{"h", &dynamics_.h}})
      if (function->components() != 0 && function->components() != size_)
        section.fail(
            settings_.model == Model::rnn && std::string_view(key) == "h" ? "sigma" : key,
            fmt::format("has parameters for {} components, the network has {}", function->components(), size_));
  }

  // One trajectory sampled at t = 0, dt, ..., steps·dt.
  arma::mat integrate(const NetworkDynamics& dynamics, const arma::vec& x0, int index) const {
    const arma::uword n = dynamics.size();
    arma::mat run(n, arma::uword(settings_.steps) + 1);
    const auto system = [&](const State& x, State& dxdt, double) {
      const arma::vec rate = dynamics.rate(arma::vec(const_cast<double*>(x.data()), n, false, true));
      dxdt.assign(rate.begin(), rate.end());
    };
    arma::uword column = 0;
    const auto observe = [&](const State& x, double t) {
      run.col(column) = arma::vec(x);
      if (!run.col(column).is_finite())
        throw kooplab::NumericalError(fmt::format(
            "{}: trajectory {} left the domain where ζ' ≠ 0 (non-finite state at t = {})", identity(), index, t));
      ++column;
    };
    std::vector<double> times(arma::uword(settings_.steps) + 1);
    for (std::size_t k = 0; k < times.size(); ++k) times[k] = double(k) * settings_.dt;
    State x(x0.begin(), x0.end());
    try {
      if (settings_.integrator == Integrator::dopri5)
        odeint::integrate_times(odeint::make_controlled(settings_.abs_tolerance, settings_.rel_tolerance,
                                                        odeint::runge_kutta_dopri5<State>()),
                                system, x, times.begin(), times.end(), settings_.dt / 10, observe,
                                odeint::max_step_checker(max_steps_per_sample));
      else
        odeint::integrate_times(odeint::make_controlled(settings_.abs_tolerance, settings_.rel_tolerance,
                                                        odeint::runge_kutta_cash_karp54<State>()),
                                system, x, times.begin(), times.end(), settings_.dt / 10, observe,
                                odeint::max_step_checker(max_steps_per_sample));
    } catch (const odeint::odeint_error& e) {
      throw kooplab::NumericalError(
          fmt::format("{}: integrating trajectory {} failed: {}", identity(), index, e.what()));
    }
    return run;
  }

  Settings settings_;
  arma::uword size_ = 0, rank_ = 0;
  NetworkDynamics dynamics_;  // weights empty when drawn per run
};

}  // namespace

KOOPLAB_PLUGIN(Rnn, kooplab::Dataset, "rnn",
               "Continuous-time RNN dx/dt = -x + W sigma(x) + theta and the low-rank families of Claveau et al., "
               "integrated by adaptive Runge-Kutta (Boost.Odeint)")
