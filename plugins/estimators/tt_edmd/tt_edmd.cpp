// Estimator `tt_edmd`: tensor-based EDMD (Klus, Gelß, Peitz, Schütte 2018; AMUSEt of
// Nüske, Gelß, Klus, Clementi 2021) on a tensor-product dictionary of per-coordinate
// bases, with the data tensor held as a tensor train (see kooplab/tt_edmd.hpp).
//
// estimator:
//   name: tt_edmd
//   basis: {type: legendre, degree: 3}   # one basis for every coordinate, or a list with
//                                        # one per coordinate (coordinate_basis.hpp:
//                                        # monomial, legendre, gaussian, fourier)
//   tolerance: 0          # relative Frobenius error ε of the TT-SVD of Ψ_X (0: numerically exact)
//   max_rank: 0           # cap on every TT rank (0: none)
//   regularization: 0     # Tikhonov ε: K = (G + εI)⁻¹ A with G = Ψ_X Ψ_Xᵀ / M
//   method: gram          # gram: each TT-SVD step from a Gram matrix (fast; σ below ≈ 1e-7 σ_1
//                         # count as zero, as in edmd's gram form) | svd: LAPACK SVDs (accurate, slower)
// Builds its own dictionary; an observable section, if any, is not used.
// Diagnostics: rank, tt_rank_1..tt_rank_d, max_tt_rank, dictionary_size, tt_storage,
// relative_truncation_error.
#include <string>

#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/tt_edmd.hpp"

namespace {

using kooplab::Config;

class TtEdmd : public kooplab::Estimator {
 public:
  explicit TtEdmd(const Config& section) : bases_(kooplab::coordinate_bases_from_config(section, "basis")) {
    options_.truncation.tolerance = section.get_or<double>("tolerance", 0.0);
    if (!(options_.truncation.tolerance >= 0 && options_.truncation.tolerance < 1))
      section.fail("tolerance", "expected a relative error in [0, 1)");
    const int max_rank = section.get_or<int>("max_rank", 0);
    if (max_rank < 0) section.fail("max_rank", "expected a rank ≥ 1, or 0 for none");
    options_.truncation.max_rank = arma::uword(max_rank);
    options_.regularization = section.get_or<double>("regularization", 0.0);
    if (!(options_.regularization >= 0)) section.fail("regularization", "expected ε ≥ 0");
    const std::string method = section.get_or<std::string>("method", "gram");
    if (method != "gram" && method != "svd") section.fail("method", "expected gram or svd, got '" + method + "'");
    options_.method = method == "svd" ? kooplab::KhatriRaoMethod::svd : kooplab::KhatriRaoMethod::gram;
  }

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable*, kooplab::Rng&) const override {
    data.validate(identity());
    const kooplab::SnapshotPairs pairs = data.pairs();
    kooplab::TtEdmdOptions options = options_;
    options.bases = kooplab::bases_for_dimension(bases_, data.state_dim(), identity());
    kooplab::KoopmanModel model = kooplab::tt_edmd(pairs.x, pairs.y, options, identity());
    model.dt = data.dt;
    return model;
  }

 private:
  std::vector<kooplab::CoordinateBasis> bases_;
  kooplab::TtEdmdOptions options_;
};

}  // namespace

KOOPLAB_PLUGIN(TtEdmd, kooplab::Estimator, "tt_edmd",
               "Tensor-based EDMD (Klus et al. 2018, AMUSEt): product dictionary of per-coordinate bases held as a tensor train")
