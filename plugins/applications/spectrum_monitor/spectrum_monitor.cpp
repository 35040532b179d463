// Application `spectrum_monitor`: the Koopman spectrum of the training process
// as training goes on (koopman-mode-analysis.md, Sec. 3). The network is
// trained for `epochs`; at every checkpoint K the run's estimator (any
// estimator plugin, e.g. dmd_rrr with order: amplitude) is fitted to the
// observable's trajectory over epochs 0..K, either the weight vector w_t or
// the train loss L(w_t) (a 1 × (K+1) signal: give the estimator delays, e.g.
// delay_dmd or dmd_rrr with a delay observable). Eigenvalues clustering at 1
// with large amplitudes mark the approach to a fixed point of training.
// `stop` ends the training by a rule: `spectrum` when the estimator's
// eigenvalues cluster at 1 (koopman/spectrum_stopping.hpp, keys under
// spectrum_rule), `validation` when the validation loss stops falling
// (nn/validation_stopping.hpp, keys under validation_rule); checkpoints after
// the stop are skipped. `verdicts: true` runs both rules without letting them
// stop and reports where each would have ended this same run.
// `kooplab plugins spectrum_monitor` lists the keys.
//
// Without a network section the weights come from the dataset instead of a
// training: a weight_trajectory dataset (a run recorded by PyTorch, say) or any
// dataset with one trajectory, parameters × steps, column K standing for
// epoch K; `epochs` caps the steps used, checkpoints past the recording are
// skipped and the default checkpoint is the last step used. Only `observe:
// weights` without `stop` or `verdicts` applies then.
//
// Metrics per checkpoint K: rank_at_K, spectral_radius_at_K, near_one_at_K (count),
// near_one_share_at_K (share of Σ|amplitude| carried by eigenvalues near 1) and
// settled_share_at_K (the same share of the epoch-K state's coefficients);
// after training: epochs (trained), train_loss, test_loss, test_accuracy (those
// that exist); with verdicts, for R = spectrum and validation: R_epoch (the
// stop, or the last epoch), R_fired (0/1), R_test_accuracy and R_test_loss at
// R_epoch. Arrays: eigenvalues_at_K, amplitudes_at_K, residuals_at_K,
// train_loss and test_loss per epoch, and with stop: spectrum, stop_history
// (rows: epoch, settled share, spectral radius, rank of each fit).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/data/parameter_trajectory.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/spectrum_stopping.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"
#include "kooplab/nn/validation_stopping.hpp"

namespace {

enum class Observe { weights, loss };
enum class Stop { none, spectrum, validation };

struct SpectrumMonitorSettings {
  arma::uword epochs = 100;
  kooplab::TrainingSection training;
  std::vector<int> checkpoints;  // empty: the last epoch
  Observe observe = Observe::weights;
  double near_one = 0.05;
  Stop stop = Stop::none;
  kooplab::SpectrumStoppingRule spectrum_rule;
  kooplab::ValidationStoppingRule validation_rule;
  bool verdicts = false;
};

class SpectrumMonitor : public kooplab::Application {
 public:
  static const kooplab::Options<SpectrumMonitorSettings>& options() {
    static const auto options =
        kooplab::Options<SpectrumMonitorSettings>()
            .add("epochs", &SpectrumMonitorSettings::epochs, "training epochs", kooplab::at_least(2))
            .include(&SpectrumMonitorSettings::training,
                     kooplab::TrainingSection::options(SpectrumMonitorSettings{}.training))
            .add("checkpoints", &SpectrumMonitorSettings::checkpoints,
                 "epochs K (≤ epochs) at which the spectrum of epochs 0..K is taken", kooplab::each_at_least(2))
            .shown_default("[epochs]")
            .choice("observe", &SpectrumMonitorSettings::observe,
                    {{"weights", Observe::weights}, {"loss", Observe::loss}},
                    "the weight vector or the train loss of every epoch")
            .add("near_one", &SpectrumMonitorSettings::near_one, "|λ − 1| below this counts as near 1",
                 kooplab::greater_than(0))
            .choice("stop", &SpectrumMonitorSettings::stop,
                    {{"none", Stop::none}, {"spectrum", Stop::spectrum}, {"validation", Stop::validation}},
                    "end the training early: never, when the spectrum settles at 1, or when the validation loss "
                    "stops falling")
            .section("spectrum_rule", &SpectrumMonitorSettings::spectrum_rule, kooplab::SpectrumStoppingRule::options(),
                     "the spectrum stopping rule (stop: spectrum)")
            .section("validation_rule", &SpectrumMonitorSettings::validation_rule,
                     kooplab::ValidationStoppingRule::options(), "the validation stopping rule (stop: validation)")
            .add("verdicts", &SpectrumMonitorSettings::verdicts,
                 "also run both rules without stopping and report the epoch each would have stopped at");
    return options;
  }

