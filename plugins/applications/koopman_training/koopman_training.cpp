// Application `koopman_training`: Koopman training of the network's weights
// (Dogra & Redman 2020, koopman-training.md, Algorithm 1). The optimizer trains
// for t2 = `switch_at` steps while the parameters of steps t1 = `record_from`
// .. t2 are recorded; one operator Ũ_b = F'_b F_b⁺ per block
// (kooplab/koopman/koopman_training.hpp; `blocks`, truncated by `rank`) then
// evolves the weights T = `horizon` steps, and the same optimizer, continued
// from step t2 for `compare_steps`, is the reference. `blocks: quasi_node`
// cuts every node into groups of `group_size` entries, one size per layer
// with parameters (kooplab::quasi_node_blocks). `batch_size: 0` (the default)
// is the paper's fixed batch, the whole train set every step.
// `kooplab plugins koopman_training` lists the keys.
//
// Without a network section the operator is fitted on weights recorded
// outside kooplab (a weight_trajectory dataset, or any dataset with one
// trajectory, parameters × steps, column t the weights after step t):
// columns t1..t2 fit Ũ_b, the weights of column t2 are evolved T steps, and
// the recording after t2, as far as it goes, is the reference. Blocks other
// than `network` and `weight` need the tensors' layout (weight_trajectory
// gives it; kooplab/data/parameter_trajectory.hpp says how layers and nodes
// are read from it); quasi_node needs a network of kooplab's own. Metrics then:
// the block statistics below, koopman_diverged, and weight_error and
// error_to_evolution when the recording reaches t2 + T; arrays
// koopman_weight_norm, recorded_weight_error (the weight_error after each
// Koopman step the recording covers) and the block arrays.
//
// Losses are the network's loss on the whole train set. Metrics:
//   loss_at_switch, koopman_loss and optimizer_loss (after T steps of each);
//   success: 1 when koopman_loss < loss_at_switch (the paper's T_eq/T > 0);
//   equivalent_steps T_eq: optimizer steps from t2 until its loss is ≤ koopman_loss,
//     0 without success; equivalent_ratio T_eq/T; equivalent_found 0 when the
//     optimizer does not reach koopman_loss within compare_steps (T_eq is then unknown);
//   weight_error: ‖w_koopman − w_optimizer‖ / ‖w_optimizer − w(t2)‖ after T steps;
//   error_to_evolution: median |w_koopman − w_optimizer| / median |w_optimizer − w(t2)|
//     over the parameters (the statistic of the paper's Fig. 2e, for one network);
//   optimizer_step_seconds, koopman_step_seconds: CPU time of the calling thread
//     per optimizer step (its loop, gradient and update, no loss evaluation) and
//     per Koopman step, measured after the runs above in `timing_rounds` rounds
//     that alternate `timing_steps` optimizer steps with Koopman steps (from w(t2),
//     in runs of 10, until they have taken as long): medians over the rounds and
//     their quartiles *_q1, *_q3; step_time_ratio: the median over the rounds of
//     optimizer ÷ Koopman time per step, both measured under the same machine load;
//     speedup: T_eq/T · step_time_ratio; fit_seconds (all Ũ_b, CPU);
//     speedup_with_fit: T_eq · optimizer_step_seconds / (T · koopman_step_seconds + fit_seconds);
//   blocks, mean_rank, max_spectral_radius and unstable_blocks (ρ(Ũ_b) > 1),
//     median_condition and max_condition (σ_1/σ_r of the kept F_b);
//     first_rise_step: the first Koopman step whose loss is above loss_at_switch (0: none);
//   koopman_test_accuracy, optimizer_test_accuracy (after T steps) with a labelled test set.
// A Koopman evolution that overflows gives success 0 and koopman_diverged 1 instead of the loss metrics.
// Arrays: koopman_loss (k = 0..T), koopman_weight_norm (‖w‖, k = 0..T), optimizer_loss
// (k = 0..compare_steps), block_ranks, block_spectral_radius, block_condition,
// parameter_error (w_koopman − w_optimizer after T steps), parameter_evolution (w_optimizer − w(t2)).
#include "kooplab/koopman/koopman_training.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kooplab/application.hpp"
#include "kooplab/data/parameter_trajectory.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"
#include "kooplab/util/thread_clock.hpp"

namespace {

// The reference run: the train loss of `network` after every optimizer step
// and the weights after step `keep_at`.
class ReferenceRun : public kooplab::TrainingObserver {
 public:
  ReferenceRun(kooplab::Network& network, const kooplab::LabeledSet& set, arma::uword steps, arma::uword keep_at)
      : network_(network), set_(set), losses_(steps + 1, arma::fill::value(arma::datum::nan)), keep_at_(keep_at) {}

