// Application `koopman_pruning`: pruning with Koopman modes
// (koopman-mode-analysis.md, Sec. 4, Algorithms 1 and 2). The network trains
// for `epochs` while its weights are recorded every epoch; the run's estimator
// (the paper uses DMD_RRR, e.g. {name: dmd_rrr, order: amplitude}) decomposes
// the weights recorded from epoch `record_from` on, the weights at the pruning
// epoch are rebuilt from the dominant modes (the modes of eigenvalue 1, those
// within `cluster` of it, and every mode with a larger first-snapshot
// coefficient; kooplab/koopman_mode_pruning.hpp),
// and the weights with a small rebuilt value (below `threshold`, or the
// smallest `fraction`) are set to zero and pinned there. The pruned network
// then trains for `after` more epochs beside the unpruned one; both continue
// with a fresh optimizer of the same settings and the same mini-batch order.
// With `restart: false` (Algorithm 1) the kept weights are the rebuilt ones,
// with `restart: true` (Algorithm 2) they are drawn afresh (network init; a
// network loaded from `weights` restarts from those).
//
// The rebuild takes the dominant modes' part of the weights at the pruning
// epoch (`coefficients: current`, least squares in all the modes), or
// extrapolates the first-snapshot coefficients by λ^t (`first_snapshot`): that
// inflates the rebuild when the eigenvalue nearest 1 lies a little above 1
// (1.05^50 ≈ 11). `projection` projects the current weights orthogonally onto
// the dominant modes' span (least squares in those modes alone), which stays
// within ‖w‖ of the weights when a dominant mode is nearly parallel to another.
// `controls: true` also prunes as many weights at random and by the smallest
// current |w|, each kept at its current value and retrained the same way.
// `kooplab plugins koopman_pruning` lists the keys.
//
// Without a network section the analysis runs on weights recorded outside
// kooplab (a weight_trajectory dataset, or any dataset with one trajectory,
// parameters × steps, column t standing for epoch t): the pruning epoch is
// `epochs` (a recorded step) and nothing is retrained, so the metrics and
// arrays are those of the decomposition and the mask alone.
//
// Metrics: pruned_fraction, dominant_modes (count), rank, reconstruction_error
// ‖Y − w‖/‖w‖ at the pruning epoch, first_snapshot_error, current_error and
// projection_error (the same for each rebuild), one_eigenvalue (|λ| of the eigenvalue nearest 1),
// dominant_radius (largest |λ| among the dominant modes); pruned_*,
// unpruned_* (and random_*, magnitude_* with controls) train_loss, test_loss and
// test_accuracy after `after` epochs, and pruned_train_loss_at_pruning.
// Arrays: eigenvalues, amplitudes (first snapshot), coefficients (the
// least-squares coefficients of the weights at the pruning epoch),
// mode_gram (m_i^H m_j of the unit modes: near-parallel pairs show as entries
// of modulus near 1), weights (at the pruning epoch), rebuilt, pruned (0/1 per
// parameter), pruned_epochs and unpruned_epochs (rows: epoch, train_loss, train_accuracy,
// test_loss, test_accuracy).
#include <fmt/format.h>

#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/data/parameter_trajectory.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/koopman_mode_pruning.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"

