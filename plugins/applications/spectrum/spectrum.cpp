// Application `spectrum`: fits the estimator to the dataset's trajectories and
// saves the spectrum, modes, amplitudes, residuals and Koopman matrix; with
// save_model, the whole model in runs/<hash>/model/ (the format of
// kooplab/koopman/saved_model.hpp), for the `predict` application. With
// in_memory: false the dataset is read a block of snapshots at a time and the
// estimator fits from the blocks (kooplab/trajectory_blocks.hpp), so a file
// larger than memory can be studied. `kooplab plugins spectrum` lists the keys.
//
// Metrics (kooplab/koopman/prediction_error.hpp): rank; one_step_error =
// ‖Y − Ŷ‖_F / ‖Y‖_F over the snapshot pairs (of a delay model, those with a
// full window; a dictionary that looks back sees each trajectory on its own); reconstruction_error = relative error of
// the first trajectory rebuilt from the amplitudes, over the steps they were fitted on (a delay model, with diagnostic
// delays = d, fits them from x_{d−1}: its first d − 1 states are extrapolated backwards, and reconstruction_error_all
// includes them); max_residual; spectral_radius; and, when the dataset knows the true eigenvalues, eigenvalue_error =
// max over true λ of the distance to its estimate, matched as kooplab/koopman/spectrum_matching.hpp says.
#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/koopman/prediction_error.hpp"
#include "kooplab/koopman/saved_model.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace {

struct SpectrumSettings {
  bool save_modes = true;
  bool save_model = false;
  bool in_memory = true;
};

class Spectrum : public kooplab::Application {
 public:
  static const kooplab::Options<SpectrumSettings>& options() {
    static const auto options =
        kooplab::Options<SpectrumSettings>()
            .add("save_modes", &SpectrumSettings::save_modes, "save the modes (n × r; switch off for big states)")
            .add("save_model", &SpectrumSettings::save_model,
                 "save the fitted model in runs/<hash>/model/ (for the predict application and Python)")
            .add("in_memory", &SpectrumSettings::in_memory,
                 "false: read the dataset a block of snapshots at a time (npy, hdf5) and fit from the blocks (edmd, "
                 "streaming_dmd), for data larger than memory; the errors are summed block by block");
    return options;
  }

  explicit Spectrum(const kooplab::Config& section) : settings_(options().read(section)) {}

  void run(kooplab::RunContext& context) const override {
    const auto& dataset = context.require<kooplab::Dataset>();
    const auto& estimator = context.require<kooplab::Estimator>();
    kooplab::Observable* observable = context.find<kooplab::Observable>();
    kooplab::KoopmanModel model;
    double one_step_error = 0;
    kooplab::ReconstructionError reconstruction;
    std::optional<double> eigenvalue_error;
    const arma::uword history = observable ? kooplab::observable_history(*observable) : 0;
    if (settings_.in_memory) {
      const kooplab::Trajectories data = dataset.trajectories(context.rng());
      model = estimator.fit(data, observable, context.rng());
      one_step_error = kooplab::one_step_error(model, data, history);
      reconstruction = kooplab::reconstruction_error(model, data.runs.front());
      if (data.true_eigenvalues)
        eigenvalue_error = kooplab::spectrum_distance(*data.true_eigenvalues, model.eigenvalues);
    } else {
      const auto blocks = block_source(dataset).trajectory_blocks(context.rng());
      model = block_fitter(estimator).fit_blocks(*blocks, observable, context.rng());
      one_step_error = kooplab::one_step_error(model, *blocks, history);
      reconstruction = kooplab::reconstruction_error(model, *blocks, 0);
    }

    context.metric("rank", double(model.rank()));
    context.metric("one_step_error", one_step_error);
    context.metric("reconstruction_error", reconstruction.fitted);
    if (reconstruction.all) context.metric("reconstruction_error_all", *reconstruction.all);
    context.metric("max_residual", model.residuals.is_empty() ? 0.0 : model.residuals.max());
    context.metric("spectral_radius", arma::abs(model.eigenvalues).max());
    if (eigenvalue_error) context.metric("eigenvalue_error", *eigenvalue_error);

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
  const kooplab::BlockDataset& block_source(const kooplab::Dataset& dataset) const {
    const auto* source = dynamic_cast<const kooplab::BlockDataset*>(&dataset);
    if (!source)
      throw kooplab::ConfigError(identity() + ": in_memory: false needs a dataset that reads in blocks (npy, hdf5); " +
                                 dataset.identity() + " holds its trajectories in memory");
    return *source;
  }

  const kooplab::BlockEstimator& block_fitter(const kooplab::Estimator& estimator) const {
    const auto* fitter = dynamic_cast<const kooplab::BlockEstimator*>(&estimator);
    if (!fitter)
      throw kooplab::ConfigError(identity() + ": in_memory: false needs an estimator that fits from blocks (edmd, " +
                                 "streaming_dmd); " + estimator.identity() + " needs its data in memory");
    return *fitter;
  }

  SpectrumSettings settings_;
};

}  // namespace

KOOPLAB_PLUGIN(Spectrum, kooplab::Application, "spectrum",
               "Fit the estimator to the dataset; save eigenvalues, modes, amplitudes; report prediction errors")
