// Application `koopman_pruning`: pruning with Koopman modes
// (koopman-mode-analysis.md, Sec. 4, Algorithms 1 and 2). The network trains
// for `epochs` while its weights are recorded every epoch; the run's estimator
// (the paper uses DMD_RRR) decomposes the recorded weights, the weights at the
// pruning epoch are rebuilt from the dominant modes (the eigenvalue nearest 1
// and every mode with a larger coefficient; kooplab/koopman_mode_pruning.hpp),
// and the weights with a small rebuilt value are set to zero and pinned there.
// The pruned network then trains for `after` more epochs beside the unpruned
// one; both continue with a fresh optimizer of the same settings and the same
// mini-batch order.
//
// application:
//   name: koopman_pruning
//   epochs: 100               # training before the pruning, weights recorded at epochs 0..epochs
//   record_from: 0            # first recorded epoch given to the estimator
//   after: 100                # training after the pruning, for both networks
//   batch_size: 64            # 0: full batch
//   optimizer: {name: adam}   # optimizers.hpp
//   threshold: 0.01           # prune the weights whose rebuilt |value| is below this, or
//   fraction: 0.75            #   the given fraction with the smallest rebuilt |value| (one of the two)
//   restart: false            # false: Algorithm 1, the kept weights are the rebuilt ones;
//                             # true: Algorithm 2, the kept weights are drawn afresh (network init)
//   test_on: test             # test | validation
// estimator: {name: dmd_rrr, order: amplitude}
//
// Metrics: pruned_fraction, dominant_modes (count), rank, reconstruction_error
// ‖Y − w‖/‖w‖ at the pruning epoch; pruned_* and unpruned_* train_loss, test_loss
// and test_accuracy after `after` epochs, and pruned_train_loss_at_pruning.
// Arrays: eigenvalues, amplitudes, pruned (0/1 per parameter), pruned_epochs and
// unpruned_epochs (rows: epoch, train_loss, train_accuracy, test_loss, test_accuracy).
#include <fmt/format.h>

#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/koopman_mode_pruning.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_start.hpp"

namespace {

// Holds the pruned weights at zero after every optimizer step.
class PinnedZeros : public kooplab::TrainingObserver {
 public:
  PinnedZeros(kooplab::Network& network, arma::uvec pruned) : network_(network), pruned_(std::move(pruned)) {}
  void begin(const kooplab::Network&, arma::uword, arma::uword) override { pin(); }
  kooplab::TrainingDecision step(const kooplab::Network&, arma::uword, double) override {
    pin();
    return kooplab::TrainingDecision::proceed;
  }

