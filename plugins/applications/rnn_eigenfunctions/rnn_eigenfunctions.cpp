// Application `rnn_eigenfunctions`: the analytical Koopman eigenfunctions of
// low-rank networks (Claveau et al.; null_space_eigenfunctions.hpp) set beside
// the dataset's trajectories and the configured estimator.
//   1. φ_k from the left null space of W (SVD): φ = uᵀζ(x), λ = −1 (family one,
//      the RNN: φ = uᵀ(x − θ)), or φ = exp(uᵀζ(x)), λ = −uᵀc (family two);
//   2. checks them on every trajectory: max |φ(x(t)) − e^{λt} φ(x(0))| / |φ(x(0))|;
//   3. fits the estimator (when the config has one) and compares its spectrum
//      with e^{λΔt}, its eigenfunctions with φ, and reports its residuals;
//   4. the coordinates y = Uᵀζ(x), whose last N − r rows are uᵀζ, and the rate
//      at which they evolve (e^{λt} decay for family one, drift λt for family two).
// Needs a dataset that is a NetworkDynamicsSource (dataset `rnn`).
// `kooplab plugins rnn_eigenfunctions` lists the keys.
//
// Metrics: size, rank, null_dimension, null_residual (max |Wᵀu|),
// analytical_eigenvalue (λ_1), verification_error (relative, as above),
// verification_error_absolute; with an estimator: exact_eigenvalue (e^{λ_1Δt}),
// data_eigenvalue and data_eigenvalue_imag (the estimate nearest to it),
// data_continuous_eigenvalue (its log/Δt), eigenvalues_found (estimates within
// match_tolerance of some e^{λ_kΔt}), eigenvalue_distance (the largest distance
// from an exact value to its estimate, matched as spectrum_matching.hpp says, so
// a value of multiplicity d takes the d nearest estimates),
// eigenfunction_angle (largest principal angle, radians, between the fitted
// eigenfunctions of those estimates and the analytical ones, as functions on
// all snapshots), eigenfunction_residual (the estimator's largest residual
// among them); null_rate (the rate fitted to the first null coordinate of y)
// and null_rate_error (max over null coordinates of |fitted rate − λ_k|).
// Arrays: weights, singular_values, left_singular_vectors (U), null_vectors,
// analytical_eigenvalues, null_rates, coordinates (y of the first trajectory),
// eigenfunction_values (φ on the first trajectory); with an estimator
// estimated_eigenvalues and residuals. report.md in the run folder says it in words.
#include <fmt/format.h>

#include <cmath>
#include <complex>
#include <numeric>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/dynamics/null_space_eigenfunctions.hpp"
#include "kooplab/dynamics/rnn_families.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "kooplab/util/files.hpp"

