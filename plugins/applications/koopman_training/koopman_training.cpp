// Application `koopman_training`: Koopman training of the network's weights
// (Dogra & Redman 2020, koopman-training.md, Algorithm 1). The optimizer trains
// for t2 = `switch_at` steps while the parameters of steps t1 = `record_from`
// .. t2 are recorded; one operator Ũ_b = F'_b F_b⁺ per block
// (kooplab/koopman_training.hpp; `blocks`, truncated by `rank`) then evolves
// the weights T = `horizon` steps, and the same optimizer, continued from step
// t2 for `compare_steps`, is the reference. `batch_size: 0` (the default) is
// the paper's fixed batch, the whole train set every step.
// `kooplab plugins koopman_training` lists the keys.
//
// Losses are the network's loss on the whole train set. Metrics:
//   loss_at_switch, koopman_loss and optimizer_loss (after T steps of each);
//   success: 1 when koopman_loss < loss_at_switch;
//   equivalent_steps T_eq: optimizer steps from t2 until its loss is ≤ koopman_loss
//     (only when found within compare_steps), equivalent_ratio T_eq/T, equivalent_found (0/1);
//   weight_error: ‖w_koopman − w_optimizer‖ / ‖w_optimizer − w(t2)‖ after T steps;
//   fit_seconds (all Ũ_b), koopman_seconds (T steps, without loss evaluations),
//   optimizer_step_seconds (mean, without loss evaluations), speedup T_eq · optimizer_step_seconds / koopman_seconds;
//   blocks, mean_rank; koopman_test_accuracy, optimizer_test_accuracy (after T steps) with a labelled test set.
// A Koopman evolution that overflows gives success 0 and koopman_diverged 1 instead of the loss metrics.
// Arrays: koopman_loss (k = 0..T), optimizer_loss (k = 0..compare_steps), block_ranks.
#include "kooplab/koopman/koopman_training.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The train loss of `network` after every optimizer step (its own evaluation
// time kept apart), and the weights after step `keep_at`.
class LossAfterEveryStep : public kooplab::TrainingObserver {
 public:
  LossAfterEveryStep(kooplab::Network& network, const kooplab::LabeledSet& set, arma::uword steps, arma::uword keep_at)
      : network_(network), set_(set), losses_(steps + 1, arma::fill::value(arma::datum::nan)), keep_at_(keep_at) {}

  kooplab::TrainingDecision step(const kooplab::Network&, arma::uword step, double) override {
    const auto start = Clock::now();
    losses_(step) = kooplab::evaluate(network_, set_).first;  // a forward pass: needs the mutable network
    if (step == keep_at_) kept_ = network_.parameters();
    evaluation_seconds_ += since(start);
    return kooplab::TrainingDecision::proceed;
  }

  arma::vec& losses() { return losses_; }
  const arma::vec& kept() const { return kept_; }
  double evaluation_seconds() const { return evaluation_seconds_; }

 private:
  kooplab::Network& network_;
  const kooplab::LabeledSet& set_;
  arma::vec losses_, kept_;
  arma::uword keep_at_;
  double evaluation_seconds_ = 0;
};

struct KoopmanTrainingSettings {
  KoopmanTrainingSettings() { training.batch_size = 0; }  // the paper's fixed batch: the whole train set
  kooplab::TrainingSection training;
  arma::uword record_from = 0;
  arma::uword switch_at = 0;
  arma::uword horizon = 0;
  std::optional<arma::uword> compare_steps;                             // absent: 2 × horizon
  std::optional<kooplab::BlockKind> blocks = kooplab::BlockKind::node;  // empty: the whole network
  kooplab::RankRule rank;
};

class KoopmanTraining : public kooplab::Application {
 public:
  static const kooplab::Options<KoopmanTrainingSettings>& options() {
    using kooplab::BlockKind;
    using Settings = KoopmanTrainingSettings;
    static const auto options =
        kooplab::Options<Settings>()
            .include(&Settings::training, kooplab::TrainingSection::options(Settings{}.training))
            .add("record_from", &Settings::record_from, "t1: first recorded step (0: the initial weights)",
                 kooplab::at_least(0))
            .require("switch_at", &Settings::switch_at, "t2 > t1: optimizer steps before Koopman training takes over",
                     kooplab::at_least(1))
            .require("horizon", &Settings::horizon, "T: Koopman steps", kooplab::at_least(1))
            .add("compare_steps", &Settings::compare_steps, "optimizer steps run from t2 as the reference (≥ T)",
                 kooplab::at_least(1))
            .shown_default("2 × horizon")
            .choice("blocks", &Settings::blocks,
                    {{"network", std::nullopt},
                     {"layer", BlockKind::layer},
                     {"node", BlockKind::node},
                     {"weight", BlockKind::weight}},
                    "one operator per block: the whole network, each layer, each node or each weight")
            .include(&Settings::rank, kooplab::RankRule::options());
    return options;
  }

