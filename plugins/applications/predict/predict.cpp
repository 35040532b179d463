// Application `predict`: loads a saved Koopman model (the spectrum
// application's save_model: true writes one to runs/<hash>/model/; format in
// kooplab/koopman/saved_model.hpp) and evaluates it on the dataset's
// trajectories, which need not be those it was fitted on. It fits nothing.
// `kooplab plugins predict` lists the keys.
//
// Metrics, named as spectrum's where they mean the same: rank, max_residual
// and spectral_radius of the saved model; one_step_error = ‖Y − Ŷ‖_F / ‖Y‖_F
// over the snapshot pairs of the new data (kooplab/koopman/prediction_error.hpp);
// eigenvalue_error when the dataset knows the true eigenvalues; and
// prediction_error, the relative error ‖X − X̂‖_F / ‖X‖_F of the states
// predicted from each trajectory's start, steps 1..horizon after it, over all
// trajectories. The start is the first state, or for a delay model
// (diagnostic delays = d) the window of the first d states, so its steps count
// from x_{d−1}. Arrays: eigenvalues, and prediction, the first trajectory's
// predicted states from its start.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/koopman/prediction_error.hpp"
#include "kooplab/koopman/saved_model.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"

namespace {

struct PredictSettings {
  std::filesystem::path model;
  arma::uword horizon = 0;
};

class Predict : public kooplab::Application {
 public:
  static const kooplab::Options<PredictSettings>& options() {
    static const auto options =
        kooplab::Options<PredictSettings>()
            .require("model", &PredictSettings::model,
                     "folder of a saved model, runs/<hash>/model of a spectrum run (relative to the config file)")
            .add("horizon", &PredictSettings::horizon,
                 "steps predicted from each trajectory's start (0: to the trajectory's end)");
    return options;
  }

  explicit Predict(const kooplab::Config& section) : settings_(options().read(section)) {}

  void run(kooplab::RunContext& context) const override {
    const kooplab::LoadedModel loaded = kooplab::load_model(settings_.model);
    const kooplab::KoopmanModel& model = loaded.model;
    if (loaded.eigenfunctions_missing)
      throw kooplab::DataError(fmt::format("{}: predict needs the model's eigenfunctions, which were not saved: {}",
                                           (settings_.model / "model.json").string(), *loaded.eigenfunctions_missing));
    const kooplab::Trajectories data = context.require<kooplab::Dataset>().trajectories(context.rng());
    data.validate(identity());
    if (data.state_dim() != model.modes.n_rows)
      throw kooplab::DataError(fmt::format("{}: the data's states have dimension {}, the model's {}", identity(),
                                           data.state_dim(), model.modes.n_rows));

    context.metric("rank", double(model.rank()));
    context.metric("one_step_error", kooplab::one_step_error(model, data));
    context.metric("prediction_error", prediction_error(model, data, context));
    context.metric("max_residual", model.residuals.is_empty() ? 0.0 : model.residuals.max());
    context.metric("spectral_radius", arma::abs(model.eigenvalues).max());
    if (data.true_eigenvalues)
      context.metric("eigenvalue_error", kooplab::spectrum_distance(*data.true_eigenvalues, model.eigenvalues));
    context.array("eigenvalues", model.eigenvalues);
  }

 private:
  double prediction_error(const kooplab::KoopmanModel& model, const kooplab::Trajectories& data,
                          kooplab::RunContext& context) const {
    const arma::uword delays = kooplab::model_delays(model);
    double error = 0, size = 0;
    for (const arma::mat& run : data.runs) {
      if (run.n_cols <= delays)
        throw kooplab::DataError(fmt::format("{}: a trajectory of {} states; the model's {} delays need {} or more",
                                             identity(), run.n_cols, delays, delays + 1));
      const arma::uword available = run.n_cols - delays;
      const arma::uword steps = settings_.horizon == 0 ? available : std::min(settings_.horizon, available);
      const arma::mat predicted = model.predict(arma::vectorise(run.cols(0, delays - 1)), steps);
      const arma::mat truth = run.cols(delays, delays + steps - 1);
      error += arma::accu(arma::square(truth - predicted.tail_cols(steps)));
      size += arma::accu(arma::square(truth));
      if (&run == &data.runs.front()) context.array("prediction", predicted);
    }
    return std::sqrt(error / size);
  }

  PredictSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(Predict, kooplab::Application, "predict",
               "Evaluate a saved Koopman model on a dataset: one-step and multi-step prediction errors")
