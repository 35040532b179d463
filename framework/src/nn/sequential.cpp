#include "kooplab/nn/sequential.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

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

// `to` = `from` in another precision; resized only when the shape differs, so
// the parameter vectors the layers are bound to keep their memory.
template <typename To, typename From>
void convert(const arma::Mat<From>& from, arma::Mat<To>& to) {
  to.set_size(from.n_rows, from.n_cols);
  std::transform(from.begin(), from.end(), to.begin(), [](From value) { return To(value); });
}

}  // namespace

Sequential::Sequential(std::vector<std::unique_ptr<Layer>> layers, const LossOptions& loss, Init init,
                       std::optional<std::filesystem::path> weights, Precision precision)
    : init_(init), weights_(std::move(weights)) {
  chain_.layers = std::move(layers);
  const auto& stages = chain_.layers;
  auto& heads = chain_.heads;
  if (stages.empty()) throw ConfigError("a sequential network needs at least one layer");
  chain_.outputs.resize(stages.size());
  chain_.deltas.resize(stages.size());
  taps_ = hidden_outputs(stages);
  loss_ = make_loss(loss, taps_.size());
  arma::uword total = 0;
  for (std::size_t l = 0; l < stages.size(); ++l) {
    if (l > 0 && stages[l - 1]->output_size() != stages[l]->input_size())
      throw ConfigError(fmt::format("layer {} ({}) gives {} values but layer {} ({}) takes {}", l - 1,
                                    stages[l - 1]->describe(), stages[l - 1]->output_size(), l, stages[l]->describe(),
                                    stages[l]->input_size()));
    offsets_.push_back(total);
    total += stages[l]->parameter_count();
  }
  if (loss_->uses_heads()) {
    for (const arma::uword tap : taps_) {
      heads.push_back(std::make_unique<Dense>(stages[tap]->output_size(), stages.back()->output_size()));
      head_offsets_.push_back(total);
      total += heads.back()->parameter_count();
    }
    chain_.head_outputs.resize(heads.size());
  }
  parameters_.zeros(total);
  gradient_.zeros(total);
  for (std::size_t l = 0; l < stages.size(); ++l)
    stages[l]->bind(parameters_.memptr() + offsets_[l], gradient_.memptr() + offsets_[l]);
  for (std::size_t h = 0; h < heads.size(); ++h)
    heads[h]->bind(parameters_.memptr() + head_offsets_[h], gradient_.memptr() + head_offsets_[h]);
  if (precision == Precision::float32) make_single_precision();
}

void Sequential::make_single_precision() {
  single_ = std::make_unique<SinglePrecision>();
  LayerChain<float>& twin = single_->chain;
  single_->parameters.zeros(parameters_.n_elem);
  single_->gradient.zeros(parameters_.n_elem);
  float* const parameters = single_->parameters.memptr();
  float* const gradient = single_->gradient.memptr();
  for (std::size_t l = 0; l < chain_.layers.size(); ++l) {
    twin.layers.push_back(chain_.layers[l]->single_precision());
    twin.layers.back()->bind(parameters + offsets_[l], gradient + offsets_[l]);
  }
  for (std::size_t h = 0; h < chain_.heads.size(); ++h) {
    const Dense& head = *chain_.heads[h];
    twin.heads.push_back(std::make_unique<BasicDense<float>>(head.input_size(), head.output_size()));
    twin.heads.back()->bind(parameters + head_offsets_[h], gradient + head_offsets_[h]);
  }
  twin.outputs.resize(twin.layers.size());
  twin.deltas.resize(twin.layers.size());
  twin.head_outputs.resize(twin.heads.size());
}

void Sequential::initialise(Rng& rng) {
  draw(rng);
  if (weights_) read_parameters(*this, *weights_);
}

void Sequential::draw(Rng& rng) {
  for (auto& layer : chain_.layers) layer->initialise(init_, rng);
  for (auto& head : chain_.heads) head->initialise(init_, rng);
}

arma::mat Sequential::forward_range(const arma::mat& inputs, arma::uword first, arma::uword last) {
  if (first > last || last > chain_.layers.size())
    throw DataError(
        fmt::format("{}: layer range [{}, {}) outside 0..{}", identity(), first, last, chain_.layers.size()));
  if (first == last) return inputs;
  if (inputs.n_rows != chain_.layers[first]->input_size())
    throw DataError(fmt::format("{}: layer {} ({}) takes {} values per sample, got {}", identity(), first,
                                chain_.layers[first]->describe(), chain_.layers[first]->input_size(), inputs.n_rows));
  arma::mat result(chain_.layers[last - 1]->output_size(), inputs.n_cols);
  if (single_) {
    convert(parameters_, single_->parameters);
    forward_chunks(single_->chain, inputs, first, last, result);
  } else {
    forward_chunks(chain_, inputs, first, last, result);
  }
  return result;
}

