#include "kooplab/nn/loss.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "kooplab/error.hpp"
#include "kooplab/nn/sobolev_loss.hpp"

namespace kooplab {
namespace {

// log Σ exp(z) of one column, shifted by its maximum for stability.
double log_sum_exp(const double* z, arma::uword k) {
  double top = z[0];
  for (arma::uword i = 1; i < k; ++i) top = std::max(top, z[i]);
  double sum = 0.0;
  for (arma::uword i = 0; i < k; ++i) sum += std::exp(z[i] - top);
  return top + std::log(sum);
}

void require_pointwise(LossKind kind) {
  if (kind != LossKind::cross_entropy && kind != LossKind::mse)
    throw DataError(fmt::format("loss {} is not pointwise: it needs its loss object", word_of(loss_words(), kind)));
}

// cross_entropy or mse: no parameters, no heads.
class PointwiseLoss : public Loss {
 public:
  explicit PointwiseLoss(LossKind kind) : kind_(kind) {}
  std::string describe() const override { return word_of(loss_words(), kind_); }
  double value(const arma::mat& outputs, const arma::mat& targets) const override {
    return loss_value(kind_, outputs, targets);
  }
  double value_and_delta(const arma::mat& outputs, const std::vector<arma::mat>& /*heads*/, const arma::mat& targets,
                         arma::mat& delta, std::vector<arma::mat>& /*head_deltas*/) const override {
    return loss_and_delta(kind_, outputs, targets, delta);
  }

 private:
  LossKind kind_;
};

class HuberLoss : public Loss {
 public:
  explicit HuberLoss(double delta) : delta_(delta) {}
  std::string describe() const override { return fmt::format("huber (delta {})", delta_); }
  double value(const arma::mat& outputs, const arma::mat& targets) const override {
    return huber_loss(outputs, targets, delta_);
  }
  double value_and_delta(const arma::mat& outputs, const std::vector<arma::mat>& /*heads*/, const arma::mat& targets,
                         arma::mat& delta, std::vector<arma::mat>& /*head_deltas*/) const override {
    return huber_loss(outputs, targets, delta_, &delta);
  }

