#pragma once
// Exact DMD (Tu, Rowley, Luchtenburg, Brunton, Kutz 2014) on snapshot pairs.
//
// With X = U Σ Vᵀ truncated to rank r: B = Y V Σ⁻¹ (= A U), Ã = Uᵀ B,
// Ã W = W Λ. Exact modes are B w_i / λ_i (the projected mode U w_i where λ_i = 0),
// eigenfunctions φ(x) = W⁻¹ Uᵀ x, residuals ‖B w_i − λ_i U w_i‖ with ‖w_i‖ = 1,
// amplitudes by least squares of the modes against `first_snapshot`.
// Memory: X, Y plus U (n × r), B (n × r) and V (m × r); nothing n × n.
#include <armadillo>
#include <string>

#include "kooplab/koopman/rank_rule.hpp"
#include "kooplab/koopman_model.hpp"

namespace kooplab {

// The steps exact DMD and its variants share: the thin SVD X = U Σ Vᵀ kept to
// rank r by the rule, and B = Y V Σ⁻¹ = A U on the kept basis. Throws
// DataError, naming `where`, when X and Y differ in size.
struct DmdProjection {
  arma::mat u;      // n × r
  arma::vec sigma;  // every singular value of X, descending
  arma::mat v;      // m × r
  arma::mat b;      // n × r
};
DmdProjection project_snapshots(const arma::mat& x, const arma::mat& y, const RankRule& rule, const std::string& where);

// Exact DMD's model from an orthonormal basis U (n × r) of the snapshots X and
// B = A U (n × r), the data operator on that basis: eig(Uᵀ B) and the steps
// above. Estimators that find U and B another way (randomized, streaming) end
// here; U and B are taken by value (the eigenfunctions keep U, the amplitudes'
// QR overwrites B), so a caller done with them moves them in. Diagnostics: rank.
KoopmanModel exact_dmd_model(arma::mat u, arma::mat b, const arma::vec& first_snapshot, const std::string& where);

// Eigenfunctions are ProjectedEigenfunctions (projected_eigenfunctions.hpp).
// Diagnostics: rank, numerical_rank (of X).
KoopmanModel exact_dmd(const arma::mat& x, const arma::mat& y, const arma::vec& first_snapshot, const RankRule& rule,
                       const std::string& where);

}  // namespace kooplab
