#include "kooplab/nn/training_start.hpp"

namespace kooplab {

TrainingStart start_training(RunContext& context, Network& network) {
  LabeledData data = context.require<Dataset>().labeled(context.rng());
  network.initialise(context.rng());
  return {std::move(data), Rng(context.rng().split())};
}

HeldOut read_held_out(const Config& section) {
  const std::string word = section.get_or<std::string>("test_on", "test");
  if (word != "test" && word != "validation") section.fail("test_on", "must be test or validation");
  return word == "test" ? HeldOut::test : HeldOut::validation;
}

const LabeledSet& held_out_set(const LabeledData& data, HeldOut which) {
  return which == HeldOut::test ? data.test : data.validation;
}

}  // namespace kooplab
