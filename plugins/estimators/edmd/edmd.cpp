// Estimator `edmd`: Extended DMD (Williams, Kevrekidis, Rowley 2015) on the
// run's observable (the dictionary ψ); see framework edmd.hpp for the algebra.
//
// estimator:
//   name: edmd
//   method: auto | gram | svd    gram: Gram matrices, cost linear in samples;
//                                svd: thin SVD of ψ(X), for many observables;
//                                auto: gram when pairs > dictionary size (default)
//   regularization: 0            Tikhonov ε (G + εI)
//   rank: full | auto | N        truncation of ψ(X)⁺ (see rank_rule.hpp; rank_rule, energy, tolerance)
// The observable is fitted on all training states first. A delay dictionary is
// evaluated trajectory by trajectory and its padded first columns are left out.
// Memory: gram 2N² + nN + N·T_max; svd 2NM + nM + (N + M)·min(N, M), for N
// dictionary functions, M pairs, state dimension n, longest trajectory T_max.
#include <fmt/format.h>

#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/koopman/edmd.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"

namespace {

using kooplab::DataError;

class Edmd : public kooplab::Estimator {
 public:
  explicit Edmd(const kooplab::Config& section) {
    options_.rank = kooplab::RankRule::from_config(section);
    options_.regularization = section.get_or<double>("regularization", 0.0);
    if (!(options_.regularization >= 0.0)) section.fail("regularization", "expected a number ≥ 0");
    method_ = section.get_or<std::string>("method", "auto");
    if (method_ != "auto" && method_ != "gram" && method_ != "svd")
      section.fail("method", fmt::format("expected auto, gram or svd, got '{}'", method_));
  }

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable* observable, kooplab::Rng& rng) const override {
    if (!observable) throw kooplab::ConfigError(identity() + " needs an observable section (the dictionary ψ)");
    data.validate(identity());
    observable->fit(data.all_states(), rng);
    const arma::uword history = kooplab::observable_history(*observable);
    // The run owns the observable and outlives the model it makes.
    const std::shared_ptr<const kooplab::Observable> dictionary(std::shared_ptr<void>(), observable);

    // ψ of each trajectory, without the columns that lack their history.
    std::vector<arma::mat> lifted;
    arma::uword pairs = 0;
    for (std::size_t k = 0; k < data.runs.size(); ++k) {
      const arma::mat& run = data.runs[k];
      if (run.n_cols < history + 2)
        throw DataError(fmt::format("{}: trajectory {} has {} snapshots; the observable looks {} steps back, so at least {} are needed",
                                    identity(), k, run.n_cols, history, history + 2));
      arma::mat psi = observable->evaluate(run);
      if (psi.n_cols != run.n_cols)
        throw DataError(fmt::format("{}: the observable returned {} columns for {} states", identity(), psi.n_cols, run.n_cols));
      if (!psi.is_finite())
        throw kooplab::NumericalError(fmt::format("{}: the observable gives non-finite values on trajectory {} (overflow?)", identity(), k));
      pairs += run.n_cols - 1 - history;
      lifted.push_back(std::move(psi));
    }
    const arma::uword size = lifted.front().n_rows;
    const bool gram = method_ == "gram" || (method_ == "auto" && pairs > size);

    kooplab::KoopmanModel model;
    const arma::vec first_state = data.runs.front().col(0);
    if (gram) {
      kooplab::EdmdGram sums;
      for (std::size_t k = 0; k < data.runs.size(); ++k) {
        const arma::uword last = data.runs[k].n_cols - 1;
        sums.add(lifted[k].cols(history, last - 1), lifted[k].cols(history + 1, last), data.runs[k].cols(history, last - 1));
      }
      model = kooplab::edmd_gram(sums, options_, dictionary, first_state, identity());
    } else {
      arma::mat psi_x(size, pairs), psi_y(size, pairs), x(data.state_dim(), pairs);
      arma::uword column = 0;
      for (std::size_t k = 0; k < data.runs.size(); ++k) {
        const arma::uword last = data.runs[k].n_cols - 1, count = last - history;
        psi_x.cols(column, column + count - 1) = lifted[k].cols(history, last - 1);
        psi_y.cols(column, column + count - 1) = lifted[k].cols(history + 1, last);
        x.cols(column, column + count - 1) = data.runs[k].cols(history, last - 1);
        column += count;
      }
      lifted.clear();
      model = kooplab::edmd_svd(psi_x, psi_y, x, options_, dictionary, first_state, identity());
    }
    model.dt = data.dt;
    model.diagnostics["gram"] = gram ? 1.0 : 0.0;
    return model;
  }

 private:
  kooplab::EdmdOptions options_;
  std::string method_;
};

}  // namespace

KOOPLAB_PLUGIN(Edmd, kooplab::Estimator, "edmd",
               "Extended DMD (Williams et al. 2015) on the observable's dictionary: Gram or thin-SVD form, rank truncation, Tikhonov")
