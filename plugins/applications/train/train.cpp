// Application `train`: trains the run's network on the dataset's labelled
// samples and reports the final losses and accuracies and the loss curves.
// `record` keeps parameter snapshots while training; `cache` names a folder
// (relative to the config) where trained networks are stored, keyed by a hash
// of the network, dataset, this section (without `cache`) and seed, and reused
// instead of retrained (a network with a `weights` file adds the file's content
// to the key). `epochs: 0` trains nothing: the network as it starts, e.g. as
// loaded from its `weights`, is evaluated, and needs no optimizer.
// `predictions` keeps the trained network's outputs on the held-out set with
// the data (for regression: plots against a clean signal). `kooplab plugins
// train` lists the keys.
//
// Metrics: train_loss, test_loss, train_accuracy, test_accuracy (those that
// exist), parameters (count), from_cache (0/1); with `predictions`:
// test_max_error = max |f(x) − y| and test_relative_error = ‖f(x) − y‖₂ / ‖y‖₂
// over the held-out set. Arrays: epochs (rows: epoch, train_loss,
// train_accuracy, test_loss, test_accuracy; row 0 before training),
// train_loss, test_loss (per epoch), step_loss (per step); with `record`:
// parameters (one column per snapshot) and parameter_times; with
// `predictions`: train_inputs, train_targets, test_inputs, test_targets,
// test_prediction (one sample per column).
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/nn/network_cache.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/text.hpp"

namespace {

struct RecordSettings {
  kooplab::ParameterRecorder::Unit unit = kooplab::ParameterRecorder::Unit::epoch;
  arma::uword every = 1;
  std::vector<int> blocks;  // empty: every parameter
  bool float32 = false;
};

struct TrainSettings {
  arma::uword epochs = 10;
  kooplab::TrainingSection training;
  std::optional<RecordSettings> record;
  std::optional<std::filesystem::path> cache;
  bool predictions = false;
};

const kooplab::Options<RecordSettings>& record_options() {
  using Unit = kooplab::ParameterRecorder::Unit;
  static const auto options =
      kooplab::Options<RecordSettings>()
          .choice("unit", &RecordSettings::unit, {{"epoch", Unit::epoch}, {"step", Unit::step}},
                  "a snapshot per epoch or per step")
          .add("every", &RecordSettings::every, "units between snapshots", kooplab::at_least(1))
          .add("blocks", &RecordSettings::blocks, "only these parameter layers (0: the first layer with parameters)",
               kooplab::each_at_least(0))
          .add("float32", &RecordSettings::float32, "keep snapshots in single precision while training");
  return options;
}

class Train : public kooplab::Application {
 public:
  static const kooplab::Options<TrainSettings>& options() {
    static const auto options =
        kooplab::Options<TrainSettings>()
            .add("epochs", &TrainSettings::epochs,
                 "passes over the train set; 0: none, the network is evaluated as it starts (e.g. its `weights`)",
                 kooplab::at_least(0))
            .include(&TrainSettings::training, kooplab::TrainingSection::options(TrainSettings{}.training))
            .section("record", &TrainSettings::record, record_options(),
                     "parameter snapshots while training, saved as \"parameters\"")
            .custom({"cache", "string", "—", "folder (relative to the config) of trained networks, reused by key"},
                    [](const kooplab::Config& section, TrainSettings& settings) {
                      if (section.has("cache")) settings.cache = section.resolve_path("cache");
                    })
            .add("predictions", &TrainSettings::predictions,
                 "keep the data and the held-out outputs; report the held-out max and relative L² errors");
    return options;
  }

  explicit Train(const kooplab::Config& section) : settings_(options().read(section)) {
    if (settings_.epochs > 0 && !settings_.training.optimizer)
      section.fail("optimizer", "is required: the network trains for epochs > 0 (e.g. optimizer: {name: adam})");
    kooplab::Config keyed = kooplab::Config::parse(section.dump(), section.source());
    keyed.erase("cache");
    training_text_ = keyed.dump();
    training_text_.pop_back();  // the final newline, which the keys of existing caches were made without
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = settings_.training.held_out(data);
    const arma::vec initial = network.parameters();

    std::optional<kooplab::NetworkCache> cache;
    std::string key;
    if (settings_.cache) {
      cache.emplace(*settings_.cache);
      std::vector<std::string> parts{context.config().child("network").dump(), context.config().child("dataset").dump(),
                                     training_text_, std::to_string(context.seed())};
      if (const auto weights = network.weights_file())
        parts.push_back(kooplab::hex_digest(kooplab::stable_hash(kooplab::read_file(*weights))));
      key = kooplab::cache_key(parts);
    }

    arma::mat epochs, steps, snapshots, times;
    bool from_cache = false;
    if (cache && cache->load(key, network)) {
      const auto stored_epochs = cache->load_array(key, "epochs");
      const auto stored_steps = cache->load_array(key, "step_loss");
      const auto stored_snapshots =
          settings_.record ? cache->load_array(key, "parameters") : std::optional<arma::mat>(arma::mat());
      const auto stored_times =
          settings_.record ? cache->load_array(key, "parameter_times") : std::optional<arma::mat>(arma::mat());
      from_cache = stored_epochs && stored_steps && stored_snapshots && stored_times;
      if (from_cache) {
        epochs = *stored_epochs;
        steps = *stored_steps;
        snapshots = *stored_snapshots;
        times = *stored_times;
      }
    }
    if (!from_cache) {
      network.set_parameters(initial);  // a partial cache entry may have overwritten them
      train(network, data.train, test, training_rng, epochs, steps, snapshots, times);
      if (cache) {
        cache->store_array(key, "epochs", epochs);
        cache->store_array(key, "step_loss", steps);
        if (settings_.record) {
          cache->store_array(key, "parameters", snapshots);
          cache->store_array(key, "parameter_times", times);
        }
        cache->store(key, network);  // last: its presence marks a complete entry
      }
    }
    report(context, network, epochs, steps, snapshots, times, from_cache, data.train, test);
    if (settings_.predictions) report_predictions(context, network, data.train, test);
  }

