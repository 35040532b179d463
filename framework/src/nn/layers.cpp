#include "kooplab/nn/layers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

template <typename T>
void draw(arma::Mat<T>& weights, Init init, double fan_in, double fan_out, Rng& rng) {
  switch (init) {
    case Init::he: {
      const double scale = std::sqrt(2.0 / fan_in);
      for (T& w : weights) w = T(scale * rng.normal());
      break;
    }
    case Init::xavier: {
      const double bound = std::sqrt(6.0 / (fan_in + fan_out));
      for (T& w : weights) w = T(bound * (2.0 * rng.uniform() - 1.0));
      break;
    }
    case Init::normal:
      for (T& w : weights) w = T(rng.normal());
      break;
    case Init::pytorch: {
      const double bound = 1.0 / std::sqrt(fan_in);
      for (T& w : weights) w = T(bound * (2.0 * rng.uniform() - 1.0));
      break;
    }
  }
}

// Biases start at 0, except under PyTorch's default, which draws them as the weights.
template <typename T>
void draw_bias(arma::Col<T>& bias, Init init, double fan_in, Rng& rng) {
  if (init != Init::pytorch) {
    bias.zeros();
    return;
  }
  const double bound = 1.0 / std::sqrt(fan_in);
  for (T& b : bias) b = T(bound * (2.0 * rng.uniform() - 1.0));
}

// s'(x) and s''(x) of an activation, from y = s(x).
struct Slopes {
  double first, second;
};
Slopes slopes(ActivationKind kind, double y) {
  switch (kind) {
    case ActivationKind::relu:
      return {y > 0.0 ? 1.0 : 0.0, 0.0};
    case ActivationKind::sigmoid: {
      const double first = y * (1.0 - y);
      return {first, first * (1.0 - 2.0 * y)};
    }
    case ActivationKind::tanh: {
      const double first = 1.0 - y * y;
      return {first, -2.0 * y * first};
    }
    case ActivationKind::identity:
      break;
  }
  return {1.0, 0.0};
}

std::string image_shape_text(const ImageShape& shape) {
  return fmt::format("{}x{}x{}", shape.channels, shape.height, shape.width);
}

}  // namespace

const Words<Init>& init_words() {
  static const Words<Init> words{
      {"he", Init::he}, {"xavier", Init::xavier}, {"normal", Init::normal}, {"pytorch", Init::pytorch}};
  return words;
}

const char* init_doc() {
  return "weights: he N(0, 2/fan_in), xavier U(±√(6/(fan_in+fan_out))), normal N(0, 1), biases 0; "
         "pytorch U(±1/√fan_in) for weights and biases";
}

const Words<Precision>& precision_words() {
  static const Words<Precision> words{{"float64", Precision::float64}, {"float32", Precision::float32}};
  return words;
}

const char* precision_doc() {
  return "arithmetic of the passes: float64, or float32 (layers in single precision; parameters, gradient and "
         "optimizer stay float64)";
}

const Words<ActivationKind>& activation_words() {
  static const Words<ActivationKind> words{{"relu", ActivationKind::relu},
                                           {"sigmoid", ActivationKind::sigmoid},
                                           {"tanh", ActivationKind::tanh},
                                           {"identity", ActivationKind::identity}};
  return words;
}

template <typename T>
BasicLayer<T>::~BasicLayer() = default;

template <typename T>
void BasicLayer<T>::forward_tangent(const Matrix&, const Matrix&, const Matrix&, Matrix&) const {
  throw DataError(fmt::format("layer {} has no forward mode (derivatives in the inputs)", describe()));
}

template <typename T>
void BasicLayer<T>::backward_tangent(const Matrix&, const Matrix&, const Matrix&, const Matrix&, const Matrix&, Matrix*,
                                     Matrix*) {
  throw DataError(fmt::format("layer {} has no forward mode (derivatives in the inputs)", describe()));
}

template <typename T>
std::unique_ptr<BasicLayer<float>> BasicLayer<T>::single_precision() const {
  throw ConfigError(fmt::format("layer {} has no float32 form; use precision: float64", describe()));
}

// ---- Dense ----

template <typename T>
BasicDense<T>::BasicDense(arma::uword inputs, arma::uword outputs) : inputs_(inputs), outputs_(outputs) {}

template <typename T>
std::string BasicDense<T>::describe() const {
  return fmt::format("dense {}->{}", inputs_, outputs_);
}

