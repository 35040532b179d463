// Estimator `delay_dmd`: time-delay (Hankel) DMD. Each trajectory is embedded
// into windows z_t = [x_t; x_{t+1}; …; x_{t+d−1}] (never across trajectories),
// then fitted by exact DMD or DMD_RRR.
//
// estimator:
//   name: delay_dmd
//   delays: 10                   d ≥ 1; each trajectory needs at least d + 1 snapshots
//   inner: dmd | dmd_rrr         the fit on the windows (default dmd)
//   rank: full | auto | N        (see rank_rule.hpp; rank_rule, energy, tolerance)
//   # with inner: dmd_rrr also scale_columns, refine, refined_rayleigh, order (see dmd_rrr)
// Modes are mapped back to the original state (the newest block x_{t+d−1} of
// the window modes), so predictions are states: predict(window) continues from
// the window's last state. Eigenfunctions take windows (n·d values per column)
// or consecutive states of one trajectory (each standing for the window ending
// at it; the first d − 1 are padded, see DelayEigenfunctions). Amplitudes are
// fitted over the first trajectory from x_{d−1} on; reconstruct() starts at
// x_0 and is exact before x_{d−1} unless components die out (λ = 0).
// Memory: the windows (2·n·d·m) plus the inner estimator's memory at state
// dimension n·d, for m pairs of windows.
#include <fmt/format.h>

#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/dmd_rrr.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/exact_dmd.hpp"

namespace {

class DelayDmd : public kooplab::Estimator {
 public:
  explicit DelayDmd(const kooplab::Config& section) : delays_(section.get_or<int>("delays", 10)) {
    if (delays_ < 1) section.fail("delays", "expected at least 1");
    const std::string inner = section.get_or<std::string>("inner", "dmd");
    if (inner == "dmd_rrr") {
      if (section.has("amplitudes")) section.fail("amplitudes", "delay_dmd always fits the amplitudes over the first trajectory");
      rrr_ = kooplab::DmdRrrOptions::options().read(section);
    }
    else if (inner == "dmd") rule_ = kooplab::RankRule::from_config(section);
    else section.fail("inner", fmt::format("expected dmd or dmd_rrr, got '{}'", inner));
  }

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::Trajectories windows = kooplab::delay_embed(data, arma::uword(delays_), identity());
    const kooplab::SnapshotPairs pairs = windows.pairs();
    kooplab::KoopmanModel model = rrr_ ? kooplab::dmd_rrr(pairs.x, pairs.y, windows.runs.front(), *rrr_, identity())
                                       : kooplab::exact_dmd(pairs.x, pairs.y, windows.runs.front().col(0), rule_, identity());
    const arma::uword n = data.state_dim();
    model.modes = arma::cx_mat(model.modes.tail_rows(n));
    model.eigenfunctions = std::make_shared<kooplab::DelayEigenfunctions>(model.eigenfunctions, n, arma::uword(delays_));
    // Fitted where the windows see the state, from x_{d−1} on: a component
    // that dies within d − 1 steps (λ = 0) has no newest-block mode.
    const arma::mat& first = data.runs.front();
    model.amplitudes = kooplab::fit_amplitudes_trajectory(model.modes, model.eigenvalues, first.cols(delays_ - 1, first.n_cols - 1),
                                                          arma::uword(delays_ - 1));
    if (rrr_ && rrr_->sort_by_amplitude) kooplab::sort_by_amplitude(model);
    model.dt = data.dt;
    model.diagnostics["delays"] = double(delays_);
    return model;
  }

 private:
  int delays_;
  kooplab::RankRule rule_;
  std::optional<kooplab::DmdRrrOptions> rrr_;
};

}  // namespace

KOOPLAB_PLUGIN(DelayDmd, kooplab::Estimator, "delay_dmd",
               "Time-delay (Hankel) DMD: d delays per trajectory, fitted by exact DMD or DMD_RRR, modes mapped back to the state")
