#include "kooplab/nn/sequential.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "kooplab/error.hpp"
#include "kooplab/nn/parameter_file.hpp"

namespace kooplab {
namespace {

// Columns evaluated at once outside training: bounds the convolution workspace.
constexpr arma::uword evaluation_chunk = 512;

// The hidden layers' outputs: the stages feeding every dense layer after the first.
std::vector<arma::uword> hidden_outputs(const std::vector<std::unique_ptr<Layer>>& layers) {
  std::vector<arma::uword> out;
  bool first = true;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    if (dynamic_cast<const Dense*>(layers[l].get()) == nullptr) continue;
    if (!first) out.push_back(l - 1);
    first = false;
  }
  return out;
}

}  // namespace

Sequential::Sequential(std::vector<std::unique_ptr<Layer>> layers, const LossOptions& loss, Init init,
                       std::optional<std::filesystem::path> weights)
    : layers_(std::move(layers)),
      init_(init),
      weights_(std::move(weights)),
      outputs_(layers_.size()),
      deltas_(layers_.size()) {
  if (layers_.empty()) throw ConfigError("a sequential network needs at least one layer");
  taps_ = hidden_outputs(layers_);
  loss_ = make_loss(loss, taps_.size());
  arma::uword total = 0;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    if (l > 0 && layers_[l - 1]->output_size() != layers_[l]->input_size())
      throw ConfigError(fmt::format("layer {} ({}) gives {} values but layer {} ({}) takes {}", l - 1,
                                    layers_[l - 1]->describe(), layers_[l - 1]->output_size(), l,
                                    layers_[l]->describe(), layers_[l]->input_size()));
    offsets_.push_back(total);
    total += layers_[l]->parameter_count();
  }
  if (loss_->uses_heads()) {
    for (const arma::uword tap : taps_) {
      heads_.push_back(std::make_unique<Dense>(layers_[tap]->output_size(), layers_.back()->output_size()));
      head_offsets_.push_back(total);
      total += heads_.back()->parameter_count();
    }
    head_outputs_.resize(heads_.size());
  }
  parameters_.zeros(total);
  gradient_.zeros(total);
  for (std::size_t l = 0; l < layers_.size(); ++l)
    layers_[l]->bind(parameters_.memptr() + offsets_[l], gradient_.memptr() + offsets_[l]);
  for (std::size_t h = 0; h < heads_.size(); ++h)
    heads_[h]->bind(parameters_.memptr() + head_offsets_[h], gradient_.memptr() + head_offsets_[h]);
}

void Sequential::initialise(Rng& rng) {
  draw(rng);
  if (weights_) read_parameters(*this, *weights_);
}

void Sequential::draw(Rng& rng) {
  for (auto& layer : layers_) layer->initialise(init_, rng);
  for (auto& head : heads_) head->initialise(init_, rng);
}

arma::mat Sequential::forward_range(const arma::mat& inputs, arma::uword first, arma::uword last) {
  if (first > last || last > layers_.size())
    throw DataError(fmt::format("{}: layer range [{}, {}) outside 0..{}", identity(), first, last, layers_.size()));
  if (first == last) return inputs;
  if (inputs.n_rows != layers_[first]->input_size())
    throw DataError(fmt::format("{}: layer {} ({}) takes {} values per sample, got {}", identity(), first,
                                layers_[first]->describe(), layers_[first]->input_size(), inputs.n_rows));
  arma::mat result(layers_[last - 1]->output_size(), inputs.n_cols);
  for (arma::uword start = 0; start < inputs.n_cols; start += evaluation_chunk) {
    const arma::uword end = std::min(inputs.n_cols, start + evaluation_chunk) - 1;
    chunk_ = inputs.cols(start, end);
    const arma::mat* in = &chunk_;
    for (arma::uword l = first; l < last; ++l) {
      layers_[l]->forward(*in, outputs_[l]);
      in = &outputs_[l];
    }
    result.cols(start, end) = *in;
  }
  return result;
}

arma::mat Sequential::forward(const arma::mat& inputs) { return forward_range(inputs, 0, layers_.size()); }

double Sequential::loss(const arma::mat& outputs, const arma::mat& targets) const {
  return loss_->value(outputs, targets);
}

double Sequential::loss_and_gradient(const arma::mat& inputs, const arma::mat& targets) {
  if (inputs.n_rows != input_size())
    throw DataError(fmt::format("{}: takes {} inputs per sample, got {}", identity(), input_size(), inputs.n_rows));
  const std::size_t count = layers_.size();
  const arma::mat* in = &inputs;
  for (std::size_t l = 0; l < count; ++l) {
    layers_[l]->forward(*in, outputs_[l]);
    in = &outputs_[l];
  }
  for (std::size_t h = 0; h < heads_.size(); ++h) heads_[h]->forward(outputs_[taps_[h]], head_outputs_[h]);
  const double value = loss_->value_and_delta(outputs_.back(), head_outputs_, targets, deltas_.back(), head_deltas_);
  std::size_t head = heads_.size();  // heads read stages in increasing order; walk them backwards
  for (std::size_t l = count; l-- > 0;) {
    layers_[l]->backward(l > 0 ? outputs_[l - 1] : inputs, outputs_[l], deltas_[l], l > 0 ? &deltas_[l - 1] : nullptr);
    // A head on stage l − 1 adds its part of dL/d(output of l − 1).
    if (head > 0 && l > 0 && taps_[head - 1] == l - 1) {
      --head;
      heads_[head]->backward(outputs_[l - 1], head_outputs_[head], head_deltas_[head], &head_grad_in_);
      deltas_[l - 1] += head_grad_in_;
    }
  }
  return value;
}

