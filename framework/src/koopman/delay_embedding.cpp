#include "kooplab/koopman/delay_embedding.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"

namespace kooplab {

arma::mat hankel_windows(const arma::mat& run, arma::uword delays) {
  if (delays < 1 || delays > run.n_cols)
    throw DataError(fmt::format("cannot build windows of {} delays from {} snapshots", delays, run.n_cols));
  const arma::uword n = run.n_rows, count = run.n_cols - delays + 1;
  arma::mat out(n * delays, count);
  for (arma::uword j = 0; j < delays; ++j) out.rows(j * n, (j + 1) * n - 1) = run.cols(j, j + count - 1);
  return out;
}

Trajectories delay_embed(const Trajectories& data, arma::uword delays, const std::string& where) {
  Trajectories out;
  out.dt = data.dt;
  out.true_eigenvalues = data.true_eigenvalues;
  for (std::size_t k = 0; k < data.runs.size(); ++k) {
    if (data.runs[k].n_cols < delays + 1)
      throw DataError(fmt::format("{}: trajectory {} has {} snapshots; {} delays need at least {} (two windows)", where,
                                  k, data.runs[k].n_cols, delays, delays + 1));
    out.runs.push_back(hankel_windows(data.runs[k], delays));
  }
  return out;
}

arma::mat history_windows(const arma::mat& states, arma::uword delays) {
  if (delays < 1) throw DataError("delay windows need at least one delay");
  const arma::uword n = states.n_rows, m = states.n_cols;
  arma::mat out(n * delays, m);
  for (arma::uword j = 0; j < delays; ++j) {
    auto block = out.rows(j * n, (j + 1) * n - 1);
    const arma::uword shifted = std::min(j, m);  // columns lacking x_{t−j}
    for (arma::uword t = 0; t < shifted; ++t) block.col(t) = states.col(0);
    if (shifted < m) block.cols(shifted, m - 1) = states.cols(0, m - 1 - shifted);
  }
  return out;
}

DelayEigenfunctions::DelayEigenfunctions(std::shared_ptr<const EigenfunctionMap> windows, arma::uword state_dim,
                                         arma::uword delays)
    : windows_(std::move(windows)), state_dim_(state_dim), delays_(delays) {}

arma::cx_mat DelayEigenfunctions::evaluate(const arma::mat& states) const {
  if (states.n_rows == state_dim_ * delays_) return windows_->evaluate(states);
  if (states.n_rows != state_dim_)
    throw DataError(
        fmt::format("delay eigenfunctions take windows of {} values or consecutive states of dimension {}, got {} rows",
                    state_dim_ * delays_, state_dim_, states.n_rows));
  // history_windows puts the newest state first; the model's windows end with it.
  const arma::mat newest_first = history_windows(states, delays_);
  arma::mat windows(arma::size(newest_first));
  for (arma::uword j = 0; j < delays_; ++j)
    windows.rows(j * state_dim_, (j + 1) * state_dim_ - 1) =
        newest_first.rows((delays_ - 1 - j) * state_dim_, (delays_ - j) * state_dim_ - 1);
  return windows_->evaluate(windows);
}

KoopmanModel fit_on_delays(const Trajectories& data, arma::uword delays,
                           const std::function<KoopmanModel(const Trajectories& windows)>& fit,
                           const std::string& where) {
  data.validate(where);
  KoopmanModel model = fit(delay_embed(data, delays, where));
  const arma::uword n = data.state_dim();
  if (model.modes.n_rows != n * delays)
    throw DataError(
        fmt::format("{}: the fit on windows of {} values returned modes of {}", where, n * delays, model.modes.n_rows));
  model.modes = arma::cx_mat(model.modes.tail_rows(n));
  model.eigenfunctions = std::make_shared<DelayEigenfunctions>(model.eigenfunctions, n, delays);
  const arma::mat& first = data.runs.front();
  model.amplitudes =
      fit_amplitudes_trajectory(model.modes, model.eigenvalues, first.cols(delays - 1, first.n_cols - 1), delays - 1);
  model.dt = data.dt;
  model.diagnostics["delays"] = double(delays);
  return model;
}

}  // namespace kooplab
