#include "kooplab/koopman/tt_edmd.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

const Options<TtEdmdOptions>& TtEdmdOptions::options() {
  static const auto options = [] {
    const auto truncation = Options<TtTruncation>()
                                .add("tolerance", &TtTruncation::tolerance,
                                     "relative Frobenius error ε of the TT-SVD of Ψ_X (0: numerically exact)",
                                     Check<double>{[](const double& e) { return e >= 0 && e < 1; }, "in [0, 1)"})
                                .add("max_rank", &TtTruncation::max_rank, "cap on every TT rank (0: none)");
    auto options =
        Options<TtEdmdOptions>()
            .custom({"basis", "basis map | list of basis maps", "required",
                     "one basis for every coordinate, or one per coordinate (keys basis.* below)"},
                    [](const Config& section, TtEdmdOptions& settings) {
                      settings.bases = coordinate_bases_from_config(section, "basis");
                    })
            .include(&TtEdmdOptions::truncation, truncation)
            .add("regularization", &TtEdmdOptions::regularization, "Tikhonov ε: K = (G + εI)⁻¹ A with G = Ψ_X Ψ_Xᵀ / M",
                 at_least(0))
            .choice("method", &TtEdmdOptions::method, {{"gram", KhatriRaoMethod::gram}, {"svd", KhatriRaoMethod::svd}},
                    "gram: each TT-SVD step from a Gram matrix (fast; σ below ≈ 1e-7 σ_1 count as zero, as in edmd's "
                    "gram form); svd: LAPACK SVDs (accurate, slower)");
    // The keys of each basis map, for the docs (coordinate_bases_from_config reads them).
    for (OptionDoc doc : CoordinateBasis::options().docs()) {
      doc.key = "basis." + doc.key;
      options.custom(std::move(doc), [](const Config&, TtEdmdOptions&) {});
    }
    return options;
  }();
  return options;
}

arma::mat project_dictionary(const TensorTrain& u, const std::vector<CoordinateBasis>& bases, const arma::mat& states) {
  if (states.n_rows + 1 != u.order())
    throw DataError(fmt::format("TT eigenfunctions take states of dimension {}, got {}", u.order() - 1, states.n_rows));
  const arma::mat leading = contract_leading(u, evaluate_bases(bases, states));  // M × r_d
  return (leading * u.core(u.order() - 1).slice(0)).t();
}

TtEigenfunctions::TtEigenfunctions(std::vector<CoordinateBasis> bases, TensorTrain u, arma::cx_mat coefficients)
    : bases_(std::move(bases)), u_(std::move(u)), coefficients_(std::move(coefficients)) {}

arma::cx_mat TtEigenfunctions::evaluate(const arma::mat& states) const {
  return complex_times_real(coefficients_, project_dictionary(u_, bases_, states));
}

KoopmanModel tt_edmd(const arma::mat& x, const arma::mat& y, const TtEdmdOptions& options, const std::string& where) {
  if (x.n_rows != y.n_rows || x.n_cols != y.n_cols)
    throw DataError(fmt::format("{}: X is {}×{} but Y is {}×{}", where, x.n_rows, x.n_cols, y.n_rows, y.n_cols));
  if (options.bases.size() != x.n_rows)
    throw DataError(
        fmt::format("{}: {} coordinate bases for states of dimension {}", where, options.bases.size(), x.n_rows));
  if (!(options.regularization >= 0)) throw ConfigError(where + ": the regularization must be ≥ 0");
  const double samples = double(x.n_cols);

  TtSvd svd;
  try {
    svd = khatri_rao_svd(evaluate_bases(options.bases, x), options.truncation, options.method);
  } catch (const Error& e) {
    throw NumericalError(fmt::format("{}: {}", where, e.what()));
  }
  const arma::uword r = svd.sigma.n_elem;
  // Uᵀ Ψ_X = Σ Vᵀ exactly: the TT-SVD errors are orthogonal to range(U).
  const arma::mat projected_x = arma::diagmat(svd.sigma) * svd.v.t();         // r × M
  const arma::mat projected_y = project_dictionary(svd.u, options.bases, y);  // r × M
  const arma::vec weights = svd.sigma / (arma::square(svd.sigma) + samples * options.regularization);
  const arma::mat reduced = arma::diagmat(weights) * (svd.v.t() * projected_y.t());  // K̃

  auto [lambda, w] = eigenpairs(reduced, where, "the reduced matrix");
  const arma::uvec order = arma::sort_index(arma::abs(lambda), "descend");
  lambda = lambda(order).eval();
  w = w.cols(order).eval();

  arma::cx_mat coefficients = w.st();  // φ_i = w_iᵀ Uᵀ ψ
  const arma::cx_mat phi_x = complex_times_real(coefficients, projected_x),
                     phi_y = complex_times_real(coefficients, projected_y);

  KoopmanModel model;
  model.eigenvalues = lambda;
  model.residuals = eigenfunction_residuals(phi_x, phi_y, lambda);
  // Least squares X ≈ modes · φ(X) with φ(X) = Wᵀ Σ Vᵀ: modes = X V Σ⁻¹ W⁻ᵀ.
  const arma::cx_mat w_inverse_t = inverse_eigenvectors(w.st(), where, "the reduced matrix");
  const arma::mat state_coefficients = (x * svd.v).eval().each_row() / svd.sigma.t();  // X V Σ⁻¹, n × r
  model.modes = to_complex(state_coefficients) * w_inverse_t;
  arma::cx_vec scale(r, arma::fill::ones);
  for (arma::uword i = 0; i < r; ++i) {
    const double size = arma::norm(model.modes.col(i));
    if (size > 0) scale(i) = size;
  }
  model.modes.each_row() /= scale.st();
  coefficients.each_col() %= scale;
  model.amplitudes = phi_x.col(0) % scale;

  model.koopman_matrix = to_complex(reduced);
  model.diagnostics["rank"] = double(r);
  const std::vector<arma::uword> ranks = svd.u.ranks();  // 1, r_1, ..., r_d, 1
  double dictionary_size = 1;
  for (arma::uword k = 0; k < x.n_rows; ++k) {
    model.diagnostics[fmt::format("tt_rank_{}", k + 1)] = double(ranks[k + 1]);
    dictionary_size *= double(options.bases[k].size());
  }
  model.diagnostics["max_tt_rank"] = double(*std::max_element(ranks.begin(), ranks.end()));
  model.diagnostics["dictionary_size"] = dictionary_size;
  model.diagnostics["tt_storage"] = double(svd.u.storage());
  const double kept = arma::accu(arma::square(svd.sigma)), total = svd.norm * svd.norm;
  model.diagnostics["relative_truncation_error"] = std::sqrt(std::max(total - kept, 0.0) / total);
  model.eigenfunctions = std::make_shared<TtEigenfunctions>(options.bases, std::move(svd.u), std::move(coefficients));
  return model;
}

}  // namespace kooplab
