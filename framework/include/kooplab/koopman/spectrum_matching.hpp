#pragma once
// Which estimated eigenvalue stands for which true one: the one rule the
// spectrum metrics and the tests use.
//
// Greedy nearest, each estimate used once: the closest pair (true λ_i,
// estimate μ_j) of all is matched first, then the closest of the pairs left,
// and so on; a matched estimate is not offered again (ties go to the lower i,
// then the lower j). So a true eigenvalue of multiplicity m needs m estimates
// near it, and an estimate far from every true value is never matched. When
// the estimates run out before the true values (a truncated rank), all of
// them are offered again to the true values left, as often as needed.
//
// Where each true value's nearest estimate is a different one, every true
// value gets that nearest estimate, and the worst distance is
// max_i min_j |λ_i − μ_j|. Cost O(T·E·log(T·E)) for T true and E estimated values.
#include <armadillo>

namespace kooplab {

struct SpectrumMatch {
  arma::uvec partner;  // per true eigenvalue, the index of its estimate
  arma::vec distance;  // per true eigenvalue, |λ_i − μ_partner(i)|

  // The largest distance (NaN when an estimate is NaN); 0 when there are no true eigenvalues.
  double worst() const;
};

// Throws DataError when there are true eigenvalues but no estimates.
SpectrumMatch match_spectrum(const arma::cx_vec& truth, const arma::cx_vec& estimate);

// match_spectrum(truth, estimate).worst(): the eigenvalue error.
double spectrum_distance(const arma::cx_vec& truth, const arma::cx_vec& estimate);

}  // namespace kooplab