  kooplab::TrainingDecision step(const kooplab::Network&, arma::uword step, double) override {
    losses_(step) = kooplab::evaluate(network_, set_).first;  // a forward pass: needs the mutable network
    if (step == keep_at_) kept_ = network_.parameters();
    return kooplab::TrainingDecision::proceed;
  }

  arma::vec& losses() { return losses_; }
  const arma::vec& kept() const { return kept_; }

 private:
  kooplab::Network& network_;
  const kooplab::LabeledSet& set_;
  arma::vec losses_, kept_;
  arma::uword keep_at_;
};

// The cost of a step of each kind, measured in alternation: after every
// `steps_per_round` optimizer steps, Koopman steps from w(t2) run until they
// have taken as long. Load from other processes then weighs on both sides of
// a round alike, and the ratio of the two holds still where either time alone
// moves with the load.
class InterleavedStepTiming : public kooplab::TrainingObserver {
 public:
  InterleavedStepTiming(const kooplab::PartitionedKoopmanOperator& koopman, arma::vec start,
                        arma::uword steps_per_round)
      : koopman_(koopman), start_(std::move(start)), steps_per_round_(steps_per_round) {}

  void begin(const kooplab::Network&, arma::uword, arma::uword) override {
    round_start_ = kooplab::thread_cpu_seconds();
  }

  kooplab::TrainingDecision step(const kooplab::Network&, arma::uword step, double) override {
    if (step % steps_per_round_ != 0) return kooplab::TrainingDecision::proceed;
    const double round_seconds = kooplab::thread_cpu_seconds() - round_start_;
    const double optimizer_step = round_seconds / double(steps_per_round_);
    const double koopman_step = time_koopman_steps(round_seconds);
    optimizer_seconds_.add(optimizer_step);
    koopman_seconds_.add(koopman_step);
    ratio_.add(optimizer_step / koopman_step);
    round_start_ = kooplab::thread_cpu_seconds();
    return kooplab::TrainingDecision::proceed;
  }

  const kooplab::CpuTimings& optimizer_step_seconds() const { return optimizer_seconds_; }
  const kooplab::CpuTimings& koopman_step_seconds() const { return koopman_seconds_; }
  const kooplab::CpuTimings& ratio() const { return ratio_; }

 private:
  // Runs of 10 Koopman steps (a step of a small network takes a few
  // microseconds, near the cost of reading the clock) until `budget` seconds.
  double time_koopman_steps(double budget) const {
    constexpr arma::uword steps_per_run = 10;
    arma::vec weights = start_;
    arma::uword steps = 0;
    const double start = kooplab::thread_cpu_seconds();
    double elapsed = 0;
    do {
      for (arma::uword k = 0; k < steps_per_run; ++k) koopman_.advance(weights);
      steps += steps_per_run;
      elapsed = kooplab::thread_cpu_seconds() - start;
    } while (elapsed < budget);
    return elapsed / double(steps);
  }

  const kooplab::PartitionedKoopmanOperator& koopman_;
  const arma::vec start_;
  const arma::uword steps_per_round_;
  double round_start_ = 0;
  kooplab::CpuTimings optimizer_seconds_, koopman_seconds_, ratio_;
};

// Which parameters share an operator.
enum class Partition { network, layer, node, quasi_node, weight };

struct KoopmanTrainingSettings {
  KoopmanTrainingSettings() { training.batch_size = 0; }  // the paper's fixed batch: the whole train set
  kooplab::TrainingSection training;
  arma::uword record_from = 0;
  arma::uword switch_at = 0;
  arma::uword horizon = 0;
  std::optional<arma::uword> compare_steps;  // absent: 2 × horizon
  Partition blocks = Partition::node;
  std::vector<int> group_size;  // quasi_node: one per layer with parameters
  kooplab::RankRule rank;
  arma::uword timing_rounds = 50;
  arma::uword timing_steps = 20;
};

class KoopmanTraining : public kooplab::Application {
 public:
  static const kooplab::Options<KoopmanTrainingSettings>& options() {
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
                    {{"network", Partition::network},
                     {"layer", Partition::layer},
                     {"node", Partition::node},
                     {"quasi_node", Partition::quasi_node},
                     {"weight", Partition::weight}},
                    "one operator per block: the whole network, each layer, each node, groups of a node's "
                    "entries (quasi_node) or each weight")
            .add("group_size", &Settings::group_size,
                 "quasi_node: entries per group (weights, then bias) for each layer with parameters; 0: the whole node",
                 kooplab::each_at_least(0))
            .include(&Settings::rank, kooplab::RankRule::options())
            .add("timing_rounds", &Settings::timing_rounds,
                 "rounds of the step timing, each optimizer steps then Koopman steps (after the runs; no effect on "
                 "them)",
                 kooplab::at_least(1))
            .add("timing_steps", &Settings::timing_steps, "optimizer steps per timing round", kooplab::at_least(1));
    return options;
  }

