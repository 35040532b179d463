#include "kooplab/koopman/tensor_train.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "kooplab/error.hpp"
#include "kooplab/koopman/linalg.hpp"
#include "kooplab/util/memory.hpp"

namespace kooplab {

namespace {

// Read-only views of a core's memory as a matrix (no copy). They alias the core:
// use them as operands only, never to initialise a matrix that is later resized.
const arma::mat view(const arma::cube& core, arma::uword rows, arma::uword cols) {
  return arma::mat(const_cast<double*>(core.memptr()), rows, cols, false, true);
}
const arma::mat left_unfolding(const arma::cube& core) { return view(core, core.n_rows * core.n_cols, core.n_slices); }
const arma::mat right_unfolding(const arma::cube& core) { return view(core, core.n_rows, core.n_cols * core.n_slices); }
// A core from a matrix holding its entries in core order (either unfolding).
arma::cube to_core(const arma::mat& entries, arma::uword r0, arma::uword n, arma::uword r1) {
  return arma::cube(entries.memptr(), r0, n, r1);
}

// The per-SVD error budget that keeps the total error within ε ‖T‖ over `steps` truncations.
double step_tail(const TtTruncation& rule, double norm, arma::uword steps) {
  if (rule.tolerance < 0) throw NumericalError("tensor train: the truncation tolerance must be ≥ 0");
  return rule.tolerance * norm / std::sqrt(double(std::max<arma::uword>(steps, 1)));
}

void check_same_dims(const TensorTrain& a, const TensorTrain& b, const char* what) {
  if (a.dims() != b.dims())
    throw DataError(fmt::format("tensor train {}: the mode sizes differ ({} vs {} modes)", what, a.order(), b.order()));
}

}  // namespace

arma::uword truncation_rank(const arma::vec& sigma, double allowed_tail, arma::uword max_rank, arma::uword rows,
                            arma::uword cols) {
  if (sigma.is_empty() || !(sigma(0) > 0)) return 0;
  const double zero = sigma(0) * double(std::max(rows, cols)) * std::numeric_limits<double>::epsilon();
  arma::uword keep = 0;
  while (keep < sigma.n_elem && sigma(keep) > zero) ++keep;
  double tail = arma::accu(arma::square(sigma.tail(sigma.n_elem - keep)));
  const double allowed = allowed_tail * allowed_tail;
  while (keep > 1 && tail + sigma(keep - 1) * sigma(keep - 1) <= allowed) {
    tail += sigma(keep - 1) * sigma(keep - 1);
    --keep;
  }
  return max_rank > 0 ? std::min(keep, max_rank) : keep;
}

TensorTrain::TensorTrain(std::vector<arma::cube> cores) : cores_(std::move(cores)) {
  if (cores_.empty()) throw DataError("tensor train: needs at least one core");
  if (cores_.front().n_rows != 1 || cores_.back().n_slices != 1)
    throw DataError(fmt::format("tensor train: boundary ranks must be 1, got {} and {}", cores_.front().n_rows,
                                cores_.back().n_slices));
  for (std::size_t k = 0; k + 1 < cores_.size(); ++k)
    if (cores_[k].n_slices != cores_[k + 1].n_rows)
      throw DataError(fmt::format("tensor train: core {} has right rank {} but core {} has left rank {}", k,
                                  cores_[k].n_slices, k + 1, cores_[k + 1].n_rows));
}

TensorTrain TensorTrain::from_full(const arma::vec& full, const std::vector<arma::uword>& dims,
                                   const TtTruncation& rule) {
  if (dims.empty()) throw DataError("tensor train: needs at least one mode");
  arma::uword total = 1;
  for (const arma::uword n : dims) total *= n;
  if (total != full.n_elem)
    throw DataError(fmt::format("tensor train: {} entries do not fill modes of product {}", full.n_elem, total));
  const double tail = step_tail(rule, arma::norm(full), dims.size() - 1);
  std::vector<arma::cube> cores;
  arma::mat rest = full.t();  // r_{k-1} × (n_k ⋯ n_d)
  for (std::size_t k = 0; k + 1 < dims.size(); ++k) {
    const arma::uword r0 = rest.n_rows, n = dims[k];
    const arma::mat a(rest.memptr(), r0 * n, rest.n_elem / (r0 * n));
    const auto [u, s, v] = thin_svd(a, "tensor train");
    const arma::uword r = std::max<arma::uword>(truncation_rank(s, tail, rule.max_rank, a.n_rows, a.n_cols), 1);
    cores.push_back(to_core(u.head_cols(r), r0, n, r));
    rest = arma::diagmat(s.head(r)) * v.head_cols(r).t();
  }
  cores.push_back(to_core(rest, rest.n_rows, dims.back(), 1));
  return TensorTrain(std::move(cores));
}

TensorTrain TensorTrain::rank_one(const std::vector<arma::vec>& factors) {
  std::vector<arma::cube> cores;
  for (const arma::vec& f : factors) cores.push_back(to_core(f, 1, f.n_elem, 1));
  return TensorTrain(std::move(cores));
}

std::vector<arma::uword> TensorTrain::dims() const {
  std::vector<arma::uword> out;
  for (const arma::cube& c : cores_) out.push_back(c.n_cols);
  return out;
}

std::vector<arma::uword> TensorTrain::ranks() const {
  std::vector<arma::uword> out{1};
  for (const arma::cube& c : cores_) out.push_back(c.n_slices);
  return out;
}

arma::uword TensorTrain::max_rank() const {
  const auto r = ranks();
  return *std::max_element(r.begin(), r.end());
}

arma::uword TensorTrain::storage() const {
  arma::uword total = 0;
  for (const arma::cube& c : cores_) total += c.n_elem;
  return total;
}

arma::vec TensorTrain::full() const {
  const arma::cube& first = cores_.front();
  arma::mat m(first.memptr(), first.n_cols, first.n_slices);  // n_1 × r_1 (a copy)
  for (std::size_t k = 1; k < cores_.size(); ++k) {
    const arma::mat next = m * right_unfolding(cores_[k]);  // N × (n_k r_k)
    m = arma::mat(next.memptr(), m.n_rows * cores_[k].n_cols, cores_[k].n_slices);
  }
  return arma::vectorise(m);
}

void TensorTrain::left_orthonormalise() {
  for (std::size_t k = 0; k + 1 < cores_.size(); ++k) {
    arma::mat q, r;
    if (!arma::qr_econ(q, r, left_unfolding(cores_[k])))
      throw NumericalError(fmt::format("tensor train: QR of core {} failed", k));
    const arma::cube& next = cores_[k + 1];
    const arma::mat moved = r * right_unfolding(next);
    const arma::uword n_next = next.n_cols, r_next = next.n_slices;
    cores_[k] = to_core(q, cores_[k].n_rows, cores_[k].n_cols, q.n_cols);
    cores_[k + 1] = to_core(moved, q.n_cols, n_next, r_next);
  }
}

void TensorTrain::right_orthonormalise() {
  for (std::size_t k = cores_.size() - 1; k > 0; --k) {
    arma::mat q, r;
    if (!arma::qr_econ(q, r, right_unfolding(cores_[k]).t()))  // unfolding = rᵀ qᵀ
      throw NumericalError(fmt::format("tensor train: QR of core {} failed", k));
    const arma::cube& previous = cores_[k - 1];
    const arma::mat moved = left_unfolding(previous) * r.t();
    const arma::uword r_previous = previous.n_rows, n_previous = previous.n_cols;
    cores_[k] = to_core(q.t(), q.n_cols, cores_[k].n_cols, cores_[k].n_slices);
    cores_[k - 1] = to_core(moved, r_previous, n_previous, q.n_cols);
  }
}

void TensorTrain::round(const TtTruncation& rule) {
  right_orthonormalise();
  const double tail = step_tail(rule, arma::norm(arma::vectorise(cores_.front())), cores_.size() - 1);
  for (std::size_t k = 0; k + 1 < cores_.size(); ++k) {
    const arma::mat a(cores_[k].memptr(), cores_[k].n_rows * cores_[k].n_cols, cores_[k].n_slices);
    const auto [u, s, v] = thin_svd(a, "tensor train");
    const arma::uword r = std::max<arma::uword>(truncation_rank(s, tail, rule.max_rank, a.n_rows, a.n_cols), 1);
    const arma::cube& next = cores_[k + 1];
    const arma::mat moved = arma::diagmat(s.head(r)) * v.head_cols(r).t() * right_unfolding(next);
    const arma::uword n_next = next.n_cols, r_next = next.n_slices;
    cores_[k] = to_core(u.head_cols(r), cores_[k].n_rows, cores_[k].n_cols, r);
    cores_[k + 1] = to_core(moved, r, n_next, r_next);
  }
}

double TensorTrain::norm() const {
  TensorTrain copy = *this;
  copy.left_orthonormalise();
  return arma::norm(arma::vectorise(copy.cores_.back()));
}

TensorTrain& TensorTrain::operator*=(double factor) {
  cores_.front() *= factor;
  return *this;
}

TensorTrain operator+(const TensorTrain& a, const TensorTrain& b) {
  check_same_dims(a, b, "sum");
  const std::size_t d = a.order();
  if (d == 1) return TensorTrain({a.core(0) + b.core(0)});
  std::vector<arma::cube> cores;
  for (std::size_t k = 0; k < d; ++k) {
    const arma::cube &x = a.core(k), &y = b.core(k);
    const arma::uword rows = k == 0 ? 1 : x.n_rows + y.n_rows;
    const arma::uword slices = k + 1 == d ? 1 : x.n_slices + y.n_slices;
    arma::cube c(rows, x.n_cols, slices, arma::fill::zeros);
    // First core: [x y] along the right rank; last: stacked along the left rank;
    // in between: block diagonal.
    const arma::uword row_shift = k == 0 ? 0 : x.n_rows, slice_shift = k + 1 == d ? 0 : x.n_slices;
    c(arma::span(0, x.n_rows - 1), arma::span::all, arma::span(0, x.n_slices - 1)) = x;
    c(arma::span(row_shift, row_shift + y.n_rows - 1), arma::span::all,
      arma::span(slice_shift, slice_shift + y.n_slices - 1)) = y;
    cores.push_back(std::move(c));
  }
  return TensorTrain(std::move(cores));
}

TensorTrain operator*(double factor, const TensorTrain& a) {
  TensorTrain out = a;
  out *= factor;
  return out;
}

TensorTrain operator-(const TensorTrain& a, const TensorTrain& b) { return a + (-1.0) * b; }

double inner(const TensorTrain& a, const TensorTrain& b) {
  check_same_dims(a, b, "inner product");
  arma::mat z(1, 1, arma::fill::ones);  // r_k(a) × r_k(b)
  for (std::size_t k = 0; k < a.order(); ++k) {
    const arma::cube &x = a.core(k), &y = b.core(k);
    arma::mat zy = z * right_unfolding(y);  // r(a) × (n r'(b))
    z = left_unfolding(x).t() * arma::mat(zy.memptr(), x.n_rows * x.n_cols, y.n_slices, false, true);
  }
  return z(0, 0);
}

arma::mat contract_leading(const TensorTrain& tensor, const std::vector<arma::mat>& factors) {
  if (factors.empty() || factors.size() > tensor.order())
    throw DataError(fmt::format("tensor train contraction: {} factors for {} modes", factors.size(), tensor.order()));
  const arma::uword m = factors.front().n_cols;
  arma::mat z(m, 1, arma::fill::ones);
  for (std::size_t k = 0; k < factors.size(); ++k) {
    const arma::cube& core = tensor.core(k);
    const arma::uword n = core.n_cols;
    if (factors[k].n_rows != n || factors[k].n_cols != m)
      throw DataError(fmt::format("tensor train contraction: factor {} is {}×{}, expected {}×{}", k, factors[k].n_rows,
                                  factors[k].n_cols, n, m));
    const arma::mat p = z * right_unfolding(core);  // m × (n r_k), column i + n b
    const arma::mat theta = factors[k].t();         // m × n
    arma::mat next(m, core.n_slices);
    for (arma::uword b = 0; b < core.n_slices; ++b) next.col(b) = arma::sum(p.cols(b * n, b * n + n - 1) % theta, 1);
    z = std::move(next);
  }
  return z;
}

double contract(const TensorTrain& tensor, const std::vector<arma::vec>& vectors) {
  if (vectors.size() != tensor.order())
    throw DataError(fmt::format("tensor train contraction: {} vectors for {} modes", vectors.size(), tensor.order()));
  return contract_leading(tensor, std::vector<arma::mat>(vectors.begin(), vectors.end()))(0, 0);
}

TensorTrain mode_product(const TensorTrain& tensor, arma::uword mode, const arma::mat& matrix) {
  if (mode >= tensor.order() || matrix.n_cols != tensor.core(mode).n_cols)
    throw DataError(fmt::format("tensor train mode product: a {}×{} matrix does not act on mode {} of {}",
                                matrix.n_rows, matrix.n_cols, mode, tensor.order()));
  std::vector<arma::cube> cores = tensor.cores();
  const arma::cube& old = tensor.core(mode);
  arma::cube c(old.n_rows, matrix.n_rows, old.n_slices);
  for (arma::uword b = 0; b < old.n_slices; ++b) c.slice(b) = old.slice(b) * matrix.t();
  cores[mode] = std::move(c);
  return TensorTrain(std::move(cores));
}

namespace {

arma::uword check_factors(const std::vector<arma::mat>& factors) {
  if (factors.empty()) throw DataError("Khatri–Rao tensor: needs at least one factor");
  const arma::uword m = factors.front().n_cols;
  if (m == 0) throw DataError("Khatri–Rao tensor: the factors have no columns");
  for (std::size_t k = 0; k < factors.size(); ++k)
    if (factors[k].n_cols != m || factors[k].n_rows == 0)
      throw DataError(fmt::format("Khatri–Rao tensor: factor {} is {}×{}, expected n×{}", k, factors[k].n_rows,
                                  factors[k].n_cols, m));
  return m;
}

arma::cube identity_core(arma::uword r) {
  const arma::mat eye(r, r, arma::fill::eye);
  return to_core(eye, r, r, 1);
}

}  // namespace

TensorTrain khatri_rao_tensor(const std::vector<arma::mat>& factors) {
  const arma::uword m = check_factors(factors);
  std::vector<arma::cube> cores;
  arma::cube first(1, factors[0].n_rows, m);
  for (arma::uword j = 0; j < m; ++j) first.slice(j) = factors[0].col(j).t();
  cores.push_back(std::move(first));
  for (std::size_t k = 1; k < factors.size(); ++k) {
    arma::cube c(m, factors[k].n_rows, m, arma::fill::zeros);
    for (arma::uword j = 0; j < m; ++j) c.slice(j).row(j) = factors[k].col(j).t();
    cores.push_back(std::move(c));
  }
  cores.push_back(identity_core(m));
  return TensorTrain(std::move(cores));
}

namespace {

// A step of khatri_rao_svd holds the rows × m unfolding, its weighted copy and
// the factors of its SVD (or the rows × rows Gram matrix): refused before any
// of it is allocated when that exceeds the memory budget.
void check_step_memory(std::size_t k, arma::uword rows, arma::uword m, KhatriRaoMethod method) {
  const double r = double(rows), columns = double(m);
  const double factors = method == KhatriRaoMethod::gram ? 2.0 * r * r : r * std::min(r, columns) + columns * r;
  const double bytes = 8.0 * (2.0 * r * columns + factors);
  if (bytes > double(memory_budget()))
    throw NumericalError(fmt::format(
        "Khatri–Rao SVD: step {} factors a {}×{} matrix, which needs about {}, more than the budget of {} ({}); "
        "lower max_rank or raise tolerance, or use fewer samples",
        k + 1, rows, m, bytes_text(bytes), bytes_text(double(memory_budget())), memory_budget_source()));
}

}  // namespace

TtSvd khatri_rao_svd(const std::vector<arma::mat>& factors, const TtTruncation& rule, KhatriRaoMethod method) {
  const arma::uword m = check_factors(factors);
  const std::size_t d = factors.size();
  // trailing[k](j) = Π_{l>k} ‖θ_l^(j)‖: the norms of the orthogonal rows of the cores after k.
  std::vector<arma::rowvec> trailing(d, arma::rowvec(m, arma::fill::ones));
  for (std::size_t k = d - 1; k > 0; --k)
    trailing[k - 1] = trailing[k] % arma::sqrt(arma::sum(arma::square(factors[k]), 0));
  const double total = arma::norm(trailing[0] % arma::sqrt(arma::sum(arma::square(factors[0]), 0)));
  if (!(total > 0)) throw NumericalError("Khatri–Rao SVD: the tensor is zero");
  const double tail = step_tail(rule, total, d);

  TtSvd out;
  out.norm = total;
  std::vector<arma::cube> cores;
  arma::mat carried(1, m, arma::fill::ones);  // R_{k-1}: r_{k-1} × m
  for (std::size_t k = 0; k < d; ++k) {
    const arma::mat& theta = factors[k];
    const arma::uword r0 = carried.n_rows, n = theta.n_rows;
    check_step_memory(k, r0 * n, m, method);
    arma::mat a(r0 * n, m);  // row a + r0·i holds R(a, j) θ_k(i, j)
    for (arma::uword i = 0; i < n; ++i) a.rows(i * r0, i * r0 + r0 - 1) = carried.each_row() % theta.row(i);
    const bool last = k + 1 == d;
    arma::mat u, v;
    arma::vec s;
    if (method == KhatriRaoMethod::gram) {
      const arma::mat b = last ? a : arma::mat(a.each_row() % trailing[k]);
      arma::vec eigenvalues;
      if (!arma::eig_sym(eigenvalues, u, arma::symmatu(b * b.t())))
        throw NumericalError(
            fmt::format("Khatri–Rao SVD: eigen-decomposition of a {}×{} Gram matrix failed", b.n_rows, b.n_rows));
      s = arma::sqrt(arma::clamp(arma::flipud(eigenvalues), 0.0, arma::datum::inf));
      u = arma::fliplr(u);
      // Below √(p ε) σ_1 the Gram matrix holds only rounding noise.
      s.elem(arma::find(s <= s(0) * std::sqrt(double(b.n_rows) * std::numeric_limits<double>::epsilon()))).zeros();
    } else {
      ThinSvd<double> svd = thin_svd(last ? a : arma::mat(a.each_row() % trailing[k]), "Khatri–Rao SVD",
                                     last ? SingularVectors::both : SingularVectors::left);
      u = std::move(svd.u);
      s = std::move(svd.sigma);
      v = std::move(svd.v);
    }
    const arma::uword r = std::max<arma::uword>(truncation_rank(s, tail, rule.max_rank, a.n_rows, a.n_cols), 1);
    const arma::mat kept = u.head_cols(r);
    cores.push_back(to_core(kept, r0, n, r));
    if (!last) {
      carried = kept.t() * a;
    } else {
      out.sigma = s.head(r);
      if (method == KhatriRaoMethod::gram) {
        if (!(out.sigma(r - 1) > 0)) throw NumericalError("Khatri–Rao SVD: the tensor is numerically zero");
        out.v = (a.t() * kept).eval().each_row() / out.sigma.t();
      } else {
        out.v = v.head_cols(r);
      }
    }
  }
  cores.push_back(identity_core(out.sigma.n_elem));
  out.u = TensorTrain(std::move(cores));
  return out;
}

}  // namespace kooplab
