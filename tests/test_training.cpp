// The training loop, its recorders, saving/loading networks and the `train` application.
#include <doctest/doctest.h>

#include <fstream>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/nn/network_cache.hpp"
#include "kooplab/nn/training.hpp"
#include "support.hpp"

namespace {

using namespace kooplab;

// Four Gaussian blobs at (±1, ±1), class = XOR of the signs: not linearly separable.
LabeledSet blobs(arma::uword count, Rng& rng) {
  LabeledSet set;
  set.inputs.set_size(2, count);
  set.targets.zeros(2, count);
  set.labels.set_size(count);
  for (arma::uword s = 0; s < count; ++s) {
    const double x = rng.uniform() < 0.5 ? -1.0 : 1.0, y = rng.uniform() < 0.5 ? -1.0 : 1.0;
    set.inputs(0, s) = x + 0.3 * rng.normal();
    set.inputs(1, s) = y + 0.3 * rng.normal();
    set.labels(s) = x * y > 0 ? 1 : 0;
    set.targets(set.labels(s), s) = 1.0;
  }
  return set;
}

std::shared_ptr<Network> small_mlp() {
  return testing::make<Network>("name: mlp\nlayers: [2, 16, 2]\nactivation: tanh\ninit: xavier");
}

struct Outcome {
  EpochStats last;
  arma::vec parameters;
  LossRecorder losses;
  std::optional<TrainingStop> stopped;
};

// Asks to stop after step `at_step` or after epoch `at_epoch` (0: never).
class StopAt : public TrainingObserver {
 public:
  StopAt(arma::uword at_step, arma::uword at_epoch) : at_step_(at_step), at_epoch_(at_epoch) {}
  TrainingDecision step(const Network&, arma::uword step, double) override {
    return step == at_step_ ? TrainingDecision::stop : TrainingDecision::proceed;
  }
  TrainingDecision epoch(const Network&, const EpochStats& stats) override {
    return at_epoch_ > 0 && stats.epoch == at_epoch_ ? TrainingDecision::stop : TrainingDecision::proceed;
  }

 private:
  arma::uword at_step_, at_epoch_;
};

Outcome run_training(std::uint64_t seed, arma::uword batch, arma::uword epochs = 30, arma::uword max_steps = 0,
                     TrainingObserver* first_observer = nullptr) {
  Rng data_rng(100);
  const LabeledSet train_set = blobs(200, data_rng), test_set = blobs(100, data_rng);
  auto network = small_mlp();
  Rng rng(seed);
  network->initialise(rng);
  const auto optimizer = make_optimizer(Config::parse("name: adam\nlr: 0.01", "test.yaml"));
  Outcome outcome;
  TrainingOptions options;
  options.epochs = epochs;
  options.batch_size = batch;
  options.max_steps = max_steps;
  std::vector<TrainingObserver*> observers{&outcome.losses};
  if (first_observer) observers.insert(observers.begin(), first_observer);
  const TrainingOutcome trained = train(*network, *optimizer, train_set, test_set, options, rng, observers);
  outcome.last = trained.last;
  outcome.stopped = trained.stopped;
  outcome.parameters = network->parameters();
  return outcome;
}

}  // namespace

TEST_CASE("mini-batch training lowers the loss, deterministically per seed") {
  const Outcome first = run_training(1, 20);
  const auto& epochs = first.losses.epochs();
  REQUIRE(epochs.size() == 31);
  CHECK(epochs.front().epoch == 0);
  // Chance level for two balanced classes is log 2 ≈ 0.69; the XOR blobs are learnt.
  CHECK(epochs.back().train_loss < 0.2);
  CHECK(epochs.back().train_loss < 0.5 * epochs.front().train_loss);
  CHECK(first.last.test_accuracy > 0.95);
  CHECK(first.losses.step_losses().n_elem == 30 * 10);

  const Outcome again = run_training(1, 20);
  CHECK(arma::approx_equal(first.parameters, again.parameters, "absdiff", 0.0));
  CHECK(again.last.train_loss == first.last.train_loss);
  const Outcome other = run_training(2, 20);
  CHECK(!arma::approx_equal(first.parameters, other.parameters, "absdiff", 1e-6));
}

