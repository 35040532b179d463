#include "kooplab/koopman/exponential_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <tuple>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

arma::cx_vec constrain_rates(const arma::cx_vec& alpha, const RateConstraints& constraints) {
  arma::cx_vec out = alpha;
  if (constraints.conjugate_pairs) {
    std::vector<std::tuple<double, arma::uword, arma::uword>> candidates;  // (|α_p − ᾱ_q|, p, q)
    for (arma::uword p = 0; p < alpha.n_elem; ++p)
      for (arma::uword q = 0; q < alpha.n_elem; ++q) {
        if (!(alpha(p).imag() > 0.0 && alpha(q).imag() < 0.0)) continue;
        const double distance = std::abs(alpha(p) - std::conj(alpha(q)));
        if (distance < alpha(p).imag() - alpha(q).imag()) candidates.emplace_back(distance, p, q);
      }
    std::sort(candidates.begin(), candidates.end());
    std::vector<bool> paired(alpha.n_elem, false);
    for (const auto& [distance, p, q] : candidates) {
      if (paired[p] || paired[q]) continue;
      paired[p] = paired[q] = true;
      out(p) = 0.5 * (alpha(p) + std::conj(alpha(q)));
      out(q) = std::conj(out(p));
    }
    for (arma::uword i = 0; i < alpha.n_elem; ++i)
      if (!paired[i]) out(i) = alpha(i).real();
  }
  if (constraints.stable)
    for (auto& rate : out) rate = {std::min(rate.real(), 0.0), rate.imag()};
  return out;
}

namespace {

// The variable projection at one α, trajectory by trajectory: the kept SVD
// E_k = U S Vᴴ (pseudo-inverse rank), B_k = E_k⁺ A_k and ρ_k = A_k − E_k B_k;
// an infinite cost when an exponential overflows.
struct Projection {
  std::vector<ThinSvd<arma::cx_double>> svds;
  std::vector<arma::cx_mat> coefficients, residuals;
  double cost = 0.0;  // Σ‖ρ_k‖²
};

arma::cx_mat exponentials(const arma::vec& t, const arma::cx_vec& alpha) {
  return arma::exp(to_complex(t) * alpha.st());
}

Projection project(const std::vector<arma::cx_mat>& data, const std::vector<arma::vec>& times,
                   const arma::cx_vec& alpha, const std::string& where) {
  Projection out;
  for (arma::uword k = 0; k < data.size(); ++k) {
    const arma::cx_mat e = exponentials(times[k], alpha);
    if (!e.is_finite()) {  // rates that overflow over the times: no fit there
      out.cost = arma::datum::inf;
      return out;
    }
    ThinSvd<arma::cx_double> svd = thin_svd(e, where);
    // Rates that coincide leave E_k rank-deficient: keep what a pseudo-inverse keeps.
    const double floor = svd.sigma.is_empty() ? 0.0
                                              : svd.sigma(0) * double(std::max(svd.u.n_rows, svd.v.n_rows)) *
                                                    std::numeric_limits<double>::epsilon();
    const arma::uword kept = std::max<arma::uword>(1, arma::accu(svd.sigma > floor));
    svd.u = svd.u.head_cols(kept);
    svd.v = svd.v.head_cols(kept);
    svd.sigma = svd.sigma.head(kept);
    const arma::cx_mat projected = svd.u.t() * data[k];
    arma::cx_mat scaled = projected;
    scaled.each_col() /= to_complex(svd.sigma);
    out.coefficients.push_back(svd.v * scaled);
    out.residuals.push_back(data[k] - svd.u * projected);
    out.cost += std::pow(arma::norm(out.residuals.back(), "fro"), 2);
    out.svds.push_back(std::move(svd));
  }
  return out;
}

// [vec Re ρ_k; vec Im ρ_k] over k.
arma::vec stacked_residual(const Projection& at) {
  arma::vec out;
  for (const arma::cx_mat& rho : at.residuals)
    out = arma::join_cols(out, arma::vectorise(arma::real(rho)), arma::vectorise(arma::imag(rho)));
  return out;
}

// The Jacobian of stacked_residual by (Re α, Im α), as the header says.
arma::mat jacobian(const std::vector<arma::vec>& times, const arma::cx_vec& alpha, const Projection& at) {
  const arma::uword r = alpha.n_elem;
  arma::mat out;
  for (arma::uword k = 0; k < times.size(); ++k) {
    const auto& [u, sigma, v] = at.svds[k];
    const arma::cx_mat& b = at.coefficients[k];
    const arma::cx_mat& rho = at.residuals[k];
    arma::cx_mat d = exponentials(times[k], alpha);
    d.each_col() %= to_complex(times[k]);
    const arma::cx_mat w = d - u * (u.t() * d);  // (I − P) d_l
    arma::cx_mat scaled_v = v.t();
    scaled_v.each_col() /= to_complex(sigma);
    const arma::cx_mat z = u * scaled_v;  // (E⁺)ᴴ e_l
    const arma::cx_mat c = d.t() * rho;   // d_lᴴ ρ
    const arma::uword size = rho.n_elem;
    arma::mat block(2 * size, 2 * r);
    for (arma::uword l = 0; l < r; ++l) {
      const arma::cx_mat ja = -w.col(l) * b.row(l), jb = -z.col(l) * c.row(l);
      const arma::cx_vec real_direction = arma::vectorise(ja + jb);
      const arma::cx_vec imaginary_direction = arma::cx_double(0.0, 1.0) * arma::vectorise(ja - jb);
      block.col(l) = arma::join_cols(arma::real(real_direction), arma::imag(real_direction));
      block.col(r + l) = arma::join_cols(arma::real(imaginary_direction), arma::imag(imaginary_direction));
    }
    out = arma::join_cols(out, block);
  }
  return out;
}

// The Levenberg–Marquardt step in the parameters `columns` (the others stay):
// min ‖J δ + f‖² + μ‖D δ‖² by a QR of the stacked system.
arma::vec damped_step(const arma::mat& j, const arma::vec& f, const arma::vec& scale, double damping,
                      const arma::uvec& columns, const std::string& where) {
  arma::vec step(j.n_cols, arma::fill::zeros);
  if (columns.is_empty()) return step;
  const arma::mat system = arma::join_cols(j.cols(columns), arma::diagmat(std::sqrt(damping) * scale(columns)));
  arma::vec solution;
  if (!arma::solve(solution, system, arma::vec(arma::join_cols(-f, arma::vec(columns.n_elem, arma::fill::zeros)))))
    throw NumericalError(where + ": the Levenberg–Marquardt step could not be solved");
  step(columns) = solution;
  return step;
}

}  // namespace