template <typename T>
void Sequential::forward_chunks(LayerChain<T>& chain, const arma::mat& inputs, arma::uword first, arma::uword last,
                                arma::mat& result) {
  for (arma::uword start = 0; start < inputs.n_cols; start += evaluation_chunk) {
    const arma::uword end = std::min(inputs.n_cols, start + evaluation_chunk) - 1;
    // In double the chunk and its result are plain copies, as before float32 existed.
    if constexpr (std::is_same_v<T, double>)
      chain.chunk = inputs.cols(start, end);
    else
      chain.chunk = arma::conv_to<arma::Mat<T>>::from(inputs.cols(start, end));
    const arma::Mat<T>* in = &chain.chunk;
    for (arma::uword l = first; l < last; ++l) {
      chain.layers[l]->forward(*in, chain.outputs[l]);
      in = &chain.outputs[l];
    }
    if constexpr (std::is_same_v<T, double>)
      result.cols(start, end) = *in;
    else
      result.cols(start, end) = arma::conv_to<arma::mat>::from(*in);
  }
}

arma::mat Sequential::forward(const arma::mat& inputs) { return forward_range(inputs, 0, chain_.layers.size()); }

double Sequential::loss(const arma::mat& outputs, const arma::mat& targets) const {
  return loss_->value(outputs, targets);
}

double Sequential::loss_and_gradient(const arma::mat& inputs, const arma::mat& targets) {
  if (inputs.n_rows != input_size())
    throw DataError(fmt::format("{}: takes {} inputs per sample, got {}", identity(), input_size(), inputs.n_rows));
  if (!single_) return train_pass(chain_, inputs, targets);
  convert(parameters_, single_->parameters);
  convert(inputs, single_->chain.chunk);
  const double value = train_pass(single_->chain, single_->chain.chunk, targets);
  convert(single_->gradient, gradient_);
  return value;
}

template <typename T>
double Sequential::train_pass(LayerChain<T>& chain, const arma::Mat<T>& inputs, const arma::mat& targets) {
  const auto& layers = chain.layers;
  const auto& heads = chain.heads;
  auto& outputs = chain.outputs;
  auto& deltas = chain.deltas;
  const std::size_t count = layers.size();
  const arma::Mat<T>* in = &inputs;
  for (std::size_t l = 0; l < count; ++l) {
    layers[l]->forward(*in, outputs[l]);
    in = &outputs[l];
  }
  for (std::size_t h = 0; h < heads.size(); ++h) heads[h]->forward(outputs[taps_[h]], chain.head_outputs[h]);
  const double value = loss_and_deltas(chain, targets);
  std::size_t head = heads.size();  // heads read stages in increasing order; walk them backwards
  for (std::size_t l = count; l-- > 0;) {
    layers[l]->backward(l > 0 ? outputs[l - 1] : inputs, outputs[l], deltas[l], l > 0 ? &deltas[l - 1] : nullptr);
    // A head on stage l − 1 adds its part of dL/d(output of l − 1).
    if (head > 0 && l > 0 && taps_[head - 1] == l - 1) {
      --head;
      heads[head]->backward(outputs[l - 1], chain.head_outputs[head], chain.head_deltas[head], &chain.head_grad_in);
      deltas[l - 1] += chain.head_grad_in;
    }
  }
  return value;
}

template <typename T>
double Sequential::loss_and_deltas(LayerChain<T>& chain, const arma::mat& targets) {
  if constexpr (std::is_same_v<T, double>) {
    return loss_->value_and_delta(chain.outputs.back(), chain.head_outputs, targets, chain.deltas.back(),
                                  chain.head_deltas);
  } else {
    SinglePrecision& side = *single_;
    convert(chain.outputs.back(), side.outputs);
    side.heads.resize(chain.head_outputs.size());
    for (std::size_t h = 0; h < side.heads.size(); ++h) convert(chain.head_outputs[h], side.heads[h]);
    const double value = loss_->value_and_delta(side.outputs, side.heads, targets, side.delta, side.head_deltas);
    convert(side.delta, chain.deltas.back());
    chain.head_deltas.resize(side.head_deltas.size());
    for (std::size_t h = 0; h < side.head_deltas.size(); ++h) convert(side.head_deltas[h], chain.head_deltas[h]);
    return value;
  }
}