TEST_CASE("full-batch training: one step per epoch, the recorded loss is the epoch's loss") {
  const Outcome full = run_training(3, 0, 5);
  REQUIRE(full.losses.step_losses().n_elem == 5);
  // Step t's batch loss is the loss before update t, i.e. the train loss after epoch t − 1.
  for (arma::uword t = 0; t < 5; ++t)
    CHECK(full.losses.step_losses()(t) == doctest::Approx(full.losses.epochs()[t].train_loss).epsilon(1e-12));
  // A batch larger than the set is the full batch too.
  CHECK(arma::approx_equal(run_training(3, 1000, 5).parameters, full.parameters, "absdiff", 0.0));
}

TEST_CASE("max_steps stops training mid-epoch") {
  // 200 samples in batches of 30: 7 steps per epoch; 10 steps end 3 batches into epoch 2.
  const Outcome stopped = run_training(4, 30, 5, 10);
  CHECK(stopped.losses.step_losses().n_elem == 10);
  CHECK(stopped.last.epoch == 2);
  CHECK(stopped.losses.epochs().size() == 3);  // before training, after epoch 1, after the partial epoch 2
  // The first 10 steps are those of the unlimited run.
  const Outcome full = run_training(4, 30, 5);
  CHECK(full.losses.step_losses().n_elem == 35);
  CHECK(
      arma::approx_equal(arma::vec(full.losses.step_losses().head(10)), stopped.losses.step_losses(), "absdiff", 0.0));
  // A limit beyond the planned steps changes nothing.
  CHECK(arma::approx_equal(run_training(4, 30, 5, 100).parameters, full.parameters, "absdiff", 0.0));
}

TEST_CASE("an observer stops training after an epoch: exactly the epochs so far, their parameters") {
  // 200 samples in batches of 20: 10 steps per epoch. The stopper comes first,
  // so the loss recorder after it must still see epoch 3.
  StopAt stopper(0, 3);
  const Outcome stopped = run_training(5, 20, 10, 0, &stopper);
  REQUIRE(stopped.stopped);
  CHECK(stopped.stopped->observer == &stopper);
  CHECK(stopped.stopped->epoch == 3);
  CHECK(stopped.stopped->step == 30);
  CHECK(stopped.last.epoch == 3);
  CHECK(stopped.losses.epochs().size() == 4);  // before training and epochs 1..3
  CHECK(stopped.losses.step_losses().n_elem == 30);
  const Outcome three = run_training(5, 20, 3);
  CHECK(!three.stopped);
  CHECK(arma::approx_equal(stopped.parameters, three.parameters, "absdiff", 0.0));
  CHECK(stopped.last.train_loss == three.last.train_loss);
  // Stopped at the evaluation before training: nothing is trained.
  struct StopBefore : TrainingObserver {
    TrainingDecision epoch(const Network&, const EpochStats&) override { return TrainingDecision::stop; }
  } before;
  const Outcome untrained = run_training(5, 20, 10, 0, &before);
  REQUIRE(untrained.stopped);
  CHECK(untrained.stopped->epoch == 0);
  CHECK(untrained.stopped->step == 0);
  CHECK(untrained.losses.step_losses().n_elem == 0);
  CHECK(untrained.losses.epochs().size() == 1);
}

TEST_CASE("an observer stops training after a step: the epoch ends there, as with max_steps") {
  // Batches of 30: 7 steps per epoch; stopping after step 10 is max_steps 10.
  StopAt stopper(10, 0);
  const Outcome stopped = run_training(4, 30, 5, 0, &stopper);
  REQUIRE(stopped.stopped);
  CHECK(stopped.stopped->step == 10);
  CHECK(stopped.stopped->epoch == 2);
  const Outcome limited = run_training(4, 30, 5, 10);
  CHECK(arma::approx_equal(stopped.parameters, limited.parameters, "absdiff", 0.0));
  CHECK(arma::approx_equal(stopped.losses.step_losses(), limited.losses.step_losses(), "absdiff", 0.0));
  CHECK(stopped.losses.epochs().size() == limited.losses.epochs().size());
  CHECK(stopped.last.train_loss == limited.last.train_loss);
}

