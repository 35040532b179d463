// Application `koopman_compression` (koopman-compression.md): the layers of a
// trained network between two hidden states of equal width are replaced by a
// Koopman model fitted on the activation trajectories of training samples
// (kooplab/nn/hidden_states.hpp): EDMD's K = ψ(Y)ψ(X)⁺ on the run's observable
// ψ with the least-squares decoder D = Xψ(X)⁺, optionally with K truncated to
// a rank by SVD (kooplab/koopman/koopman_block.hpp), or the run's estimator's
// modes (decoder: modes). The spliced network
// is evaluated beside the original and beside baselines of the same parameter
// count as the Koopman block: magnitude pruning of the block (with and without
// fine-tuning), a low-rank SVD of its weight matrices, and a narrower mlp
// trained from scratch.
//
// The network is trained, or loaded from train's cache, by the `train`
// section, which is a section of the application `train` (the same keys and
// cache key, so a network trained by `train` is reused); the narrower network
// is trained by it too. Without a train section the network is one trained
// elsewhere, loaded from its `weights`, and there is no narrower network. `kooplab plugins koopman_compression` lists
// the keys.
//
// Metrics: original_* (train's metrics of the original network), original_ and
// koopman_ test_accuracy and test_loss, koopman_state_error (‖block(x) − x_to‖ /
// ‖x_to‖ on the test set), block_parameters, koopman_parameters,
// compression_ratio (their ratio), network_parameters, spliced_network_parameters,
// rank, koopman_discarded_energy (Σ discarded σ² / Σ σ² of K), samples,
// fit_seconds (trajectories and the fit), original_seconds and
// koopman_seconds (test-set inference); per baseline pruned_, pruned_tuned_,
// low_rank_ and narrow_ test_accuracy, test_loss and parameters (low_rank_rank,
// narrow_width); with decoder: modes the estimator's diagnostics as
// estimator_* (rank, TT ranks, ...). Arrays: singular_values of K.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <utility>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/koopman_block.hpp"
#include "kooplab/nn/compression_baselines.hpp"
#include "kooplab/nn/hidden_states.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"
#include "kooplab/registry.hpp"

namespace {

using kooplab::Config;

enum class Decoder { least_squares, modes };

struct FineTune {
  arma::uword epochs = 1;
  kooplab::TrainingSection training;
};

struct CompressionSettings {
  std::optional<Config> train;
  kooplab::BlockSpan replace;
  arma::uword samples = 10000;
  Decoder decoder = Decoder::least_squares;
  std::optional<arma::uword> rank;  // empty: K kept whole
  bool baselines = true;
  std::optional<FineTune> fine_tune;
  bool narrow = true;
};

const kooplab::Options<kooplab::BlockSpan>& span_options() {
  static const auto options =
      kooplab::Options<kooplab::BlockSpan>()
          .add("from", &kooplab::BlockSpan::from, "hidden state the block starts at (0: the input)",
               kooplab::at_least(0))
          .add("to", &kooplab::BlockSpan::to, "hidden state the block ends at (its output)", kooplab::at_least(1))
          .add("stride", &kooplab::BlockSpan::stride, "hidden states per Koopman step; 0: one step from `from` to `to`",
               kooplab::at_least(0))
          .choice("site", &kooplab::BlockSpan::site, kooplab::activation_site_words(),
                  "hidden states read before or after each layer's activation");
  return options;
}

const kooplab::Options<FineTune>& fine_tune_options() {
  static const auto options = kooplab::Options<FineTune>()
                                  .add("epochs", &FineTune::epochs,
                                       "training of the pruned network, pruned weights held at 0", kooplab::at_least(1))
                                  .include(&FineTune::training, kooplab::TrainingSection::options(FineTune{}.training));
  return options;
}

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

class KoopmanCompression : public kooplab::Application {
 public:
  static const kooplab::Options<CompressionSettings>& options() {
    static const auto options =
        kooplab::Options<CompressionSettings>()
            .custom(kooplab::train_key_doc(),
                    [](const Config& section, CompressionSettings& settings) {
                      settings.train = kooplab::read_train_key(section);
                    })
            .require_section("replace", &CompressionSettings::replace, span_options(),
                             "the block of layers the Koopman model replaces")
            .add("samples", &CompressionSettings::samples,
                 "training samples whose trajectories are fitted, drawn by the run's seed (0: all)",
                 kooplab::at_least(0))
            .choice("decoder", &CompressionSettings::decoder,
                    {{"least_squares", Decoder::least_squares}, {"modes", Decoder::modes}},
                    "least_squares: K = ψ(Y)ψ(X)⁺ and x ≈ D ψ(x) by least squares (EDMD in ψ coordinates, defined "
                    "with dead units; no estimator used); modes: the run's estimator's Re(Φ Λ^steps φ(x)) (no "
                    "truncation, no parameter count)")
            .custom({"rank", "full | integer ≥ 1", "full", "SVD truncation of K (least_squares decoder)"},
                    [](const Config& section, CompressionSettings& settings) {
                      if (!section.has("rank") || section.is_word("rank", "full")) return;
                      const int rank = section.get<int>("rank");
                      if (rank < 1) section.fail("rank", "expected 'full' or an integer ≥ 1");
                      settings.rank = arma::uword(rank);
                    })
            .add("baselines", &CompressionSettings::baselines,
                 "prune and low-rank the block to the Koopman block's parameter count (least_squares decoder)")
            .section("fine_tune", &CompressionSettings::fine_tune, fine_tune_options(),
                     "fine-tune the pruned network too (absent: no pruned_tuned_* metrics)")
            .add("narrow", &CompressionSettings::narrow,
                 "train an mlp whose hidden layers inside the block are narrowed to the same parameter count");
    return options;
  }

