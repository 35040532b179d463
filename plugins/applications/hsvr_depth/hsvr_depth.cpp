// Application `hsvr_depth`: the depth of a hierarchical SVR from the spectrum of
// a 1-D signal (koopman-mode-analysis.md, Sec. 5 and Table 1; kooplab/hsvr.hpp).
// The dataset's labelled samples (x, y) train and test the model; its
// trajectory (the same signal on the whole grid, spacing dt) gives the spectrum:
// the Fourier one always, and the Koopman one from the run's estimator when the
// config has an estimator section (e.g. delay_dmd). Each spectrum gives the
// HSVR's scales by one of two rules, and an HSVR with them is fitted:
//  - keep_by_ratio (the published algorithm, Mohr et al., Entropy 2021): the
//    frequencies whose amplitude is > 1 % of the largest (the signal's mean
//    included in the Fourier one), σ = 1/(6f) largest first, each kept when the
//    last kept σ is ≥ ρ times it;
//  - span: the slowest and fastest frequencies with amplitude ≥ 10 % of the
//    largest (mean removed) set γ_0 and γ_max and the depth follows from the
//    decay ρ, acting on the frequency, f_{ℓ+1} = ρ f_ℓ (γ_{ℓ+1} = ρ² γ_ℓ; gives
//    the paper's worked example), or on γ, γ_{ℓ+1} = ρ γ_ℓ (the formula as written).
// The estimator section is optional, e.g. {name: delay_dmd, delays: 100}.
// `kooplab plugins hsvr_depth` lists the keys.
//
// Metrics, for s = fft and (with an estimator) dmd: s_layers, s_gamma0, s_gamma_max,
// s_frequencies (count), s_train_max_error (max |S − y| on the train set),
// s_test_max_error, s_test_rmse; epsilon (the absolute ε). Arrays: s_frequencies,
// s_prediction (S on the test inputs); test_inputs and test_targets (x and y of
// the test set, for drawing the fits against the signal).
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/regression/hsvr.hpp"

namespace {

enum class DepthRule { keep_by_ratio, span };

struct HsvrDepthSettings {
  DepthRule rule = DepthRule::keep_by_ratio;
  double decay = 2.0;
  kooplab::DecayOn decay_on = kooplab::DecayOn::frequency;
  std::optional<double> significance;  // by rule: 0.01 (keep_by_ratio), 0.1 (span)
  double epsilon = 0.01;
  double cost = 100.0;
  arma::uword max_layers = 20;
};

class HsvrDepth : public kooplab::Application {
 public:
  static const kooplab::Options<HsvrDepthSettings>& options() {
    using kooplab::DecayOn;
    static const auto options =
        kooplab::Options<HsvrDepthSettings>()
            .choice("rule", &HsvrDepthSettings::rule,
                    {{"keep_by_ratio", DepthRule::keep_by_ratio}, {"span", DepthRule::span}},
                    "scales from the spectrum: the published keep-by-ratio rule, or the geometric span")
            .add("decay", &HsvrDepthSettings::decay, "ρ", kooplab::greater_than(1))
            .choice("decay_on", &HsvrDepthSettings::decay_on,
                    {{"frequency", DecayOn::frequency}, {"gamma", DecayOn::gamma}},
                    "span: f_{ℓ+1} = ρ f_ℓ, or γ_{ℓ+1} = ρ γ_ℓ")
            .add("significance", &HsvrDepthSettings::significance,
                 "a frequency counts when its amplitude is above (keep_by_ratio) or at least (span) this × the largest",
                 kooplab::in_left_open(0, 1))
            .shown_default("0.01 (keep_by_ratio), 0.1 (span)")
            .add("epsilon", &HsvrDepthSettings::epsilon, "ε of every SVR layer, × (max y − min y) of the train targets",
                 kooplab::at_least(0))
            .add("cost", &HsvrDepthSettings::cost, "C of every SVR layer", kooplab::greater_than(0))
            .add("max_layers", &HsvrDepthSettings::max_layers,
                 "more layers than this is an error (a spectrum reaching the Nyquist limit)", kooplab::at_least(1));
    return options;
  }

  explicit HsvrDepth(const kooplab::Config& section) : settings_(options().read(section)) {}