namespace {

using kooplab::NetworkDynamics;
using kooplab::NullSpaceEigenfunctions;

// Largest principal angle between span(b) and span(a), for dim b ≤ dim a:
// its sine is ‖(I − Q_a Q_aᴴ) Q_b‖₂, accurate for the tiny angles that matter here.
double largest_angle(const arma::cx_mat& a, const arma::cx_mat& b) {
  const arma::cx_mat qa = arma::orth(a), qb = arma::orth(b);
  if (qa.n_cols == 0 || qb.n_cols == 0 || qb.n_cols > qa.n_cols) return arma::datum::pi / 2;
  const arma::cx_mat outside = qb - qa * (qa.t() * qb);
  return std::asin(std::min(1.0, arma::norm(outside, 2)));
}

// "3 x1 + 1 x2 + 1 x3": u scaled so its smallest non-negligible entry has
// magnitude 1; ζ(x_i) spelt out when ζ is x or a plain name(x).
std::string formula(const arma::vec& u, const std::string& zeta) {
  const arma::vec magnitude = arma::abs(u);
  const double smallest = magnitude.elem(arma::find(magnitude > 1e-8 * magnitude.max())).min();
  const bool plain_call = zeta.ends_with("(x)") && zeta.find_first_of(" ·[") == std::string::npos;
  const std::string variable = zeta == "x" ? "x{}" : plain_call ? zeta.substr(0, zeta.size() - 2) + "x{})" : "ζ(x{})";
  std::string text;
  for (arma::uword i = 0; i < u.n_elem; ++i) {
    if (magnitude(i) <= 1e-8 * magnitude.max()) continue;
    const double c = u(i) / smallest;
    text += text.empty() ? fmt::format("{:.6g}", c) : fmt::format(" {} {:.6g}", c < 0 ? "−" : "+", std::abs(c));
    text += " " + fmt::format(fmt::runtime(variable), i + 1);
  }
  return text;
}

std::string vector_text(const arma::vec& v) {
  std::string text = "(";
  for (arma::uword i = 0; i < v.n_elem; ++i) text += fmt::format("{}{:.12f}", i ? ", " : "", v(i));
  return text + ")";
}

struct RnnEigenfunctionsSettings {
  double rank_tolerance = 1e-10;
  double match_tolerance = 1e-6;
};

class RnnEigenfunctions : public kooplab::Application {
 public:
  static const kooplab::Options<RnnEigenfunctionsSettings>& options() {
    static const auto options =
        kooplab::Options<RnnEigenfunctionsSettings>()
            .add("rank_tolerance", &RnnEigenfunctionsSettings::rank_tolerance,
                 "σ_i ≤ tolerance · σ_1 of W counts as zero", kooplab::in_open(0, 1))
            .add("match_tolerance", &RnnEigenfunctionsSettings::match_tolerance,
                 "an estimated eigenvalue within this of e^{λΔt} counts as found", kooplab::greater_than(0));
    return options;
  }

  explicit RnnEigenfunctions(const kooplab::Config& section) : RnnEigenfunctions(options().read(section)) {}
  explicit RnnEigenfunctions(const RnnEigenfunctionsSettings& settings)
      : rank_tolerance_(settings.rank_tolerance), match_tolerance_(settings.match_tolerance) {}

  void run(kooplab::RunContext& context) const override {
    const auto& dataset = context.require<kooplab::Dataset>();
    const auto* source = dynamic_cast<const kooplab::NetworkDynamicsSource*>(&dataset);
    if (!source)
      throw kooplab::ConfigError(
          fmt::format("{} needs a dataset that exposes its network dynamics (such as dataset 'rnn'), got {}",
                      identity(), dataset.identity()));
    const auto [dynamics, data] = source->sample(context.rng());
    data.validate(identity());
    if (!data.dt)
      throw kooplab::DataError(fmt::format("{}: {} gave no sampling interval dt", identity(), dataset.identity()));
    const double dt = *data.dt;
    const NullSpaceEigenfunctions analytical = kooplab::null_space_eigenfunctions(dynamics, rank_tolerance_);
    std::string report =
        fmt::format("# rnn_eigenfunctions\n\n{}\n\nW ({}×{}) has rank {}; singular values {}\n", dynamics.describe(),
                    dynamics.size(), dynamics.size(), analytical.rank, vector_text(analytical.singular_values));
    report_analytical(context, dynamics, analytical, report);
    if (analytical.count() > 0) {
      verify(context, analytical, data, dt, report);
      change_of_variables(context, analytical, data, dt, report);
    }
    if (auto* estimator = context.find<kooplab::Estimator>())
      compare_estimator(context, *estimator, analytical, data, dt, report);
    kooplab::write_file_atomic(context.work_dir() / "report.md", report);
  }