TEST_CASE("parameter recorder: every k steps, chosen entries, float32") {
  Rng data_rng(5);
  const LabeledSet set = blobs(40, data_rng);
  auto network = small_mlp();
  Rng rng(6);
  network->initialise(rng);
  const arma::vec initial = network->parameters();
  const auto optimizer = make_optimizer(Config::parse("name: sgd\nlr: 0.1", "test.yaml"));
  ParameterRecorder every_step(ParameterRecorder::Unit::step, 1);
  ParameterRecorder some(ParameterRecorder::Unit::step, 3, arma::uvec{0, 5, 50}, true);
  ParameterRecorder per_epoch(ParameterRecorder::Unit::epoch, 2);
  TrainingOptions options;
  options.epochs = 4;
  options.batch_size = 10;  // 4 steps per epoch, 16 in all
  train(*network, *optimizer, set, {}, options, rng, {&every_step, &some, &per_epoch});

  const arma::mat all = every_step.snapshots();
  REQUIRE(all.n_cols == 17);
  CHECK(arma::approx_equal(all.col(0), initial, "absdiff", 0.0));
  CHECK(arma::approx_equal(all.col(16), network->parameters(), "absdiff", 0.0));
  const arma::mat chosen = some.snapshots();
  REQUIRE(chosen.n_cols == 6);  // steps 0, 3, 6, 9, 12, 15
  CHECK(arma::approx_equal(some.times(), arma::vec{0, 3, 6, 9, 12, 15}, "absdiff", 0.0));
  for (arma::uword j = 0; j < 6; ++j)
    CHECK(arma::approx_equal(chosen.col(j), all(arma::uvec{0, 5, 50}, arma::uvec{3 * j}), "reldiff", 1e-6));
  REQUIRE(per_epoch.snapshots().n_cols == 3);  // epochs 0, 2, 4
  CHECK(arma::approx_equal(per_epoch.snapshots().col(1), all.col(8), "absdiff", 0.0));
}

TEST_CASE("save/load round trip and its errors") {
  const auto folder = testing::temporary_folder("network-save");
  auto network = small_mlp();
  Rng rng(8);
  network->initialise(rng);
  network->save(folder / "net");
  auto copy = small_mlp();
  copy->load(folder / "net");
  CHECK(arma::approx_equal(copy->parameters(), network->parameters(), "absdiff", 0.0));
  const arma::mat x = rng.normal(2, 4);
  CHECK(arma::approx_equal(copy->forward(x), network->forward(x), "absdiff", 0.0));

  auto other = testing::make<Network>("name: mlp\nlayers: [2, 8, 2]");
  CHECK_THROWS_AS(other->load(folder / "net"), DataError);
  CHECK_THROWS_AS(copy->load(folder / "missing"), DataError);
  std::filesystem::resize_file(folder / "net", std::filesystem::file_size(folder / "net") - 8);
  CHECK_THROWS_AS(copy->load(folder / "net"), DataError);

  const NetworkCache cache(folder / "cache");
  // 64-bit FNV-1a of "network\0dataset\0" (offset basis 14695981039346656037,
  // prime 1099511628211): the keys of existing caches stay valid.
  const std::string key = cache_key({"network", "dataset"});
  CHECK(key == "bc5cf1f979efc8e7");
  CHECK(key != cache_key({"networkd", "ataset"}));
  CHECK(!cache.load(key, *copy));
  cache.store(key, *network);
  cache.store_array(key, "curve", arma::mat{1.0, 2.0});
  auto fresh = small_mlp();
  CHECK(cache.load(key, *fresh));
  CHECK(arma::approx_equal(fresh->parameters(), network->parameters(), "absdiff", 0.0));
  CHECK(arma::approx_equal(*cache.load_array(key, "curve"), arma::mat{1.0, 2.0}, "absdiff", 0.0));
  std::filesystem::remove_all(folder);
}

namespace {

class Blobs : public Dataset {
 public:
  LabeledData labeled(Rng& rng) const override {
    LabeledData data;
    data.train = blobs(200, rng);
    data.test = blobs(100, rng);
    data.classes = 2;
    return data;
  }
};

RunContext context_for(const Config& config, std::shared_ptr<Network> network) {
  std::map<std::string, std::shared_ptr<Plugin>> plugins{{"dataset", std::make_shared<Blobs>()},
                                                         {"network", std::move(network)}};
  return RunContext(config, 4, testing::plugins(), plugins, testing::temporary_folder("train-app"));
}

}  // namespace

