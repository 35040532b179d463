#pragma once
// What the applications that train the run's network share: the keys of their
// training (batch_size, shuffle, optimizer, test_on), declared once (the
// optimizer is needed only by a run that trains: a run on recorded weights or
// a loaded network omits it), and the
// start every one of them takes: the labelled data, the initialised network
// and a stream for the training loop, drawn from the run's stream in this
// order, so one seed gives the same data, weights and batches in each of them.
#include <memory>
#include <optional>
#include <string>

#include "kooplab/application.hpp"
#include "kooplab/config.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/optimizers.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/options.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/run_context.hpp"

namespace kooplab {

// The labelled set reported as test_*.
enum class HeldOut { test, validation };

struct TrainingSection {
  arma::uword batch_size = 64;  // 0: full batch, one step per epoch
  bool shuffle = true;
  std::optional<OptimizerOptions> optimizer;
  HeldOut test_on = HeldOut::test;

  // The keys, documented with the values of `defaults`: an application's
  // settings hold a TrainingSection member `training` (its constructor may
  // change the values, koopman_training's batch_size 0) and include
  // options(Settings{}.training), so its docs show the values it starts from.
  static Options<TrainingSection> options(const TrainingSection& defaults);

  // The loop's options for `epochs` epochs.
  TrainingOptions loop(arma::uword epochs) const;
  // Throws ConfigError naming `where` (the application) without an optimizer section.
  std::unique_ptr<Optimizer> make_optimizer(const std::string& where) const;
  const LabeledSet& held_out(const LabeledData& data) const;
};

struct TrainingStart {
  LabeledData data;
  Rng training_rng;
};

// The run's dataset's labelled data, `network` initialised, and the training stream.
TrainingStart start_training(RunContext& context, Network& network);

// Runs a `train` application on `network` and the run's dataset in a context
// of its own, with `config` and the run's seed (so the network is the one
// `train` makes for that config, from its cache when it has one), and
// reports its metrics into `context` with `prefix`.
void train_in_context(const Application& train, RunContext& context, const Config& config, Network& network,
                      const std::string& prefix);

// The `train` key of the applications that analyse a trained network
// (layer_linearization, koopman_compression): a section of the application
// `train`, which trains the network or loads it from its cache. Absent, the
// network is analysed as it starts, so it must be loaded from its `weights`
// (trained elsewhere); train_application gives {name: train, epochs: 0} then,
// which evaluates it, and check_trained_or_loaded refuses a network without
// weights at run time.
OptionDoc train_key_doc();
std::optional<Config> read_train_key(const Config& section);
std::shared_ptr<const Application> train_application(const Registry& registry, const std::optional<Config>& train);
// Throws ConfigError naming `where` (the application) when there is no `train`
// section and the network has no `weights` file.
void check_trained_or_loaded(const std::optional<Config>& train, const Network& network, const std::string& where);

}  // namespace kooplab
