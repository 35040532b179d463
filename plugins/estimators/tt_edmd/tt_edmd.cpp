// Estimator `tt_edmd`: tensor-based EDMD (Klus, Gelß, Peitz, Schütte 2018; AMUSEt of
// Nüske, Gelß, Klus, Clementi 2021) on a tensor-product dictionary of per-coordinate
// bases, with the data tensor held as a tensor train; kooplab/koopman/tt_edmd.hpp has
// the algorithm and its memory. Builds its own dictionary (one basis for every
// coordinate, or one per coordinate); an observable section, if any, is not used.
// Keys: `kooplab plugins tt_edmd`. Diagnostics: rank, tt_rank_1..tt_rank_d,
// max_tt_rank, dictionary_size, tt_storage, relative_truncation_error.
#include "kooplab/koopman/tt_edmd.hpp"

#include "kooplab/estimator.hpp"

namespace {

class TtEdmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<kooplab::TtEdmdOptions>& options() { return kooplab::TtEdmdOptions::options(); }
  explicit TtEdmd(const kooplab::Config& section) : options_(options().read(section)) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairs pairs = data.pairs();
    kooplab::TtEdmdOptions options = options_;
    options.bases = kooplab::bases_for_dimension(options_.bases, data.state_dim(), identity());
    kooplab::KoopmanModel model = kooplab::tt_edmd(pairs.x, pairs.y, options, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  kooplab::TtEdmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(TtEdmd, kooplab::Estimator, "tt_edmd",
               "Tensor-based EDMD (Klus et al. 2018, AMUSEt): product dictionary of per-coordinate bases held as a "
               "tensor train")
