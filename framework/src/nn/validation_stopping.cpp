#include "kooplab/nn/validation_stopping.hpp"

#include "kooplab/error.hpp"

namespace kooplab {

const Options<ValidationStoppingRule>& ValidationStoppingRule::options() {
  static const auto options = Options<ValidationStoppingRule>()
                                  .add("patience", &ValidationStoppingRule::patience,
                                       "epochs without a better validation loss before the stop", at_least(1))
                                  .add("min_delta", &ValidationStoppingRule::min_delta,
                                       "a better loss is lower by more than this", at_least(0));
  return options;
}

ValidationStopping::ValidationStopping(ValidationStoppingRule rule, Network& network, const LabeledSet& validation)
    : rule_(rule), network_(network), validation_(validation) {
  if (validation_.inputs.is_empty())
    throw DataError("validation stopping: the dataset has no validation samples (give it a validation_size)");
}

void ValidationStopping::begin(const Network&, arma::uword, arma::uword) {
  best_loss_ = arma::datum::inf;
  best_epoch_ = 0;
}

TrainingDecision ValidationStopping::epoch(const Network&, const EpochStats& stats) {
  const double loss = evaluate(network_, validation_).first;
  if (loss < best_loss_ - rule_.min_delta) {
    best_loss_ = loss;
    best_epoch_ = stats.epoch;
  }
  return stats.epoch >= best_epoch_ + rule_.patience ? TrainingDecision::stop : TrainingDecision::proceed;
}

}  // namespace kooplab
