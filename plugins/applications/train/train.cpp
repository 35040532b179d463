// Application `train`: trains the run's network on the dataset's labelled
// samples and reports the final losses and accuracies and the loss curves.
//
// application:
//   name: train
//   epochs: 10
//   batch_size: 64          # 0: full batch (one step per epoch, no shuffling)
//   shuffle: true           # reshuffle every epoch (seeded by the run)
//   test_on: test           # test | validation: the set reported as test_*
//   optimizer:              # see framework/include/kooplab/optimizers.hpp
//     name: adam
//     lr: 0.001
//   record:                 # optional: parameter snapshots, saved as "parameters"
//     unit: epoch           # epoch | step
//     every: 1
//     blocks: [0, 1]        # optional: only these parameter layers (0 = first layer with parameters)
//     float32: false        # keep snapshots in single precision while training
//   cache: networks         # optional folder (relative to the config): trained networks are
//                           # stored there keyed by a hash of network, dataset, this section
//                           # (without `cache`) and seed, and reused instead of retrained
//
// Metrics: train_loss, test_loss, train_accuracy, test_accuracy (those that
// exist), parameters (count), from_cache (0/1). Arrays: epochs (rows: epoch,
// train_loss, train_accuracy, test_loss, test_accuracy; row 0 before
// training), train_loss, test_loss (per epoch), step_loss (per step), and with
// `record`: parameters (one column per snapshot) and parameter_times.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/nn/network_cache.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_start.hpp"

namespace {

struct RecordOptions {
  kooplab::ParameterRecorder::Unit unit;
  arma::uword every;
  std::vector<int> blocks;
  bool float32;
};

class Train : public kooplab::Application {
 public:
  explicit Train(const kooplab::Config& section) : optimizer_section_(section.child("optimizer")) {
    const int epochs = section.get_or<int>("epochs", 10);
    const int batch = section.get_or<int>("batch_size", 64);
    if (epochs < 1) section.fail("epochs", "must be at least 1");
    if (batch < 0) section.fail("batch_size", "must be 0 (full batch) or positive");
    options_.epochs = arma::uword(epochs);
    options_.batch_size = arma::uword(batch);
    options_.shuffle = section.get_or<bool>("shuffle", true);
    held_out_ = kooplab::read_held_out(section);
    kooplab::make_optimizer(optimizer_section_);  // reads and checks its keys now
    if (section.has("record")) {
      const kooplab::Config record = section.child("record");
      const std::string unit = record.get_or<std::string>("unit", "epoch");
      if (unit != "epoch" && unit != "step") record.fail("unit", "must be epoch or step");
      const int every = record.get_or<int>("every", 1);
      if (every < 1) record.fail("every", "must be at least 1");
      record_ = RecordOptions{unit == "step" ? kooplab::ParameterRecorder::Unit::step
                                             : kooplab::ParameterRecorder::Unit::epoch,
                              arma::uword(every), record.get_or<std::vector<int>>("blocks", {}),
                              record.get_or<bool>("float32", false)};
    }
    if (section.has("cache")) cache_ = section.resolve_path("cache");
    YAML::Node keyed = YAML::Clone(section.node());
    keyed.remove("cache");
    training_text_ = YAML::Dump(keyed);
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    auto [data, training_rng] = kooplab::start_training(context, network);
    const kooplab::LabeledSet& test = kooplab::held_out_set(data, held_out_);
    const arma::vec initial = network.parameters();

    std::optional<kooplab::NetworkCache> cache;
    std::string key;
    if (cache_) {
      cache.emplace(*cache_);
      key = kooplab::cache_key({context.config().child("network").dump(), context.config().child("dataset").dump(),
                                training_text_, std::to_string(context.seed())});
    }

    arma::mat epochs, steps, snapshots, times;
    bool from_cache = false;
    if (cache && cache->load(key, network)) {
      const auto stored_epochs = cache->load_array(key, "epochs");
      const auto stored_steps = cache->load_array(key, "step_loss");
      const auto stored_snapshots = record_ ? cache->load_array(key, "parameters") : std::optional<arma::mat>(arma::mat());
      const auto stored_times = record_ ? cache->load_array(key, "parameter_times") : std::optional<arma::mat>(arma::mat());
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
        if (record_) {
          cache->store_array(key, "parameters", snapshots);
          cache->store_array(key, "parameter_times", times);
        }
        cache->store(key, network);  // last: its presence marks a complete entry
      }
    }
    report(context, network, epochs, steps, snapshots, times, from_cache);
  }

 private:
  void train(kooplab::Network& network, const kooplab::LabeledSet& train_set, const kooplab::LabeledSet& test,
             kooplab::Rng& rng, arma::mat& epochs, arma::mat& steps, arma::mat& snapshots, arma::mat& times) const {
    const auto optimizer = kooplab::make_optimizer(optimizer_section_);
    kooplab::LossRecorder losses;
    std::optional<kooplab::ParameterRecorder> recorder;
    if (record_) recorder.emplace(record_->unit, record_->every, block_indices(network), record_->float32);
    std::vector<kooplab::TrainingObserver*> observers{&losses};
    if (recorder) observers.push_back(&*recorder);
    kooplab::train(network, *optimizer, train_set, test, options_, rng, observers);
    epochs = losses.epoch_table();
    steps = losses.step_losses();
    if (recorder) {
      snapshots = recorder->snapshots();
      times = recorder->times();
    }
  }

  std::optional<arma::uvec> block_indices(const kooplab::Network& network) const {
    if (record_->blocks.empty()) return std::nullopt;
    const auto layers = network.blocks(kooplab::BlockKind::layer);
    std::vector<arma::uword> indices;
    for (const int block : record_->blocks) {
      if (block < 0 || std::size_t(block) >= layers.size())
        throw kooplab::ConfigError(fmt::format("{}: record.blocks: {} has {} parameter layers, no block {}",
                                               identity(), network.identity(), layers.size(), block));
      indices.insert(indices.end(), layers[block].indices.begin(), layers[block].indices.end());
    }
    return arma::uvec(indices);
  }

  void report(kooplab::RunContext& context, const kooplab::Network& network, const arma::mat& epochs,
              const arma::mat& steps, const arma::mat& snapshots, const arma::mat& times, bool from_cache) const {
    const arma::rowvec last = epochs.row(epochs.n_rows - 1);
    const char* names[] = {"train_loss", "train_accuracy", "test_loss", "test_accuracy"};
    for (int i = 0; i < 4; ++i)
      if (std::isfinite(last(i + 1))) context.metric(names[i], last(i + 1));
    context.metric("parameters", double(network.parameters().n_elem));
    context.metric("from_cache", from_cache ? 1.0 : 0.0);
    context.array("epochs", epochs);
    context.array("train_loss", arma::vec(epochs.col(1)));
    if (epochs.col(3).is_finite()) context.array("test_loss", arma::vec(epochs.col(3)));
    context.array("step_loss", arma::vec(arma::vectorise(steps)));
    if (record_) {
      context.array("parameters", snapshots);
      context.array("parameter_times", arma::vec(arma::vectorise(times)));
    }
  }

  kooplab::Config optimizer_section_;
  kooplab::TrainingOptions options_;
  kooplab::HeldOut held_out_ = kooplab::HeldOut::test;
  std::optional<RecordOptions> record_;
  std::optional<std::filesystem::path> cache_;
  std::string training_text_;
};

}  // namespace

KOOPLAB_PLUGIN(Train, kooplab::Application, "train",
               "Train the network on the dataset's labelled samples; report losses, accuracies and loss curves")
