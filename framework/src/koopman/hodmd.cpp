#include "kooplab/koopman/hodmd.hpp"

#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/exact_dmd.hpp"
#include "kooplab/snapshot_pairs_view.hpp"

namespace kooplab {

const Options<HodmdOptions>& HodmdOptions::options() {
  static const auto options =
      Options<HodmdOptions>()
          .add("delays", &HodmdOptions::delays, "d: states per window; each trajectory needs at least d + 1",
               at_least(1))
          .add("amplitude_tolerance", &HodmdOptions::amplitude_tolerance,
               "ε₂: drop eigenpairs whose |amplitude|·‖mode‖ is below ε₂ times the largest", in_range(0.0, 1.0))
          .include(&HodmdOptions::rank, RankRule::options());
  return options;
}

KoopmanModel hodmd(const Trajectories& data, const HodmdOptions& options, const std::string& where) {
  KoopmanModel model = fit_on_delays(
      data, options.delays,
      [&](const Trajectories& windows) {
        const SnapshotPairsView pairs(windows);
        return exact_dmd(pairs.x(), pairs.y(), windows.runs.front().col(0), options.rank, where);
      },
      where);
  keep_by_amplitude(model, options.amplitude_tolerance);
  model.dt = data.dt;
  return model;
}

}  // namespace kooplab