  explicit KoopmanTraining(const kooplab::Config& section) : settings_(options().read(section)) {
    if (settings_.switch_at <= settings_.record_from)
      section.fail("switch_at", fmt::format("must be greater than record_from ({})", settings_.record_from));
    if (!settings_.compare_steps) settings_.compare_steps = 2 * settings_.horizon;
    if (*settings_.compare_steps < settings_.horizon)
      section.fail("compare_steps", fmt::format("must be at least the horizon ({})", settings_.horizon));
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& train_set = data.train;
    const kooplab::LabeledSet& test_set = settings_.training.held_out(data);
    const auto optimizer = settings_.training.make_optimizer();
    const arma::uword switch_at = settings_.switch_at, horizon = settings_.horizon,
                      compare_steps = *settings_.compare_steps;

    // Standard training to t2, recording every step.
    kooplab::ParameterRecorder recorder(kooplab::ParameterRecorder::Unit::step, 1);
    run_optimizer(network, *optimizer, train_set, switch_at, training_rng, {&recorder});
    const arma::mat recorded = recorder.snapshots();
    if (recorded.n_cols != switch_at + 1)
      throw kooplab::DataError(
          fmt::format("{}: the optimizer stopped after {} of {} steps", identity(), recorded.n_cols - 1, switch_at));
    const arma::vec switch_weights = network.parameters();
    const double loss_at_switch = kooplab::evaluate(network, train_set).first;

    auto start = Clock::now();
    const kooplab::PartitionedKoopmanOperator koopman(recorded.cols(settings_.record_from, switch_at), blocks(network),
                                                      settings_.rank);
    const double fit_seconds = since(start);

    // Koopman training: T steps of w ← Ũ w.
    arma::vec koopman_loss(horizon + 1);
    koopman_loss(0) = loss_at_switch;
    arma::vec weights = switch_weights;
    double koopman_seconds = 0;
    for (arma::uword k = 1; k <= horizon; ++k) {
      start = Clock::now();
      koopman.advance(weights);
      koopman_seconds += since(start);
      network.set_parameters(weights);
      koopman_loss(k) = kooplab::evaluate(network, train_set).first;
    }
    const double koopman_accuracy = test_set.inputs.n_cols ? kooplab::evaluate(network, test_set).second : arma::datum::nan;

    // The reference: the same optimizer, continued from step t2.
    network.set_parameters(switch_weights);
    LossAfterEveryStep reference(network, train_set, compare_steps, horizon);
    reference.losses()(0) = loss_at_switch;
    start = Clock::now();
    run_optimizer(network, *optimizer, train_set, compare_steps, training_rng, {&reference});
    const double optimizer_step_seconds = (since(start) - reference.evaluation_seconds()) / double(compare_steps);
    const arma::vec& optimizer_loss = reference.losses();
    network.set_parameters(reference.kept());
    const double optimizer_accuracy = test_set.inputs.n_cols ? kooplab::evaluate(network, test_set).second : arma::datum::nan;

    const double final_loss = koopman_loss(horizon);
    const bool diverged = !std::isfinite(final_loss) || !weights.is_finite();
    context.metric("loss_at_switch", loss_at_switch);
    context.metric("optimizer_loss", optimizer_loss(horizon));
    context.metric("success", !diverged && final_loss < loss_at_switch ? 1.0 : 0.0);
    context.metric("koopman_diverged", diverged ? 1.0 : 0.0);
    if (!diverged) {
      context.metric("koopman_loss", final_loss);
      const double moved = arma::norm(reference.kept() - switch_weights);
      if (moved > 0) context.metric("weight_error", arma::norm(weights - reference.kept()) / moved);
      const arma::uvec reached = arma::find(optimizer_loss.tail(compare_steps) <= final_loss, 1);
      context.metric("equivalent_found", reached.is_empty() ? 0.0 : 1.0);
      if (!reached.is_empty()) {
        const double steps = double(reached(0) + 1);
        context.metric("equivalent_steps", steps);
        context.metric("equivalent_ratio", steps / double(horizon));
        if (koopman_seconds > 0) context.metric("speedup", steps * optimizer_step_seconds / koopman_seconds);
      }
      if (std::isfinite(koopman_accuracy)) context.metric("koopman_test_accuracy", koopman_accuracy);
    }
    if (std::isfinite(optimizer_accuracy)) context.metric("optimizer_test_accuracy", optimizer_accuracy);
    context.metric("fit_seconds", fit_seconds);
    context.metric("koopman_seconds", koopman_seconds);
    context.metric("optimizer_step_seconds", optimizer_step_seconds);
    const arma::uvec ranks = koopman.ranks();
    context.metric("blocks", double(koopman.block_count()));
    context.metric("mean_rank", arma::mean(arma::conv_to<arma::vec>::from(ranks)));
    context.array("koopman_loss", koopman_loss);
    context.array("optimizer_loss", arma::vec(optimizer_loss));
    context.array("block_ranks", arma::conv_to<arma::vec>::from(ranks));
  }

 private:
  void run_optimizer(kooplab::Network& network, kooplab::Optimizer& optimizer, const kooplab::LabeledSet& train_set,
                     arma::uword steps, kooplab::Rng& rng, const std::vector<kooplab::TrainingObserver*>& observers) const {
    kooplab::TrainingOptions options = settings_.training.loop(steps);  // every epoch takes at least one step
    options.max_steps = steps;
    options.evaluate = false;
    kooplab::train(network, optimizer, train_set, {}, options, rng, observers);
  }

  std::vector<arma::uvec> blocks(const kooplab::Network& network) const {
    if (!settings_.blocks) return {arma::regspace<arma::uvec>(0, network.parameters().n_elem - 1)};
    std::vector<arma::uvec> out;
    for (const auto& block : network.blocks(*settings_.blocks)) out.push_back(block.indices);
    return out;
  }

  KoopmanTrainingSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(KoopmanTraining, kooplab::Application, "koopman_training",
               "Koopman training (Dogra & Redman 2020): evolve the weights with per-block operators F'F⁺ fitted on recorded steps")
