#include "kooplab/koopman/edmd.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/koopman/dictionary.hpp"
#include "kooplab/koopman/linalg.hpp"

namespace kooplab {

const Options<EdmdOptions>& EdmdOptions::options() {
  static const auto options =
      Options<EdmdOptions>()
          .include(&EdmdOptions::rank, RankRule::options())
          .add("regularization", &EdmdOptions::regularization, "Tikhonov ε: G + εI in place of G", at_least(0))
          .choice("method", &EdmdOptions::method,
                  {{"auto", Method::automatic}, {"gram", Method::gram}, {"svd", Method::svd}},
                  "gram: Gram matrices, cost linear in pairs, squares the condition number; svd: thin SVD of ψ(X), "
                  "accurate; auto: svd unless its memory exceeds max_svd_memory_gb")
          .add("max_svd_memory_gb", &EdmdOptions::max_svd_memory_gb,
               "method auto: the memory of the svd form (GB) above which gram is used", greater_than(0))
          .add("dictionary_sample", &EdmdOptions::dictionary_sample,
               "data read in blocks: the dictionary is fitted on at most this many snapshots, evenly spaced",
               at_least(1));
  return options;
}

namespace {

// σ⁻¹, or σ/(σ² + Mε) with Tikhonov regularisation.
arma::vec inverse_singular_values(const arma::vec& sigma, double regularization, arma::uword samples) {
  if (regularization == 0.0) return 1.0 / sigma;
  return sigma / (arma::square(sigma) + double(samples) * regularization);
}

// Both formulations end here: U (N × r) the kept basis of ψ-space, b = K U
// (N × r) and p = X Ψx⁺ U (n × r), the state regressed on the basis.
KoopmanModel assemble(const arma::mat& u, const arma::mat& b, const arma::mat& p, arma::uword numerical,
                      std::shared_ptr<const Observable> dictionary, const arma::vec& first_state,
                      const std::string& where) {
  const arma::uword r = u.n_cols;
  const arma::mat a_tilde = u.t() * b;
  const auto [lambda, w] = eigenpairs(a_tilde, where, "the EDMD matrix");
  arma::cx_mat w_inverse = inverse_eigenvectors(w, where, "the EDMD matrix");

  KoopmanModel model;
  model.eigenvalues = lambda;
  model.modes = real_times_complex(p, w);
  model.residuals.set_size(r);
  const arma::cx_mat bw = real_times_complex(b, w), uw = real_times_complex(u, w);
  for (arma::uword i = 0; i < r; ++i)
    model.residuals(i) = arma::norm(bw.col(i) - lambda(i) * uw.col(i)) / arma::norm(w.col(i));
  // Unit-norm modes; φ absorbs the scale. A mode with no state component
  // (a dictionary direction the state does not load on) keeps its scale.
  const arma::vec norms = arma::sqrt(arma::sum(arma::square(arma::abs(model.modes)), 0)).t();
  const double floor = 1e-13 * std::max(norms.max(), 1e-300);
  for (arma::uword i = 0; i < r; ++i) {
    if (!(norms(i) > floor)) continue;
    model.modes.col(i) /= norms(i);
    w_inverse.row(i) *= norms(i);
  }
  model.eigenfunctions = std::make_shared<DictionaryEigenfunctions>(std::move(dictionary), u, w_inverse);
  model.amplitudes = model.eigenfunctions->evaluate(arma::mat(first_state)).col(0);
  // K = Ψy Ψx⁺ = (Ψy V Σ⁻¹) Uᵀ in ψ coordinates when U spans them all;
  // otherwise Ã, so nothing N × N is formed for a large dictionary.
  const bool reduced = r < u.n_rows;
  model.koopman_matrix = reduced ? to_complex(a_tilde) : to_complex(arma::mat(b * u.t()));
  model.diagnostics["koopman_matrix_reduced"] = reduced ? 1.0 : 0.0;
  model.diagnostics["rank"] = double(r);
  model.diagnostics["numerical_rank"] = double(numerical);
  model.diagnostics["dictionary_size"] = double(u.n_rows);
  return model;
}

// ψ of consecutive states of trajectory k, checked.
arma::mat lift(const Observable& dictionary, const arma::mat& states, std::size_t k, const std::string& where) {
  arma::mat psi = dictionary.evaluate(states);
  if (psi.n_cols != states.n_cols)
    throw DataError(
        fmt::format("{}: the observable returned {} columns for {} states", where, psi.n_cols, states.n_cols));
  if (!psi.is_finite())
    throw NumericalError(
        fmt::format("{}: the observable gives non-finite values on trajectory {} (overflow?)", where, k));
  return psi;
}

// Throws DataError unless a trajectory of `length` snapshots has a pair with its whole history.
void check_length(arma::uword length, arma::uword history, std::size_t k, const std::string& where) {
  if (length < history + 2)
    throw DataError(
        fmt::format("{}: trajectory {} has {} snapshots; the observable looks {} steps back, so at least {} are needed",
                    where, k, length, history, history + 2));
}

// At most `limit` snapshots of `data`, evenly spaced over all of them in
// order (every snapshot when there are no more than `limit`).
arma::mat snapshot_sample(const TrajectoryBlocks& data, arma::uword limit) {
  const arma::uword block = snapshots_per_block(data.state_dim());
  arma::uword total = 0;
  for (std::size_t k = 0; k < data.trajectory_count(); ++k) total += data.length(k);
  const arma::uword size = std::min(total, limit);
  arma::mat sample(data.state_dim(), size);
  // Sample j is snapshot ⌊j · total / size⌋ of the trajectories laid end to end.
  arma::uword j = 0, offset = 0;
  for (std::size_t k = 0; k < data.trajectory_count() && j < size; ++k) {
    const arma::uword length = data.length(k);
    for (arma::uword first = 0; first < length && j < size; first += block) {
      const arma::uword count = std::min(block, length - first);
      const arma::uword end = offset + first + count;  // global index past the block
      if ((j * total) / size >= end) continue;
      const arma::mat block = data.read(k, first, count);
      for (; j < size && (j * total) / size < end; ++j) sample.col(j) = block.col((j * total) / size - offset - first);
    }
    offset += length;
  }
  return sample;
}

}  // namespace

void EdmdGram::add(const arma::mat& psi_x, const arma::mat& psi_y, const arma::mat& x) {
  if (psi_x.n_cols == 0) return;
  if (count_ == 0) {
    const arma::uword width = std::max(block_, psi_x.n_rows);  // a block as wide as N amortises each N × N pass
    buffer_x_.set_size(psi_x.n_rows, width);
    buffer_y_.set_size(psi_x.n_rows, width);
    buffer_state_.set_size(x.n_rows, width);
    g_.zeros(psi_x.n_rows, psi_x.n_rows);
    a_.zeros(psi_x.n_rows, psi_x.n_rows);
    c_.zeros(x.n_rows, psi_x.n_rows);
  }
  if (psi_x.n_rows != g_.n_rows || arma::size(psi_y) != arma::size(psi_x) || x.n_cols != psi_x.n_cols ||
      x.n_rows != c_.n_rows)
    throw DataError(fmt::format("EDMD sums: inconsistent batch (ψ(X) {}×{}, ψ(Y) {}×{}, X {}×{}; dictionary size {})",
                                psi_x.n_rows, psi_x.n_cols, psi_y.n_rows, psi_y.n_cols, x.n_rows, x.n_cols, g_.n_rows));
  count_ += psi_x.n_cols;
  const arma::uword width = buffer_x_.n_cols;
  for (arma::uword done = 0; done < psi_x.n_cols;) {
    const arma::uword take = std::min(width - pending_, psi_x.n_cols - done);
    const arma::span from(done, done + take - 1), to(pending_, pending_ + take - 1);
    buffer_x_.cols(to) = psi_x.cols(from);
    buffer_y_.cols(to) = psi_y.cols(from);
    buffer_state_.cols(to) = x.cols(from);
    pending_ += take;
    done += take;
    if (pending_ == width) flush();
  }
}

void EdmdGram::flush() {
  if (pending_ == 0) return;
  const arma::mat psi_x = buffer_x_.head_cols(pending_);
  g_ += psi_x * psi_x.t();
  a_ += buffer_y_.head_cols(pending_) * psi_x.t();
  c_ += buffer_state_.head_cols(pending_) * psi_x.t();
  pending_ = 0;
}

DictionaryEigenfunctions::DictionaryEigenfunctions(std::shared_ptr<const Observable> dictionary, arma::mat basis,
                                                   arma::cx_mat coefficients)
    : dictionary_(std::move(dictionary)), basis_(std::move(basis)), coefficients_(std::move(coefficients)) {}

arma::cx_mat DictionaryEigenfunctions::evaluate(const arma::mat& states) const {
  const arma::mat psi = dictionary_->evaluate(states);
  if (psi.n_rows != basis_.n_rows)
    throw DataError(
        fmt::format("EDMD eigenfunctions: the dictionary gives {} values per state, the model was fitted with {}",
                    psi.n_rows, basis_.n_rows));
  return coefficients_ * to_complex(arma::mat(basis_.t() * psi));
}

KoopmanModel edmd_gram(EdmdGram& sums, const EdmdOptions& options, std::shared_ptr<const Observable> dictionary,
                       const arma::vec& first_state, const std::string& where) {
  sums.flush();
  if (sums.count() == 0) throw DataError(where + ": no snapshot pairs to fit");
  arma::vec eigenvalues;
  arma::mat q;
  if (!arma::eig_sym(eigenvalues, q, sums.g()))
    throw NumericalError(where + ": eigen-decomposition of the Gram matrix failed");
  // Descending σ = √eig(G); the Gram matrix resolves σ only down to ~√ε σ_1.
  const arma::vec sigma = arma::sqrt(arma::clamp(arma::reverse(eigenvalues), 0.0, arma::datum::inf));
  q = arma::fliplr(q);
  RankRule rule = options.rank;
  rule.tolerance = std::max(rule.tolerance, 1e-7);
  const arma::uword r = rule.select(sigma, sums.g().n_rows, sums.count(), where);
  const arma::mat u = q.head_cols(r);
  // Ψx⁺ U = V Σ⁻¹ = Ψxᵀ U Σ⁻², so K U = A U Σ⁻² and X Ψx⁺ U = C U Σ⁻² (Σ⁻² regularised).
  const arma::vec inverse_sq =
      inverse_singular_values(sigma.head(r), options.regularization, sums.count()) / sigma.head(r);
  arma::mat b = sums.a() * u, p = sums.c() * u;
  b.each_row() %= inverse_sq.t();
  p.each_row() %= inverse_sq.t();
  return assemble(u, b, p, numerical_rank(sigma, rule.tolerance), std::move(dictionary), first_state, where);
}

KoopmanModel edmd_svd(const arma::mat& psi_x, const arma::mat& psi_y, const arma::mat& x, const EdmdOptions& options,
                      std::shared_ptr<const Observable> dictionary, const arma::vec& first_state,
                      const std::string& where) {
  if (psi_x.n_cols == 0) throw DataError(where + ": no snapshot pairs to fit");
  if (arma::size(psi_x) != arma::size(psi_y) || x.n_cols != psi_x.n_cols)
    throw DataError(fmt::format("{}: ψ(X) is {}×{}, ψ(Y) {}×{}, X {}×{}", where, psi_x.n_rows, psi_x.n_cols,
                                psi_y.n_rows, psi_y.n_cols, x.n_rows, x.n_cols));
  auto [u, sigma, v] = thin_svd(psi_x, where);
  const arma::uword r = options.rank.select(sigma, psi_x.n_rows, psi_x.n_cols, where);
  u = u.head_cols(r);
  v = v.head_cols(r);
  v.each_row() %= inverse_singular_values(sigma.head(r), options.regularization, psi_x.n_cols).t();  // V Σ⁻¹ = Ψx⁺ U
  return assemble(u, psi_y * v, x * v, numerical_rank(sigma, options.rank.tolerance), std::move(dictionary),
                  first_state, where);
}

KoopmanModel edmd(const Trajectories& data, Observable& dictionary, Rng& rng, const EdmdOptions& options,
                  const std::string& where) {
  data.validate(where);
  dictionary.fit(data.all_states(), rng);
  const arma::uword history = observable_history(dictionary);

  // ψ of each trajectory, without the columns that lack their history.
  std::vector<arma::mat> lifted;
  arma::uword pairs = 0;
  for (std::size_t k = 0; k < data.runs.size(); ++k) {
    const arma::mat& run = data.runs[k];
    check_length(run.n_cols, history, k, where);
    pairs += run.n_cols - 1 - history;
    lifted.push_back(lift(dictionary, run, k, where));
  }
  const arma::uword size = lifted.front().n_rows;
  // The svd form holds Ψx, Ψy, X, U and V (doubles): see edmd.hpp.
  const double svd_gigabytes =
      8e-9 * double(2 * size * pairs + data.state_dim() * pairs + (size + pairs) * std::min(size, pairs));
  const bool gram_for_memory =
      options.method == EdmdOptions::Method::automatic && svd_gigabytes > options.max_svd_memory_gb;
  const bool gram = options.method == EdmdOptions::Method::gram || gram_for_memory;

  // The caller owns the dictionary and keeps it alive as long as the model.
  const std::shared_ptr<const Observable> shared(std::shared_ptr<void>(), &dictionary);
  const arma::vec first_state = data.runs.front().col(0);
  KoopmanModel model;
  if (gram) {
    EdmdGram sums;
    for (std::size_t k = 0; k < data.runs.size(); ++k) {
      const arma::uword last = data.runs[k].n_cols - 1;
      sums.add(lifted[k].cols(history, last - 1), lifted[k].cols(history + 1, last),
               data.runs[k].cols(history, last - 1));
    }
    model = edmd_gram(sums, options, shared, first_state, where);
  } else {
    arma::mat psi_x(size, pairs), psi_y(size, pairs), x(data.state_dim(), pairs);
    arma::uword column = 0;
    for (std::size_t k = 0; k < data.runs.size(); ++k) {
      const arma::uword last = data.runs[k].n_cols - 1, count = last - history;
      psi_x.cols(column, column + count - 1) = lifted[k].cols(history, last - 1);
      psi_y.cols(column, column + count - 1) = lifted[k].cols(history + 1, last);
      x.cols(column, column + count - 1) = data.runs[k].cols(history, last - 1);
      column += count;
    }
    lifted.clear();
    model = edmd_svd(psi_x, psi_y, x, options, shared, first_state, where);
  }
  model.dt = data.dt;
  model.diagnostics["gram"] = gram ? 1.0 : 0.0;
  if (gram_for_memory) model.diagnostics["svd_memory_gb"] = svd_gigabytes;  // why auto chose gram
  return model;
}

KoopmanModel edmd_blocks(const TrajectoryBlocks& data, Observable& dictionary, Rng& rng, const EdmdOptions& options,
                         const std::string& where) {
  if (options.method == EdmdOptions::Method::svd)
    throw ConfigError(where +
                      ": method svd needs every pair in memory; data read in blocks are fitted with the Gram "
                      "sums (method: gram or auto)");
  data.validate(where);
  dictionary.fit(snapshot_sample(data, options.dictionary_sample), rng);
  const arma::uword history = observable_history(dictionary);
  for (std::size_t k = 0; k < data.trajectory_count(); ++k) check_length(data.length(k), history, k, where);

  // A pair holds its state, and its ψ and its successor's in the sums' buffers.
  const arma::uword size = lift(dictionary, data.read(0, 0, history + 1), 0, where).n_rows;
  EdmdGram sums;
  arma::uword blocks = 0;
  const arma::uword pairs = snapshots_per_block(data.state_dim() + 2 * size);
  for_each_pair_block(data, history, history, pairs, [&](const PairBlock& block) {
    // ψ of the block's states: the first `lead` columns only give the history.
    const arma::mat psi = lift(dictionary, block.states, block.trajectory, where);
    sums.add(psi.cols(block.lead, block.lead + block.count - 1), psi.cols(block.lead + 1, block.lead + block.count),
             block.x());
    ++blocks;
  });
  const std::shared_ptr<const Observable> shared(std::shared_ptr<void>(), &dictionary);
  KoopmanModel model = edmd_gram(sums, options, shared, data.read(0, 0, 1).col(0), where);
  model.dt = data.dt();
  model.diagnostics["gram"] = 1.0;
  model.diagnostics["blocks_read"] = double(blocks);
  return model;
}

}  // namespace kooplab