Sequential::Tangent Sequential::forward_tangent(const arma::mat& inputs, const arma::mat& direction) {
  if (inputs.n_rows != input_size() || direction.n_rows != inputs.n_rows || direction.n_cols != inputs.n_cols)
    throw DataError(
        fmt::format("{}: forward mode takes {} × m inputs and a direction of the same size, got {} × {} and {} × {}",
                    identity(), input_size(), inputs.n_rows, inputs.n_cols, direction.n_rows, direction.n_cols));
  const std::size_t count = chain_.layers.size();
  tangents_.resize(count);
  tangent_deltas_.resize(count);
  const arma::mat* in = &inputs;
  const arma::mat* in_tangent = &direction;
  for (std::size_t l = 0; l < count; ++l) {
    chain_.layers[l]->forward(*in, chain_.outputs[l]);
    chain_.layers[l]->forward_tangent(*in, chain_.outputs[l], *in_tangent, tangents_[l]);
    in = &chain_.outputs[l];
    in_tangent = &tangents_[l];
  }
  return {chain_.outputs.back(), tangents_.back()};
}

void Sequential::backward_tangent(const arma::mat& inputs, const arma::mat& direction, const arma::mat& grad_outputs,
                                  const arma::mat& grad_derivative) {
  const std::size_t count = chain_.layers.size();
  if (tangents_.size() != count || tangents_.back().n_cols != inputs.n_cols)
    throw DataError(fmt::format("{}: backward_tangent needs forward_tangent on the same inputs first", identity()));
  chain_.deltas.back() = grad_outputs;
  tangent_deltas_.back() = grad_derivative;
  for (std::size_t l = count; l-- > 0;) {
    const bool first = l == 0;
    chain_.layers[l]->backward_tangent(first ? inputs : chain_.outputs[l - 1], chain_.outputs[l],
                                       first ? direction : tangents_[l - 1], chain_.deltas[l], tangent_deltas_[l],
                                       first ? nullptr : &chain_.deltas[l - 1],
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
  for (std::size_t l = 0; l < chain_.layers.size(); ++l) add(*chain_.layers[l], layer_name(l), offsets_[l]);
  for (std::size_t h = 0; h < chain_.heads.size(); ++h)
    add(*chain_.heads[h], fmt::format("head {}:{}", h + 1, chain_.heads[h]->describe()), head_offsets_[h]);
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
  for (std::size_t l = 0; l < chain_.layers.size(); ++l) add(*chain_.layers[l], fmt::format("{}.", l), offsets_[l]);
  for (std::size_t h = 0; h < chain_.heads.size(); ++h)
    add(*chain_.heads[h], fmt::format("heads.{}.", h), head_offsets_[h]);
  return out;
}

std::string Sequential::layer_name(arma::uword layer) const {
  if (layer >= chain_.layers.size()) throw DataError(fmt::format("{}: no layer {}", identity(), layer));
  return fmt::format("{}:{}", layer, chain_.layers[layer]->describe());
}

LayerInfo Sequential::layer_info(arma::uword layer) const {
  if (layer >= chain_.layers.size()) throw DataError(fmt::format("{}: no layer {}", identity(), layer));
  const Layer& stage = *chain_.layers[layer];
  return {.inputs = stage.input_size(),
          .outputs = stage.output_size(),
          .offset = offsets_[layer],
          .parameters = stage.parameter_count(),
          .dense = dynamic_cast<const Dense*>(&stage) != nullptr,
          .elementwise = dynamic_cast<const Activation*>(&stage) != nullptr};
}

std::vector<arma::mat> Sequential::activations(const arma::mat& inputs) {
  std::vector<arma::mat> out{inputs};
  for (arma::uword l = 0; l < chain_.layers.size(); ++l) out.push_back(forward_range(out.back(), l, l + 1));
  return out;
}

arma::mat Sequential::forward_replaced(const arma::mat& inputs, arma::uword first, arma::uword last,
                                       const AffineMap& map) {
  if (first >= last || last > chain_.layers.size())
    throw DataError(
        fmt::format("{}: cannot replace layers [{}, {}) of {}", identity(), first, last, chain_.layers.size()));
  return forward_range(map.apply(forward_range(inputs, 0, first)), last, chain_.layers.size());
}

std::string Sequential::description() const {
  std::string text;
  for (const auto& layer : chain_.layers) text += layer->describe() + " | ";
  text += "loss " + loss_->describe();
  return single_ ? text + " | float32" : text;
}

}  // namespace kooplab
