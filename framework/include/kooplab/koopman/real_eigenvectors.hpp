#pragma once
// The eigenvectors W of a real matrix in LAPACK's real form: the vectors of a
// conjugate pair w, w̄ share one real part and one imaginary part, so M W for
// a real M needs one real product M Wᵣ (r columns) instead of two (M Re W and
// M Im W), and the n × r results stay real until a column is asked for.
#include <armadillo>
#include <functional>
#include <optional>
#include <vector>

namespace kooplab {

class RealEigenvectors {
 public:
  // W as eig_gen returns it for a real matrix (a pair is two neighbouring
  // columns with w_{j+1} = w̄_j); a complex column without its conjugate
  // beside it keeps two real columns of its own.
  explicit RealEigenvectors(const arma::cx_mat& w);

  // Wᵣ, r × r' real columns (r' = r for eig_gen's output).
  const arma::mat& columns() const { return columns_; }
  // visit(i, columns) for every eigenvector i in order, with columns[k] the
  // column i of factors[k] · W. The products are formed a block of Wᵣ's
  // columns at a time (columns_per_block of the factors' rows; a pair is
  // never split), so no n × r product exists whole: on a large state the first
  // touch of its fresh pages costs about as much as the product itself.
  using ColumnVisitor = std::function<void(arma::uword, const std::vector<arma::cx_vec>&)>;
  void for_each_column(const std::vector<const arma::mat*>& factors, const ColumnVisitor& visit) const;
  // W⁻¹ from one real inverse of Wᵣ, a quarter of the work of a complex
  // inverse: with w, w̄ = Wᵣ(:,p) ± i Wᵣ(:,q), their rows of W⁻¹ are
  // (row p ∓ i row q) / 2 of Wᵣ⁻¹ (W = Wᵣ T with T/√2 unitary, so Wᵣ is as
  // well conditioned as W). Empty when Wᵣ is not square (an unpaired complex
  // vector) or is singular.
  std::optional<arma::cx_mat> inverse() const;

 private:
  // Column i of M W from block = M · (Wᵣ's columns first_column, first_column + 1, …).
  arma::cx_vec column(const arma::mat& block, arma::uword i, arma::uword first_column) const;
  // One past the last column of Wᵣ that eigenvector i uses.
  arma::uword end_column(arma::uword i) const;

  arma::mat columns_;
  arma::uvec real_part_;  // per eigenvector: its real part's column of Wᵣ
  arma::uvec imag_part_;  // its imaginary part's column, or no_imag_part
  arma::vec imag_sign_;   // +1, or −1 for the second vector of a pair
  static constexpr arma::uword no_imag_part = arma::uword(-1);
};

}  // namespace kooplab
