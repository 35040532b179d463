#pragma once
// Building blocks of sequential networks: dense, 2-D convolution, max-pooling
// and element-wise activations. A sample is one column; images are flattened
// channel by channel, row by row: index (c·H + y)·W + x.
//
// Layers own no parameter memory: bind() points them at their slice of the
// network's flat parameter and gradient vectors (weights first, then biases).
// forward() and backward() resize their outputs only when the batch size
// changes, so a training step allocates nothing.
//
// Each layer computes in double (Layer, Dense, ...) or in single precision
// (BasicLayer<float>, BasicDense<float>, ...); a network run in float32 passes
// its samples through the single-precision twins of its layers.
#include <armadillo>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/network.hpp"
#include "kooplab/options.hpp"
#include "kooplab/rng.hpp"

namespace kooplab {

// he: N(0, 2/fan_in); xavier: U(±√(6/(fan_in+fan_out))); normal: N(0, 1); biases start at 0.
// pytorch: weights and biases U(±1/√fan_in), torch.nn.Linear's and Conv2d's default.
enum class Init { he, xavier, normal, pytorch };
const Words<Init>& init_words();
// The line that documents the words of init_words() in a network's keys.
const char* init_doc();

enum class ActivationKind { relu, sigmoid, tanh, identity };
const Words<ActivationKind>& activation_words();

// The arithmetic of a network's passes. float32: the layers compute in single
// precision, while the parameters, their gradient and the optimizer stay in
// double (the parameters are rounded to float before each pass).
enum class Precision { float64, float32 };
const Words<Precision>& precision_words();
// The line that documents the words of precision_words() in a network's keys.
const char* precision_doc();

template <typename T>
class BasicLayer {
 public:
  using Matrix = arma::Mat<T>;
  virtual ~BasicLayer();
  virtual std::string describe() const = 0;
  virtual arma::uword input_size() const = 0;
  virtual arma::uword output_size() const = 0;
  virtual arma::uword parameter_count() const { return 0; }
  virtual void bind(T* /*parameters*/, T* /*gradient*/) {}
  virtual void initialise(Init /*init*/, Rng& /*rng*/) {}
  // Per node: the indices (within this layer's slice) of its incoming weights and bias.
  virtual std::vector<arma::uvec> node_blocks() const { return {}; }
  // Its parameters as PyTorch's module of the same kind holds them ("weight",
  // "bias"), offsets within this layer's slice.
  virtual std::vector<ParameterTensor> tensors() const { return {}; }
  virtual void forward(const Matrix& in, Matrix& out) = 0;
  // From the last forward's `in`, `out` and dL/d(out): writes the parameter
  // gradient and, when `grad_in` is given, dL/d(in).
  virtual void backward(const Matrix& in, const Matrix& out, const Matrix& grad_out, Matrix* grad_in) = 0;

  // Forward mode along one direction s of the network's inputs (the DE
  // solver's d/dt): from the last forward's `in` and `out` and
  // `in_tangent` = d(in)/ds, writes d(out)/ds. The default throws: only
  // layers that support it (dense, activations) can sit in such a network.
  virtual void forward_tangent(const Matrix& in, const Matrix& out, const Matrix& in_tangent,
                               Matrix& out_tangent) const;
  // Reverse mode through forward_tangent: from dL/d(out) and dL/d(out_tangent)
  // writes the parameter gradient and, when given, dL/d(in) and dL/d(in_tangent).
  virtual void backward_tangent(const Matrix& in, const Matrix& out, const Matrix& in_tangent, const Matrix& grad_out,
                                const Matrix& grad_out_tangent, Matrix* grad_in, Matrix* grad_in_tangent);

  // The same layer computing in single precision, not yet bound. The default
  // throws ConfigError: a layer without one cannot sit in a float32 network.
  virtual std::unique_ptr<BasicLayer<float>> single_precision() const;
};
using Layer = BasicLayer<double>;

// out = W in + b, W of size outputs × inputs.
template <typename T>
class BasicDense : public BasicLayer<T> {
 public:
  using Matrix = arma::Mat<T>;
  BasicDense(arma::uword inputs, arma::uword outputs);
  std::string describe() const override;
  arma::uword input_size() const override { return inputs_; }
  arma::uword output_size() const override { return outputs_; }
  arma::uword parameter_count() const override { return outputs_ * (inputs_ + 1); }
  void bind(T* parameters, T* gradient) override;
  void initialise(Init init, Rng& rng) override;
  std::vector<arma::uvec> node_blocks() const override;
  std::vector<ParameterTensor> tensors() const override;
  void forward(const Matrix& in, Matrix& out) override;
  void backward(const Matrix& in, const Matrix& out, const Matrix& grad_out, Matrix* grad_in) override;
  void forward_tangent(const Matrix& in, const Matrix& out, const Matrix& in_tangent,
                       Matrix& out_tangent) const override;
  void backward_tangent(const Matrix& in, const Matrix& out, const Matrix& in_tangent, const Matrix& grad_out,
                        const Matrix& grad_out_tangent, Matrix* grad_in, Matrix* grad_in_tangent) override;
  std::unique_ptr<BasicLayer<float>> single_precision() const override;