template <typename T>
std::unique_ptr<BasicLayer<float>> BasicDense<T>::single_precision() const {
  return std::make_unique<BasicDense<float>>(inputs_, outputs_);
}

template <typename T>
void BasicDense<T>::bind(T* parameters, T* gradient) {
  weights_.emplace(parameters, outputs_, inputs_, false, true);
  bias_.emplace(parameters + outputs_ * inputs_, outputs_, false, true);
  weights_gradient_.emplace(gradient, outputs_, inputs_, false, true);
  bias_gradient_.emplace(gradient + outputs_ * inputs_, outputs_, false, true);
}

template <typename T>
void BasicDense<T>::initialise(Init init, Rng& rng) {
  draw(*weights_, init, double(inputs_), double(outputs_), rng);
  draw_bias(*bias_, init, double(inputs_), rng);
}

template <typename T>
std::vector<ParameterTensor> BasicDense<T>::tensors() const {
  return {{"weight", {outputs_, inputs_}, 0, outputs_ * inputs_, true},
          {"bias", {outputs_}, outputs_ * inputs_, outputs_, false}};
}

template <typename T>
std::vector<arma::uvec> BasicDense<T>::node_blocks() const {
  std::vector<arma::uvec> blocks;
  for (arma::uword j = 0; j < outputs_; ++j) {
    arma::uvec indices(inputs_ + 1);
    for (arma::uword i = 0; i < inputs_; ++i) indices(i) = j + outputs_ * i;  // row j of W
    indices(inputs_) = outputs_ * inputs_ + j;
    blocks.push_back(std::move(indices));
  }
  return blocks;
}

template <typename T>
void BasicDense<T>::forward(const Matrix& in, Matrix& out) {
  out = *weights_ * in;
  out.each_col() += *bias_;
}

template <typename T>
void BasicDense<T>::backward(const Matrix& in, const Matrix&, const Matrix& grad_out, Matrix* grad_in) {
  *weights_gradient_ = grad_out * in.t();
  *bias_gradient_ = arma::sum(grad_out, 1);
  if (grad_in) *grad_in = weights_->t() * grad_out;
}

// The bias does not move with the inputs: out' = W in'.
template <typename T>
void BasicDense<T>::forward_tangent(const Matrix&, const Matrix&, const Matrix& in_tangent, Matrix& out_tangent) const {
  out_tangent = *weights_ * in_tangent;
}

template <typename T>
void BasicDense<T>::backward_tangent(const Matrix& in, const Matrix&, const Matrix& in_tangent, const Matrix& grad_out,
                                     const Matrix& grad_out_tangent, Matrix* grad_in, Matrix* grad_in_tangent) {
  *weights_gradient_ = grad_out * in.t() + grad_out_tangent * in_tangent.t();
  *bias_gradient_ = arma::sum(grad_out, 1);
  if (grad_in) *grad_in = weights_->t() * grad_out;
  if (grad_in_tangent) *grad_in_tangent = weights_->t() * grad_out_tangent;
}

// ---- Conv2d ----

template <typename T>
BasicConv2d<T>::BasicConv2d(ImageShape input, arma::uword filters, arma::uword kernel, arma::uword padding)
    : input_(input), filters_(filters), kernel_(kernel), padding_(padding) {
  if (input.height + 2 * padding < kernel || input.width + 2 * padding < kernel)
    throw ConfigError(fmt::format("conv {}x{} does not fit the {} input", kernel, kernel, image_shape_text(input)));
}

template <typename T>
ImageShape BasicConv2d<T>::output_shape() const {
  return {filters_, input_.height + 2 * padding_ - kernel_ + 1, input_.width + 2 * padding_ - kernel_ + 1};
}

template <typename T>
std::string BasicConv2d<T>::describe() const {
  return fmt::format("conv {}x{}x{} pad {} on {}", filters_, kernel_, kernel_, padding_, image_shape_text(input_));
}

template <typename T>
std::unique_ptr<BasicLayer<float>> BasicConv2d<T>::single_precision() const {
  return std::make_unique<BasicConv2d<float>>(input_, filters_, kernel_, padding_);
}

template <typename T>
void BasicConv2d<T>::bind(T* parameters, T* gradient) {
  kernels_.emplace(parameters, patch(), filters_, false, true);
  bias_.emplace(parameters + patch() * filters_, filters_, false, true);
  kernels_gradient_.emplace(gradient, patch(), filters_, false, true);
  bias_gradient_.emplace(gradient + patch() * filters_, filters_, false, true);
}

