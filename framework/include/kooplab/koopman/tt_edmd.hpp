#pragma once
// Tensor-based EDMD (Klus, Gelß, Peitz, Schütte, "Tensor-based dynamic mode
// decomposition", Nonlinearity 2018), in the AMUSEt form of Nüske, Gelß, Klus
// and Clementi (2021), on the tensor-product dictionary
//   ψ(x) = ψ_1(x_1) ⊗ ... ⊗ ψ_d(x_d)   (N = ∏ n_k functions, coordinate_basis.hpp).
//
// Ψ_X (N × M) is the Khatri–Rao product of the factors Θ_k = ψ_k(X_k), i.e. a
// tensor train with diagonal cores of rank M (MANDy's basis decomposition). Its
// truncated TT-SVD gives Ψ_X ≈ U Σ Vᵀ with U a left-orthonormal tensor train
// (khatri_rao_svd in tensor_train.hpp). EDMD's K = (G + εI)⁻¹ A with
// G = Ψ_X Ψ_Xᵀ / M, A = Ψ_X Ψ_Yᵀ / M maps into range(U), and K U = U K̃ with
//   K̃ = diag(σ_i / (σ_i² + M ε)) Vᵀ (Ψ_Yᵀ U)        (r × r, ε = 0: Σ⁻¹ Vᵀ Ψ_Yᵀ U),
// where Ψ_Yᵀ U is a contraction of U with the factors of Ψ_Y (never forming Ψ_Y).
// K̃ w_i = λ_i w_i gives the eigenfunctions φ_i(x) = w_iᵀ Uᵀ ψ(x), evaluated on new
// states by contracting U with their basis values. Modes: least squares of the
// state on the eigenfunction values, X ≈ modes · φ(X); with φ(X) = Wᵀ Σ Vᵀ this is
// modes = X V Σ⁻¹ W⁻ᵀ (NumericalError when K̃ is defective), scaled to unit norm
// (φ scaled inversely). Residuals: ‖φ_i(Y) − λ_i φ_i(X)‖ / ‖φ_i(X)‖ on the data,
// zero for exact eigenfunctions. Amplitudes: φ(x_0) of the first snapshot, so
// reconstruct() and predict(x_0) agree. Eigenpairs sorted by |λ| descending.
//
// Memory: the factors (Σ n_k · M), the largest step of the TT-SVD
// (2 · r_{k-1} n_k · M plus its SVD or (r_{k-1} n_k)² for the Gram form), U (Σ r_{k-1} n_k r_k), V (M × r) and the
// contraction buffer (M × n_k r_k); never N × M or N × N.
#include <armadillo>
#include <string>
#include <vector>

#include "kooplab/koopman/coordinate_basis.hpp"
#include "kooplab/koopman/tensor_train.hpp"
#include "kooplab/koopman_model.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

struct TtEdmdOptions {
  std::vector<CoordinateBasis> bases;  // one per coordinate (from a config: one for all, or one per coordinate)
  TtTruncation truncation;             // of the TT-SVD of Ψ_X
  KhatriRaoMethod method = KhatriRaoMethod::gram;  // how that TT-SVD factors each step
  double regularization = 0.0;                     // Tikhonov ε ≥ 0 added to G = Ψ_X Ψ_Xᵀ / M

  // The keys: basis (a basis map or a list of them, coordinate_basis.hpp),
  // tolerance, max_rank, regularization, method.
  static const Options<TtEdmdOptions>& options();
};

// Fits on snapshot pairs x, y (d × M). Diagnostics: rank (r), tt_rank_1..tt_rank_d
// (ranks of U between its modes; tt_rank_d = r), max_tt_rank, dictionary_size (N),
// tt_storage (doubles in U) and relative_truncation_error ‖Ψ_X − UΣVᵀ‖_F / ‖Ψ_X‖_F
// (from ‖Ψ_X‖² − ‖σ‖², so values below ≈ 1e-8 are round-off).
KoopmanModel tt_edmd(const arma::mat& x, const arma::mat& y, const TtEdmdOptions& options, const std::string& where);

// φ(X) = C Uᵀ ψ(X) for a tensor train U (modes n_1..n_d, r) and coefficients C (r × r).
class TtEigenfunctions : public EigenfunctionMap {
 public:
  TtEigenfunctions(std::vector<CoordinateBasis> bases, TensorTrain u, arma::cx_mat coefficients);
  arma::cx_mat evaluate(const arma::mat& states) const override;

 private:
  std::vector<CoordinateBasis> bases_;
  TensorTrain u_;
  arma::cx_mat coefficients_;
};

// Uᵀ ψ(X) (r × M) for a tensor train U with modes n_1, ..., n_d, r.
arma::mat project_dictionary(const TensorTrain& u, const std::vector<CoordinateBasis>& bases, const arma::mat& states);

}  // namespace kooplab
