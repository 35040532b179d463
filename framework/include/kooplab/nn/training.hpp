#pragma once
// The training loop and its observers (ensmallen-style callbacks): the loop
// knows nothing of what is recorded; observers see every step and epoch, and
// any of them can end the training (an early-stopping rule, a spectrum that
// has settled: koopman-mode-analysis.md, Sec. 3).
#include <armadillo>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "kooplab/dataset.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/optimizers.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

struct TrainingOptions {
  arma::uword epochs = 1;
  arma::uword batch_size = 0;  // 0: full batch, one step per epoch
  bool shuffle = true;         // reshuffle the samples every epoch (from the loop's Rng)
  bool evaluate = true;        // train/test loss and accuracy after every epoch and before the first
  arma::uword max_steps = 0;   // > 0: stop after this many optimizer steps, mid-epoch if need be
};

// Loss and accuracy on the whole train and test sets; NaN where not measured
// (accuracy needs labels, test values need a test set).
struct EpochStats {
  arma::uword epoch = 0;  // 0: before training
  double train_loss = std::numeric_limits<double>::quiet_NaN();
  double train_accuracy = std::numeric_limits<double>::quiet_NaN();
  double test_loss = std::numeric_limits<double>::quiet_NaN();
  double test_accuracy = std::numeric_limits<double>::quiet_NaN();
};

// What an observer tells the loop after a step or an epoch, as Ceres'
// CallbackReturnType or ensmallen's EndEpoch: go on, or end the training.
enum class TrainingDecision { proceed, stop };

class TrainingObserver {
 public:
  virtual ~TrainingObserver();
  // Before the first step; `steps` is the number of steps the run will take.
  virtual void begin(const Network& /*network*/, arma::uword /*steps*/, arma::uword /*epochs*/) {}
  // After optimizer step `step` (from 1), with the loss of its batch before the update.
  virtual TrainingDecision step(const Network& /*network*/, arma::uword /*step*/, double /*batch_loss*/) {
    return TrainingDecision::proceed;
  }
  // After epoch `stats.epoch` (from 1), and once for epoch 0 when evaluating.
  virtual TrainingDecision epoch(const Network& /*network*/, const EpochStats& /*stats*/) {
    return TrainingDecision::proceed;
  }
};

// An observer that ended the training: after optimizer step `step` (0: none
// taken), in epoch `epoch` (0: at the evaluation before training).
struct TrainingStop {
  const TrainingObserver* observer;
  arma::uword step;
  arma::uword epoch;
};

struct TrainingOutcome {
  EpochStats last;                      // the statistics of the last epoch (NaN losses without evaluation)
  arma::uword steps = 0;                // optimizer steps taken
  std::optional<TrainingStop> stopped;  // set when an observer ended the training early
};

// Loss and accuracy of `network` on a set (accuracy NaN without labels).
std::pair<double, double> evaluate(Network& network, const LabeledSet& set);

// Trains in mini-batches (the last batch of an epoch may be smaller). Every
// observer sees every step and epoch; when one asks to stop after a step, the
// epoch ends there (evaluated and observed as a partial epoch, as with
// max_steps), and after an epoch, the training ends with it. `test_set` may be empty.
TrainingOutcome train(Network& network, Optimizer& optimizer, const LabeledSet& train_set, const LabeledSet& test_set,
                      const TrainingOptions& options, Rng& rng, const std::vector<TrainingObserver*>& observers = {});

// Runs a stopping rule without letting it stop: remembers the first epoch at
// which `rule` asked to stop and tells the loop to go on, so one training run
// shows where each of several rules would have ended it (a rule sees only the
// past, so its verdict is the epoch it would have stopped at).
class StopVerdict : public TrainingObserver {
 public:
  explicit StopVerdict(TrainingObserver& rule) : rule_(rule) {}
  void begin(const Network& network, arma::uword steps, arma::uword epochs) override;
  TrainingDecision step(const Network& network, arma::uword step, double batch_loss) override;
  TrainingDecision epoch(const Network& network, const EpochStats& stats) override;
  // The first epoch at which the rule asked to stop; none if it never did.
  std::optional<arma::uword> epoch() const { return epoch_; }

 private:
  TrainingObserver& rule_;
  std::optional<arma::uword> epoch_;
};

// Records the parameter vector (or chosen entries) at the start and then every
// `every` steps or epochs into a matrix preallocated in begin(), one column
// per record; float32 storage halves the memory.
class ParameterRecorder : public TrainingObserver {
 public:
  enum class Unit { step, epoch };
  ParameterRecorder(Unit unit, arma::uword every, std::optional<arma::uvec> indices = {},
                    bool single_precision = false);

  void begin(const Network& network, arma::uword steps, arma::uword epochs) override;
  TrainingDecision step(const Network& network, arma::uword step, double batch_loss) override;
  TrainingDecision epoch(const Network& network, const EpochStats& stats) override;

  // Records so far, one column each, in double precision.
  arma::mat snapshots() const;
  // The step or epoch number of each record (0 = initial parameters).
  arma::vec times() const { return times_.head(count_); }

 private:
  void record(const Network& network, arma::uword time);
  Unit unit_;
  arma::uword every_;
  std::optional<arma::uvec> indices_;
  bool single_precision_;
  arma::mat values_;
  arma::fmat values32_;
  arma::vec times_;
  arma::uword count_ = 0;
};

// Keeps the loss curves: the batch loss of every step and the stats of every epoch.
class LossRecorder : public TrainingObserver {
 public:
  void begin(const Network& network, arma::uword steps, arma::uword epochs) override;
  TrainingDecision step(const Network& network, arma::uword step, double batch_loss) override;
  TrainingDecision epoch(const Network& network, const EpochStats& stats) override;

  // (head(0) of an empty vector forms a pointer from null: no training, no losses.)
  arma::vec step_losses() const { return steps_ ? arma::vec(step_losses_.head(steps_)) : arma::vec(); }
  const std::vector<EpochStats>& epochs() const { return epochs_; }
  // Columns: epoch, train_loss, train_accuracy, test_loss, test_accuracy.
  arma::mat epoch_table() const;

 private:
  arma::vec step_losses_;
  arma::uword steps_ = 0;
  std::vector<EpochStats> epochs_;
};

// Holds chosen parameters at fixed values after every optimizer step (and
// before the first): a pruned network trained without reviving what was
// pruned (values 0), or layers frozen while others train.
class FrozenParameters : public TrainingObserver {
 public:
  // At `values`, one per index.
  FrozenParameters(Network& network, arma::uvec indices, arma::vec values)
      : network_(network), indices_(std::move(indices)), values_(std::move(values)) {}
  // At the values they have now.
  FrozenParameters(Network& network, const arma::uvec& indices)
      : FrozenParameters(network, indices, network.parameters()(indices)) {}
  void begin(const Network& network, arma::uword steps, arma::uword epochs) override;
  TrainingDecision step(const Network& network, arma::uword step, double batch_loss) override;

 private:
  void restore() { network_.parameters()(indices_) = values_; }
  Network& network_;
  arma::uvec indices_;
  arma::vec values_;
};

}  // namespace kooplab