Sequential::Tangent Sequential::forward_tangent(const arma::mat& inputs, const arma::mat& direction) {
  if (inputs.n_rows != input_size() || direction.n_rows != inputs.n_rows || direction.n_cols != inputs.n_cols)
    throw DataError(
        fmt::format("{}: forward mode takes {} × m inputs and a direction of the same size, got {} × {} and {} × {}",
                    identity(), input_size(), inputs.n_rows, inputs.n_cols, direction.n_rows, direction.n_cols));
  const std::size_t count = layers_.size();
  tangents_.resize(count);
  tangent_deltas_.resize(count);
  const arma::mat* in = &inputs;
  const arma::mat* in_tangent = &direction;
  for (std::size_t l = 0; l < count; ++l) {
    layers_[l]->forward(*in, outputs_[l]);
    layers_[l]->forward_tangent(*in, outputs_[l], *in_tangent, tangents_[l]);
    in = &outputs_[l];
    in_tangent = &tangents_[l];
  }
  return {outputs_.back(), tangents_.back()};
}

void Sequential::backward_tangent(const arma::mat& inputs, const arma::mat& direction, const arma::mat& grad_outputs,
                                  const arma::mat& grad_derivative) {
  const std::size_t count = layers_.size();
  if (tangents_.size() != count || tangents_.back().n_cols != inputs.n_cols)
    throw DataError(fmt::format("{}: backward_tangent needs forward_tangent on the same inputs first", identity()));
  deltas_.back() = grad_outputs;
  tangent_deltas_.back() = grad_derivative;
  for (std::size_t l = count; l-- > 0;) {
    const bool first = l == 0;
    layers_[l]->backward_tangent(first ? inputs : outputs_[l - 1], outputs_[l], first ? direction : tangents_[l - 1],
                                 deltas_[l], tangent_deltas_[l], first ? nullptr : &deltas_[l - 1],
                                 first ? nullptr : &tangent_deltas_[l - 1]);
  }
}

std::vector<ParameterBlock> Sequential::blocks(BlockKind kind) const {
  std::vector<ParameterBlock> out;
  if (kind == BlockKind::weight) {
    out.reserve(parameters_.n_elem);
    for (arma::uword i = 0; i < parameters_.n_elem; ++i) out.push_back({fmt::format("w{}", i), arma::uvec{i}});
    return out;
  }
  // One block for the layer, or one per node, at `offset` in the flat vector.
  const auto add = [&](const Layer& layer, const std::string& name, arma::uword offset) {
    if (layer.parameter_count() == 0) return;
    if (kind == BlockKind::layer) {
      out.push_back({name, arma::regspace<arma::uvec>(offset, offset + layer.parameter_count() - 1)});
      return;
    }
    const std::vector<arma::uvec> nodes = layer.node_blocks();
    for (std::size_t j = 0; j < nodes.size(); ++j)
      out.push_back({fmt::format("{} node {}", name, j), nodes[j] + offset});
  };
  for (std::size_t l = 0; l < layers_.size(); ++l) add(*layers_[l], layer_name(l), offsets_[l]);
  for (std::size_t h = 0; h < heads_.size(); ++h)
    add(*heads_[h], fmt::format("head {}:{}", h + 1, heads_[h]->describe()), head_offsets_[h]);
  return out;
}

std::vector<ParameterTensor> Sequential::parameter_tensors() const {
  std::vector<ParameterTensor> out;
  const auto add = [&](const Layer& layer, const std::string& prefix, arma::uword offset) {
    for (ParameterTensor tensor : layer.tensors()) {
      tensor.name = prefix + tensor.name;
      tensor.offset += offset;
      out.push_back(std::move(tensor));
    }
  };
  for (std::size_t l = 0; l < layers_.size(); ++l) add(*layers_[l], fmt::format("{}.", l), offsets_[l]);
  for (std::size_t h = 0; h < heads_.size(); ++h) add(*heads_[h], fmt::format("heads.{}.", h), head_offsets_[h]);
  return out;
}

std::string Sequential::layer_name(arma::uword layer) const {
  if (layer >= layers_.size()) throw DataError(fmt::format("{}: no layer {}", identity(), layer));
  return fmt::format("{}:{}", layer, layers_[layer]->describe());
}

LayerInfo Sequential::layer_info(arma::uword layer) const {
  if (layer >= layers_.size()) throw DataError(fmt::format("{}: no layer {}", identity(), layer));
  const Layer& stage = *layers_[layer];
  return {.inputs = stage.input_size(),
          .outputs = stage.output_size(),
          .offset = offsets_[layer],
          .parameters = stage.parameter_count(),
          .dense = dynamic_cast<const Dense*>(&stage) != nullptr,
          .elementwise = dynamic_cast<const Activation*>(&stage) != nullptr};
}

std::vector<arma::mat> Sequential::activations(const arma::mat& inputs) {
  std::vector<arma::mat> out{inputs};
  for (arma::uword l = 0; l < layers_.size(); ++l) out.push_back(forward_range(out.back(), l, l + 1));
  return out;
}

arma::mat Sequential::forward_replaced(const arma::mat& inputs, arma::uword first, arma::uword last,
                                       const AffineMap& map) {
  if (first >= last || last > layers_.size())
    throw DataError(fmt::format("{}: cannot replace layers [{}, {}) of {}", identity(), first, last, layers_.size()));
  return forward_range(map.apply(forward_range(inputs, 0, first)), last, layers_.size());
}

std::string Sequential::description() const {
  std::string text;
  for (const auto& layer : layers_) text += layer->describe() + " | ";
  return text + "loss " + loss_->describe();
}

}  // namespace kooplab