 private:
  // Step 1.
  void report_analytical(kooplab::RunContext& context, const NetworkDynamics& dynamics,
                         const NullSpaceEigenfunctions& analytical, std::string& report) const {
    const arma::mat null = analytical.null_vectors();
    context.metric("size", double(dynamics.size()));
    context.metric("rank", double(analytical.rank));
    context.metric("null_dimension", double(analytical.count()));
    context.array("weights", dynamics.weights);
    context.array("singular_values", analytical.singular_values);
    context.array("left_singular_vectors", analytical.left_singular_vectors);
    context.array("null_vectors", null);
    context.array("analytical_eigenvalues", analytical.eigenvalues);
    if (analytical.count() == 0) {
      report += "\nW has full rank: its left null space is empty, so no analytical eigenfunction follows.\n";
      return;
    }
    context.metric("null_residual", arma::abs(dynamics.weights.t() * null).max());
    context.metric("analytical_eigenvalue", analytical.eigenvalues(0));
    const bool exponential = dynamics.family == NetworkDynamics::Family::two;
    const std::string zeta = dynamics.zeta.describe();
    report += fmt::format("ζ(x) = {}; the left null space of W has dimension {}\n\n", zeta, analytical.count());
    for (arma::uword k = 0; k < analytical.count(); ++k) {
      const std::string linear = formula(null.col(k), zeta);
      report +=
          fmt::format("- u{} = {}\n  φ{}(x) ∝ {}, λ = {:.12g}\n", analytical.rank + k + 1, vector_text(null.col(k)),
                      k + 1, exponential ? "exp(" + linear + ")" : linear, analytical.eigenvalues(k));
    }
  }

  // Step 2.
  void verify(kooplab::RunContext& context, const NullSpaceEigenfunctions& analytical,
              const kooplab::Trajectories& data, double dt, std::string& report) const {
    double relative = 0.0, absolute = 0.0;
    for (const auto& run : data.runs) {
      const arma::mat phi = analytical.evaluate(run);
      const arma::rowvec times = arma::regspace<arma::rowvec>(0, run.n_cols - 1) * dt;
      const arma::mat predicted = arma::exp(analytical.eigenvalues * times).eval().each_col() % phi.col(0);
      const arma::mat error = arma::abs(phi - predicted);
      absolute = std::max(absolute, error.max());
      for (arma::uword k = 0; k < phi.n_rows; ++k)  // φ(x(0)) = 0 stays 0: only the absolute error speaks
        if (phi(k, 0) != 0.0) relative = std::max(relative, error.row(k).max() / std::abs(phi(k, 0)));
    }
    context.metric("verification_error", relative);
    context.metric("verification_error_absolute", absolute);
    context.array("eigenfunction_values", analytical.evaluate(data.runs.front()));
    report += fmt::format(
        "\nVerification on {} trajectories of {} samples (Δt = {}): max |φ(x(t)) − e^(λt) φ(x(0))| / |φ(x(0))| = "
        "{:.3e} "
        "(absolute {:.3e})\n",
        data.runs.size(), data.runs.front().n_cols, dt, relative, absolute);
  }

  // Step 4: y = Uᵀζ(x); per null coordinate the rate fitted over all sample pairs.
  void change_of_variables(kooplab::RunContext& context, const NullSpaceEigenfunctions& analytical,
                           const kooplab::Trajectories& data, double dt, std::string& report) const {
    const arma::uword d = analytical.count();
    arma::vec cross(d, arma::fill::zeros), square(d, arma::fill::zeros), step(d, arma::fill::zeros);
    double pairs = 0;
    for (const auto& run : data.runs) {
      const arma::mat y = analytical.coordinates(run).tail_rows(d);
      const arma::mat before = y.head_cols(y.n_cols - 1), after = y.tail_cols(y.n_cols - 1);
      cross += arma::sum(before % after, 1);
      square += arma::sum(before % before, 1);
      step += arma::sum(after - before, 1);
      pairs += double(before.n_cols);
    }
    // Family one: y(t + Δt) = e^{λΔt} y(t), least squares; family two: y(t + Δt) = y(t) + λΔt.
    const arma::vec rates = analytical.family == NetworkDynamics::Family::one
                                ? arma::vec(arma::log(cross / square) / dt)
                                : arma::vec(step / (pairs * dt));
    context.metric("null_rate", rates(0));
    context.metric("null_rate_error", arma::abs(rates - analytical.eigenvalues).max());
    context.array("null_rates", rates);
    context.array("coordinates", analytical.coordinates(data.runs.front()));
    const std::string which = d > 1
                                  ? fmt::format("coordinates y{}..y{} evolve", analytical.rank + 1, analytical.rank + d)
                                  : fmt::format("coordinate y{} evolves", analytical.rank + 1);
    report += fmt::format("\nChange of variables y = Uᵀζ(x): the null {} at the fitted rate {} (analytical {})\n",
                          which, vector_text(rates), vector_text(analytical.eigenvalues));
  }