 private:
  void pin() { network_.parameters()(pruned_).zeros(); }
  kooplab::Network& network_;
  arma::uvec pruned_;
};

class KoopmanPruning : public kooplab::Application {
 public:
  explicit KoopmanPruning(const kooplab::Config& section) : optimizer_section_(section.child("optimizer")) {
    kooplab::make_optimizer(optimizer_section_);  // reads and checks its keys now
    const int epochs = section.get_or<int>("epochs", 100), after = section.get_or<int>("after", 100);
    const int from = section.get_or<int>("record_from", 0), batch = section.get_or<int>("batch_size", 64);
    if (epochs < 2) section.fail("epochs", "must be at least 2");
    if (from < 0 || from > epochs - 2) section.fail("record_from", fmt::format("must be in 0..{} (epochs − 2)", epochs - 2));
    if (after < 1) section.fail("after", "must be at least 1");
    if (batch < 0) section.fail("batch_size", "must be 0 (full batch) or positive");
    epochs_ = arma::uword(epochs);
    after_ = arma::uword(after);
    record_from_ = arma::uword(from);
    options_.batch_size = arma::uword(batch);
    if (section.has("threshold") == section.has("fraction")) section.fail("threshold", "give exactly one of threshold and fraction");
    if (section.has("threshold")) {
      threshold_ = section.get<double>("threshold");
      if (!(*threshold_ >= 0)) section.fail("threshold", "must be ≥ 0");
    } else {
      fraction_ = section.get<double>("fraction");
      if (!(*fraction_ >= 0 && *fraction_ <= 1)) section.fail("fraction", "must be in [0, 1]");
    }
    restart_ = section.get_or<bool>("restart", false);
    held_out_ = kooplab::read_held_out(section);
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    const auto& estimator = context.require<kooplab::Estimator>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = kooplab::held_out_set(data, held_out_);

    kooplab::ParameterRecorder recorder(kooplab::ParameterRecorder::Unit::epoch, 1);
    kooplab::TrainingOptions before = options_;
    before.epochs = epochs_;
    before.evaluate = false;
    kooplab::train(network, *kooplab::make_optimizer(optimizer_section_), data.train, test, before, training_rng, {&recorder});
    const arma::vec trained = network.parameters();

    kooplab::Trajectories weights;
    weights.runs.push_back(recorder.snapshots().cols(record_from_, epochs_));
    const kooplab::KoopmanModel model = estimator.fit(weights, context.find<kooplab::Observable>(), context.rng());
    const arma::vec rebuilt = kooplab::dominant_reconstruction(model, double(epochs_ - record_from_));
    const arma::uvec pruned = threshold_ ? kooplab::below_threshold(rebuilt, *threshold_) : kooplab::smallest_fraction(rebuilt, *fraction_);

    // Both continuations see the same mini-batches.
    const std::uint64_t continuation_seed = training_rng.split();
    kooplab::TrainingOptions continuation = options_;
    continuation.epochs = after_;
    kooplab::LossRecorder unpruned_losses, pruned_losses;
    kooplab::Rng unpruned_rng(continuation_seed), pruned_rng(continuation_seed);
    network.set_parameters(trained);
    const kooplab::EpochStats unpruned = kooplab::train(network, *kooplab::make_optimizer(optimizer_section_), data.train, test,
                                                        continuation, unpruned_rng, {&unpruned_losses})
                                             .last;
    if (restart_) {
      network.initialise(context.rng());  // Algorithm 2: fresh weights where not pruned
    } else {
      network.set_parameters(rebuilt);  // Algorithm 1: the rebuilt weights
    }
    PinnedZeros pin(network, pruned);
    const kooplab::EpochStats pruned_stats = kooplab::train(network, *kooplab::make_optimizer(optimizer_section_), data.train,
                                                            test, continuation, pruned_rng, {&pin, &pruned_losses})
                                                 .last;

    context.metric("pruned_fraction", double(pruned.n_elem) / double(trained.n_elem));
    context.metric("dominant_modes", double(kooplab::dominant_modes(model).n_elem));
    context.metric("rank", double(model.rank()));
    context.metric("reconstruction_error", arma::norm(rebuilt - trained) / arma::norm(trained));
    context.metric("pruned_train_loss_at_pruning", pruned_losses.epochs().front().train_loss);
    report(context, "pruned", pruned_stats);
    report(context, "unpruned", unpruned);
    arma::vec mask(trained.n_elem, arma::fill::zeros);
    mask(pruned).ones();
    context.array("pruned", mask);
    context.array("eigenvalues", model.eigenvalues);
    context.array("amplitudes", model.amplitudes);
    context.array("pruned_epochs", pruned_losses.epoch_table());
    context.array("unpruned_epochs", unpruned_losses.epoch_table());
  }

 private:
  static void report(kooplab::RunContext& context, const std::string& which, const kooplab::EpochStats& stats) {
    const std::pair<const char*, double> values[] = {
        {"train_loss", stats.train_loss}, {"test_loss", stats.test_loss}, {"test_accuracy", stats.test_accuracy}};
    for (const auto& [name, value] : values)
      if (std::isfinite(value)) context.metric(which + "_" + name, value);
  }

  kooplab::Config optimizer_section_;
  kooplab::TrainingOptions options_;
  arma::uword epochs_ = 0, after_ = 0, record_from_ = 0;
  std::optional<double> threshold_, fraction_;
  bool restart_ = false;
  kooplab::HeldOut held_out_ = kooplab::HeldOut::test;
};

}  // namespace

KOOPLAB_PLUGIN(KoopmanPruning, kooplab::Application, "koopman_pruning",
               "Prune weights whose rebuild from the dominant Koopman modes is small (Algorithms 1 and 2), then retrain beside the unpruned network")
