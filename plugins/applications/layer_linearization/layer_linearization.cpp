// Application `layer_linearization` (layers-as-linear-operations.md, with
// its authors' protocol, niniack/learningdynamics): one hidden layer of a
// trained network is replaced by a linear model simulated in depth.
//
//  1. The network is trained, or loaded from train's cache, by the `train`
//     section (a section of the application `train`); without it, the
//     network is one trained elsewhere, loaded from its `weights`.
//  2. The "scaled" network: `insert.blocks` layers Dense(d, d) + ReLU are
//     inserted after hidden state `after` and trained (Huber loss) so that the
//     frozen next layer reproduces the original hidden state after + 1
//     (kooplab/nn/inserted_layers.hpp).
//  3. Trajectories of `trajectories` training samples through the inserted
//     chain, blocks + 2 states each (the last padded with `pad` to width d),
//     are fitted by EDMD on windows of `delays` + 1 states with a rank-`rank`
//     SVD projection (kooplab/koopman/truncated_delay_edmd.hpp).
//  4. Inference: the first delays + 1 states come from the scaled network, the
//     rest is simulated linearly; the predicted last state (its first d'
//     entries) goes on through the rest of the network.
//
// Keys: `kooplab plugins layer_linearization`. Metrics: original_* (train's),
// original_, scaled_ and koopman_ test_accuracy and test_loss,
// koopman_state_error (‖predicted − scaled‖_F / ‖scaled‖_F of hidden state
// after + 1 on the test set), insert_loss (mean Huber loss of the last epoch),
// width, out_width, rank, pairs, insert_seconds, fit_seconds, koopman_seconds.
// Arrays: insert_losses (per step), singular_values (of the windows),
// eigenvalues (of the reduced operator).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "kooplab/application.hpp"
#include "kooplab/data/labeled_data.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/koopman/truncated_delay_edmd.hpp"
#include "kooplab/nn/inserted_layers.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/nn/training_section.hpp"
#include "kooplab/registry.hpp"

namespace {

using kooplab::Config;
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Columns run through the chain and the model at once: bounds the stacked windows.
constexpr arma::uword chunk = 2000;

struct Settings {
  std::optional<Config> train;
  arma::uword after = 1;
  kooplab::InsertionOptions insert;
  arma::uword trajectories = 500;
  arma::uword delays = 10;
  arma::uword rank = 500;
  kooplab::WindowPairing pairing = kooplab::WindowPairing::concatenated;
  double pad = -1.0;
};

class LayerLinearization : public kooplab::Application {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .custom(
                kooplab::train_key_doc(),
                [](const Config& section, Settings& settings) { settings.train = kooplab::read_train_key(section); })
            .add("after", &Settings::after,
                 "hidden state (after its activation) the layers are inserted after; the layer after it is "
                 "linearized (the authors' L = 2·after − 1)",
                 kooplab::at_least(1))
            .section("insert", &Settings::insert, kooplab::InsertionOptions::options(),
                     "the inserted layers and their training")
            .add("trajectories", &Settings::trajectories, "training samples whose trajectories are fitted (by seed)",
                 kooplab::at_least(1))
            .add("delays", &Settings::delays,
                 "h: windows of h + 1 states; at inference h + 1 states come from the "
                 "scaled network",
                 kooplab::at_least(1))
            .add("rank", &Settings::rank, "r: singular values of the windows kept", kooplab::at_least(1))
            .choice("pairing", &Settings::pairing, kooplab::window_pairing_words(),
                    "concatenated: trajectories end to end in one series (the authors' code); per_trajectory: no "
                    "window straddles two trajectories")
            .add("pad", &Settings::pad, "value the narrower last state is padded with");
    return options;
  }

  LayerLinearization(const Config& section, const kooplab::Registry& registry)
      : settings_(options().read(section)),
        where_(section.key_path("after")),
        train_(kooplab::train_application(registry, settings_.train)) {
    if (settings_.delays + 1 >= settings_.insert.blocks + 2)
      section.fail("delays", fmt::format("needs delays + 1 < blocks + 2 = {}: some state must be simulated",
                                         settings_.insert.blocks + 2));
  }