 private:
  double delta_;
};

// The keys only the Sobolev losses read.
const std::vector<std::string>& sobolev_keys() {
  static const std::vector<std::string> keys{"scale", "index", "output_weight", "scales"};
  return keys;
}

}  // namespace

void check_loss_shapes(const arma::mat& outputs, const arma::mat& targets) {
  if (outputs.n_rows != targets.n_rows || outputs.n_cols != targets.n_cols)
    throw DataError(fmt::format("loss: outputs are {}×{} but targets {}×{}", outputs.n_rows, outputs.n_cols,
                                targets.n_rows, targets.n_cols));
}

const Words<LossKind>& loss_words() {
  static const Words<LossKind> words{{"cross_entropy", LossKind::cross_entropy},
                                     {"mse", LossKind::mse},
                                     {"huber", LossKind::huber},
                                     {"sobolev_layers", LossKind::sobolev_layers},
                                     {"sobolev_output", LossKind::sobolev_output}};
  return words;
}

double loss_value(LossKind kind, const arma::mat& outputs, const arma::mat& targets) {
  require_pointwise(kind);
  check_loss_shapes(outputs, targets);
  if (outputs.is_empty()) return 0.0;
  const arma::uword k = outputs.n_rows, m = outputs.n_cols;
  if (kind == LossKind::mse) return arma::accu(arma::square(outputs - targets)) / double(k * m);
  double total = 0.0;
  for (arma::uword s = 0; s < m; ++s) {
    const double* z = outputs.colptr(s);
    const double* t = targets.colptr(s);
    const double lse = log_sum_exp(z, k);
    for (arma::uword i = 0; i < k; ++i) total -= t[i] * (z[i] - lse);
  }
  return total / double(m);
}

double loss_and_delta(LossKind kind, const arma::mat& outputs, const arma::mat& targets, arma::mat& delta) {
  require_pointwise(kind);
  check_loss_shapes(outputs, targets);
  const arma::uword k = outputs.n_rows, m = outputs.n_cols;
  delta.set_size(k, m);
  if (kind == LossKind::mse) {
    const double scale = 2.0 / double(k * m);
    double total = 0.0;
    for (arma::uword i = 0; i < outputs.n_elem; ++i) {
      const double r = outputs[i] - targets[i];
      total += r * r;
      delta[i] = scale * r;
    }
    return total / double(k * m);
  }
  // d/dz of −Σ t log softmax(z) is softmax(z)·Σt − t.
  double total = 0.0;
  for (arma::uword s = 0; s < m; ++s) {
    const double* z = outputs.colptr(s);
    const double* t = targets.colptr(s);
    double* d = delta.colptr(s);
    const double lse = log_sum_exp(z, k);
    double mass = 0.0;
    for (arma::uword i = 0; i < k; ++i) {
      total -= t[i] * (z[i] - lse);
      mass += t[i];
    }
    for (arma::uword i = 0; i < k; ++i) d[i] = (std::exp(z[i] - lse) * mass - t[i]) / double(m);
  }
  return total / double(m);
}

double huber_loss(const arma::mat& outputs, const arma::mat& targets, double delta, arma::mat* gradient) {
  check_loss_shapes(outputs, targets);
  if (!(delta > 0.0)) throw DataError(fmt::format("huber loss: delta must be > 0, got {}", delta));
  if (gradient) gradient->set_size(outputs.n_rows, outputs.n_cols);
  if (outputs.is_empty()) return 0.0;
  const double count = double(outputs.n_elem);
  double total = 0.0;
  for (arma::uword i = 0; i < outputs.n_elem; ++i) {
    const double r = outputs[i] - targets[i];
    const double size = std::abs(r);
    // PyTorch's branches: quadratic for |r| < δ, linear from δ on (the two agree at δ).
    total += size < delta ? 0.5 * r * r : delta * (size - 0.5 * delta);
    if (gradient) (*gradient)[i] = (size <= delta ? r : std::copysign(delta, r)) / count;
  }
  return total / count;
}

Loss::~Loss() = default;

const Options<LossOptions>& LossOptions::options() {
  static const auto options =
      Options<LossOptions>()
          .choice("name", &LossOptions::kind, loss_words(), "the loss")
          .choice("scale", &LossOptions::scale,
                  {{"linear", SobolevScale::linear}, {"exponential", SobolevScale::exponential}},
                  "Sobolev: the scale of layer ℓ, s(ℓ) = ℓ or 2^ℓ")
          .add("index", &LossOptions::index, "Sobolev: Fourier weights (1 + (2π‖k‖₂)²)^index (Eqs. 7, 8: −1/2)",
               in_range(-10, 0))
          .add("output_weight", &LossOptions::output_weight,
               "sobolev_layers: weight of the MSE of the network's output beside the heads' terms", at_least(0))
          .add("scales", &LossOptions::scales,
               "sobolev_output: the shells s(0..scales−1) at the output (0: one per dense layer)")
          .add("delta", &LossOptions::delta, "huber: |r| up to which the loss is ½r² (torch.nn.HuberLoss's delta)",
               greater_than(0));
  return options;
}

LossOptions LossOptions::read(const Config& section, std::string_view key, LossOptions fallback) {
  if (!section.has(key)) return fallback;
  for (const auto& [word, kind] : loss_words())
    if (section.is_word(key, word)) return LossOptions(kind);
  const Config loss = [&] {
    try {
      return section.child(key);
    } catch (const ConfigError&) {  // not a section: an unknown word, reported with its near misses
      throw ConfigError(section.location_of(key) + ": " + section.key_path(key) + ": " +
                        unknown_word(section.scalar(key), words_of(loss_words())) + ", or a section {name: ..., ...}");
    }
  }();
  if (!loss.has("name")) loss.fail("expected the loss's `name` in the section");
  const LossOptions read = options().read(loss);
  const bool sobolev = read.kind == LossKind::sobolev_layers || read.kind == LossKind::sobolev_output;
  if (!sobolev)
    for (const auto& key : sobolev_keys())
      if (loss.has(key))
        loss.fail(key, fmt::format("only the Sobolev losses take it, not {}", word_of(loss_words(), read.kind)));
  if (read.kind != LossKind::huber && loss.has("delta"))
    loss.fail("delta", fmt::format("only the huber loss takes it, not {}", word_of(loss_words(), read.kind)));
  return read;
}

OptionDoc LossOptions::doc(const std::string& key, LossKind fallback, const std::string& doc) {
  std::vector<std::string> parameters;
  for (const OptionDoc& row : options().docs())
    if (row.key != "name")
      parameters.push_back(fmt::format("{} ({}, default {}: {})", row.key, row.type, row.default_value, row.doc));
  return {key, word_list(words_of(loss_words())) + ", or a section {name, ...}", word_of(loss_words(), fallback),
          fmt::format("{}; a section's parameters: {}", doc, fmt::join(parameters, "; "))};
}

std::unique_ptr<Loss> make_loss(const LossOptions& options, arma::uword hidden_layers) {
  if (options.kind == LossKind::cross_entropy || options.kind == LossKind::mse)
    return std::make_unique<PointwiseLoss>(options.kind);
  if (options.kind == LossKind::huber) return std::make_unique<HuberLoss>(options.delta);
  return std::make_unique<SobolevLoss>(options, hidden_layers);
}

}  // namespace kooplab