template <typename T>
void BasicConv2d<T>::initialise(Init init, Rng& rng) {
  draw(*kernels_, init, double(patch()), double(filters_ * kernel_ * kernel_), rng);
  draw_bias(*bias_, init, double(patch()), rng);
}

// The kernels (patch × filters, column-major, patch entry (c·k + ky)·k + kx)
// are the C order of nn.Conv2d's (filters, channels, k, k).
template <typename T>
std::vector<ParameterTensor> BasicConv2d<T>::tensors() const {
  return {{"weight", {filters_, input_.channels, kernel_, kernel_}, 0, patch() * filters_, false},
          {"bias", {filters_}, patch() * filters_, filters_, false}};
}

template <typename T>
std::vector<arma::uvec> BasicConv2d<T>::node_blocks() const {
  std::vector<arma::uvec> blocks;
  for (arma::uword f = 0; f < filters_; ++f) {
    arma::uvec indices(patch() + 1);
    for (arma::uword i = 0; i < patch(); ++i) indices(i) = f * patch() + i;
    indices(patch()) = patch() * filters_ + f;
    blocks.push_back(std::move(indices));
  }
  return blocks;
}

namespace {

// A read-only view of column-major data (Armadillo has no const view type).
template <typename T>
const arma::Mat<T> view(const T* data, arma::uword rows, arma::uword cols) {
  return arma::Mat<T>(const_cast<T*>(data), rows, cols, false, true);
}

// The stretch of output columns ox whose input column ox + shift lies in [0, width).
struct Span {
  arma::uword first, last;  // [first, last)
};
Span inside(std::ptrdiff_t shift, std::ptrdiff_t width, arma::uword outputs) {
  const std::ptrdiff_t first = std::clamp<std::ptrdiff_t>(-shift, 0, std::ptrdiff_t(outputs));
  const std::ptrdiff_t last = std::clamp<std::ptrdiff_t>(width - shift, first, std::ptrdiff_t(outputs));
  return {arma::uword(first), arma::uword(last)};
}

}  // namespace

// Sample s's unfolded input is the positions × patch block at columns_.colptr(s):
// entry (q, r) is the input under kernel entry r = (c·k + ky)·k + kx when the
// kernel sits at output position q = oy·Wo + ox. Rows of the image are copied
// whole; padding is written as zeros.
template <typename T>
void BasicConv2d<T>::unfold(const T* image, T* block) const {
  const ImageShape o = output_shape();
  const arma::uword positions = o.height * o.width, plane = input_.height * input_.width;
  const auto height = std::ptrdiff_t(input_.height), width = std::ptrdiff_t(input_.width);
  const auto pad = std::ptrdiff_t(padding_);
  for (arma::uword c = 0; c < input_.channels; ++c)
    for (arma::uword ky = 0; ky < kernel_; ++ky)
      for (arma::uword kx = 0; kx < kernel_; ++kx) {
        T* column = block + ((c * kernel_ + ky) * kernel_ + kx) * positions;
        const std::ptrdiff_t shift = std::ptrdiff_t(kx) - pad;
        const Span span = inside(shift, width, o.width);
        for (arma::uword oy = 0; oy < o.height; ++oy) {
          T* row = column + oy * o.width;
          const std::ptrdiff_t iy = std::ptrdiff_t(oy + ky) - pad;
          if (iy < 0 || iy >= height) {
            std::fill(row, row + o.width, 0.0);
            continue;
          }
          const T* source = image + c * plane + iy * width + shift;
          std::fill(row, row + span.first, 0.0);
          std::copy(source + span.first, source + span.last, row + span.first);
          std::fill(row + span.last, row + o.width, 0.0);
        }
      }
}

// The adjoint of unfold: adds each entry of a positions × patch block to the input it was read from.
template <typename T>
void BasicConv2d<T>::fold(const T* block, T* image) const {
  const ImageShape o = output_shape();
  const arma::uword positions = o.height * o.width, plane = input_.height * input_.width;
  const auto height = std::ptrdiff_t(input_.height), width = std::ptrdiff_t(input_.width);
  const auto pad = std::ptrdiff_t(padding_);
  for (arma::uword c = 0; c < input_.channels; ++c)
    for (arma::uword ky = 0; ky < kernel_; ++ky)
      for (arma::uword kx = 0; kx < kernel_; ++kx) {
        const T* column = block + ((c * kernel_ + ky) * kernel_ + kx) * positions;
        const std::ptrdiff_t shift = std::ptrdiff_t(kx) - pad;
        const Span span = inside(shift, width, o.width);
        for (arma::uword oy = 0; oy < o.height; ++oy) {
          const std::ptrdiff_t iy = std::ptrdiff_t(oy + ky) - pad;
          if (iy < 0 || iy >= height) continue;
          const T* row = column + oy * o.width;
          T* target = image + c * plane + iy * width + shift;
          for (arma::uword ox = span.first; ox < span.last; ++ox) target[ox] += row[ox];
        }
      }
}