  void run(kooplab::RunContext& context) const override {
    auto& network = context.require<kooplab::Network>();
    kooplab::check_trained_or_loaded(settings_.train, network, identity());
    kooplab::train_in_context(*train_, context, context.config(), network, "original_");
    const kooplab::LabeledData data = context.require<kooplab::Dataset>().labeled(context.rng());

    kooplab::Rng init_rng(context.rng().split()), training_rng(context.rng().split());
    kooplab::InsertedLayers inserted(network, settings_.after, settings_.insert, init_rng, where_);
    const arma::uword first = inserted.first_stage(), last = inserted.last_stage(), end = network.layer_count();

    auto start = Clock::now();
    kooplab::LossRecorder losses;
    {
      const arma::mat entering = network.forward_range(data.train.inputs, 0, first);
      inserted.train(entering, network.forward_range(entering, first, last), training_rng, {&losses});
    }
    context.metric("insert_seconds", seconds_since(start));
    const arma::vec step_losses = losses.step_losses();
    const arma::uword per_epoch = (step_losses.n_elem + settings_.insert.epochs - 1) / settings_.insert.epochs;
    context.metric("insert_loss", arma::mean(step_losses.tail(std::min(per_epoch, step_losses.n_elem))));
    context.array("insert_losses", step_losses);

    start = Clock::now();
    const arma::uvec order = kooplab::random_permutation(data.train.inputs.n_cols, context.rng());
    const arma::uvec chosen = order.head(std::min(settings_.trajectories, order.n_elem));
    const arma::mat fit_entering = network.forward_range(data.train.inputs.cols(chosen), 0, first);
    const kooplab::TruncatedDelayEdmd model(inserted.trajectories(fit_entering, settings_.pad), settings_.delays,
                                            settings_.rank, settings_.pairing, identity());
    context.metric("fit_seconds", seconds_since(start));
    context.metric("rank", double(model.rank()));
    context.metric("pairs", double(model.pairs()));
    context.metric("width", double(inserted.width()));
    context.metric("out_width", double(inserted.out_width()));
    context.array("singular_values", model.singular_values());
    context.array("eigenvalues", model.eigenvalues());

    const kooplab::LabeledSet& test = data.test;
    const arma::uword n = test.inputs.n_cols, width = inserted.out_width();
    const arma::uword steps = inserted.states() - 1 - settings_.delays;
    arma::mat original(network.output_size(), n), scaled(original.n_rows, n), koopman(original.n_rows, n);
    double error = 0.0, norm = 0.0, koopman_seconds = 0.0;
    for (arma::uword begin = 0; begin < n; begin += chunk) {
      const arma::uword stop = std::min(n, begin + chunk) - 1;
      const arma::mat entering = network.forward_range(test.inputs.cols(begin, stop), 0, first);
      original.cols(begin, stop) = network.forward_range(entering, first, end);
      const arma::mat leaving = inserted.forward(entering);
      scaled.cols(begin, stop) = network.forward_range(leaving, last, end);
      const auto simulated = Clock::now();
      const arma::mat windows = inserted.stacked_states(entering, settings_.delays + 1, settings_.pad);
      const arma::mat predicted = model.advance(windows, steps).head_rows(width);
      koopman.cols(begin, stop) = network.forward_range(predicted, last, end);
      koopman_seconds += seconds_since(simulated);
      error += arma::accu(arma::square(predicted - leaving));
      norm += arma::accu(arma::square(leaving));
    }
    context.metric("koopman_seconds", koopman_seconds);
    context.metric("koopman_state_error", std::sqrt(error / norm));
    report(context, "original_", network, original, test);
    report(context, "scaled_", network, scaled, test);
    report(context, "koopman_", network, koopman, test);
  }

 private:
  static void report(kooplab::RunContext& context, const std::string& prefix, const kooplab::Network& network,
                     const arma::mat& outputs, const kooplab::LabeledSet& test) {
    context.metric(prefix + "test_loss", network.loss(outputs, test.targets));
    if (!test.labels.is_empty()) context.metric(prefix + "test_accuracy", kooplab::accuracy(outputs, test.labels));
  }

  Settings settings_;
  std::string where_;
  std::shared_ptr<const kooplab::Application> train_;
};

}  // namespace

KOOPLAB_PLUGIN(LayerLinearization, kooplab::Application, "layer_linearization",
               "Insert trained layers after a hidden layer, fit delay-coordinate EDMD on the trajectories through "
               "them and replace the layer by the linear simulation (layers-as-linear-operations.md)")
