#pragma once
// ε-support-vector regression with the Gaussian kernel exp(−γ‖x − c‖²), through
// libsvm (Chang & Lin), the SVR of the hierarchical SVR of
// koopman-mode-analysis.md, Sec. 5.
#include <armadillo>
#include <memory>

namespace kooplab {

struct SvrOptions {
  double gamma = 1.0;       // kernel scale γ > 0
  double epsilon = 0.1;     // half-width of the insensitive tube
  double cost = 1.0;        // C > 0, the price of points outside the tube
  double tolerance = 1e-3;  // libsvm's stopping tolerance
};

class GaussianSvr {
 public:
  // Fits y ≈ f(x) on samples x (d × m) and targets y (m); throws DataError for
  // mismatched, empty or non-finite data, ConfigError for bad options.
  GaussianSvr(const arma::mat& x, const arma::vec& y, const SvrOptions& options);
  ~GaussianSvr();
  GaussianSvr(GaussianSvr&&) noexcept;
  GaussianSvr& operator=(GaussianSvr&&) noexcept;

  arma::vec predict(const arma::mat& x) const;
  arma::uword support_vectors() const;

 private:
  struct Fitted;  // libsvm's model and the training nodes it points into
  std::unique_ptr<Fitted> fitted_;
};

}  // namespace kooplab
