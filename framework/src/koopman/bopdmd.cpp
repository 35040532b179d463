#include "kooplab/koopman/bopdmd.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <exception>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/koopman/projected_eigenfunctions.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "kooplab/rng.hpp"
#include "kooplab/util/random_subset.hpp"

namespace kooplab {

const Options<BopDmdOptions>& BopDmdOptions::options() {
  static const auto options =
      Options<BopDmdOptions>()
          .include(&BopDmdOptions::rank, RankRule::options())
          .add("trials", &BopDmdOptions::trials,
               "bagging fits on random subsets; their spread gives the standard deviations (0: optimized DMD alone)",
               Check<arma::uword>([](const arma::uword& trials) { return trials != 1; }, "0 or ≥ 2"))
          .add("subset", &BopDmdOptions::subset,
               "snapshots of each trajectory in a trial: a fraction (below 1) or a count (kept in time order)",
               Check<double>([](const double& value) { return value > 0 && (value < 1 || value == std::floor(value)); },
                             "in (0, 1) (a fraction) or an integer ≥ 1 (a count)"))
          .add("stable", &BopDmdOptions::stable,
               "keep Re α ≤ 0 (|λ| ≤ 1): a rate that would grow is held at Re α = 0 (exponential_fit.hpp)")
          .add("conjugate_pairs", &BopDmdOptions::conjugate_pairs,
               "rates in conjugate pairs α, ᾱ (real data): paired rates averaged, unpaired ones made real after "
               "every step")
          .add("max_iterations", &BopDmdOptions::max_iterations,
               "Levenberg–Marquardt iterations of a fit before it counts as not converged", at_least(1))
          .add("fit_tolerance", &BopDmdOptions::fit_tolerance,
               "converged when a step changes α, or the squared residual, by less than this (relative)", in_open(0, 1));
  return options;
}

namespace {

void validate(const std::vector<arma::mat>& runs, const std::vector<arma::vec>& times, double step,
              const std::string& where) {
  if (runs.empty()) throw DataError(where + ": no trajectories to fit");
  if (times.size() != runs.size())
    throw DataError(fmt::format("{}: {} trajectories but {} time vectors", where, runs.size(), times.size()));
  if (!(step > 0.0) || !std::isfinite(step))
    throw DataError(fmt::format("{}: the model's step must be positive and finite, got {}", where, step));
  for (arma::uword k = 0; k < runs.size(); ++k) {
    if (runs[k].n_rows != runs[0].n_rows)
      throw DataError(fmt::format("{}: trajectory {} has states of dimension {}, trajectory 0 of {}", where, k,
                                  runs[k].n_rows, runs[0].n_rows));
    if (times[k].n_elem != runs[k].n_cols)
      throw DataError(
          fmt::format("{}: trajectory {} has {} snapshots but {} times", where, k, runs[k].n_cols, times[k].n_elem));
    if (!runs[k].is_finite()) throw DataError(fmt::format("{}: trajectory {} has non-finite values", where, k));
    if (!times[k].is_finite()) throw DataError(fmt::format("{}: trajectory {} has non-finite times", where, k));
    for (arma::uword j = 0; j + 1 < times[k].n_elem; ++j)
      if (!(times[k](j + 1) > times[k](j)))
        throw DataError(fmt::format("{}: the times of trajectory {} do not increase at snapshot {} ({} then {})", where,
                                    k, j + 1, times[k](j), times[k](j + 1)));
  }
}

// Step 2 of the header: exact DMD's rates for evenly spaced times, the
// trapezoidal rule's otherwise.
arma::cx_vec starting_rates(const std::vector<arma::mat>& reduced, const std::vector<arma::vec>& times,
                            const std::string& where) {
  const double spacing = times[0](1) - times[0](0);
  bool even = true;
  for (const arma::vec& t : times) even = even && arma::all(arma::abs(arma::diff(t) - spacing) <= 1e-9 * spacing);
  arma::mat x, y;
  for (arma::uword k = 0; k < reduced.size(); ++k) {
    const arma::uword last = reduced[k].n_cols - 1;
    const arma::mat before = reduced[k].cols(0, last - 1), after = reduced[k].cols(1, last);
    if (even) {
      x = arma::join_rows(x, before);
      y = arma::join_rows(y, after);
    } else {
      arma::mat difference = after - before;
      difference.each_row() /= arma::diff(times[k]).t();
      x = arma::join_rows(x, 0.5 * (before + after));
      y = arma::join_rows(y, difference);
    }
  }
  arma::mat x_inverse;
  if (!arma::pinv(x_inverse, x)) throw NumericalError(where + ": the pseudo-inverse for the starting rates failed");
  const arma::cx_vec mu = eigenpairs(arma::mat(y * x_inverse), where, "the starting operator").values;
  if (!even) return mu;
  arma::cx_vec alpha(mu.n_elem);
  for (arma::uword l = 0; l < mu.n_elem; ++l)
    alpha(l) = std::log(std::polar(std::max(std::abs(mu(l)), 1e-12), std::arg(mu(l)))) / spacing;
  return alpha;
}

// A fit's modes W (reduced coordinates, unit columns) and the first
// trajectory's amplitudes at its first time, as the header says.
struct FittedPairs {
  arma::cx_vec alpha;
  arma::cx_mat modes;
  arma::cx_vec amplitudes;
};

FittedPairs eigenpairs_of(const ExponentialFit& fit, double first_time, const std::string& where) {
  const arma::uword r = fit.alpha.n_elem;
  FittedPairs out{fit.alpha, arma::cx_mat(r, r), arma::cx_vec(r)};
  for (arma::uword l = 0; l < r; ++l) {
    arma::cx_mat rows(fit.coefficients[0].n_cols, fit.coefficients.size());
    for (arma::uword k = 0; k < fit.coefficients.size(); ++k) rows.col(k) = fit.coefficients[k].row(l).st();
    arma::cx_vec mode = rows.col(0);
    if (rows.n_cols > 1) mode = thin_svd(rows, where, SingularVectors::left).u.col(0);
    const double size = arma::norm(mode);
    if (!(size > 0.0))
      throw NumericalError(fmt::format("{}: the rate {}{:+}i has no share in the data (zero mode); lower the rank",
                                       where, fit.alpha(l).real(), fit.alpha(l).imag()));
    out.modes.col(l) = mode / size;
    out.amplitudes(l) = arma::cdot(out.modes.col(l), rows.col(0)) * std::exp(fit.alpha(l) * first_time);
  }
  return out;
}

// Trial eigenpairs in the order of `reference`'s rates, each mode turned to
// the phase of the reference's mode (its amplitude turned back).
FittedPairs aligned(const FittedPairs& trial, const FittedPairs& reference) {
  const arma::uvec order = match_spectrum(reference.alpha, trial.alpha).partner;
  FittedPairs out{trial.alpha(order), trial.modes.cols(order), trial.amplitudes(order)};
  for (arma::uword l = 0; l < order.n_elem; ++l) {
    const arma::cx_double overlap = arma::cdot(reference.modes.col(l), out.modes.col(l));
    const arma::cx_double phase = std::abs(overlap) > 0.0 ? overlap / std::abs(overlap) : 1.0;
    out.modes.col(l) *= std::conj(phase);
    out.amplitudes(l) *= phase;
  }
  return out;
}

// sqrt(Σ |z − mean|² / (count − 1)) over the columns of a matrix of samples.
arma::vec complex_std(const arma::cx_mat& samples) {
  arma::cx_mat centred = samples;
  centred.each_col() -= arma::mean(samples, 1);
  return arma::sqrt(arma::sum(arma::square(arma::abs(centred)), 1) / double(samples.n_cols - 1));
}

// Snapshots per trial of each trajectory: the fraction `subset` (below 1)
// or that count; each must be above the rank and at most the trajectory.
std::vector<arma::uword> subset_sizes(const std::vector<arma::mat>& runs, double subset, arma::uword rank,
                                      const std::string& where) {
  std::vector<arma::uword> sizes;
  for (arma::uword k = 0; k < runs.size(); ++k) {
    const arma::uword m = runs[k].n_cols;
    const arma::uword size = subset < 1 ? arma::uword(std::lround(subset * double(m))) : arma::uword(subset);
    if (size <= rank || size > m)
      throw DataError(
          fmt::format("{}: subset {} of trajectory {}'s {} snapshots is {}, which must be above the "
                      "rank {} and at most {}",
                      where, subset, k, m, size, rank, m));
    sizes.push_back(size);
  }
  return sizes;
}

// The failure of the lowest trial that failed, as a NumericalError naming it
// (the same one for any order the trials ran in).
void rethrow_first(const std::vector<std::exception_ptr>& failures, const std::string& where) {
  for (arma::uword i = 0; i < failures.size(); ++i) {
    if (!failures[i]) continue;
    try {
      std::rethrow_exception(failures[i]);
    } catch (const std::exception& error) {
      throw NumericalError(fmt::format("{}: bagging trial {} failed: {}", where, i, error.what()));
    }
  }
}

// The trials' mean eigenpairs (rates projected onto the constraints, modes
// renormalised with their norm moved into the amplitudes), and their
// standard deviations into `out`, reduced in trial order.
FittedPairs summarise_trials(const std::vector<FittedPairs>& trials, const arma::mat& basis, double step,
                             const RateConstraints& constraints, BopDmd& out) {
  const arma::uword count = trials.size(), r = basis.n_cols;
  arma::cx_mat rates(r, count), amplitudes(r, count);
  arma::cx_cube modes(r, r, count);
  for (arma::uword i = 0; i < count; ++i) {
    rates.col(i) = trials[i].alpha;
    amplitudes.col(i) = trials[i].amplitudes;
    modes.slice(i) = trials[i].modes;
  }
  const arma::cx_mat mean_modes = arma::mean(modes, 2);
  arma::mat mode_variance(basis.n_rows, r, arma::fill::zeros);
  for (arma::uword i = 0; i < count; ++i)
    mode_variance += arma::square(arma::abs(real_times_complex(basis, modes.slice(i) - mean_modes)));
  out.mode_std = arma::sqrt(mode_variance / double(count - 1));
  out.rate_std = complex_std(rates);
  out.eigenvalue_std = complex_std(arma::exp(rates * step));
  out.amplitude_std = complex_std(amplitudes);

  const arma::rowvec norms = arma::sqrt(arma::sum(arma::square(arma::abs(mean_modes)), 0));
  FittedPairs mean;
  mean.alpha = constrain_rates(arma::mean(rates, 1), constraints);
  mean.modes = mean_modes.each_row() / to_complex(norms);
  mean.amplitudes = arma::mean(amplitudes, 1) % to_complex(arma::vec(norms.t()));
  return mean;
}

// The Koopman model of rates, modes W (reduced coordinates) and amplitudes on
// the basis U, with the residuals of the header on the data.
KoopmanModel model_of(const arma::mat& basis, const FittedPairs& pairs, double step,
                      const std::vector<arma::mat>& reduced, const std::vector<arma::vec>& times,
                      const std::string& where) {
  const arma::uword r = pairs.alpha.n_elem;
  KoopmanModel model;
  model.eigenvalues = arma::exp(pairs.alpha * step);
  model.modes = real_times_complex(basis, pairs.modes);
  model.amplitudes = pairs.amplitudes;
  const arma::cx_mat inverse = inverse_eigenvectors(pairs.modes, where, "the mode matrix");
  model.eigenfunctions = std::make_shared<ProjectedEigenfunctions>(basis, inverse);
  model.koopman_matrix = pairs.modes * arma::diagmat(model.eigenvalues) * inverse;
  arma::vec misfit(r, arma::fill::zeros), size(r, arma::fill::zeros);
  for (arma::uword k = 0; k < reduced.size(); ++k) {
    const arma::cx_mat phi = complex_times_real(inverse, reduced[k]);
    const arma::uword last = phi.n_cols - 1;
    const arma::cx_mat now = phi.cols(0, last - 1), next = phi.cols(1, last);
    const arma::cx_mat advanced =
        arma::exp(pairs.alpha * arma::cx_mat(to_complex(arma::mat(arma::diff(times[k]).t())))) % now;
    misfit += arma::sum(arma::square(arma::abs(next - advanced)), 1);
    size += arma::sum(arma::square(arma::abs(now)), 1);
  }
  model.residuals = arma::sqrt(misfit / arma::clamp(size, 1e-300, arma::datum::inf));
  model.residuals.elem(arma::find(size == 0.0)).zeros();
  model.diagnostics["rank"] = double(r);
  return model;
}

}  // namespace

BopDmd bopdmd(const std::vector<arma::mat>& runs, const std::vector<arma::vec>& times, double step,
              const BopDmdOptions& options, std::uint64_t seed, const std::string& where) {
  validate(runs, times, step, where);
  if (options.trials == 1)
    throw ConfigError(where + ": trials is 1; a standard deviation needs at least 2 (or 0: no bagging)");
  arma::mat all;
  for (const arma::mat& run : runs) all = arma::join_rows(all, run);
  const auto [u, sigma, v_unused] = thin_svd(all, where, SingularVectors::left);
  const arma::uword r = options.rank.select(sigma, all.n_rows, all.n_cols, where);
  const arma::mat basis = u.head_cols(r);
  std::vector<arma::mat> reduced;
  for (arma::uword k = 0; k < runs.size(); ++k) {
    if (runs[k].n_cols <= r)
      throw DataError(
          fmt::format("{}: trajectory {} has {} snapshots, not more than the rank {}; optimized DMD fits "
                      "{} exponentials to each trajectory (lower the rank or give longer trajectories)",
                      where, k, runs[k].n_cols, r, r));
    reduced.push_back(basis.t() * runs[k]);
  }

  const ExponentialFitSettings settings{
      options.max_iterations, options.fit_tolerance, {options.stable, options.conjugate_pairs}};
  const ExponentialFit full = fit_exponentials(reduced, times, starting_rates(reduced, times, where), settings, where);
  if (!full.converged)
    throw NumericalError(
        fmt::format("{}: optimized DMD did not converge in {} iterations (relative residual {:.3e}); "
                    "raise max_iterations or fit_tolerance",
                    where, options.max_iterations, full.residual));
  const double first_time = times[0](0);
  const FittedPairs reference = eigenpairs_of(full, first_time, where);

  BopDmd out;
  FittedPairs fitted = reference;
  if (options.trials > 0) {
    const std::vector<arma::uword> sizes = subset_sizes(runs, options.subset, r, where);
    std::vector<FittedPairs> trials(options.trials);
    std::vector<char> converged(options.trials, 0);
    std::vector<std::exception_ptr> failures(options.trials);
    oneapi::tbb::parallel_for(arma::uword(0), options.trials, [&](arma::uword i) {
      try {
        Rng rng(seed, fmt::format("bopdmd trial {}", i));
        std::vector<arma::mat> trial_runs;
        std::vector<arma::vec> trial_times;
        for (arma::uword k = 0; k < runs.size(); ++k) {
          const arma::uvec kept = random_subset(runs[k].n_cols, sizes[k], rng);  // in time order
          trial_runs.push_back(reduced[k].cols(kept));
          trial_times.push_back(times[k](kept));
        }
        const ExponentialFit fit = fit_exponentials(trial_runs, trial_times, full.alpha, settings, where);
        converged[i] = fit.converged;
        trials[i] = aligned(eigenpairs_of(fit, first_time, where), reference);
      } catch (...) {
        failures[i] = std::current_exception();
      }
    });
    rethrow_first(failures, where);
    fitted = summarise_trials(trials, basis, step, settings.constraints, out);
    out.unconverged_trials = arma::uword(std::count(converged.begin(), converged.end(), 0));
  }

  out.rates = fitted.alpha;
  out.model = model_of(basis, fitted, step, reduced, times, where);
  auto& diagnostics = out.model.diagnostics;
  diagnostics["numerical_rank"] = double(numerical_rank(sigma, options.rank.tolerance));
  diagnostics["iterations"] = double(full.iterations);
  diagnostics["fit_residual"] = full.residual;
  if (options.trials > 0) {
    diagnostics["trials"] = double(options.trials);
    diagnostics["unconverged_trials"] = double(out.unconverged_trials);
    diagnostics["eigenvalue_std_max"] = out.eigenvalue_std.max();
    for (arma::uword l = 0; l < r; ++l) {
      diagnostics[fmt::format("eigenvalue_std_{}", l)] = out.eigenvalue_std(l);
      diagnostics[fmt::format("mode_std_{}", l)] = arma::norm(out.mode_std.col(l));
      diagnostics[fmt::format("amplitude_std_{}", l)] = out.amplitude_std(l);
    }
  }
  return out;
}

}  // namespace kooplab
