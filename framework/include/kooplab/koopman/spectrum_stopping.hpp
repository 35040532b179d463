#pragma once
// The Koopman spectrum as a stopping rule (koopman-mode-analysis.md, Sec. 3):
// training nears a fixed point when the modes that carry the observable have
// eigenvalues clustered at 1. Every `every` epochs the estimator is fitted to
// the last `window` epochs of the observable (the weight vector w_t, or the
// train loss in delay coordinates [L_t; …; L_{t+d−1}]), the current state x_T
// is written in the fitted modes, x_T ≈ Σ_k b_k m_k (least squares), and
//
//   settled share = Σ_{|λ_k − 1| < tolerance} |b_k|·‖m_k‖ / Σ_k |b_k|·‖m_k‖,
//
// the part of the current state that the model holds still. Training stops
// when the settled share reaches `share` at `patience` consecutive fits.
// The coefficients are those of the current state, not of the window's first
// snapshot: a spurious mode with |λ| > 1 and a small first-snapshot amplitude
// then cannot take over by λ^T.
#include <armadillo>
#include <optional>
#include <vector>

#include "kooplab/estimator.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

// Σ importance over |λ − 1| < tolerance, divided by Σ importance (NaN when
// that is 0 or the lengths differ: no share to give).
double share_near_one(const arma::cx_vec& eigenvalues, const arma::vec& importance, double tolerance);

// |b_k|·‖m_k‖ for the least-squares coefficients b of `state` in the model's modes.
arma::vec state_importance(const KoopmanModel& model, const arma::vec& state);

struct SpectrumStoppingRule {
  enum class Observe { weights, loss };
  Observe observe = Observe::loss;
  arma::uword every = 5;     // epochs between fits
  arma::uword window = 20;   // epochs in a fit (window + 1 snapshots); 0: every epoch from 0
  arma::uword delays = 5;    // loss: delay coordinates per state
  double tolerance = 0.02;   // |λ − 1| below this counts as at 1
  double share = 0.95;       // stop at this settled share ...
  arma::uword patience = 2;  // ... reached at this many consecutive fits
  arma::uword first = 10;    // no fit before this epoch

  static const Options<SpectrumStoppingRule>& options();
};

// The rule as a training observer. The loop has to evaluate (loss observable).
class SpectrumStopping : public TrainingObserver {
 public:
  SpectrumStopping(SpectrumStoppingRule rule, const Estimator& estimator, Observable* observable, Rng& rng);

  void begin(const Network& network, arma::uword steps, arma::uword epochs) override;
  TrainingDecision epoch(const Network& network, const EpochStats& stats) override;

  // One row per fit: epoch, settled share, spectral radius, rank.
  arma::mat history() const;

 private:
  // The observable's states over epochs from..to, one column each.
  arma::mat states(arma::uword from, arma::uword to) const;

  SpectrumStoppingRule rule_;
  const Estimator& estimator_;
  Observable* observable_;
  Rng& rng_;
  std::vector<arma::vec> weights_;  // per epoch, observe: weights
  std::vector<double> losses_;      // per epoch, observe: loss
  std::vector<arma::rowvec> history_;
  arma::uword streak_ = 0;
};

}  // namespace kooplab
