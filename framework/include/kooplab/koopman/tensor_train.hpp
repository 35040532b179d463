#pragma once
// Tensor trains (Oseledets, "Tensor-train decomposition", SIAM J. Sci. Comput. 2011).
//
// A tensor T of order d with mode sizes n_1..n_d is stored as cores C_k of size
// r_{k-1} × n_k × r_k (r_0 = r_d = 1):
//   T(i_1, ..., i_d) = C_1(:, i_1, :) C_2(:, i_2, :) ... C_d(:, i_d, :).
// A core is an arma::cube(r_{k-1}, n_k, r_k); its column-major memory is at once
// the left unfolding (r_{k-1} n_k) × r_k and the right unfolding r_{k-1} × (n_k r_k),
// so both are free views. Full tensors are vectorised with i_1 running fastest
// (Armadillo's column-major order): index i_1 + n_1 (i_2 + n_2 (i_3 + ...)).
// Memory of a tensor train: Σ_k r_{k-1} n_k r_k doubles.
#include <armadillo>
#include <vector>

namespace kooplab {

// How far an SVD-based step (TT-SVD, rounding) may truncate.
struct TtTruncation {
  double tolerance = 0.0;    // relative Frobenius error ε of the whole result
  arma::uword max_rank = 0;  // cap on every TT rank; 0: none
};

// The rank kept by one truncated SVD with singular values `sigma` (descending)
// of a rows × cols matrix: the smallest r with sqrt(Σ_{i>r} σ_i²) ≤ allowed_tail,
// at most max_rank (unless 0), and never keeping σ_i ≤ σ_1 · max(rows, cols) · ε_machine
// (numerically zero directions). At least 1 for a nonzero matrix; 0 for a zero one.
arma::uword truncation_rank(const arma::vec& sigma, double allowed_tail, arma::uword max_rank, arma::uword rows,
                            arma::uword cols);

class TensorTrain {
 public:
  TensorTrain() = default;
  // Throws DataError when neighbouring ranks disagree or r_0, r_d ≠ 1.
  explicit TensorTrain(std::vector<arma::cube> cores);

  // TT-SVD of a full tensor (vectorised as above): ‖T − TT‖_F ≤ ε ‖T‖_F.
  static TensorTrain from_full(const arma::vec& full, const std::vector<arma::uword>& dims,
                               const TtTruncation& rule = {});
  // v_1 ⊗ ... ⊗ v_d as a tensor train of ranks 1.
  static TensorTrain rank_one(const std::vector<arma::vec>& factors);

  arma::uword order() const { return cores_.size(); }
  std::vector<arma::uword> dims() const;
  std::vector<arma::uword> ranks() const;  // r_0, ..., r_d
  arma::uword max_rank() const;
  arma::uword storage() const;  // number of stored doubles
  const arma::cube& core(arma::uword k) const { return cores_.at(k); }
  const std::vector<arma::cube>& cores() const { return cores_; }

  // The full tensor, ∏ n_k entries: small tensors only.
  arma::vec full() const;

  // QR sweeps: afterwards cores 1..d−1 are left-orthonormal (Σ_{a,i} C(a,i,b) C(a,i,b') = δ_bb')
  // and the norm sits in the last core, or cores 2..d are right-orthonormal and
  // the norm sits in the first core. Ranks shrink where a core has fewer rows than columns.
  void left_orthonormalise();
  void right_orthonormalise();
  // TT rounding (Oseledets 2011, Alg. 2): right-orthonormalise, then truncated SVDs
  // from left to right; ‖before − after‖_F ≤ ε ‖before‖_F.
  void round(const TtTruncation& rule);

  double norm() const;
  TensorTrain& operator*=(double factor);