  explicit SpectrumMonitor(const kooplab::Config& section) : settings_(options().read(section)) {
    const arma::uword epochs = settings_.epochs;
    for (const int k : settings_.checkpoints) {
      if (arma::uword(k) > epochs)
        section.fail("checkpoints", fmt::format("{} is outside 2..{} (the epochs)", k, epochs));
      checkpoints_.push_back(arma::uword(k));
    }
    if (checkpoints_.empty()) checkpoints_.push_back(epochs);
    std::sort(checkpoints_.begin(), checkpoints_.end());
    checkpoints_.erase(std::unique(checkpoints_.begin(), checkpoints_.end()), checkpoints_.end());
  }

  void run(kooplab::RunContext& context) const override {
    if (!context.find<kooplab::Network>()) return analyse_recorded(context);
    auto& network = context.require<kooplab::Network>();
    const auto& estimator = context.require<kooplab::Estimator>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = settings_.training.held_out(data);
    const auto optimizer = settings_.training.make_optimizer(identity());

    kooplab::LossRecorder losses;
    std::optional<kooplab::ParameterRecorder> weights;
    std::vector<kooplab::TrainingObserver*> observers{&losses};
    if (settings_.observe == Observe::weights)
      observers.push_back(&weights.emplace(kooplab::ParameterRecorder::Unit::epoch, 1));
    std::optional<kooplab::SpectrumStopping> spectrum_stop;
    std::optional<kooplab::ValidationStopping> validation_stop;
    if (settings_.stop == Stop::spectrum)
      observers.push_back(&spectrum_stop.emplace(settings_.spectrum_rule, estimator,
                                                 context.find<kooplab::Observable>(), context.rng()));
    if (settings_.stop == Stop::validation)
      observers.push_back(&validation_stop.emplace(settings_.validation_rule, network, data.validation));
    std::optional<kooplab::SpectrumStopping> spectrum_rule;
    std::optional<kooplab::ValidationStopping> validation_rule;
    std::optional<kooplab::StopVerdict> spectrum_verdict, validation_verdict;
    if (settings_.verdicts) {
      observers.push_back(&spectrum_verdict.emplace(spectrum_rule.emplace(
          settings_.spectrum_rule, estimator, context.find<kooplab::Observable>(), context.rng())));
      observers.push_back(
          &validation_verdict.emplace(validation_rule.emplace(settings_.validation_rule, network, data.validation)));
    }
    const kooplab::EpochStats last = kooplab::train(network, *optimizer, data.train, test,
                                                    settings_.training.loop(settings_.epochs), training_rng, observers)
                                         .last;

    const arma::mat table = losses.epoch_table();  // rows: epochs 0..E
    const arma::mat observed = weights ? weights->snapshots() : arma::mat(table.col(1).t());
    fit_checkpoints(context, estimator, observed, checkpoints_, last.epoch);
    context.metric("epochs", double(last.epoch));
    if (settings_.verdicts) {
      report_verdict(context, "spectrum", *spectrum_verdict, losses, last.epoch);
      report_verdict(context, "validation", *validation_verdict, losses, last.epoch);
    }
    if (spectrum_stop || spectrum_rule)
      context.array("stop_history", (spectrum_stop ? *spectrum_stop : *spectrum_rule).history());
    // Reported whatever their value: the runner fails a run whose loss diverged.
    context.metric("train_loss", last.train_loss);
    if (!test.inputs.is_empty()) context.metric("test_loss", last.test_loss);
    if (!test.labels.is_empty()) context.metric("test_accuracy", last.test_accuracy);
    context.array("train_loss", arma::vec(table.col(1)));
    if (!test.inputs.is_empty()) context.array("test_loss", arma::vec(table.col(3)));
  }