  KoopmanCompression(const Config& section, const kooplab::Registry& registry)
      : settings_(options().read(section)),
        where_(section.key_path("replace")),
        train_(kooplab::train_application(registry, settings_.train)) {
    if (settings_.rank && settings_.decoder == Decoder::modes)
      section.fail("rank", "truncates K in ψ coordinates: it needs decoder: least_squares");
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    auto* observable = context.find<kooplab::Observable>();
    kooplab::check_trained_or_loaded(settings_.train, network, identity());
    train(context, context.config(), network, "original_");

    const kooplab::LabeledData data = context.require<kooplab::Dataset>().labeled(context.rng());
    const kooplab::LayerBlock block = kooplab::layer_block(network, settings_.replace, where_);
    const arma::mat fit_inputs = sample(data.train.inputs, context.rng());

    const auto fit_start = Clock::now();
    const kooplab::Trajectories trajectories = kooplab::activation_trajectories(network, fit_inputs, block);
    std::function<arma::mat(const arma::mat&)> surrogate;
    std::optional<kooplab::KoopmanModel> model;
    std::optional<kooplab::KoopmanBlock> koopman;
    if (settings_.decoder == Decoder::modes) {
      model = context.require<kooplab::Estimator>().fit(trajectories, observable, context.rng());
      surrogate = [&model, steps = block.steps()](const arma::mat& x) {
        return kooplab::modal_advance(*model, x, steps);
      };
      for (const auto& [name, value] : model->diagnostics) context.metric("estimator_" + name, value);
    } else {
      if (!observable) throw kooplab::ConfigError(identity() + ": decoder least_squares needs an observable section");
      const arma::mat states = trajectories.all_states();
      observable->fit(states, context.rng());
      const kooplab::SnapshotPairs pairs = trajectories.pairs();
      const arma::mat k = kooplab::least_squares_map(observable->evaluate(pairs.y), observable->evaluate(pairs.x));
      const arma::mat decoder = kooplab::least_squares_map(states, observable->evaluate(states));
      const std::shared_ptr<const kooplab::Observable> dictionary(std::shared_ptr<void>(), observable);
      koopman.emplace(dictionary, k, decoder, block.steps());
      if (settings_.rank) koopman = koopman->truncated(*settings_.rank, identity());
      surrogate = std::cref(*koopman);
      const arma::vec sigma = arma::svd(k);
      context.array("singular_values", sigma);
      context.metric("koopman_discarded_energy",
                     arma::accu(arma::square(koopman->discarded())) / arma::accu(arma::square(sigma)));
    }
    context.metric("fit_seconds", seconds_since(fit_start));
    context.metric("samples", double(fit_inputs.n_cols));

    const kooplab::LabeledSet& test = data.test;
    auto start = Clock::now();
    const arma::mat original = network.forward(test.inputs);
    context.metric("original_seconds", seconds_since(start));
    start = Clock::now();
    const arma::mat spliced = kooplab::forward_spliced(network, test.inputs, block, surrogate);
    context.metric("koopman_seconds", seconds_since(start));
    report(context, "original_", network, original, test);
    report(context, "koopman_", network, spliced, test);
    const arma::mat entering = network.forward_range(test.inputs, 0, block.first_stage);
    const arma::mat leaving = network.forward_range(entering, block.first_stage, block.last_stage);
    context.metric("koopman_state_error",
                   arma::norm(surrogate(entering) - leaving, "fro") / arma::norm(leaving, "fro"));
    context.metric("block_parameters", double(block.parameters));
    context.metric("network_parameters", double(network.parameters().n_elem));
    if (!koopman) return;

    const arma::uword budget = koopman->parameter_count();
    context.metric("rank", double(koopman->rank()));
    context.metric("koopman_parameters", double(budget));
    context.metric("compression_ratio", double(block.parameters) / double(budget));
    context.metric("spliced_network_parameters", double(network.parameters().n_elem - block.parameters + budget));
    if (settings_.baselines) baselines(context, network, data, block, budget);
    if (settings_.narrow) narrow(context, network, block, budget);
  }

