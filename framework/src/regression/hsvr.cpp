#include "kooplab/regression/hsvr.hpp"

#include <fmt/format.h>

#include <cmath>

#include "kooplab/error.hpp"

namespace kooplab {

namespace {

void check_signal(const arma::vec& signal, double dx, const char* what) {
  if (signal.n_elem < 4) throw DataError(fmt::format("{}: {} samples; at least 4 are needed", what, signal.n_elem));
  if (!signal.is_finite()) throw DataError(fmt::format("{}: the signal holds NaN or Inf", what));
  if (!(dx > 0)) throw DataError(fmt::format("{}: the sample spacing must be > 0", what));
}

void check_frequencies(const arma::vec& frequencies, double decay) {
  if (frequencies.is_empty())
    throw DataError("HSVR scales: no frequency in the spectrum passed the significance level");
  if (!(frequencies.min() > 0)) throw DataError("HSVR scales: frequencies must be > 0");
  if (!(decay > 1)) throw ConfigError("HSVR scales: the decay ρ must be > 1");
}

}  // namespace

arma::vec fourier_support(const arma::vec& signal, double dx, double threshold) {
  check_signal(signal, dx, "Fourier support");
  const arma::uword n = signal.n_elem, half = n / 2;
  const arma::vec amplitude = arma::abs(arma::cx_vec(arma::fft(signal)).head(half + 1));
  const double largest = amplitude.max();
  if (!(largest > 0)) throw DataError("Fourier support: the signal is zero");
  const arma::uvec kept = arma::find(amplitude.tail(half) > threshold * largest) + 1;  // bins 1..n/2
  return arma::conv_to<arma::vec>::from(kept) / (double(n) * dx);
}

arma::vec fourier_frequencies(const arma::vec& signal, double dx, double significance) {
  check_signal(signal, dx, "Fourier frequencies");
  const arma::uword n = signal.n_elem, half = n / 2;
  const arma::cx_vec spectrum = arma::fft(arma::vec(signal - arma::mean(signal)));
  const arma::vec amplitude = arma::abs(spectrum.head(half + 1));
  const double largest = amplitude.max();
  if (!(largest > 0)) throw DataError("Fourier frequencies: the signal is constant");
  const arma::uvec kept = arma::find(amplitude.tail(half) >= significance * largest) + 1;  // bins 1..n/2
  return arma::conv_to<arma::vec>::from(kept) / (double(n) * dx);
}

arma::vec koopman_frequencies(const KoopmanModel& model, double dt, double significance) {
  if (model.amplitudes.n_elem != model.eigenvalues.n_elem || model.eigenvalues.is_empty())
    throw DataError("Koopman frequencies: the model needs one amplitude per eigenvalue");
  if (!(dt > 0)) throw DataError("Koopman frequencies: the sampling interval must be > 0");
  const arma::vec size = arma::abs(model.amplitudes);
  const arma::vec frequency = arma::abs(arma::arg(model.eigenvalues)) / (2 * arma::datum::pi * dt);
  const arma::uvec kept = arma::find(size >= significance * size.max() && frequency > 1e-12 / dt);
  return arma::sort(arma::unique(arma::vec(frequency(kept))));
}

HsvrScales hsvr_scales(const arma::vec& frequencies, double decay, DecayOn on) {
  check_frequencies(frequencies, decay);
  const double step = on == DecayOn::frequency ? decay * decay : decay;
  const double gamma0 = 36 * frequencies.min() * frequencies.min();
  const double gamma_max = 36 * frequencies.max() * frequencies.max();
  // L = ⌈log_step(γ_max/γ_0)⌉, guarded against round-off at exact powers.
  const double ratio = std::log(gamma_max / gamma0) / std::log(step);
  const arma::uword layers = arma::uword(std::max(0.0, std::ceil(ratio - 1e-9))) + 1;
  HsvrScales scales;
  for (arma::uword l = 0; l < layers; ++l) scales.gammas.push_back(gamma0 * std::pow(step, double(l)));
  return scales;
}

HsvrScales hsvr_kept_scales(const arma::vec& frequencies, double decay) {
  check_frequencies(frequencies, decay);
  HsvrScales scales;
  double last_kept = 0;  // σ of the last kept scale
  for (const double frequency : arma::vec(arma::sort(frequencies))) {
    const double sigma = 1.0 / (6.0 * frequency);
    if (last_kept > 0 && last_kept / sigma < decay * (1 - 1e-12)) continue;  // round-off at exact ratios keeps
    scales.gammas.push_back(1.0 / (sigma * sigma));
    last_kept = sigma;
  }
  return scales;
}

HierarchicalSvr::HierarchicalSvr(const arma::mat& x, const arma::vec& y, const std::vector<double>& gammas,
                                 double epsilon, double cost) {
  if (gammas.empty()) throw ConfigError("hierarchical SVR: no scales");
  arma::vec residual = y;
  for (const double gamma : gammas) {
    layers_.emplace_back(x, residual, SvrOptions{gamma, epsilon, cost});
    residual -= layers_.back().predict(x);
  }
}

arma::vec HierarchicalSvr::predict(const arma::mat& x) const {
  arma::vec out(x.n_cols, arma::fill::zeros);
  for (const GaussianSvr& layer : layers_) out += layer.predict(x);
  return out;
}

}  // namespace kooplab
