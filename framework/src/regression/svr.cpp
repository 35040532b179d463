#include "kooplab/regression/svr.hpp"

#include <fmt/format.h>
#include <libsvm/svm.h>

#include <mutex>
#include <vector>

#include "kooplab/error.hpp"

namespace kooplab {

namespace {

// libsvm prints progress to stdout unless told otherwise; runs share the setting.
void quiet_libsvm() {
  static std::once_flag once;
  std::call_once(once, [] { svm_set_print_string_function([](const char*) {}); });
}

// One sample as libsvm's sparse row: (1, x_1), ..., (d, x_d), (−1, end).
void append_nodes(std::vector<svm_node>& nodes, const double* x, arma::uword d) {
  for (arma::uword i = 0; i < d; ++i) nodes.push_back({int(i + 1), x[i]});
  nodes.push_back({-1, 0.0});
}

}  // namespace

struct GaussianSvr::Fitted {
  std::vector<svm_node> nodes;  // every training sample, referenced by the model's support vectors
  std::vector<svm_node*> rows;
  std::vector<double> targets;
  svm_model* model = nullptr;
  arma::uword dimension = 0;
  ~Fitted() { svm_free_and_destroy_model(&model); }
};

GaussianSvr::GaussianSvr(const arma::mat& x, const arma::vec& y, const SvrOptions& options)
    : fitted_(std::make_unique<Fitted>()) {
  if (x.n_cols == 0 || x.n_cols != y.n_elem)
    throw DataError(fmt::format("SVR: {} samples but {} targets", x.n_cols, y.n_elem));
  if (!x.is_finite() || !y.is_finite()) throw DataError("SVR: the samples or targets hold NaN or Inf");
  if (!(options.gamma > 0) || !(options.cost > 0) || !(options.epsilon >= 0) || !(options.tolerance > 0))
    throw ConfigError(fmt::format("SVR: need γ > 0, C > 0, ε ≥ 0 and a tolerance > 0 (got {}, {}, {}, {})",
                                  options.gamma, options.cost, options.epsilon, options.tolerance));
  quiet_libsvm();
  Fitted& f = *fitted_;
  f.dimension = x.n_rows;
  f.nodes.reserve(x.n_cols * (x.n_rows + 1));
  for (arma::uword j = 0; j < x.n_cols; ++j) append_nodes(f.nodes, x.colptr(j), x.n_rows);
  for (arma::uword j = 0; j < x.n_cols; ++j) f.rows.push_back(f.nodes.data() + j * (x.n_rows + 1));
  f.targets.assign(y.begin(), y.end());

  svm_problem problem{int(x.n_cols), f.targets.data(), f.rows.data()};
  svm_parameter parameter{};
  parameter.svm_type = EPSILON_SVR;
  parameter.kernel_type = RBF;
  parameter.gamma = options.gamma;
  parameter.C = options.cost;
  parameter.p = options.epsilon;
  parameter.eps = options.tolerance;
  parameter.cache_size = 100;
  parameter.shrinking = 1;
  if (const char* problem_text = svm_check_parameter(&problem, &parameter))
    throw ConfigError(fmt::format("SVR: libsvm rejects the parameters: {}", problem_text));
  f.model = svm_train(&problem, &parameter);
  if (!f.model) throw NumericalError("SVR: libsvm returned no model");
}

GaussianSvr::~GaussianSvr() = default;
GaussianSvr::GaussianSvr(GaussianSvr&&) noexcept = default;
GaussianSvr& GaussianSvr::operator=(GaussianSvr&&) noexcept = default;

arma::vec GaussianSvr::predict(const arma::mat& x) const {
  if (x.n_rows != fitted_->dimension)
    throw DataError(fmt::format("SVR: fitted on {}-dimensional samples, asked about {}-dimensional ones",
                                fitted_->dimension, x.n_rows));
  arma::vec out(x.n_cols);
  std::vector<svm_node> row;
  for (arma::uword j = 0; j < x.n_cols; ++j) {
    row.clear();
    append_nodes(row, x.colptr(j), x.n_rows);
    out(j) = svm_predict(fitted_->model, row.data());
  }
  return out;
}

arma::uword GaussianSvr::support_vectors() const { return arma::uword(svm_get_nr_sv(fitted_->model)); }

}  // namespace kooplab
