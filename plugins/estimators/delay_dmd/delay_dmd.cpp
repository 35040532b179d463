// Estimator `delay_dmd`: time-delay (Hankel) DMD. Each trajectory is embedded
// into windows z_t = [x_t; x_{t+1}; …; x_{t+d−1}] (never across trajectories),
// then fitted by exact DMD or DMD_RRR.
//
// estimator:
//   name: delay_dmd
//   delays: 10                   d ≥ 1; each trajectory needs at least d + 1 snapshots
//   inner: dmd | dmd_rrr         the fit on the windows (default dmd)
//   rank: full | auto | N        (see rank_rule.hpp; rank_rule, energy, tolerance)
//   # with inner: dmd_rrr also scale_columns, refine, refined_rayleigh, amplitudes, order (see dmd_rrr)
// Modes are mapped back to the original state (the x_t block of the window
// modes), so predictions and reconstructions are states; the eigenfunctions
// take windows (n·d values per column), the state alone does not determine them.
// Memory: the windows (2·n·d·m) plus the inner estimator's memory at state
// dimension n·d, for m pairs of windows.
#include <fmt/format.h>

#include "kooplab/delay_embedding.hpp"
#include "kooplab/dmd_rrr.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/exact_dmd.hpp"

namespace {

class DelayDmd : public kooplab::Estimator {
 public:
  explicit DelayDmd(const kooplab::Config& section) : delays_(section.get_or<int>("delays", 10)) {
    if (delays_ < 1) section.fail("delays", "expected at least 1");
    const std::string inner = section.get_or<std::string>("inner", "dmd");
    if (inner == "dmd_rrr") rrr_ = kooplab::DmdRrrOptions::from_config(section);
    else if (inner == "dmd") rule_ = kooplab::RankRule::from_config(section);
    else section.fail("inner", fmt::format("expected dmd or dmd_rrr, got '{}'", inner));
  }

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::Trajectories windows = kooplab::delay_embed(data, arma::uword(delays_), identity());
    const kooplab::SnapshotPairs pairs = windows.pairs();
    kooplab::KoopmanModel model = rrr_ ? kooplab::dmd_rrr(pairs.x, pairs.y, windows.runs.front(), *rrr_, identity())
                                       : kooplab::exact_dmd(pairs.x, pairs.y, windows.runs.front().col(0), rule_, identity());
    model.modes = arma::cx_mat(model.modes.head_rows(data.state_dim()));
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