  explicit KoopmanTraining(const kooplab::Config& section) : settings_(options().read(section)) {
    if (settings_.switch_at <= settings_.record_from)
      section.fail("switch_at", fmt::format("must be greater than record_from ({})", settings_.record_from));
    if (!settings_.compare_steps) settings_.compare_steps = 2 * settings_.horizon;
    if (*settings_.compare_steps < settings_.horizon)
      section.fail("compare_steps", fmt::format("must be at least the horizon ({})", settings_.horizon));
    const bool quasi_node = settings_.blocks == Partition::quasi_node;
    if (quasi_node && settings_.group_size.empty())
      section.fail("group_size", "blocks: quasi_node needs a group size for each layer with parameters");
    if (!quasi_node && !settings_.group_size.empty())
      section.fail("group_size", "only blocks: quasi_node takes group sizes");
  }

  void run(kooplab::RunContext& context) const override {
    if (!context.find<kooplab::Network>()) return fit_recorded(context);
    auto& network = context.require<kooplab::Network>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& train_set = data.train;
    const kooplab::LabeledSet& test_set = settings_.training.held_out(data);
    const auto optimizer = settings_.training.make_optimizer(identity());
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

    const double fit_start = kooplab::thread_cpu_seconds();
    const kooplab::PartitionedKoopmanOperator koopman(recorded.cols(settings_.record_from, switch_at), blocks(network),
                                                      settings_.rank);
    const double fit_seconds = kooplab::thread_cpu_seconds() - fit_start;

    // Koopman training: T steps of w ← Ũ w.
    arma::vec koopman_loss(horizon + 1), weight_norm(horizon + 1);
    koopman_loss(0) = loss_at_switch;
    arma::vec weights = switch_weights;
    weight_norm(0) = arma::norm(weights);
    for (arma::uword k = 1; k <= horizon; ++k) {
      koopman.advance(weights);
      network.set_parameters(weights);
      koopman_loss(k) = kooplab::evaluate(network, train_set).first;
      weight_norm(k) = arma::norm(weights);
    }
    const double koopman_accuracy =
        test_set.inputs.n_cols ? kooplab::evaluate(network, test_set).second : arma::datum::nan;

    // The reference: the same optimizer, continued from step t2.
    network.set_parameters(switch_weights);
    ReferenceRun reference(network, train_set, compare_steps, horizon);
    reference.losses()(0) = loss_at_switch;
    run_optimizer(network, *optimizer, train_set, compare_steps, training_rng, {&reference});
    const arma::vec& optimizer_loss = reference.losses();
    network.set_parameters(reference.kept());
    const double optimizer_accuracy =
        test_set.inputs.n_cols ? kooplab::evaluate(network, test_set).second : arma::datum::nan;

    // The cost of the steps, after every result above: the optimizer goes on from where the reference ended.
    InterleavedStepTiming timing(koopman, switch_weights, settings_.timing_steps);
    run_optimizer(network, *optimizer, train_set, settings_.timing_rounds * settings_.timing_steps, training_rng,
                  {&timing});

    const double final_loss = koopman_loss(horizon);
    const bool diverged = !std::isfinite(final_loss) || !weights.is_finite();
    const bool success = !diverged && final_loss < loss_at_switch;
    context.metric("loss_at_switch", loss_at_switch);
    context.metric("optimizer_loss", optimizer_loss(horizon));
    context.metric("success", success ? 1.0 : 0.0);
    context.metric("koopman_diverged", diverged ? 1.0 : 0.0);
    arma::uword first_rise = 0;  // NaN counts as a rise
    for (arma::uword k = 1; k <= horizon && first_rise == 0; ++k)
      if (!(koopman_loss(k) <= loss_at_switch)) first_rise = k;
    context.metric("first_rise_step", double(first_rise));
    const double optimizer_step_seconds = timing.optimizer_step_seconds().median();
    const double koopman_step_seconds = timing.koopman_step_seconds().median();
    const double step_time_ratio = timing.ratio().median();
    if (!diverged) {
      context.metric("koopman_loss", final_loss);
      report_weight_error(context, weights, reference.kept(), switch_weights);
      // T_eq: 0 without success (the paper's T_eq/T > 0 is its success).
      const arma::uvec reached = arma::find(optimizer_loss.tail(compare_steps) <= final_loss, 1);
      const bool found = !success || !reached.is_empty();
      context.metric("equivalent_found", found ? 1.0 : 0.0);
      if (found) {
        const double steps = success ? double(reached(0) + 1) : 0.0;
        context.metric("equivalent_steps", steps);
        context.metric("equivalent_ratio", steps / double(horizon));
        context.metric("speedup", steps / double(horizon) * step_time_ratio);
        context.metric("speedup_with_fit",
                       steps * optimizer_step_seconds / (double(horizon) * koopman_step_seconds + fit_seconds));
      }
      if (!test_set.labels.is_empty()) context.metric("koopman_test_accuracy", koopman_accuracy);
      report_weight_arrays(context, weights, reference.kept(), switch_weights);
    }
    if (!test_set.labels.is_empty()) context.metric("optimizer_test_accuracy", optimizer_accuracy);
    context.metric("fit_seconds", fit_seconds);
    context.metric("koopman_step_seconds", koopman_step_seconds);
    context.metric("koopman_step_seconds_q1", timing.koopman_step_seconds().quantile(0.25));
    context.metric("koopman_step_seconds_q3", timing.koopman_step_seconds().quantile(0.75));
    context.metric("optimizer_step_seconds", optimizer_step_seconds);
    context.metric("optimizer_step_seconds_q1", timing.optimizer_step_seconds().quantile(0.25));
    context.metric("optimizer_step_seconds_q3", timing.optimizer_step_seconds().quantile(0.75));
    context.metric("step_time_ratio", step_time_ratio);
    context.metric("step_time_ratio_q1", timing.ratio().quantile(0.25));
    context.metric("step_time_ratio_q3", timing.ratio().quantile(0.75));
    report_block_metrics(context, koopman);
    context.array("koopman_loss", koopman_loss);
    context.array("koopman_weight_norm", weight_norm);
    context.array("optimizer_loss", arma::vec(optimizer_loss));
    report_block_arrays(context, koopman);
  }

