// Application `spectrum`: fits the estimator to the dataset's trajectories and
// saves the spectrum, modes, amplitudes, residuals and Koopman matrix; with
// save_model, the whole model in runs/<hash>/model/ (the format of
// kooplab/koopman/saved_model.hpp), for the `predict` application.
// `kooplab plugins spectrum` lists the keys.
//
// Metrics: rank; one_step_error = ‖Y − Ŷ‖_F / ‖Y‖_F over the snapshot pairs (of
// a delay model, those with a full window: kooplab/koopman/one_step_error.hpp);
// reconstruction_error = relative error of the first trajectory rebuilt from
// the amplitudes, over the steps they were fitted on (a delay model, with
// diagnostic delays = d, fits them from x_{d−1}: its first d − 1 states are
// extrapolated backwards, and reconstruction_error_all includes them); max_residual; spectral_radius; and, when the
// dataset knows the true eigenvalues, eigenvalue_error = max over true λ of the distance to its estimate, matched as
// kooplab/koopman/spectrum_matching.hpp says.
#include <algorithm>

#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/one_step_error.hpp"
#include "kooplab/koopman/saved_model.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"

namespace {

struct SpectrumSettings {
  bool save_modes = true;
  bool save_model = false;
};

class Spectrum : public kooplab::Application {
 public:
  static const kooplab::Options<SpectrumSettings>& options() {
    static const auto options =
        kooplab::Options<SpectrumSettings>()
            .add("save_modes", &SpectrumSettings::save_modes, "save the modes (n × r; switch off for big states)")
            .add("save_model", &SpectrumSettings::save_model,
                 "save the fitted model in runs/<hash>/model/ (for the predict application and Python)");
    return options;
  }

  explicit Spectrum(const kooplab::Config& section) : settings_(options().read(section)) {}

  void run(kooplab::RunContext& context) const override {
    const kooplab::Trajectories data = context.require<kooplab::Dataset>().trajectories(context.rng());
    const kooplab::KoopmanModel model =
        context.require<kooplab::Estimator>().fit(data, context.find<kooplab::Observable>(), context.rng());

    const arma::mat& first = data.runs.front();
    context.metric("rank", double(model.rank()));
    context.metric("one_step_error", kooplab::one_step_error(model, data));
    // The reconstruction minus the trajectory, formed in place (its norms are those of the error).
    arma::mat error = model.reconstruct(first.n_cols - 1);
    error -= first;
    const auto delays = model.diagnostics.find("delays");
    const arma::uword fitted_from = delays == model.diagnostics.end() ? 0 : arma::uword(delays->second) - 1;
    const arma::uword fitted = first.n_cols - std::min(fitted_from, first.n_cols - 1);
    context.metric("reconstruction_error",
                   arma::norm(error.tail_cols(fitted), "fro") / arma::norm(first.tail_cols(fitted), "fro"));
    if (fitted < first.n_cols)
      context.metric("reconstruction_error_all", arma::norm(error, "fro") / arma::norm(first, "fro"));
    context.metric("max_residual", model.residuals.is_empty() ? 0.0 : model.residuals.max());
    context.metric("spectral_radius", arma::abs(model.eigenvalues).max());
    if (data.true_eigenvalues)
      context.metric("eigenvalue_error", kooplab::spectrum_distance(*data.true_eigenvalues, model.eigenvalues));

    context.array("eigenvalues", model.eigenvalues);
    if (model.dt) context.array("continuous_eigenvalues", model.continuous_eigenvalues());
    context.array("amplitudes", model.amplitudes);
    context.array("residuals", model.residuals);
    context.array("koopman_matrix", model.koopman_matrix);
    if (settings_.save_modes) context.array("modes", model.modes);
    if (settings_.save_model)
      kooplab::save_model(model, context.work_dir() / "model", context.config().child("estimator").node());
    for (const auto& [name, value] : model.diagnostics)
      if (name != "rank") context.metric(name, value);
  }

 private:
  SpectrumSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(Spectrum, kooplab::Application, "spectrum",
               "Fit the estimator to the dataset; save eigenvalues, modes, amplitudes; report prediction errors")
