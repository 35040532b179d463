#pragma once
// The hierarchical SVR S(x) = Σ_ℓ a_ℓ(x; γ_ℓ) of koopman-mode-analysis.md, Sec. 5,
// and the choice of its depth from the signal's spectrum. A sinusoid of
// frequency f is matched by Gaussians of σ = 1/(6f) (3σ is half a period), so
// γ = 1/σ² = 36 f². Two rules turn a spectrum into scales:
//  - keep by ratio, the published algorithm (Mohr et al., Entropy 2021): the
//    frequency support is every DFT bin with |C| > 1 % of max |C| (the mean's
//    bin counts in the maximum; f = 0 gives no scale); its scales σ = 1/(6f),
//    largest first, are kept when the last kept scale is ≥ ρ times them;
//  - span: from the slowest and fastest significant frequencies, γ_0 and
//    γ_max, with γ_{ℓ+1} = ρ γ_ℓ the model needs layers ℓ = 0..L,
//    L = min{ℓ : ρ^ℓ γ_0 ≥ γ_max}. The paper's worked example (x + sin(2πx⁴)
//    on [0, 2], ρ = 2: 7 layers) comes out when ρ steps the frequency instead,
//    f_{ℓ+1} = ρ f_ℓ, i.e. γ_{ℓ+1} = ρ² γ_ℓ; both readings are offered (DecayOn).
#include <armadillo>
#include <vector>

#include "kooplab/koopman_model.hpp"
#include "kooplab/regression/svr.hpp"

namespace kooplab {

// Frequencies k/(N dx) > 0 of the bins k ≤ N/2 of the DFT C of an evenly
// sampled signal (N samples, spacing dx, mean kept) with |C_k| > threshold ×
// max_k |C_k|; ascending.
arma::vec fourier_support(const arma::vec& signal, double dx, double threshold);

// Frequencies (cycles per unit of x) of the one-sided amplitude spectrum of an
// evenly sampled signal (spacing dx, mean removed) whose amplitude is at least
// `significance` × the largest; ascending.
arma::vec fourier_frequencies(const arma::vec& signal, double dx, double significance);

// Frequencies |arg λ| / (2π dt) of a model's eigenvalues whose |amplitude| is at
// least `significance` × the largest, without 0; ascending.
arma::vec koopman_frequencies(const KoopmanModel& model, double dt, double significance);

enum class DecayOn { frequency, gamma };

// The γ of each layer, coarse to fine.
struct HsvrScales {
  std::vector<double> gammas;
  arma::uword layers() const { return gammas.size(); }
  double gamma0() const { return gammas.front(); }
  double gamma_max() const { return gammas.back(); }
};

// The span rule: scales from frequencies (at least one, all > 0) and the decay ρ > 1.
HsvrScales hsvr_scales(const arma::vec& frequencies, double decay, DecayOn on);
// Keep by ratio: σ = 1/(6f) largest first, kept when last kept / σ ≥ ρ.
HsvrScales hsvr_kept_scales(const arma::vec& frequencies, double decay);

// Layer ℓ fits the residual y − Σ_{j<ℓ} a_j(x) with γ_ℓ; every layer shares ε and C.
class HierarchicalSvr {
 public:
  HierarchicalSvr(const arma::mat& x, const arma::vec& y, const std::vector<double>& gammas, double epsilon,
                  double cost);
  arma::vec predict(const arma::mat& x) const;
  arma::uword layers() const { return layers_.size(); }

 private:
  std::vector<GaussianSvr> layers_;
};

}  // namespace kooplab
