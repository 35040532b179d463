#include "kooplab/nn/training_section.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"

namespace kooplab {

Options<TrainingSection> TrainingSection::options(const TrainingSection& defaults) {
  const Words<HeldOut> held_out{{"test", HeldOut::test}, {"validation", HeldOut::validation}};
  auto options =
      Options<TrainingSection>()
          .add("batch_size", &TrainingSection::batch_size, "samples per step; 0: the whole train set", at_least(0))
          .shown_default(detail::show(defaults.batch_size))
          .add("shuffle", &TrainingSection::shuffle,
               "reshuffle the samples every epoch (mini-batches only; seeded by the run)")
          .shown_default(detail::show(defaults.shuffle))
          .choice("test_on", &TrainingSection::test_on, held_out, "the held-out set reported as test_*")
          .shown_default(word_of(held_out, defaults.test_on))
          .section("optimizer", &TrainingSection::optimizer, OptimizerOptions::options(),
                   "the optimizer: its name and keys (required when the run trains)");
  return options;
}

TrainingOptions TrainingSection::loop(arma::uword epochs) const {
  TrainingOptions options;
  options.epochs = epochs;
  options.batch_size = batch_size;
  options.shuffle = shuffle;
  return options;
}

std::unique_ptr<Optimizer> TrainingSection::make_optimizer(const std::string& where) const {
  if (!optimizer) {
    constexpr const char* example = "optimizer: {name: adam}";
    throw ConfigError(fmt::format("{}: optimizer: is required, this run trains the network (e.g. {})", where, example));
  }
  return kooplab::make_optimizer(*optimizer);
}

const LabeledSet& TrainingSection::held_out(const LabeledData& data) const {
  return test_on == HeldOut::test ? data.test : data.validation;
}

TrainingStart start_training(RunContext& context, Network& network) {
  LabeledData data = context.require<Dataset>().labeled(context.rng());
  network.initialise(context.rng());
  return {std::move(data), Rng(context.rng().split())};
}

void train_in_context(const Application& train, RunContext& context, const Config& config, Network& network,
                      const std::string& prefix) {
  std::map<std::string, std::shared_ptr<Plugin>> plugins{
      {"network", std::shared_ptr<Plugin>(std::shared_ptr<void>(), &network)},
      {"dataset", std::shared_ptr<Plugin>(std::shared_ptr<void>(), context.find<Dataset>())}};
  RunContext inner(config, context.seed(), context.registry(), plugins, context.work_dir());
  train.run(inner);
  for (const auto& [name, value] : inner.metrics()) context.metric(prefix + name, value);
}

OptionDoc train_key_doc() {
  return {"train", "section", "—",
          "a `train` application section (name: train, epochs, optimizer, cache, ...) that trains or loads the "
          "network; absent: the network is used as loaded from its `weights`"};
}

std::optional<Config> read_train_key(const Config& section) {
  if (!section.has("train")) return std::nullopt;
  return section.plugin_section("train");
}

std::shared_ptr<const Application> train_application(const Registry& registry, const std::optional<Config>& train) {
  return registry.create<Application>(train ? *train : Config::parse("name: train\nepochs: 0\n", "(no train section)"));
}

void check_trained_or_loaded(const std::optional<Config>& train, const Network& network, const std::string& where) {
  if (!train && !network.weights_file())
    throw ConfigError(
        fmt::format("{}: without a train section the network must be loaded: give {} `weights` (a .npz "
                    "of trained parameters) or give a train section",
                    where, network.identity()));
}

}  // namespace kooplab