namespace {

struct PruningSettings {
  arma::uword epochs = 100;
  arma::uword record_from = 0;
  arma::uword after = 100;
  kooplab::TrainingSection training;
  std::optional<double> threshold, fraction;
  bool restart = false;
  enum class Rebuild { first_snapshot, current, projection };
  Rebuild rebuild = Rebuild::current;
  double cluster = 0.05;
  bool controls = false;
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
                 "false: Algorithm 1, keep the rebuilt weights; true: Algorithm 2, draw them afresh")
            .choice("coefficients", &PruningSettings::rebuild,
                    {{"current", PruningSettings::Rebuild::current},
                     {"first_snapshot", PruningSettings::Rebuild::first_snapshot},
                     {"projection", PruningSettings::Rebuild::projection}},
                    "rebuild from the modes' coefficients of the current weights, of the first snapshot times λ^t, "
                    "or by projecting the current weights onto the dominant modes")
            .add("cluster", &PruningSettings::cluster,
                 "eigenvalues within this of 1 are the eigenvalue-1 mode (0: the nearest alone)", kooplab::at_least(0))
            .add("controls", &PruningSettings::controls,
                 "also prune as many weights at random and by smallest current |w|, retrained the same way");
    return options;
  }

  explicit KoopmanPruning(const kooplab::Config& section) : settings_(options().read(section)) {
    if (settings_.record_from > settings_.epochs - 2)
      section.fail("record_from", fmt::format("must be in 0..{} (epochs − 2)", settings_.epochs - 2));
  }

  void run(kooplab::RunContext& context) const override {
    if (!context.find<kooplab::Network>()) return analyse_recorded(context);
    auto& network = context.require<kooplab::Network>();
    const auto& estimator = context.require<kooplab::Estimator>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = settings_.training.held_out(data);
    const arma::uword epochs = settings_.epochs;

    kooplab::ParameterRecorder recorder(kooplab::ParameterRecorder::Unit::epoch, 1);
    kooplab::TrainingOptions before = settings_.training.loop(epochs);
    before.evaluate = false;
    kooplab::train(network, *settings_.training.make_optimizer(identity()), data.train, test, before, training_rng,
                   {&recorder});
    const arma::vec trained = network.parameters();

    const Analysis analysis = analyse(context, estimator, recorder.snapshots(), trained);
    const arma::uvec& pruned = analysis.pruned;
    const arma::vec& rebuilt = analysis.rebuilt;

    // Every continuation sees the same mini-batches with a fresh optimizer.
    const std::uint64_t continuation_seed = training_rng.split();
    const kooplab::TrainingOptions continuation = settings_.training.loop(settings_.after);
    const auto retrain = [&](const arma::vec& start, const arma::uvec& zeros, kooplab::LossRecorder& losses) {
      network.set_parameters(start);
      kooplab::FrozenParameters pin(network, zeros, arma::zeros(zeros.n_elem));
      kooplab::Rng rng(continuation_seed);
      return kooplab::train(network, *settings_.training.make_optimizer(identity()), data.train, test, continuation,
                            rng, {&pin, &losses})
          .last;
    };
    kooplab::LossRecorder unpruned_losses, pruned_losses, control_losses;
    report(context, "unpruned", test, retrain(trained, {}, unpruned_losses));
    if (settings_.controls) {
      const double fraction = double(pruned.n_elem) / double(trained.n_elem);
      report(context, "random", test,
             retrain(trained, kooplab::random_entries(trained.n_elem, pruned.n_elem, context.rng()), control_losses));
      report(context, "magnitude", test,
             retrain(trained, kooplab::smallest_fraction(trained, fraction), control_losses));
    }
    arma::vec start = rebuilt;  // Algorithm 1: the rebuilt weights
    if (settings_.restart) {    // Algorithm 2: fresh weights where not pruned
      network.initialise(context.rng());
      start = network.parameters();
    }
    report(context, "pruned", test, retrain(start, pruned, pruned_losses));

    report_analysis(context, analysis, trained);
    context.metric("pruned_train_loss_at_pruning", pruned_losses.epochs().front().train_loss);
    report_analysis_arrays(context, analysis, trained);
    context.array("pruned_epochs", pruned_losses.epoch_table());
    context.array("unpruned_epochs", unpruned_losses.epoch_table());
  }

 private:
  struct Analysis {
    kooplab::KoopmanModel model;
    arma::vec extrapolated, current, projection, rebuilt;
    arma::uvec pruned;
  };

  // Decomposes the weights of epochs record_from..epochs (columns of
  // `recorded`) and picks the weights to prune; `trained` are those at `epochs`.
  Analysis analyse(kooplab::RunContext& context, const kooplab::Estimator& estimator, const arma::mat& recorded,
                   const arma::vec& trained) const {
    kooplab::Trajectories weights;
    weights.runs.push_back(recorded.cols(settings_.record_from, settings_.epochs));
    Analysis out{estimator.fit(weights, context.find<kooplab::Observable>(), context.rng()), {}, {}, {}, {}, {}};
    const double steps = double(settings_.epochs - settings_.record_from);
    out.extrapolated = kooplab::dominant_reconstruction(out.model, steps, settings_.cluster);
    out.current = kooplab::dominant_part(out.model, trained, settings_.cluster);
    out.projection = kooplab::dominant_projection(out.model, trained, settings_.cluster);
    switch (settings_.rebuild) {
      case PruningSettings::Rebuild::first_snapshot:
        out.rebuilt = out.extrapolated;
        break;
      case PruningSettings::Rebuild::current:
        out.rebuilt = out.current;
        break;
      case PruningSettings::Rebuild::projection:
        out.rebuilt = out.projection;
        break;
    }
    out.pruned = settings_.threshold ? kooplab::below_threshold(out.rebuilt, *settings_.threshold)
                                     : kooplab::smallest_fraction(out.rebuilt, *settings_.fraction);
    return out;
  }

  void report_analysis(kooplab::RunContext& context, const Analysis& analysis, const arma::vec& trained) const {
    const auto relative_error = [&](const arma::vec& weights) {
      return arma::norm(weights - trained) / arma::norm(trained);
    };
    const kooplab::KoopmanModel& model = analysis.model;
    const arma::uvec dominant = kooplab::dominant_modes(model, settings_.cluster);
    context.metric("pruned_fraction", double(analysis.pruned.n_elem) / double(trained.n_elem));
    context.metric("dominant_modes", double(dominant.n_elem));
    context.metric("rank", double(model.rank()));
    context.metric("reconstruction_error", relative_error(analysis.rebuilt));
    context.metric("first_snapshot_error", relative_error(analysis.extrapolated));
    context.metric("current_error", relative_error(analysis.current));
    context.metric("projection_error", relative_error(analysis.projection));
    context.metric("one_eigenvalue", std::abs(model.eigenvalues(arma::index_min(arma::abs(model.eigenvalues - 1.0)))));
    context.metric("dominant_radius", arma::max(arma::abs(model.eigenvalues(dominant))));
  }

  static void report_analysis_arrays(kooplab::RunContext& context, const Analysis& analysis, const arma::vec& trained) {
    arma::vec mask(trained.n_elem, arma::fill::zeros);
    mask(analysis.pruned).ones();
    context.array("pruned", mask);
    context.array("weights", trained);
    context.array("rebuilt", analysis.rebuilt);
    context.array("eigenvalues", analysis.model.eigenvalues);
    context.array("amplitudes", analysis.model.amplitudes);
    context.array("coefficients", kooplab::state_amplitudes(analysis.model.modes, trained));
    context.array("mode_gram", arma::cx_mat(analysis.model.modes.t() * analysis.model.modes));
  }

  // The analysis alone, on weights recorded outside kooplab.
  void analyse_recorded(kooplab::RunContext& context) const {
    const auto& estimator = context.require<kooplab::Estimator>();
    const kooplab::ParameterTrajectory recorded =
        kooplab::recorded_parameters(context.require<kooplab::Dataset>(), context.rng(), identity());
    if (settings_.epochs >= recorded.snapshots.n_cols)
      throw kooplab::DataError(fmt::format("{}: epochs is {}, but the recorded weights end at step {}", identity(),
                                           settings_.epochs, recorded.snapshots.n_cols - 1));
    const arma::vec trained = recorded.snapshots.col(settings_.epochs);
    const Analysis analysis = analyse(context, estimator, recorded.snapshots, trained);
    report_analysis(context, analysis, trained);
    report_analysis_arrays(context, analysis, trained);
  }

  // Every loss is reported whatever its value (the runner fails a run whose
  // loss diverged); the test loss only with a test set, accuracies only with labels.
  static void report(kooplab::RunContext& context, const std::string& which, const kooplab::LabeledSet& test,
                     const kooplab::EpochStats& stats) {
    context.metric(which + "_train_loss", stats.train_loss);
    if (!test.inputs.is_empty()) context.metric(which + "_test_loss", stats.test_loss);
    if (!test.labels.is_empty()) context.metric(which + "_test_accuracy", stats.test_accuracy);
  }

  PruningSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(KoopmanPruning, kooplab::Application, "koopman_pruning",
               "Prune weights whose rebuild from the dominant Koopman modes is small (Algorithms 1 and 2), then "
               "retrain beside the unpruned network")
