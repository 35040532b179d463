#pragma once
// Extended DMD (Williams, Kevrekidis, Rowley 2015) on a dictionary ψ.
//
// With Ψx = ψ(X), Ψy = ψ(Y) (N × M, one column per snapshot pair) the
// estimator is K = Ψy Ψx⁺, so ψ(x') ≈ K ψ(x); this is (G⁺A)ᵀ in the paper's
// notation, G = ΨxΨxᵀ/M, A = ΨxΨyᵀ/M. The pseudo-inverse is truncated by a
// RankRule on the singular values σ of Ψx and optionally Tikhonov-regularised
// (σ⁻¹ → σ/(σ² + Mε), i.e. G⁺ → (G + εI)⁻¹). In the kept principal basis U
// (N × r) the reduced operator is Ã = Uᵀ K U = W Λ W⁻¹; eigenfunctions are
// φ(x) = W⁻¹ Uᵀ ψ(x) (ξ_i = U W⁻ᵀe_i in the paper), and modes come from
// regressing the state on the dictionary, x ≈ X Ψx⁺ ψ(x): modes = X Ψx⁺ U W,
// scaled to unit norm (φ absorbs the scale). Residuals ‖K U w_i − λ_i U w_i‖
// with ‖w_i‖ = 1; amplitudes are φ(x_0) of the first training state. The
// model's koopman_matrix is K itself (N × N, = (Ψy V Σ⁻¹) Uᵀ) when the rank r
// is N, else the reduced Ã (r × r; diagnostic koopman_matrix_reduced = 1), so
// nothing N × N is formed when the dictionary outgrows the samples.
//
// Two formulations give the same model in exact arithmetic (EdmdOptions::method);
// auto, the default, takes svd, the accurate one, unless its memory would
// exceed max_svd_memory_gb (then gram, recorded as diagnostic svd_memory_gb).
// On the polynomial map with the monomials x1^a x2^b, a + 2b ≤ 5, gram's
// eigenvalues are off by 7e-13 and svd's by 2e-15 (tests/test_edmd.cpp):
//  - gram (cheap for many samples): accumulate G, A and C = XΨxᵀ batch by
//    batch (cost O(M N² + M n N), linear in samples), then an N × N symmetric
//    eigen-decomposition. It squares the condition number of Ψx, so singular
//    values below ~1e-7 σ_1 are treated as zero whatever the rank tolerance.
//    Memory: 2N² + nN (+ one batch of ψ values, N × batch).
//  - svd (cheap for many observables; method of snapshots): thin SVD of Ψx,
//    cost O(M N min(M, N)). Memory: Ψx, Ψy (2NM), X (nM), U (N × p),
//    V (M × p) with p = min(N, M).
#include <armadillo>
#include <memory>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/observable.hpp"
#include "kooplab/options.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/trajectories.hpp"
#include "kooplab/trajectory_blocks.hpp"

namespace kooplab {

struct EdmdOptions {
  enum class Method { automatic, gram, svd };
  RankRule rank;                // truncation of Ψx⁺
  double regularization = 0.0;  // Tikhonov ε ≥ 0
  // automatic: svd (accurate) unless its memory would pass max_svd_memory_gb.
  Method method = Method::automatic;
  double max_svd_memory_gb = 2.0;
  // edmd_blocks: the dictionary is fitted on at most this many snapshots.
  arma::uword dictionary_sample = 100000;

  // The keys: RankRule's, regularization, method, max_svd_memory_gb, dictionary_sample.
  static const Options<EdmdOptions>& options();
};

// EDMD of trajectories on a dictionary: fits `dictionary` on all states, lifts
// each trajectory on its own and leaves out the first history() columns of a
// DelayedObservable (they lack part of their past), then forms the model by
// options.method. The model's eigenfunctions evaluate `dictionary`, which must
// outlive it (a run's observable outlives the run's models). Throws DataError,
// naming `where`, for trajectories too short for the dictionary's history or a
// dictionary that returns the wrong number of columns, and NumericalError for
// non-finite dictionary values. Diagnostics: those below and gram (1 or 0).
// Memory: gram 2N² + nN + N·T_max; svd 2NM + nM + (N + M)·min(N, M), for N
// dictionary functions, M pairs, state dimension n, longest trajectory T_max.
KoopmanModel edmd(const Trajectories& data, Observable& dictionary, Rng& rng, const EdmdOptions& options,
                  const std::string& where);

// EDMD of trajectories read a block of pairs at a time, for data larger than
// memory: the gram formulation (memory: the sums and one block of pairs,
// (2N + n) doubles per pair, snapshots_per_block of them: at most 32 MB). The dictionary is fitted on at most
// options.dictionary_sample snapshots, evenly spaced over all trajectories
// (on every snapshot when there are fewer, as edmd() fits it). For the same
// data the model equals edmd()'s with method gram up to round-off in the
// dictionary's evaluation. Throws ConfigError for method svd, and what edmd()
// throws. Diagnostics: edmd()'s and blocks_read.
KoopmanModel edmd_blocks(const TrajectoryBlocks& data, Observable& dictionary, Rng& rng, const EdmdOptions& options,
                         const std::string& where);

// Sums for the gram formulation; add() batches of pairs in any order. Pairs are
// buffered into blocks of at least `block` columns before the N × N updates, so
// many short trajectories cost a few BLAS-3 products rather than one
// memory-bound N × N pass each. Memory: the sums plus (2N + n) × block.
class EdmdGram {
 public:
  explicit EdmdGram(arma::uword block = 1024) : block_(block) {}
  void add(const arma::mat& psi_x, const arma::mat& psi_y, const arma::mat& x);
  // Folds the buffered pairs into the sums; add() may continue afterwards.
  void flush();
  const arma::mat& g() const { return g_; }     // Σ ψ(x) ψ(x)ᵀ  (N × N)
  const arma::mat& a() const { return a_; }     // Σ ψ(y) ψ(x)ᵀ  (N × N)
  const arma::mat& c() const { return c_; }     // Σ x ψ(x)ᵀ     (n × N)
  arma::uword count() const { return count_; }  // pairs added

 private:
  arma::uword block_;
  arma::mat g_, a_, c_;
  arma::mat buffer_x_, buffer_y_, buffer_state_;  // N × block, N × block, n × block
  arma::uword count_ = 0, pending_ = 0;
};

// φ(x) = C Uᵀ ψ(x) for a dictionary ψ. A non-owning pointer is fine while the
// dictionary outlives the model (a run's observable outlives the run's models).
class DictionaryEigenfunctions : public EigenfunctionMap {
 public:
  DictionaryEigenfunctions(std::shared_ptr<const Observable> dictionary, arma::mat basis, arma::cx_mat coefficients);
  arma::cx_mat evaluate(const arma::mat& states) const override;

 private:
  std::shared_ptr<const Observable> dictionary_;
  arma::mat basis_;
  arma::cx_mat coefficients_;
};

// The model from accumulated sums (flushed first); `first_state` (n) gives the amplitudes.
KoopmanModel edmd_gram(EdmdGram& sums, const EdmdOptions& options, std::shared_ptr<const Observable> dictionary,
                       const arma::vec& first_state, const std::string& where);

// The model from Ψx, Ψy (N × M) and the states X (n × M) they lift.
KoopmanModel edmd_svd(const arma::mat& psi_x, const arma::mat& psi_y, const arma::mat& x, const EdmdOptions& options,
                      std::shared_ptr<const Observable> dictionary, const arma::vec& first_state,
                      const std::string& where);

}  // namespace kooplab