  void run(kooplab::RunContext& context) const override {
    const auto& dataset = context.require<kooplab::Dataset>();
    kooplab::Rng twin = context.rng();  // the same draws: the trajectory is the labelled samples' signal
    const kooplab::LabeledData data = dataset.labeled(context.rng());
    const kooplab::Trajectories signal = dataset.trajectories(twin);
    if (signal.runs.size() != 1 || signal.runs.front().n_rows != 1 || !signal.dt)
      throw kooplab::DataError(identity() + ": the dataset must give one 1 × T signal with its spacing dt");
    if (data.train.inputs.n_rows != 1 || data.train.targets.n_rows != 1)
      throw kooplab::DataError(identity() + ": the labelled samples must be scalar x → scalar y");
    const arma::rowvec samples = signal.runs.front();
    const double dt = *signal.dt;
    const arma::vec y = data.train.targets.row(0).t();
    const double epsilon = settings_.epsilon * (y.max() - y.min());
    context.metric("epsilon", epsilon);
    if (data.test.inputs.n_cols > 0) {
      context.array("test_inputs", arma::vec(data.test.inputs.row(0).t()));
      context.array("test_targets", arma::vec(data.test.targets.row(0).t()));
    }

    const bool by_ratio = settings_.rule == DepthRule::keep_by_ratio;
    const double significance = settings_.significance.value_or(by_ratio ? 0.01 : 0.1);
    evaluate(context, "fft",
             by_ratio ? kooplab::fourier_support(samples.t(), dt, significance)
                      : kooplab::fourier_frequencies(samples.t(), dt, significance),
             data, epsilon);
    if (const auto* estimator = context.find<kooplab::Estimator>()) {
      const kooplab::KoopmanModel model = estimator->fit(signal, context.find<kooplab::Observable>(), context.rng());
      evaluate(context, "dmd", kooplab::koopman_frequencies(model, dt, significance), data, epsilon);
    }
  }

 private:
  kooplab::HsvrScales scales_of(const arma::vec& frequencies) const {
    if (settings_.rule == DepthRule::keep_by_ratio) return kooplab::hsvr_kept_scales(frequencies, settings_.decay);
    return kooplab::hsvr_scales(frequencies, settings_.decay, settings_.decay_on);
  }

  void evaluate(kooplab::RunContext& context, const std::string& source, const arma::vec& frequencies,
                const kooplab::LabeledData& data, double epsilon) const {
    const kooplab::HsvrScales scales = scales_of(frequencies);
    if (scales.layers() > settings_.max_layers)
      throw kooplab::DataError(
          fmt::format("{}: the {} spectrum asks for {} layers (γ from {:.4g} to {:.4g}), more than max_layers {}",
                      identity(), source, scales.layers(), scales.gamma0(), scales.gamma_max(), settings_.max_layers));
    const kooplab::HierarchicalSvr model(data.train.inputs, data.train.targets.row(0).t(), scales.gammas, epsilon,
                                         settings_.cost);
    const arma::vec train_error = model.predict(data.train.inputs) - data.train.targets.row(0).t();
    context.metric(source + "_layers", double(scales.layers()));
    context.metric(source + "_gamma0", scales.gamma0());
    context.metric(source + "_gamma_max", scales.gamma_max());
    context.metric(source + "_frequencies", double(frequencies.n_elem));
    context.metric(source + "_train_max_error", arma::abs(train_error).max());
    context.array(source + "_frequencies", frequencies);
    if (data.test.inputs.n_cols > 0) {
      const arma::vec prediction = model.predict(data.test.inputs);
      const arma::vec test_error = prediction - data.test.targets.row(0).t();
      context.metric(source + "_test_max_error", arma::abs(test_error).max());
      context.metric(source + "_test_rmse", std::sqrt(arma::mean(arma::square(test_error))));
      context.array(source + "_prediction", prediction);
    }
  }

  HsvrDepthSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(HsvrDepth, kooplab::Application, "hsvr_depth",
               "Depth of a hierarchical SVR from the Fourier and Koopman spectra of a 1-D signal (γ = 36 f², scales "
               "kept by ratio ρ)")