// Per sample, the output (positions × filters, column-major: the network's
// channel-by-channel layout) is bias + unfolded input · kernels: one GEMM
// straight into the output column, no reordering.
template <typename T>
void BasicConv2d<T>::forward(const Matrix& in, Matrix& out) {
  const ImageShape o = output_shape();
  const arma::uword m = in.n_cols, positions = o.height * o.width;
  columns_.set_size(positions * patch(), m);
  out.set_size(o.size(), m);
  for (arma::uword s = 0; s < m; ++s) {
    unfold(in.colptr(s), columns_.colptr(s));
    Matrix result(out.colptr(s), positions, filters_, false, true);
    result.each_row() = bias_->t();
    result += view(columns_.colptr(s), positions, patch()) * *kernels_;
  }
}

template <typename T>
void BasicConv2d<T>::backward(const Matrix& in, const Matrix&, const Matrix& grad_out, Matrix* grad_in) {
  const ImageShape o = output_shape();
  const arma::uword m = in.n_cols, positions = o.height * o.width;
  kernels_gradient_->zeros();
  bias_gradient_->zeros();
  if (grad_in) grad_in->zeros(in.n_rows, m);
  for (arma::uword s = 0; s < m; ++s) {
    const Matrix gradient = view(grad_out.colptr(s), positions, filters_);
    *kernels_gradient_ += view(columns_.colptr(s), positions, patch()).t() * gradient;
    *bias_gradient_ += arma::sum(gradient, 0).t();
    if (!grad_in) continue;
    columns_gradient_ = gradient * kernels_->t();
    fold(columns_gradient_.memptr(), grad_in->colptr(s));
  }
}

// ---- MaxPool2d ----

template <typename T>
BasicMaxPool2d<T>::BasicMaxPool2d(ImageShape input, arma::uword size) : input_(input), size_(size) {
  if (size == 0 || input.height < size || input.width < size)
    throw ConfigError(fmt::format("max-pool {}x{} does not fit the {} input", size, size, image_shape_text(input)));
}

template <typename T>
ImageShape BasicMaxPool2d<T>::output_shape() const {
  return {input_.channels, input_.height / size_, input_.width / size_};
}

template <typename T>
std::string BasicMaxPool2d<T>::describe() const {
  return fmt::format("maxpool {}x{} on {}", size_, size_, image_shape_text(input_));
}

template <typename T>
std::unique_ptr<BasicLayer<float>> BasicMaxPool2d<T>::single_precision() const {
  return std::make_unique<BasicMaxPool2d<float>>(input_, size_);
}

template <typename T>
void BasicMaxPool2d<T>::forward(const Matrix& in, Matrix& out) {
  const ImageShape o = output_shape();
  const arma::uword m = in.n_cols;
  out.set_size(o.size(), m);
  winners_.set_size(o.size(), m);
  for (arma::uword s = 0; s < m; ++s) {
    const T* source = in.colptr(s);
    T* target = out.colptr(s);
    arma::uword* winner = winners_.colptr(s);
    for (arma::uword c = 0; c < o.channels; ++c)
      for (arma::uword oy = 0; oy < o.height; ++oy)
        for (arma::uword ox = 0; ox < o.width; ++ox) {
          arma::uword best = (c * input_.height + oy * size_) * input_.width + ox * size_;
          T largest = source[best];
          // Selects instead of branches: which entry wins is data, hard to predict.
          for (arma::uword dy = 0; dy < size_; ++dy)
            for (arma::uword dx = 0; dx < size_; ++dx) {
              const arma::uword index = (c * input_.height + oy * size_ + dy) * input_.width + ox * size_ + dx;
              const T value = source[index];
              const bool larger = value > largest;
              best = larger ? index : best;
              largest = larger ? value : largest;
            }
          const arma::uword at = (c * o.height + oy) * o.width + ox;
          target[at] = largest;
          winner[at] = best;
        }
  }
}

