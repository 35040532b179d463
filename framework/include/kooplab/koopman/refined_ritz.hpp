#pragma once
// Refined Ritz vectors (Jia 1997; Drmač, Mezić, Mohr 2018, step 6): for a
// Ritz value λ of the Rayleigh quotient S of an orthonormal basis U_k, with
// A U_k = U_k S + Q2 R22, the unit w minimising ‖A U_k w − λ U_k w‖ is the
// right singular vector of the smallest singular value of [S − λI; R22].
//
// A 2k × k SVD per λ costs O(k³) with a large constant. Here S = Z T Zᴴ
// (complex Schur, once) and R22 Z = Q_C R_C (QR, once) make the stacked
// matrix unitarily equivalent to [T − λI; R_C], two upper-triangular blocks:
// per λ a triangular–pentagonal QR (LAPACK tpqrt, about a twentieth of the
// SVD's work) gives one triangular R(λ), and inverse iteration with R(λ)
// (O(k²) per step, started from the Ritz vector) converges to the smallest
// singular pair. Both steps are backward stable, so vector and residual are
// as accurate as the SVD's.
#include <armadillo>
#include <complex>
#include <string>

namespace kooplab {

class RefinedRitzVectors {
 public:
  // s: k × k; r22: k × k (the R factor below S of the QR of [U_k, A U_k]).
  RefinedRitzVectors(const arma::mat& s, const arma::mat& r22, const std::string& where);

  struct Pair {
    arma::cx_vec vector;  // unit norm
    double residual;      // ‖[S − λI; R22] vector‖, the smallest singular value
  };
  // The refined vector of λ; `start` (the Ritz vector of λ) seeds the iteration.
  Pair refine(std::complex<double> lambda, const arma::cx_vec& start) const;

 private:
  arma::cx_mat schur_vectors_;  // Z
  arma::cx_mat triangular_;     // T
  arma::cx_mat lower_block_;    // R_C, upper triangular
  std::string where_;
};

}  // namespace kooplab