 private:
  std::vector<arma::cube> cores_;
};

// The sum, with ranks r_k(a) + r_k(b) (round it to compress).
TensorTrain operator+(const TensorTrain& a, const TensorTrain& b);
TensorTrain operator-(const TensorTrain& a, const TensorTrain& b);
TensorTrain operator*(double factor, const TensorTrain& a);
// ⟨a, b⟩ = Σ_i a(i) b(i), without forming either tensor.
double inner(const TensorTrain& a, const TensorTrain& b);

// Σ_i T(i_1, ..., i_d) v_1(i_1) ⋯ v_d(i_d).
double contract(const TensorTrain& tensor, const std::vector<arma::vec>& vectors);
// Contracts the first K = factors.size() modes with m rank-one inputs at once:
// factors[k] is n_k × m (column j belongs to input j) and row j of the m × r_K result is
//   Π_{k<K} Σ_i factors[k](i, j) C_k(:, i, :).
// With K = d this is the m-vector of contractions. Cost Σ_k m r_{k-1} n_k r_k.
arma::mat contract_leading(const TensorTrain& tensor, const std::vector<arma::mat>& factors);
// The mode product along `mode` (0-based): C_mode(a, p, b) ← Σ_i matrix(p, i) C_mode(a, i, b).
TensorTrain mode_product(const TensorTrain& tensor, arma::uword mode, const arma::mat& matrix);

// The Khatri–Rao (column-wise Kronecker) product of factor matrices Θ_k (n_k × m):
// the N × m matrix Ψ, N = ∏ n_k, whose column j is the vectorised rank-one tensor
// θ_1^(j) ∘ ... ∘ θ_d^(j). As a tensor of order d + 1 (modes n_1, ..., n_d, m) its
// tensor train has diagonal cores of rank m, C_k(j, i, j') = δ_jj' Θ_k(i, j): the
// "basis decomposition" of MANDy (Gelß, Klus, Eisert, Schütte 2019). Built densely
// here (memory Σ_k m² n_k): for tests and small m only.
TensorTrain khatri_rao_tensor(const std::vector<arma::mat>& factors);

// Truncated thin SVD Ψ ≈ U diag(σ) Vᵀ of the Khatri–Rao product above.
struct TtSvd {
  // Order d + 1, modes n_1, ..., n_d, r: U as an N × r matrix with orthonormal
  // columns (cores 1..d left-orthonormal, last core the r × r identity).
  TensorTrain u;
  arma::vec sigma;  // r, descending
  arma::mat v;      // m × r, orthonormal columns
  double norm = 0;  // ‖Ψ‖_F; ‖Ψ − UΣVᵀ‖_F² = norm² − ‖σ‖² (U Σ Vᵀ is a projection of Ψ)
};
// How each step of khatri_rao_svd finds singular values and vectors of its
// wide p × m matrix B (p = r_{k-1} n_k ≤ m, usually):
//  - svd: a thin LAPACK SVD of B; accurate down to σ ≈ ε_machine σ_1.
//  - gram: eig_sym of B Bᵀ (p × p, BLAS3), V = Bᵀ U Σ⁻¹ in the last step; several
//    times faster, but it squares the condition number: singular values below
//    √(p ε_machine) σ_1 (≈ 1e-7 σ_1) count as zero, like EDMD's Gram form.
enum class KhatriRaoMethod { svd, gram };

// TT-SVD of Ψ that uses the diagonal structure of its cores: step k factors an
// (r_{k-1} n_k) × m matrix whose columns are scaled by Π_{l>k} ‖θ_l^(j)‖ (the
// trailing cores' rows are orthogonal with these norms), so each truncation is
// optimal for the unfolding and ‖Ψ − UΣVᵀ‖_F ≤ ε ‖Ψ‖_F (for gram: ε ≳ 1e-7).
// Memory O(max_k r_{k-1} n_k m); Ψ itself (N × m) is never formed.
TtSvd khatri_rao_svd(const std::vector<arma::mat>& factors, const TtTruncation& rule,
                     KhatriRaoMethod method = KhatriRaoMethod::svd);

}  // namespace kooplab
