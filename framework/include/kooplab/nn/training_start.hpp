#pragma once
// What every application that trains the run's network starts from: the
// labelled data, the initialised network and a stream for the training loop,
// drawn from the run's stream in this order, so one seed gives the same data,
// weights and batches in each of them; and the held-out set it reports as
// test_* (`test_on: test | validation`).
#include "kooplab/config.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/network.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/run_context.hpp"

namespace kooplab {

struct TrainingStart {
  LabeledData data;
  Rng training_rng;
};

// The run's dataset's labelled data, `network` initialised, and the training stream.
TrainingStart start_training(RunContext& context, Network& network);

enum class HeldOut { test, validation };
// The section's `test_on` (test | validation, default test).
HeldOut read_held_out(const Config& section);
const LabeledSet& held_out_set(const LabeledData& data, HeldOut which);

}  // namespace kooplab
