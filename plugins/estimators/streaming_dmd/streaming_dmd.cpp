// Estimator `streaming_dmd`: exact DMD updated one snapshot pair at a time in
// memory that does not grow with the pairs (after Hemati et al. 2014), with an
// optional forgetting factor; kooplab/koopman/streaming_dmd.hpp has the
// algorithm, its residuals and memory. The pairs stream in trajectory order,
// from memory or (a BlockEstimator) from data read in blocks.
// Works on the state itself; an observable section, if any, is not used.
// Keys: `kooplab plugins streaming_dmd`.
#include "kooplab/koopman/streaming_dmd.hpp"

#include "kooplab/estimator.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace {

class StreamingDmd : public kooplab::Estimator, public kooplab::BlockEstimator {
 public:
  static const kooplab::Options<kooplab::StreamingDmdOptions>& options() {
    return kooplab::StreamingDmdOptions::options();
  }
  explicit StreamingDmd(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    kooplab::StreamingDmd stream(data.state_dim(), options_);
    for (const arma::mat& run : data.runs)
      for (arma::uword t = 0; t + 1 < run.n_cols; ++t) stream.update(run.col(t), run.col(t + 1));
    kooplab::KoopmanModel model = stream.model(data.runs.front().col(0), identity());
    model.dt = data.dt;
    return model;
  }

  kooplab::KoopmanModel fit_blocks(const kooplab::TrajectoryBlocks& data, kooplab::Observable*,
                                   kooplab::Rng&) const override {
    data.validate(identity());
    kooplab::StreamingDmd stream(data.state_dim(), options_);
    kooplab::for_each_pair_block(data, 0, 0, kooplab::snapshots_per_block(data.state_dim()),
                                 [&](const kooplab::PairBlock& block) {
                                   for (arma::uword t = 0; t < block.count; ++t)
                                     stream.update(block.states.col(t), block.states.col(t + 1));
                                 });
    kooplab::KoopmanModel model = stream.model(data.read(0, 0, 1).col(0), identity());
    model.dt = data.dt();
    return model;
  }

 private:
  kooplab::StreamingDmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(StreamingDmd, kooplab::Estimator, "streaming_dmd",
               "Streaming DMD (after Hemati et al. 2014): exact DMD updated pair by pair in O(n r) memory, with "
               "optional forgetting")
