// Application `spectrum_monitor`: the Koopman spectrum of the training process
// as training goes on (koopman-mode-analysis.md, Sec. 3). The network is
// trained for `epochs`; at every checkpoint K the run's estimator (any
// estimator plugin, e.g. dmd_rrr with order: amplitude) is fitted to the
// observable's trajectory over epochs 0..K, either the weight vector w_t or
// the train loss L(w_t) (a 1 × (K+1) signal: give the estimator delays, e.g.
// delay_dmd or dmd_rrr with a delay observable). Eigenvalues clustering at 1
// with large amplitudes mark the approach to a fixed point of training.
// `kooplab plugins spectrum_monitor` lists the keys.
//
// Metrics per checkpoint K: rank_at_K, spectral_radius_at_K, near_one_at_K (count)
// and near_one_share_at_K (share of Σ|amplitude| carried by eigenvalues near 1);
// after training: train_loss, test_loss, test_accuracy (those that exist).
// Arrays: eigenvalues_at_K, amplitudes_at_K, residuals_at_K, train_loss and
// test_loss per epoch.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"

namespace {

enum class Observe { weights, loss };

struct SpectrumMonitorSettings {
  arma::uword epochs = 100;
  kooplab::TrainingSection training;
  std::vector<int> checkpoints;  // empty: the last epoch
  Observe observe = Observe::weights;
  double near_one = 0.05;
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
                 kooplab::greater_than(0));
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
    auto& network = context.require<kooplab::Network>();
    const auto& estimator = context.require<kooplab::Estimator>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = settings_.training.held_out(data);
    const auto optimizer = settings_.training.make_optimizer();

    kooplab::LossRecorder losses;
    std::optional<kooplab::ParameterRecorder> weights;
    std::vector<kooplab::TrainingObserver*> observers{&losses};
    if (settings_.observe == Observe::weights)
      observers.push_back(&weights.emplace(kooplab::ParameterRecorder::Unit::epoch, 1));
    const kooplab::EpochStats last = kooplab::train(network, *optimizer, data.train, test,
                                                    settings_.training.loop(settings_.epochs), training_rng, observers)
                                         .last;

    const arma::mat table = losses.epoch_table();  // rows: epochs 0..E
    const arma::mat observed = weights ? weights->snapshots() : arma::mat(table.col(1).t());
    for (const arma::uword k : checkpoints_) {
      kooplab::Trajectories trajectory;
      trajectory.runs.push_back(observed.cols(0, k));
      const kooplab::KoopmanModel model = estimator.fit(trajectory, context.find<kooplab::Observable>(), context.rng());
      report(context, model, k);
    }
    if (std::isfinite(last.train_loss)) context.metric("train_loss", last.train_loss);
    if (std::isfinite(last.test_loss)) context.metric("test_loss", last.test_loss);
    if (std::isfinite(last.test_accuracy)) context.metric("test_accuracy", last.test_accuracy);
    context.array("train_loss", arma::vec(table.col(1)));
    if (table.col(3).is_finite()) context.array("test_loss", arma::vec(table.col(3)));
  }

 private:
  void report(kooplab::RunContext& context, const kooplab::KoopmanModel& model, arma::uword k) const {
    const arma::vec distance = arma::abs(model.eigenvalues - 1.0);
    const arma::vec weight = arma::abs(model.amplitudes);
    const arma::uvec near = arma::find(distance < settings_.near_one);
    context.metric(fmt::format("rank_at_{}", k), double(model.eigenvalues.n_elem));
    context.metric(fmt::format("spectral_radius_at_{}", k), arma::max(arma::abs(model.eigenvalues)));
    context.metric(fmt::format("near_one_at_{}", k), double(near.n_elem));
    const double total = arma::accu(weight);
    if (weight.n_elem == distance.n_elem && total > 0)  // an estimator without amplitudes gives no share
      context.metric(fmt::format("near_one_share_at_{}", k), arma::accu(weight(near)) / total);
    context.array(fmt::format("eigenvalues_at_{}", k), model.eigenvalues);
    context.array(fmt::format("amplitudes_at_{}", k), model.amplitudes);
    context.array(fmt::format("residuals_at_{}", k), model.residuals);
  }

  SpectrumMonitorSettings settings_;
  std::vector<arma::uword> checkpoints_;  // sorted, distinct
};

}  // namespace

KOOPLAB_PLUGIN(SpectrumMonitor, kooplab::Application, "spectrum_monitor",
               "Koopman spectrum of the weights or the loss at checkpoints during training (eigenvalues clustering at 1)")
