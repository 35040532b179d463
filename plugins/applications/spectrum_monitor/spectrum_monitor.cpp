// Application `spectrum_monitor`: the Koopman spectrum of the training process
// as training goes on (koopman-mode-analysis.md, Sec. 3). The network is
// trained for `epochs`; at every checkpoint K the run's estimator is fitted to
// the observable's trajectory over epochs 0..K, either the weight vector w_t or
// the train loss L(w_t) (a 1 × (K+1) signal: give the estimator delays, e.g.
// delay_dmd or dmd_rrr with a delay observable). Eigenvalues clustering at 1
// with large amplitudes mark the approach to a fixed point of training.
//
// application:
//   name: spectrum_monitor
//   epochs: 500
//   batch_size: 64            # 0: full batch
//   optimizer: {name: adam}   # optimizers.hpp
//   checkpoints: [40, 100, 500]  # epochs K (≥ 2, ≤ epochs) at which the spectrum is taken
//   observe: weights          # weights | loss
//   near_one: 0.05            # |λ − 1| below this counts as near 1
//   test_on: test             # test | validation
// estimator: {name: dmd_rrr, order: amplitude}   # any estimator plugin
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
#include "kooplab/nn/training_start.hpp"

namespace {

class SpectrumMonitor : public kooplab::Application {
 public:
  explicit SpectrumMonitor(const kooplab::Config& section) : optimizer_section_(section.child("optimizer")) {
    kooplab::make_optimizer(optimizer_section_);  // reads and checks its keys now
    const int epochs = section.get_or<int>("epochs", 100);
    const int batch = section.get_or<int>("batch_size", 64);
    if (epochs < 2) section.fail("epochs", "must be at least 2");
    if (batch < 0) section.fail("batch_size", "must be 0 (full batch) or positive");
    options_.epochs = arma::uword(epochs);
    options_.batch_size = arma::uword(batch);
    for (const int k : section.get_or<std::vector<int>>("checkpoints", {epochs})) {
      if (k < 2 || k > epochs) section.fail("checkpoints", fmt::format("{} is outside 2..{} (the epochs)", k, epochs));
      checkpoints_.push_back(arma::uword(k));
    }
    std::sort(checkpoints_.begin(), checkpoints_.end());
    checkpoints_.erase(std::unique(checkpoints_.begin(), checkpoints_.end()), checkpoints_.end());
    observe_ = section.get_or<std::string>("observe", "weights");
    if (observe_ != "weights" && observe_ != "loss") section.fail("observe", "must be weights or loss");
    near_one_ = section.get_or<double>("near_one", 0.05);
    if (!(near_one_ > 0)) section.fail("near_one", "must be a distance > 0");
    held_out_ = kooplab::read_held_out(section);
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    const auto& estimator = context.require<kooplab::Estimator>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = kooplab::held_out_set(data, held_out_);
    const auto optimizer = kooplab::make_optimizer(optimizer_section_);

    kooplab::LossRecorder losses;
    std::optional<kooplab::ParameterRecorder> weights;
    std::vector<kooplab::TrainingObserver*> observers{&losses};
    if (observe_ == "weights") observers.push_back(&weights.emplace(kooplab::ParameterRecorder::Unit::epoch, 1));
    const kooplab::EpochStats last =
        kooplab::train(network, *optimizer, data.train, test, options_, training_rng, observers).last;

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
    const arma::uvec near = arma::find(distance < near_one_);
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

  kooplab::Config optimizer_section_;
  kooplab::TrainingOptions options_;
  std::vector<arma::uword> checkpoints_;
  std::string observe_;
  kooplab::HeldOut held_out_ = kooplab::HeldOut::test;
  double near_one_ = 0.05;
};

}  // namespace

KOOPLAB_PLUGIN(SpectrumMonitor, kooplab::Application, "spectrum_monitor",
               "Koopman spectrum of the weights or the loss at checkpoints during training (eigenvalues clustering at 1)")
