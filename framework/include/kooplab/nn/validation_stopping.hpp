#pragma once
// Early stopping on a validation set, the usual rule the spectrum stopping
// rule (koopman/spectrum_stopping.hpp) is compared with: after every epoch
// the loss on the validation set is measured; training stops when it has not
// fallen below the best so far by more than `min_delta` for `patience` epochs.
// The weights are those of the stopping epoch (the best are not restored).
#include <armadillo>

#include "kooplab/dataset.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct ValidationStoppingRule {
  arma::uword patience = 10;  // epochs without improvement before the stop
  double min_delta = 0.0;     // an improvement is a fall by more than this

  static const Options<ValidationStoppingRule>& options();
};

class ValidationStopping : public TrainingObserver {
 public:
  // `network` is the one being trained (measured here, hence not const);
  // throws DataError for an empty validation set.
  ValidationStopping(ValidationStoppingRule rule, Network& network, const LabeledSet& validation);

  void begin(const Network& network, arma::uword steps, arma::uword epochs) override;
  TrainingDecision epoch(const Network& network, const EpochStats& stats) override;

  arma::uword best_epoch() const { return best_epoch_; }
  double best_loss() const { return best_loss_; }

 private:
  ValidationStoppingRule rule_;
  Network& network_;
  const LabeledSet& validation_;
  double best_loss_ = arma::datum::inf;
  arma::uword best_epoch_ = 0;
};

}  // namespace kooplab
