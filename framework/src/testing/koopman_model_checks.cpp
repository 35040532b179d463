#include "kooplab/testing/koopman_model_checks.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"

namespace kooplab::testing {

namespace {

std::string size_text(const arma::cx_mat& m) { return fmt::format("{}×{}", m.n_rows, m.n_cols); }

// ‖a − b‖_F / ‖b‖_F (‖a‖_F when b is zero).
double relative(const arma::mat& a, const arma::mat& b) {
  const double scale = arma::norm(b, "fro");
  return arma::norm(a - b, "fro") / (scale > 0 ? scale : 1.0);
}

// The checks that hold whatever the data. Returns false when a size is so
// wrong that the exact-data checks cannot run.
bool check_structure(const KoopmanModel& model, const Trajectories& data, std::vector<std::string>& out) {
  const arma::uword r = model.rank(), n = data.state_dim();
  bool usable = r > 0;
  if (r == 0) out.push_back("the model has no eigenvalues");
  if (!model.eigenvalues.is_finite()) out.push_back("eigenvalues are not all finite");
  if (model.modes.n_rows != n || model.modes.n_cols != r) {
    out.push_back(fmt::format("modes are {}, expected {}×{} (state dimension × rank)", size_text(model.modes), n, r));
    usable = false;
  } else if (!model.modes.is_finite()) {
    out.push_back("modes are not all finite");
  }
  if (model.amplitudes.n_elem != r) {
    out.push_back(fmt::format("{} amplitudes for {} eigenvalues", model.amplitudes.n_elem, r));
    usable = false;
  } else if (!model.amplitudes.is_finite()) {
    out.push_back("amplitudes are not all finite");
  }
  if (model.residuals.n_elem != r) {
    out.push_back(fmt::format("{} residuals for {} eigenvalues", model.residuals.n_elem, r));
  } else if (!model.residuals.is_finite() || arma::any(model.residuals < 0.0)) {
    out.push_back("residuals are not all finite and ≥ 0");
  }
  if (model.koopman_matrix.is_empty() || !model.koopman_matrix.is_square())
    out.push_back(fmt::format("the Koopman matrix is {}, expected a square matrix", size_text(model.koopman_matrix)));
  else if (!model.koopman_matrix.is_finite())
    out.push_back("the Koopman matrix is not all finite");
  if (model.dt != data.dt)
    out.push_back(fmt::format("Δt is {}, the data's is {}", model.dt ? fmt::format("{}", *model.dt) : "unset",
                              data.dt ? fmt::format("{}", *data.dt) : "unset"));
  if (!model.eigenfunctions) {
    out.push_back("the model has no eigenfunctions");
    return false;
  }
  const arma::mat& first = data.runs.front();
  const arma::cx_mat phi = model.eigenfunction_values(first);
  if (phi.n_rows != r || phi.n_cols != first.n_cols) {
    out.push_back(fmt::format("eigenfunctions of {} states are {}, expected {}×{} (rank × states)", first.n_cols,
                              size_text(phi), r, first.n_cols));
    usable = false;
  } else if (!phi.is_finite()) {
    out.push_back("eigenfunction values on the first trajectory are not all finite");
  }
  return usable;
}

// The checks on noise-free data that the model describes exactly.
void check_exact(const KoopmanModel& model, const Trajectories& data, const ModelCheckOptions& options,
                 std::vector<std::string>& out) {
  const double tol = options.tolerance;
  const arma::uword s = options.settle;
  const double radius = std::max(1.0, arma::abs(model.eigenvalues).max());
  double step_error = 0.0, phi_error = 0.0;
  arma::uword worst_pair = 0;
  for (const arma::mat& run : data.runs) {
    if (run.n_cols < s + 2) continue;
    const arma::uword last = run.n_cols - 1;
    step_error = std::max(step_error, relative(model.advance(run).cols(s, last - 1), run.cols(s + 1, last)));
    const arma::cx_mat phi = model.eigenfunction_values(run);
    for (arma::uword i = 0; i < model.rank(); ++i) {
      const arma::cx_rowvec now = phi.row(i).cols(s, last - 1), next = phi.row(i).cols(s + 1, last);
      const double scale = std::max(arma::norm(phi.row(i).cols(s, last)), 1e-300);
      const double error = arma::norm(next - model.eigenvalues(i) * now) / scale;
      if (error > phi_error) phi_error = error, worst_pair = i;
    }
  }
  if (!(step_error <= tol))
    out.push_back(
        fmt::format("advance() misses the successors by {:.2e} (relative), more than {:.0e}", step_error, tol));
  if (!(phi_error <= tol))
    out.push_back(fmt::format("φ(x_(t+1)) = λ φ(x_t) fails by {:.2e} (relative) for λ = {}{:+}i, more than {:.0e}",
                              phi_error, model.eigenvalues(worst_pair).real(), model.eigenvalues(worst_pair).imag(),
                              tol));

  const arma::mat& first = data.runs.front();
  const arma::uword last = first.n_cols - 1;
  if (last >= s) {
    const double error = relative(model.reconstruct(last).cols(s, last), first.cols(s, last));
    if (!(error <= tol))
      out.push_back(
          fmt::format("reconstruct() misses the first trajectory by {:.2e} (relative), more than {:.0e}", error, tol));
  }
  if (s == 0) {
    const double error = relative(model.predict(first.col(0), last), first);
    if (!(error <= tol))
      out.push_back(fmt::format(
          "predict() from the first state misses its trajectory by {:.2e} (relative), more than {:.0e}", error, tol));
  }
  if (model.residuals.n_elem == model.rank() && !(model.residuals.max() <= tol * radius))
    out.push_back(fmt::format("the largest residual is {:.2e} on exact data, more than {:.0e}", model.residuals.max(),
                              tol * radius));
  if (model.koopman_matrix.is_square() && model.koopman_matrix.n_rows == model.rank()) {
    arma::cx_vec eigenvalues;
    if (!arma::eig_gen(eigenvalues, model.koopman_matrix)) {
      out.push_back("the eigenvalues of the Koopman matrix cannot be computed");
    } else if (const double distance = spectrum_distance(model.eigenvalues, eigenvalues); !(distance <= tol * radius)) {
      out.push_back(fmt::format("the eigenvalues of the Koopman matrix are {:.2e} from the model's, more than {:.0e}",
                                distance, tol * radius));
    }
  }
}

}  // namespace

std::vector<std::string> model_invariant_violations(const KoopmanModel& model, const Trajectories& data,
                                                    const ModelCheckOptions& options) {
  if (data.runs.empty()) throw DataError("check_model_invariants: no trajectories to check the model on");
  std::vector<std::string> out;
  try {
    if (check_structure(model, data, out) && options.exact) check_exact(model, data, options, out);
  } catch (const std::exception& error) {
    out.push_back(fmt::format("evaluating the model threw: {}", error.what()));
  }
  return out;
}

void check_model_invariants(const KoopmanModel& model, const Trajectories& data, const ModelCheckOptions& options) {
  const std::vector<std::string> violations = model_invariant_violations(model, data, options);
  if (violations.empty()) return;
  std::string message = fmt::format("the Koopman model violates {} invariant(s):", violations.size());
  for (const auto& violation : violations) message += "\n  - " + violation;
  throw Error(message);
}

}  // namespace kooplab::testing