  // Step 3.
  void compare_estimator(kooplab::RunContext& context, const kooplab::Estimator& estimator,
                         const NullSpaceEigenfunctions& analytical, const kooplab::Trajectories& data, double dt,
                         std::string& report) const {
    const kooplab::KoopmanModel model = estimator.fit(data, context.find<kooplab::Observable>(), context.rng());
    context.array("estimated_eigenvalues", model.eigenvalues);
    context.array("residuals", model.residuals);
    const arma::uword d = analytical.count();
    const arma::vec exact = arma::exp(analytical.eigenvalues * dt);
    const arma::cx_vec exact_complex(exact, arma::zeros(d));
    arma::uword found = 0;
    if (d > 0)
      for (const auto& mu : model.eigenvalues) found += arma::abs(exact_complex - mu).min() <= match_tolerance_ ? 1 : 0;
    context.metric("eigenvalues_found", double(found));
    report += fmt::format("\n{}: {} eigenvalues; {} within {:g} of e^(λΔt)\n", estimator.identity(), model.rank(),
                          found, match_tolerance_);
    if (d == 0) return;

    const arma::mat states = data.all_states();
    const arma::mat phi = analytical.evaluate(states);
    const arma::cx_mat fitted = model.eigenfunction_values(states);
    // Each exact value has its own estimate (spectrum_matching.hpp): a value of multiplicity m takes m of them.
    const kooplab::SpectrumMatch match = kooplab::match_spectrum(exact_complex, model.eigenvalues);
    const double distance = match.worst();
    double angle = 0.0, residual = 0.0;
    // Equal analytical eigenvalues span one eigenspace: compare it with their estimates' as a whole.
    std::vector<bool> done(d, false);
    for (arma::uword k = 0; k < d; ++k) {
      if (done[k]) continue;
      const arma::uvec group = arma::find(arma::abs(exact - exact(k)) <= 1e-12 * std::max(1.0, std::abs(exact(k))));
      for (const auto i : group) done[i] = true;
      const arma::uvec picked = match.partner.elem(group);
      const arma::cx_mat exact_values(phi.rows(group).t(), arma::zeros(states.n_cols, group.n_elem));
      angle = std::max(angle, largest_angle(exact_values, fitted.rows(picked).st()));
      if (!model.residuals.is_empty()) residual = std::max(residual, model.residuals.elem(picked).max());
    }
    const arma::uword nearest = arma::abs(model.eigenvalues - exact_complex(0)).index_min();
    const std::complex<double> mu = model.eigenvalues(nearest);
    context.metric("exact_eigenvalue", exact(0));
    context.metric("data_eigenvalue", mu.real());
    context.metric("data_eigenvalue_imag", mu.imag());
    context.metric("data_continuous_eigenvalue", std::log(mu).real() / dt);
    context.metric("eigenvalue_distance", distance);
    context.metric("eigenfunction_angle", angle);
    context.metric("eigenfunction_residual", residual);
    report += fmt::format(
        "exact e^(λΔt) = {:.12f}, nearest estimate {:.12f}{:+.3e}i (log/Δt = {:.12f}); distance {:.3e}, "
        "eigenfunction angle {:.3e} rad, residual {:.3e}\n",
        exact(0), mu.real(), mu.imag(), std::log(mu).real() / dt, distance, angle, residual);
  }

  double rank_tolerance_, match_tolerance_;
};

}  // namespace

KOOPLAB_PLUGIN(RnnEigenfunctions, kooplab::Application, "rnn_eigenfunctions",
               "Analytical Koopman eigenfunctions of low-rank RNNs (left null space of W), checked on trajectories and "
               "against the estimator")
