#pragma once
// The estimator contract: invariants every KoopmanModel must satisfy, checked
// on the model an estimator fitted to some data. Shipped with the SDK so that
// out-of-tree estimators are held to the same contract as the built-in ones:
//
//   const kooplab::KoopmanModel model = estimator.fit(data, observable, rng);
//   kooplab::testing::check_model_invariants(model, data);   // throws, listing every violation
//
// Always checked: sizes agree (r eigenvalues; n × r modes for states of
// dimension n; r amplitudes; r residuals; r eigenfunction rows, one column per
// state); the sampling interval Δt is carried from the data; eigenvalues,
// modes, amplitudes and the square Koopman matrix are finite; residuals are
// finite and ≥ 0.
// On exact data (ModelCheckOptions::exact: noise-free and linear in the
// model's terms, e.g. a linear system for DMD or a polynomial map with an
// invariant dictionary for EDMD) the model must also reproduce them, each to
// `tolerance` relative: advance() maps every state to its successor;
// reconstruct() rebuilds the first trajectory; predict() from its first state
// follows it (not for models with memory, settle > 0, whose states stand for
// padded windows); φ(x_{t+1}) = λ φ(x_t) along every trajectory for every
// eigenpair; residuals vanish; and a Koopman matrix of size r has the model's
// eigenvalues.
#include <armadillo>
#include <string>
#include <vector>

#include "kooplab/koopman_model.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab::testing {

struct ModelCheckOptions {
  // The data are noise-free and exactly linear in the model's terms.
  bool exact = true;
  // Leading states of each trajectory that a model with memory cannot
  // reproduce from states alone (d − 1 for d delays); exact data only.
  arma::uword settle = 0;
  // Relative tolerance of the exact-data checks.
  double tolerance = 1e-8;
};

// Every invariant that `model`, fitted on `data`, violates, one sentence each;
// empty when it satisfies them all.
std::vector<std::string> model_invariant_violations(const KoopmanModel& model, const Trajectories& data,
                                                    const ModelCheckOptions& options = {});

// Throws kooplab::Error listing every violated invariant, one per line.
void check_model_invariants(const KoopmanModel& model, const Trajectories& data, const ModelCheckOptions& options = {});

}  // namespace kooplab::testing
