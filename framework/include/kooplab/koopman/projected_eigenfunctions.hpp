#pragma once
// The eigenfunctions of every projection-based estimator (exact DMD, DMD_RRR,
// and the noise-robust variants): φ(X) = C Pᵀ X for an orthonormal basis P
// (n × r) of the kept subspace and coefficients C (r × r), typically W⁻¹ for
// the eigenvectors W of the reduced operator.
#include <armadillo>

#include "kooplab/koopman_model.hpp"

namespace kooplab {

class ProjectedEigenfunctions : public EigenfunctionMap {
 public:
  ProjectedEigenfunctions(arma::mat basis, arma::cx_mat coefficients);
  arma::cx_mat evaluate(const arma::mat& states) const override;

  const arma::mat& basis() const { return basis_; }
  const arma::cx_mat& coefficients() const { return coefficients_; }

 private:
  arma::mat basis_;
  arma::cx_mat coefficients_;
};

}  // namespace kooplab