 private:
  // The spectrum of epochs 0..K of `observed` at each checkpoint K ≤ last.
  void fit_checkpoints(kooplab::RunContext& context, const kooplab::Estimator& estimator, const arma::mat& observed,
                       const std::vector<arma::uword>& checkpoints, arma::uword last) const {
    for (const arma::uword k : checkpoints) {
      if (k > last) break;  // stopped (or recorded) before it
      kooplab::Trajectories trajectory;
      trajectory.runs.push_back(observed.cols(0, k));
      const kooplab::KoopmanModel model = estimator.fit(trajectory, context.find<kooplab::Observable>(), context.rng());
      report(context, model, k);
      if (settings_.observe == Observe::weights)
        context.metric(fmt::format("settled_share_at_{}", k),
                       kooplab::share_near_one(model.eigenvalues, kooplab::state_importance(model, observed.col(k)),
                                               settings_.near_one));
    }
  }

  // The weights recorded outside kooplab stand for the training.
  void analyse_recorded(kooplab::RunContext& context) const {
    if (settings_.observe != Observe::weights || settings_.stop != Stop::none || settings_.verdicts)
      throw kooplab::ConfigError(
          identity() + ": without a network section only observe: weights, without stop or verdicts, applies");
    const auto& estimator = context.require<kooplab::Estimator>();
    const kooplab::ParameterTrajectory recorded =
        kooplab::recorded_parameters(context.require<kooplab::Dataset>(), context.rng(), identity());
    const arma::uword last = std::min<arma::uword>(settings_.epochs, recorded.snapshots.n_cols - 1);
    const std::vector<arma::uword> checkpoints =
        settings_.checkpoints.empty() ? std::vector<arma::uword>{last} : checkpoints_;
    fit_checkpoints(context, estimator, recorded.snapshots, checkpoints, last);
    context.metric("epochs", double(last));
  }

  static void report_verdict(kooplab::RunContext& context, const std::string& rule, const kooplab::StopVerdict& verdict,
                             const kooplab::LossRecorder& losses, arma::uword last) {
    const arma::uword epoch = verdict.epoch().value_or(last);
    context.metric(rule + "_epoch", double(epoch));
    context.metric(rule + "_fired", verdict.epoch() ? 1.0 : 0.0);
    for (const kooplab::EpochStats& stats : losses.epochs())
      if (stats.epoch == epoch) {
        context.metric(rule + "_test_accuracy", stats.test_accuracy);
        context.metric(rule + "_test_loss", stats.test_loss);
      }
  }

  void report(kooplab::RunContext& context, const kooplab::KoopmanModel& model, arma::uword k) const {
    const arma::uvec near = arma::find(arma::abs(model.eigenvalues - 1.0) < settings_.near_one);
    context.metric(fmt::format("rank_at_{}", k), double(model.eigenvalues.n_elem));
    context.metric(fmt::format("spectral_radius_at_{}", k), arma::max(arma::abs(model.eigenvalues)));
    context.metric(fmt::format("near_one_at_{}", k), double(near.n_elem));
    const double share = kooplab::share_near_one(model.eigenvalues, arma::abs(model.amplitudes), settings_.near_one);
    if (model.amplitudes.n_elem == model.eigenvalues.n_elem)  // an estimator without amplitudes gives no share
      context.metric(fmt::format("near_one_share_at_{}", k), share);
    context.array(fmt::format("eigenvalues_at_{}", k), model.eigenvalues);
    context.array(fmt::format("amplitudes_at_{}", k), model.amplitudes);
    context.array(fmt::format("residuals_at_{}", k), model.residuals);
  }

  SpectrumMonitorSettings settings_;
  std::vector<arma::uword> checkpoints_;  // sorted, distinct
};

}  // namespace

KOOPLAB_PLUGIN(
    SpectrumMonitor, kooplab::Application, "spectrum_monitor",
    "Koopman spectrum of the weights or the loss at checkpoints during training (eigenvalues clustering at 1)")