TEST_CASE("train application: metrics, curves, recorded parameters and the cache") {
  const auto folder = testing::temporary_folder("train-cache");
  const Config config = Config::parse(
      "dataset: {name: blobs}\nnetwork: {name: mlp, layers: [2, 16, 2], activation: tanh}\n"
      "application:\n  name: train\n  epochs: 20\n  batch_size: 20\n  optimizer: {name: adam, lr: 0.01}\n"
      "  record: {unit: epoch, every: 5, blocks: [1]}\n  cache: " +
          folder.string() + "\n",
      "test.yaml");
  const auto application = testing::plugins().create<Application>(config.child("application"));
  const auto network = small_mlp();
  RunContext first = context_for(config, network);
  application->run(first);
  using testing::metric;
  CHECK(metric(first, "test_accuracy") > 0.95);
  CHECK(metric(first, "from_cache") == 0.0);
  CHECK(metric(first, "parameters") == 82.0);
  const auto array = [](const RunContext& context, const std::string& name) {
    return testing::array<arma::mat>(context, name);
  };
  CHECK(array(first, "train_loss").n_elem == 21);
  CHECK(array(first, "step_loss").n_elem == 200);
  const arma::mat snapshots = array(first, "parameters");
  CHECK(snapshots.n_rows == 16 * 2 + 2);  // the second dense layer only
  CHECK(snapshots.n_cols == 5);           // epochs 0, 5, 10, 15, 20

  const auto again = small_mlp();
  RunContext second = context_for(config, again);
  application->run(second);
  CHECK(metric(second, "from_cache") == 1.0);
  CHECK(metric(second, "test_loss") == metric(first, "test_loss"));
  CHECK(arma::approx_equal(again->parameters(), network->parameters(), "absdiff", 0.0));
  CHECK(arma::approx_equal(array(second, "parameters"), snapshots, "absdiff", 0.0));
  std::filesystem::remove_all(folder);
}

TEST_CASE("network and application plugins document their keys; the training ones share one declaration") {
  const auto find = [](const std::vector<OptionDoc>& docs, const std::string& key) -> const OptionDoc* {
    for (const auto& doc : docs)
      if (doc.key == key) return &doc;
    return nullptr;
  };
  std::map<std::string, std::vector<OptionDoc>> docs;
  for (const PluginInfo& info : testing::plugins().plugins())
    if (info.kind == "network" || info.kind == "application") docs[info.name] = info.options;
  for (const char* name : {"mlp", "cnn", "train", "spectrum", "spectrum_monitor", "koopman_pruning", "koopman_training",
                           "hsvr_depth", "rnn_eigenfunctions"}) {
    CAPTURE(name);
    REQUIRE(docs.contains(name));
    CHECK(!docs[name].empty());
  }
  for (const char* name : {"train", "spectrum_monitor", "koopman_pruning", "koopman_training"}) {
    CAPTURE(name);
    for (const char* key :
         {"batch_size", "shuffle", "test_on", "optimizer", "optimizer.name", "optimizer.lr", "optimizer.lr_decay",
          "optimizer.weight_decay", "optimizer.momentum", "optimizer.beta1", "optimizer.rho"}) {
      CAPTURE(key);
      CHECK(find(docs[name], key));
    }
    CHECK(find(docs[name], "optimizer")->default_value == "—");  // needed only by a run that trains
  }
  // Each shows its own defaults: the code's.
  CHECK(find(docs["koopman_training"], "batch_size")->default_value == "0");
  CHECK(find(docs["train"], "batch_size")->default_value == "64");
  CHECK(find(docs["train"], "epochs")->default_value == "10");
  CHECK(find(docs["spectrum_monitor"], "epochs")->default_value == "100");
  CHECK(find(docs["koopman_training"], "record_from")->default_value == "0");
  CHECK(find(docs["train"], "optimizer.lr")->default_value ==
        "sgd 0.01, adam 0.001, adamw 0.001, adagrad 0.01, adadelta 1");
  CHECK(find(docs["train"], "optimizer.weight_decay")->default_value == "0; adamw 0.01");
}