ExponentialFit fit_exponentials(const std::vector<arma::mat>& runs, const std::vector<arma::vec>& times,
                                const arma::cx_vec& start, const ExponentialFitSettings& settings,
                                const std::string& where) {
  std::vector<arma::cx_mat> data;
  double data_norm = 0.0;
  for (const arma::mat& run : runs) {
    data.push_back(to_complex(arma::mat(run.t())));
    data_norm += std::pow(arma::norm(run, "fro"), 2);
  }
  data_norm = std::sqrt(data_norm);
  const arma::uword r = start.n_elem;

  ExponentialFit fit;
  fit.alpha = constrain_rates(start, settings.constraints);
  Projection current = project(data, times, fit.alpha, where);
  if (!std::isfinite(current.cost))
    throw NumericalError(
        fmt::format("{}: the exponential fit's residual is not finite at the start (rates overflow "
                    "over the time span?)",
                    where));
  const auto round_off = [&](double cost) { return std::sqrt(cost) <= 1e-15 * data_norm; };
  fit.converged = round_off(current.cost);
  double damping = 1e-2;
  while (!fit.converged && fit.iterations < settings.max_iterations) {
    ++fit.iterations;
    const arma::mat j = jacobian(times, fit.alpha, current);
    const arma::vec f = stacked_residual(current);
    const arma::vec scale = arma::sqrt(arma::sum(arma::square(j), 0)).t();
    // A rate whose exponential underflows over the times moves nothing: its
    // column is zero, and it keeps its value.
    const arma::uvec movable = arma::find(scale > 1e-10 * scale.max());
    bool accepted = false;
    arma::cx_vec candidate;
    Projection next;
    for (; damping <= 1e16; damping *= 4.0) {
      // Rates at the stability bound that the step would push out stay there:
      // the step is solved again without them (an active set, not a zigzag).
      arma::uvec columns = movable;
      arma::vec step = damped_step(j, f, scale, damping, columns, where);
      if (settings.constraints.stable) {
        const arma::uvec pushed_out = arma::find((arma::real(fit.alpha) >= 0.0) % (arma::vec(step.head(r)) > 0.0));
        if (!pushed_out.is_empty()) {
          arma::uvec kept(2 * r, arma::fill::zeros);
          kept(columns).ones();
          kept(pushed_out).zeros();
          columns = arma::find(kept);
          step = damped_step(j, f, scale, damping, columns, where);
        }
      }
      candidate = constrain_rates(fit.alpha + arma::cx_vec(step.head(r), step.tail(r)), settings.constraints);
      next = project(data, times, candidate, where);
      if (next.cost < current.cost) {
        accepted = true;
        break;
      }
    }
    if (!accepted) {  // no damping lowers the residual: a (constrained) minimum to round-off
      fit.converged = true;
      break;
    }
    damping = std::max(damping / 3.0, 1e-12);
    const double change = arma::norm(candidate - fit.alpha);
    const double decrease = (current.cost - next.cost) / current.cost;
    fit.alpha = candidate;
    current = std::move(next);
    fit.converged = change <= settings.tolerance * (arma::norm(fit.alpha) + settings.tolerance) ||
                    decrease <= settings.tolerance || round_off(current.cost);
  }
  fit.coefficients = std::move(current.coefficients);
  fit.residual = data_norm > 0.0 ? std::sqrt(current.cost) / data_norm : 0.0;
  return fit;
}

}  // namespace kooplab
