#include "kooplab/koopman/truncated_delay_edmd.hpp"

#include <fmt/format.h>

#include "kooplab/error.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

const Words<WindowPairing>& window_pairing_words() {
  static const Words<WindowPairing> words{{"concatenated", WindowPairing::concatenated},
                                          {"per_trajectory", WindowPairing::per_trajectory}};
  return words;
}

TruncatedDelayEdmd::TruncatedDelayEdmd(const std::vector<arma::mat>& runs, arma::uword delays, arma::uword rank,
                                       WindowPairing pairing, const std::string& where)
    : delays_(delays) {
  if (rank == 0) throw ConfigError(where + ": rank must be at least 1");
  if (runs.empty()) throw DataError(where + ": no trajectories to fit");
  state_dim_ = runs.front().n_rows;
  for (const arma::mat& run : runs)
    if (run.n_rows != state_dim_)
      throw DataError(fmt::format("{}: trajectories of {} and {} states mixed", where, state_dim_, run.n_rows));

  const arma::uword length = delays + 1;  // states per window
  std::vector<arma::mat> series;
  if (pairing == WindowPairing::concatenated) {
    arma::mat joined(state_dim_, 0);
    for (const arma::mat& run : runs) joined = arma::join_rows(joined, run);
    series.push_back(std::move(joined));
  } else {
    series = runs;
  }
  arma::mat x, y;
  for (const arma::mat& run : series) {
    if (run.n_cols < length + 1) continue;
    const arma::mat windows = hankel_windows(run, length);
    x = arma::join_rows(x, windows.head_cols(windows.n_cols - 1));
    y = arma::join_rows(y, windows.tail_cols(windows.n_cols - 1));
  }
  if (x.n_cols == 0)
    throw DataError(fmt::format("{}: no trajectory has the {} states a pair of windows of {} delays needs", where,
                                length + 1, delays));
  pairs_ = x.n_cols;

  const ThinSvd<double> svd = thin_svd(x, where);
  sigma_ = svd.sigma;
  arma::uword kept = 0;
  while (kept < std::min<arma::uword>(rank, sigma_.n_elem) && sigma_(kept) > 1e-12 * sigma_(0)) ++kept;
  if (kept == 0) throw DataError(where + ": the windows are all zero");
  basis_ = svd.u.head_cols(kept);
  reduced_ = basis_.t() * y * svd.v.head_cols(kept) * arma::diagmat(1.0 / sigma_.head(kept));
}

arma::mat TruncatedDelayEdmd::advance(const arma::mat& windows, arma::uword steps) const {
  if (windows.n_rows != basis_.n_rows)
    throw DataError(fmt::format("truncated delay EDMD: windows have {} rows, the model {} ({} delays of {} states)",
                                windows.n_rows, basis_.n_rows, delays_, state_dim_));
  arma::mat reduced = basis_.t() * windows;
  for (arma::uword s = 0; s < steps; ++s) reduced = reduced_ * reduced;
  return basis_.tail_rows(state_dim_) * reduced;
}

arma::cx_vec TruncatedDelayEdmd::eigenvalues() const { return arma::eig_gen(reduced_); }

}  // namespace kooplab
