#pragma once
// A = QR (n × k, n ≥ k) by Householder reflections (LAPACK geqrf) with Q kept
// implicit: R and Qᵀb without forming the n × k Q, half the work of qr_econ.
#include <armadillo>
#include <string>

namespace kooplab {

class HouseholderQr {
 public:
  // Throws NumericalError naming `where` when LAPACK fails.
  HouseholderQr(arma::mat a, const std::string& where);

  // The k × k upper-triangular R.
  arma::mat r() const;
  // The first k entries of Qᵀ b (b of n entries): the coordinates of b's
  // projection on range(A) in the basis Q.
  arma::vec qt_times(const arma::vec& b) const;

 private:
  arma::mat reflectors_;  // R above the diagonal, the Householder vectors below
  arma::vec tau_;
  std::string where_;
};

}  // namespace kooplab