 private:
  // The operator fit alone, on weights recorded outside kooplab.
  void fit_recorded(kooplab::RunContext& context) const {
    const kooplab::ParameterTrajectory recorded =
        kooplab::recorded_parameters(context.require<kooplab::Dataset>(), context.rng(), identity());
    const arma::mat& steps = recorded.snapshots;
    const arma::uword switch_at = settings_.switch_at, horizon = settings_.horizon;
    if (switch_at >= steps.n_cols)
      throw kooplab::DataError(fmt::format("{}: switch_at is {}, but the recorded weights end at step {}", identity(),
                                           switch_at, steps.n_cols - 1));
    const kooplab::PartitionedKoopmanOperator koopman(steps.cols(settings_.record_from, switch_at),
                                                      recorded_blocks(recorded), settings_.rank);
    const arma::vec switch_weights = steps.col(switch_at);
    const arma::uword covered = std::min(horizon, steps.n_cols - 1 - switch_at);  // steps the recording has
    arma::vec weights = switch_weights, weight_norm(horizon + 1), recorded_error(covered);
    weight_norm(0) = arma::norm(weights);
    for (arma::uword k = 1; k <= horizon; ++k) {
      koopman.advance(weights);
      weight_norm(k) = arma::norm(weights);
      if (k <= covered)
        recorded_error(k - 1) =
            arma::norm(weights - steps.col(switch_at + k)) / arma::norm(steps.col(switch_at + k) - switch_weights);
    }
    const bool diverged = !weights.is_finite();
    context.metric("koopman_diverged", diverged ? 1.0 : 0.0);
    if (!diverged && covered == horizon) {
      report_weight_error(context, weights, steps.col(switch_at + horizon), switch_weights);
      report_weight_arrays(context, weights, steps.col(switch_at + horizon), switch_weights);
    }
    report_block_metrics(context, koopman);
    context.array("koopman_weight_norm", weight_norm);
    if (covered > 0) context.array("recorded_weight_error", recorded_error);
    report_block_arrays(context, koopman);
  }