 private:
  void train(kooplab::RunContext& context, const Config& config, kooplab::Network& network,
             const std::string& prefix) const {
    kooplab::train_in_context(*train_, context, config, network, prefix);
  }

  arma::mat sample(const arma::mat& inputs, kooplab::Rng& rng) const {
    if (settings_.samples == 0 || settings_.samples >= inputs.n_cols) return inputs;
    arma::uvec order = arma::regspace<arma::uvec>(0, inputs.n_cols - 1);
    for (arma::uword i = 0; i < settings_.samples; ++i) std::swap(order(i), order(i + rng.below(inputs.n_cols - i)));
    return inputs.cols(arma::sort(order.head(settings_.samples)));
  }

  static void report(kooplab::RunContext& context, const std::string& prefix, const kooplab::Network& network,
                     const arma::mat& outputs, const kooplab::LabeledSet& test) {
    context.metric(prefix + "test_loss", network.loss(outputs, test.targets));
    if (!test.labels.is_empty()) context.metric(prefix + "test_accuracy", kooplab::accuracy(outputs, test.labels));
  }

  void baselines(kooplab::RunContext& context, kooplab::Network& network, const kooplab::LabeledData& data,
                 const kooplab::LayerBlock& block, arma::uword budget) const {
    const arma::vec trained = network.parameters();
    const arma::uvec pruned = kooplab::prune_by_magnitude(network, block.first_stage, block.last_stage, budget);
    context.metric("pruned_parameters", double(block.parameters - pruned.n_elem));
    report(context, "pruned_", network, network.forward(data.test.inputs), data.test);
    if (const auto& tune = settings_.fine_tune) {
      kooplab::FrozenParameters pin(network, pruned, arma::zeros(pruned.n_elem));
      kooplab::TrainingOptions loop = tune->training.loop(tune->epochs);
      loop.evaluate = false;
      kooplab::Rng rng(context.rng().split());
      kooplab::train(network, *tune->training.make_optimizer(identity() + ": fine_tune"), data.train, data.test, loop,
                     rng, {&pin});
      report(context, "pruned_tuned_", network, network.forward(data.test.inputs), data.test);
    }
    network.set_parameters(trained);

    arma::uword rank = 0;
    while (kooplab::low_rank_parameter_count(network, block.first_stage, block.last_stage, rank + 1) <= budget &&
           rank < block.width)
      ++rank;
    if (rank > 0) {
      context.metric("low_rank_rank", double(rank));
      context.metric("low_rank_parameters",
                     double(kooplab::truncate_dense_weights(network, block.first_stage, block.last_stage, rank)));
      report(context, "low_rank_", network, network.forward(data.test.inputs), data.test);
      network.set_parameters(trained);
    }
  }

  // An mlp with the hidden layers strictly inside the block narrowed to the
  // widest w whose whole network has no more parameters than the spliced one.
  void narrow(kooplab::RunContext& context, const kooplab::Network& network, const kooplab::LayerBlock& block,
              arma::uword budget) const {
    const Config& config = context.config();
    const Config section = config.child("network");
    const kooplab::BlockSpan& span = settings_.replace;
    if (!settings_.train || !section.has("layers") || span.to - span.from < 2) return;
    std::vector<int> layers = section.get<std::vector<int>>("layers");
    const auto count = [&layers] {
      arma::uword total = 0;
      for (std::size_t i = 0; i + 1 < layers.size(); ++i)
        total += arma::uword(layers[i] + 1) * arma::uword(layers[i + 1]);
      return total;
    };
    const arma::uword target = network.parameters().n_elem - block.parameters + budget;
    int width = 0;
    for (int w = 1; w <= int(block.width); ++w) {
      for (arma::uword k = span.from + 1; k < span.to; ++k) layers[k] = w;
      if (count() > target) break;
      width = w;
    }
    if (width == 0) return;
    for (arma::uword k = span.from + 1; k < span.to; ++k) layers[k] = width;
    Config narrowed = Config::parse(config.dump(), config.source());
    narrowed.set("network.layers", fmt::format("[{}]", fmt::join(layers, ", ")));
    if (section.has("weights")) {  // trained from its init: a loaded network's weights do not fit it
      Config thin_section = Config::parse(narrowed.child("network").dump(), config.source());
      thin_section.erase("weights");
      narrowed.set("network", thin_section.dump());
    }
    const auto thin = context.registry().create<kooplab::Network>(narrowed.child("network"));
    train(context, narrowed, *thin, "narrow_");
    context.metric("narrow_width", double(width));
  }

  CompressionSettings settings_;
  std::string where_;
  std::shared_ptr<const kooplab::Application> train_;
};

}  // namespace

KOOPLAB_PLUGIN(KoopmanCompression, kooplab::Application, "koopman_compression",
               "Replace a trained network's layers between two hidden states by a (truncated) Koopman matrix fitted "
               "on activation trajectories; compare with pruning, low-rank weights and a narrower network at equal "
               "parameter count")
