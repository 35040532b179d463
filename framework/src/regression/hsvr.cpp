#include "kooplab/regression/hsvr.hpp"

#include <fmt/format.h>

#include <cmath>

#include "kooplab/error.hpp"

namespace kooplab {

arma::vec fourier_frequencies(const arma::vec& signal, double dx, double significance) {
  if (signal.n_elem < 4) throw DataError(fmt::format("Fourier frequencies: {} samples; at least 4 are needed", signal.n_elem));
  if (!signal.is_finite()) throw DataError("Fourier frequencies: the signal holds NaN or Inf");
  if (!(dx > 0)) throw DataError("Fourier frequencies: the sample spacing must be > 0");
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

std::vector<double> HsvrScales::gammas() const {
  std::vector<double> out;
  for (arma::uword l = 0; l < layers; ++l) out.push_back(gamma0 * std::pow(step, double(l)));
  return out;
}

HsvrScales hsvr_scales(const arma::vec& frequencies, double decay, DecayOn on) {
  if (frequencies.is_empty()) throw DataError("HSVR scales: no frequency in the spectrum passed the significance level");
  if (!(frequencies.min() > 0)) throw DataError("HSVR scales: frequencies must be > 0");
  if (!(decay > 1)) throw ConfigError("HSVR scales: the decay ρ must be > 1");
  HsvrScales scales;
  scales.step = on == DecayOn::frequency ? decay * decay : decay;
  scales.gamma0 = 36 * frequencies.min() * frequencies.min();
  scales.gamma_max = 36 * frequencies.max() * frequencies.max();
  // L = ⌈log_step(γ_max/γ_0)⌉, guarded against round-off at exact powers.
  const double ratio = std::log(scales.gamma_max / scales.gamma0) / std::log(scales.step);
  scales.layers = arma::uword(std::max(0.0, std::ceil(ratio - 1e-9))) + 1;
  return scales;
}

HierarchicalSvr::HierarchicalSvr(const arma::mat& x, const arma::vec& y, const std::vector<double>& gammas, double epsilon,
                                 double cost) {
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
