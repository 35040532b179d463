#pragma once
// A layer outside kooplab's own kinds, for the suites of networks.
#include <armadillo>
#include <string>

#include "kooplab/nn/layers.hpp"

namespace kooplab::testing {

// x ↦ x², element-wise: makes a block's map an exact polynomial, and it has no
// float32 form.
class SquareLayer : public Layer {
 public:
  explicit SquareLayer(arma::uword size) : size_(size) {}
  std::string describe() const override { return "square"; }
  arma::uword input_size() const override { return size_; }
  arma::uword output_size() const override { return size_; }
  void forward(const arma::mat& in, arma::mat& out) override { out = arma::square(in); }
  void backward(const arma::mat& in, const arma::mat&, const arma::mat& grad_out, arma::mat* grad_in) override {
    if (grad_in) *grad_in = 2.0 * in % grad_out;
  }

 private:
  arma::uword size_;
};

}  // namespace kooplab::testing