  std::vector<arma::uvec> recorded_blocks(const kooplab::ParameterTrajectory& recorded) const {
    const arma::uword parameters = recorded.snapshots.n_rows;
    if (settings_.blocks == Partition::network) return {arma::regspace<arma::uvec>(0, parameters - 1)};
    if (settings_.blocks == Partition::quasi_node)
      throw kooplab::ConfigError(identity() + ": blocks: quasi_node needs a network section");
    if (recorded.layout.empty() && settings_.blocks != Partition::weight)
      throw kooplab::DataError(identity() +
                               ": layer and node blocks need the layout of the recorded tensors (a weight_trajectory "
                               "dataset gives it)");
    std::vector<kooplab::ParameterTensor> layout = recorded.layout;
    if (layout.empty()) layout.push_back({"parameters", {parameters}, 0, parameters});
    return indices(kooplab::parameter_blocks(layout, block_kind()));
  }

  // weight_error ‖w_koopman − w_ref‖ / ‖w_ref − w(t2)‖ and the median ratio error_to_evolution.
  static void report_weight_error(kooplab::RunContext& context, const arma::vec& weights, const arma::vec& reference,
                                  const arma::vec& switch_weights) {
    const double moved = arma::norm(reference - switch_weights);
    if (moved > 0) {
      context.metric("weight_error", arma::norm(weights - reference) / moved);
      context.metric("error_to_evolution", arma::median(arma::abs(weights - reference)) /
                                               arma::median(arma::abs(reference - switch_weights)));
    }
  }

  static void report_weight_arrays(kooplab::RunContext& context, const arma::vec& weights, const arma::vec& reference,
                                   const arma::vec& switch_weights) {
    context.array("parameter_error", arma::vec(weights - reference));
    context.array("parameter_evolution", arma::vec(reference - switch_weights));
  }

  static void report_block_metrics(kooplab::RunContext& context, const kooplab::PartitionedKoopmanOperator& koopman) {
    const arma::uvec ranks = koopman.ranks();
    const arma::uvec fitted = arma::find(ranks > 0);
    const arma::vec radii = koopman.spectral_radii(), conditions = koopman.conditions();
    context.metric("blocks", double(koopman.block_count()));
    context.metric("mean_rank", arma::mean(arma::conv_to<arma::vec>::from(ranks)));
    if (!fitted.is_empty()) {
      context.metric("max_spectral_radius", radii.max());
      context.metric("unstable_blocks", double(arma::accu(radii > 1.0)));
      context.metric("median_condition", arma::median(conditions(fitted)));
      context.metric("max_condition", conditions.max());
    }
  }

  static void report_block_arrays(kooplab::RunContext& context, const kooplab::PartitionedKoopmanOperator& koopman) {
    context.array("block_ranks", arma::conv_to<arma::vec>::from(koopman.ranks()));
    context.array("block_spectral_radius", koopman.spectral_radii());
    context.array("block_condition", koopman.conditions());
  }

  void run_optimizer(kooplab::Network& network, kooplab::Optimizer& optimizer, const kooplab::LabeledSet& train_set,
                     arma::uword steps, kooplab::Rng& rng,
                     const std::vector<kooplab::TrainingObserver*>& observers) const {
    kooplab::TrainingOptions options = settings_.training.loop(steps);  // every epoch takes at least one step
    options.max_steps = steps;
    options.evaluate = false;
    kooplab::train(network, optimizer, train_set, {}, options, rng, observers);
  }

  // The BlockKind of layer, node and weight blocks.
  kooplab::BlockKind block_kind() const {
    switch (settings_.blocks) {
      case Partition::layer:
        return kooplab::BlockKind::layer;
      case Partition::node:
        return kooplab::BlockKind::node;
      default:
        return kooplab::BlockKind::weight;
    }
  }

  static std::vector<arma::uvec> indices(const std::vector<kooplab::ParameterBlock>& blocks) {
    std::vector<arma::uvec> out;
    for (const auto& block : blocks) out.push_back(block.indices);
    return out;
  }

  std::vector<arma::uvec> blocks(const kooplab::Network& network) const {
    if (settings_.blocks == Partition::network) return {arma::regspace<arma::uvec>(0, network.parameters().n_elem - 1)};
    if (settings_.blocks == Partition::quasi_node)
      return indices(kooplab::quasi_node_blocks(
          network, std::vector<arma::uword>(settings_.group_size.begin(), settings_.group_size.end())));
    return indices(network.blocks(block_kind()));
  }

  KoopmanTrainingSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(
    KoopmanTraining, kooplab::Application, "koopman_training",
    "Koopman training (Dogra & Redman 2020): evolve the weights with per-block operators F'F⁺ fitted on recorded steps")