template <typename T>
void BasicMaxPool2d<T>::backward(const Matrix& in, const Matrix&, const Matrix& grad_out, Matrix* grad_in) {
  if (!grad_in) return;
  grad_in->zeros(in.n_rows, in.n_cols);
  for (arma::uword s = 0; s < in.n_cols; ++s) {
    const arma::uword* winner = winners_.colptr(s);
    const T* from = grad_out.colptr(s);
    T* to = grad_in->colptr(s);
    for (arma::uword i = 0; i < grad_out.n_rows; ++i) to[winner[i]] += from[i];
  }
}

// ---- Activation ----

template <typename T>
std::string BasicActivation<T>::describe() const {
  return word_of(activation_words(), kind_);
}

template <typename T>
std::unique_ptr<BasicLayer<float>> BasicActivation<T>::single_precision() const {
  return std::make_unique<BasicActivation<float>>(kind_, size_);
}

template <typename T>
void BasicActivation<T>::forward(const Matrix& in, Matrix& out) {
  out.set_size(in.n_rows, in.n_cols);
  const T* x = in.memptr();
  T* y = out.memptr();
  const arma::uword n = in.n_elem;
  switch (kind_) {
    case ActivationKind::relu:
      for (arma::uword i = 0; i < n; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
      break;
    case ActivationKind::sigmoid:
      for (arma::uword i = 0; i < n; ++i) y[i] = T(1) / (T(1) + std::exp(-x[i]));
      break;
    case ActivationKind::tanh:
      for (arma::uword i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
      break;
    case ActivationKind::identity:
      std::copy(x, x + n, y);
      break;
  }
}

// Derivatives from the outputs: relu' = [y > 0], σ' = y(1 − y), tanh' = 1 − y².
template <typename T>
void BasicActivation<T>::backward(const Matrix&, const Matrix& out, const Matrix& grad_out, Matrix* grad_in) {
  if (!grad_in) return;
  grad_in->set_size(out.n_rows, out.n_cols);
  const T* y = out.memptr();
  const T* g = grad_out.memptr();
  T* d = grad_in->memptr();
  const arma::uword n = out.n_elem;
  switch (kind_) {
    case ActivationKind::relu:
      // g[i] is read whatever y[i]: the select then compiles without a branch.
      for (arma::uword i = 0; i < n; ++i) {
        const T gradient = g[i];
        d[i] = y[i] > T(0) ? gradient : T(0);
      }
      break;
    case ActivationKind::sigmoid:
      for (arma::uword i = 0; i < n; ++i) d[i] = g[i] * y[i] * (T(1) - y[i]);
      break;
    case ActivationKind::tanh:
      for (arma::uword i = 0; i < n; ++i) d[i] = g[i] * (T(1) - y[i] * y[i]);
      break;
    case ActivationKind::identity:
      std::copy(g, g + n, d);
      break;
  }
}

template <typename T>
void BasicActivation<T>::forward_tangent(const Matrix&, const Matrix& out, const Matrix& in_tangent,
                                         Matrix& out_tangent) const {
  out_tangent.set_size(out.n_rows, out.n_cols);
  for (arma::uword i = 0; i < out.n_elem; ++i) out_tangent[i] = slopes(kind_, out[i]).first * in_tangent[i];
}

// y = s(x), y' = s'(x) x': dL/dx = g s'(x) + g' s''(x) x', dL/dx' = g' s'(x).
template <typename T>
void BasicActivation<T>::backward_tangent(const Matrix&, const Matrix& out, const Matrix& in_tangent,
                                          const Matrix& grad_out, const Matrix& grad_out_tangent, Matrix* grad_in,
                                          Matrix* grad_in_tangent) {
  if (grad_in) grad_in->set_size(out.n_rows, out.n_cols);
  if (grad_in_tangent) grad_in_tangent->set_size(out.n_rows, out.n_cols);
  for (arma::uword i = 0; i < out.n_elem; ++i) {
    const Slopes s = slopes(kind_, out[i]);
    if (grad_in) (*grad_in)[i] = grad_out[i] * s.first + grad_out_tangent[i] * s.second * in_tangent[i];
    if (grad_in_tangent) (*grad_in_tangent)[i] = grad_out_tangent[i] * s.first;
  }
}

template class BasicLayer<double>;
template class BasicLayer<float>;
template class BasicDense<double>;
template class BasicDense<float>;
template class BasicConv2d<double>;
template class BasicConv2d<float>;
template class BasicMaxPool2d<double>;
template class BasicMaxPool2d<float>;
template class BasicActivation<double>;
template class BasicActivation<float>;

}  // namespace kooplab