 private:
  void train(kooplab::Network& network, const kooplab::LabeledSet& train_set, const kooplab::LabeledSet& test,
             kooplab::Rng& rng, arma::mat& epochs, arma::mat& steps, arma::mat& snapshots, arma::mat& times) const {
    // No step is taken in 0 epochs: any optimizer will do.
    const auto optimizer = settings_.epochs > 0 ? settings_.training.make_optimizer(identity())
                                                : kooplab::make_optimizer(kooplab::OptimizerOptions{});
    kooplab::LossRecorder losses;
    std::optional<kooplab::ParameterRecorder> recorder;
    if (const auto& record = settings_.record)
      recorder.emplace(record->unit, record->every, block_indices(network, record->blocks), record->float32);
    std::vector<kooplab::TrainingObserver*> observers{&losses};
    if (recorder) observers.push_back(&*recorder);
    kooplab::train(network, *optimizer, train_set, test, settings_.training.loop(settings_.epochs), rng, observers);
    epochs = losses.epoch_table();
    steps = losses.step_losses();
    if (recorder) {
      snapshots = recorder->snapshots();
      times = recorder->times();
    }
  }

  std::optional<arma::uvec> block_indices(const kooplab::Network& network, const std::vector<int>& blocks) const {
    if (blocks.empty()) return std::nullopt;
    const auto layers = network.blocks(kooplab::BlockKind::layer);
    std::vector<arma::uword> indices;
    for (const int block : blocks) {
      if (std::size_t(block) >= layers.size())
        throw kooplab::ConfigError(fmt::format("{}: record.blocks: {} has {} parameter layers, no block {}", identity(),
                                               network.identity(), layers.size(), block));
      indices.insert(indices.end(), layers[block].indices.begin(), layers[block].indices.end());
    }
    return arma::uvec(indices);
  }

  void report(kooplab::RunContext& context, const kooplab::Network& network, const arma::mat& epochs,
              const arma::mat& steps, const arma::mat& snapshots, const arma::mat& times, bool from_cache,
              const kooplab::LabeledSet& train_set, const kooplab::LabeledSet& test) const {
    const arma::rowvec last = epochs.row(epochs.n_rows - 1);
    // A value that is not finite is reported as it is: the runner fails the run
    // (a diverged run never passes for one with fewer metrics). Accuracies need
    // labels (none in regression), test metrics a test set.
    const bool has_test = !test.inputs.is_empty();
    const std::pair<const char*, bool> columns[] = {{"train_loss", true},
                                                    {"train_accuracy", !train_set.labels.is_empty()},
                                                    {"test_loss", has_test},
                                                    {"test_accuracy", !test.labels.is_empty()}};
    for (std::size_t i = 0; i < std::size(columns); ++i)
      if (columns[i].second) context.metric(columns[i].first, last(i + 1));
    context.metric("parameters", double(network.parameters().n_elem));
    context.metric("from_cache", from_cache ? 1.0 : 0.0);
    context.array("epochs", epochs);
    context.array("train_loss", arma::vec(epochs.col(1)));
    if (has_test) context.array("test_loss", arma::vec(epochs.col(3)));
    context.array("step_loss", arma::vec(arma::vectorise(steps)));
    if (settings_.record) {
      context.array("parameters", snapshots);
      context.array("parameter_times", arma::vec(arma::vectorise(times)));
    }
  }

  static void report_predictions(kooplab::RunContext& context, kooplab::Network& network,
                                 const kooplab::LabeledSet& train_set, const kooplab::LabeledSet& test) {
    context.array("train_inputs", train_set.inputs);
    context.array("train_targets", train_set.targets);
    if (test.inputs.is_empty()) return;
    const arma::mat prediction = network.forward(test.inputs);
    context.array("test_inputs", test.inputs);
    context.array("test_targets", test.targets);
    context.array("test_prediction", prediction);
    const arma::mat error = prediction - test.targets;
    context.metric("test_max_error", arma::abs(error).max());
    context.metric("test_relative_error",
                   arma::norm(arma::vectorise(error)) / arma::norm(arma::vectorise(test.targets)));
  }

  TrainSettings settings_;
  std::string training_text_;  // the section without `cache`: part of the cache key
};

}  // namespace

KOOPLAB_PLUGIN(Train, kooplab::Application, "train",
               "Train the network on the dataset's labelled samples; report losses, accuracies and loss curves")