 private:
  arma::uword inputs_, outputs_;
  std::optional<Matrix> weights_, weights_gradient_;
  std::optional<arma::Col<T>> bias_, bias_gradient_;
};
using Dense = BasicDense<double>;

struct ImageShape {
  arma::uword channels, height, width;
  arma::uword size() const { return channels * height * width; }
};

// Stride-1 convolution (cross-correlation, as in PyTorch) with `filters`
// kernels of size k × k over all input channels, zero padding `padding`.
// Computed per sample as one GEMM on the unfolded (im2col) input, written
// straight into the output: no reordering pass, no per-element arithmetic.
template <typename T>
class BasicConv2d : public BasicLayer<T> {
 public:
  using Matrix = arma::Mat<T>;
  BasicConv2d(ImageShape input, arma::uword filters, arma::uword kernel, arma::uword padding);
  std::string describe() const override;
  ImageShape output_shape() const;
  arma::uword input_size() const override { return input_.size(); }
  arma::uword output_size() const override { return output_shape().size(); }
  arma::uword parameter_count() const override { return filters_ * (patch() + 1); }
  void bind(T* parameters, T* gradient) override;
  void initialise(Init init, Rng& rng) override;
  std::vector<arma::uvec> node_blocks() const override;
  std::vector<ParameterTensor> tensors() const override;
  void forward(const Matrix& in, Matrix& out) override;
  void backward(const Matrix& in, const Matrix& out, const Matrix& grad_out, Matrix* grad_in) override;
  std::unique_ptr<BasicLayer<float>> single_precision() const override;

 private:
  arma::uword patch() const { return input_.channels * kernel_ * kernel_; }
  void unfold(const T* image, T* block) const;
  void fold(const T* block, T* image) const;
  ImageShape input_;
  arma::uword filters_, kernel_, padding_;
  std::optional<Matrix> kernels_, kernels_gradient_;  // patch × filters
  std::optional<arma::Col<T>> bias_, bias_gradient_;
  Matrix columns_;           // per sample (column) the positions × patch unfolded input
  Matrix columns_gradient_;  // one sample's dL/d(unfolded input)
};
using Conv2d = BasicConv2d<double>;

// Non-overlapping size × size max-pooling per channel (trailing rows/columns dropped).
template <typename T>
class BasicMaxPool2d : public BasicLayer<T> {
 public:
  using Matrix = arma::Mat<T>;
  BasicMaxPool2d(ImageShape input, arma::uword size);
  std::string describe() const override;
  ImageShape output_shape() const;
  arma::uword input_size() const override { return input_.size(); }
  arma::uword output_size() const override { return output_shape().size(); }
  void forward(const Matrix& in, Matrix& out) override;
  void backward(const Matrix& in, const Matrix& out, const Matrix& grad_out, Matrix* grad_in) override;
  std::unique_ptr<BasicLayer<float>> single_precision() const override;

 private:
  ImageShape input_;
  arma::uword size_;
  arma::umat winners_;  // input row of each output's maximum
};
using MaxPool2d = BasicMaxPool2d<double>;

template <typename T>
class BasicActivation : public BasicLayer<T> {
 public:
  using Matrix = arma::Mat<T>;
  BasicActivation(ActivationKind kind, arma::uword size) : kind_(kind), size_(size) {}
  std::string describe() const override;
  arma::uword input_size() const override { return size_; }
  arma::uword output_size() const override { return size_; }
  void forward(const Matrix& in, Matrix& out) override;
  void backward(const Matrix& in, const Matrix& out, const Matrix& grad_out, Matrix* grad_in) override;
  // y = s(x): y' = s'(x) x'; backward through both uses s''(x), all from y.
  void forward_tangent(const Matrix& in, const Matrix& out, const Matrix& in_tangent,
                       Matrix& out_tangent) const override;
  void backward_tangent(const Matrix& in, const Matrix& out, const Matrix& in_tangent, const Matrix& grad_out,
                        const Matrix& grad_out_tangent, Matrix* grad_in, Matrix* grad_in_tangent) override;
  std::unique_ptr<BasicLayer<float>> single_precision() const override;

 private:
  ActivationKind kind_;
  arma::uword size_;
};
using Activation = BasicActivation<double>;

// Defined in layers.cpp for double and float.
extern template class BasicLayer<double>;
extern template class BasicLayer<float>;
extern template class BasicDense<double>;
extern template class BasicDense<float>;
extern template class BasicConv2d<double>;
extern template class BasicConv2d<float>;
extern template class BasicMaxPool2d<double>;
extern template class BasicMaxPool2d<float>;
extern template class BasicActivation<double>;
extern template class BasicActivation<float>;

}  // namespace kooplab
