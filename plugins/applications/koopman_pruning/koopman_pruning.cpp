// Application `koopman_pruning`: pruning with Koopman modes
// (koopman-mode-analysis.md, Sec. 4, Algorithms 1 and 2). The network trains
// for `epochs` while its weights are recorded every epoch; the run's estimator
// (the paper uses DMD_RRR, e.g. {name: dmd_rrr, order: amplitude}) decomposes
// the weights recorded from epoch `record_from` on, the weights at the pruning
// epoch are rebuilt from the dominant modes (the eigenvalue nearest 1 and every
// mode with a larger coefficient; kooplab/koopman_mode_pruning.hpp), and the
// weights with a small rebuilt value (below `threshold`, or the smallest
// `fraction`) are set to zero and pinned there. The pruned network then trains
// for `after` more epochs beside the unpruned one; both continue with a fresh
// optimizer of the same settings and the same mini-batch order. With
// `restart: false` (Algorithm 1) the kept weights are the rebuilt ones, with
// `restart: true` (Algorithm 2) they are drawn afresh (network init).
// `kooplab plugins koopman_pruning` lists the keys.
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
#include "kooplab/nn/training_section.hpp"

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

struct PruningSettings {
  arma::uword epochs = 100;
  arma::uword record_from = 0;
  arma::uword after = 100;
  kooplab::TrainingSection training;
  std::optional<double> threshold, fraction;
  bool restart = false;
};

class KoopmanPruning : public kooplab::Application {
 public:
  static const kooplab::Options<PruningSettings>& options() {
    static const auto options =
        kooplab::Options<PruningSettings>()
            .add("epochs", &PruningSettings::epochs,
                 "training before the pruning; weights recorded at epochs 0..epochs", kooplab::at_least(2))
            .add("record_from", &PruningSettings::record_from,
                 "first recorded epoch given to the estimator (≤ epochs − 2)", kooplab::at_least(0))
            .add("after", &PruningSettings::after, "training after the pruning, for both networks",
                 kooplab::at_least(1))
            .include(&PruningSettings::training, kooplab::TrainingSection::options(PruningSettings{}.training))
            .add("threshold", &PruningSettings::threshold, "prune the weights whose rebuilt |value| is below this",
                 kooplab::at_least(0))
            .add("fraction", &PruningSettings::fraction,
                 "prune this fraction of the weights, smallest rebuilt |value| first", kooplab::in_range(0, 1))
            .exactly_one_of({"threshold", "fraction"})
            .add("restart", &PruningSettings::restart,
                 "false: Algorithm 1, keep the rebuilt weights; true: Algorithm 2, draw them afresh");
    return options;
  }

  explicit KoopmanPruning(const kooplab::Config& section) : settings_(options().read(section)) {
    if (settings_.record_from > settings_.epochs - 2)
      section.fail("record_from", fmt::format("must be in 0..{} (epochs − 2)", settings_.epochs - 2));
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    const auto& estimator = context.require<kooplab::Estimator>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = settings_.training.held_out(data);
    const arma::uword epochs = settings_.epochs;

    kooplab::ParameterRecorder recorder(kooplab::ParameterRecorder::Unit::epoch, 1);
    kooplab::TrainingOptions before = settings_.training.loop(epochs);
    before.evaluate = false;
    kooplab::train(network, *settings_.training.make_optimizer(), data.train, test, before, training_rng, {&recorder});
    const arma::vec trained = network.parameters();

    kooplab::Trajectories weights;
    weights.runs.push_back(recorder.snapshots().cols(settings_.record_from, epochs));
    const kooplab::KoopmanModel model = estimator.fit(weights, context.find<kooplab::Observable>(), context.rng());
    const arma::vec rebuilt = kooplab::dominant_reconstruction(model, double(epochs - settings_.record_from));
    const arma::uvec pruned = settings_.threshold ? kooplab::below_threshold(rebuilt, *settings_.threshold)
                                                  : kooplab::smallest_fraction(rebuilt, *settings_.fraction);

    // Both continuations see the same mini-batches.
    const std::uint64_t continuation_seed = training_rng.split();
    const kooplab::TrainingOptions continuation = settings_.training.loop(settings_.after);
    kooplab::LossRecorder unpruned_losses, pruned_losses;
    kooplab::Rng unpruned_rng(continuation_seed), pruned_rng(continuation_seed);
    network.set_parameters(trained);
    const kooplab::EpochStats unpruned = kooplab::train(network, *settings_.training.make_optimizer(), data.train, test,
                                                        continuation, unpruned_rng, {&unpruned_losses})
                                             .last;
    if (settings_.restart) {
      network.initialise(context.rng());  // Algorithm 2: fresh weights where not pruned
    } else {
      network.set_parameters(rebuilt);  // Algorithm 1: the rebuilt weights
    }
    PinnedZeros pin(network, pruned);
    const kooplab::EpochStats pruned_stats = kooplab::train(network, *settings_.training.make_optimizer(), data.train,
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

  PruningSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(KoopmanPruning, kooplab::Application, "koopman_pruning",
               "Prune weights whose rebuild from the dominant Koopman modes is small (Algorithms 1 and 2), then retrain beside the unpruned network")
