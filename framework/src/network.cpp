#include "kooplab/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "kooplab/error.hpp"

namespace kooplab {

Network::~Network() = default;

arma::mat AffineMap::apply(const arma::mat& inputs) const {
  if (matrix.n_cols != inputs.n_rows)
    throw DataError(fmt::format("affine map takes {} inputs, got {}", matrix.n_cols, inputs.n_rows));
  arma::mat out = matrix * inputs;
  if (!offset.is_empty()) {
    if (offset.n_elem != matrix.n_rows)
      throw DataError(fmt::format("affine map offset has {} entries for {} outputs", offset.n_elem, matrix.n_rows));
    out.each_col() += offset;
  }
  return out;
}

std::vector<ParameterBlock> quasi_node_blocks(const Network& network, const std::vector<arma::uword>& group_sizes) {
  const std::vector<ParameterBlock> layers = network.blocks(BlockKind::layer);
  if (group_sizes.size() != layers.size())
    throw ConfigError(fmt::format("{}: Quasi-Node blocks need one group size per layer with parameters ({}), got {}",
                                  network.identity(), layers.size(), group_sizes.size()));
  // A node belongs to the layer whose parameters hold its first entry.
  const auto layer_of = [&](const ParameterBlock& node) {
    for (std::size_t k = 0; k < layers.size(); ++k)
      if (arma::any(layers[k].indices == node.indices(0))) return k;
    throw DataError(fmt::format("{}: node block '{}' lies in no layer", network.identity(), node.name));
  };
  std::vector<ParameterBlock> out;
  for (const ParameterBlock& node : network.blocks(BlockKind::node)) {
    const arma::uword size = node.indices.n_elem, group = group_sizes[layer_of(node)];
    if (group == 0 || group >= size) {
      out.push_back(node);
      continue;
    }
    for (arma::uword first = 0; first < size; first += group)
      out.push_back({fmt::format("{} group {}", node.name, first / group),
                     node.indices.subvec(first, std::min(size, first + group) - 1)});
  }
  return out;
}

std::vector<ParameterTensor> Network::parameter_tensors() const {
  const arma::uword size = parameters().n_elem;
  return {{"parameters", {size}, 0, size, false}};
}

void Network::set_parameters(const arma::vec& values) {
  arma::vec& own = parameters();
  if (values.n_elem != own.n_elem)
    throw DataError(fmt::format("{}: {} parameters given, the network has {}", identity(), values.n_elem, own.n_elem));
  own = values;
}

// File layout: a text line "kooplab-network 1", the description line, the
// parameter count line, then the parameters as raw float64.
void Network::save(const std::filesystem::path& file) const {
  const std::filesystem::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    const arma::vec& values = parameters();
    out << "kooplab-network 1\n" << description() << '\n' << values.n_elem << '\n';
    out.write(reinterpret_cast<const char*>(values.memptr()), std::streamsize(values.n_elem * sizeof(double)));
    if (!out) throw DataError(fmt::format("cannot write network file {}", partial.string()));
  }
  std::filesystem::rename(partial, file);  // readers never see half a file
}

void Network::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(fmt::format("cannot open network file {}", file.string()));
  std::string magic, architecture, count_line;
  std::getline(in, magic);
  std::getline(in, architecture);
  std::getline(in, count_line);
  if (magic != "kooplab-network 1") throw DataError(fmt::format("{} is not a kooplab network file", file.string()));
  if (architecture != description())
    throw DataError(fmt::format("{} holds '{}', not '{}'", file.string(), architecture, description()));
  arma::vec& own = parameters();
  if (count_line != std::to_string(own.n_elem))
    throw DataError(fmt::format("{} holds {} parameters, expected {}", file.string(), count_line, own.n_elem));
  arma::vec values(own.n_elem);
  in.read(reinterpret_cast<char*>(values.memptr()), std::streamsize(values.n_elem * sizeof(double)));
  if (in.gcount() != std::streamsize(values.n_elem * sizeof(double)))
    throw DataError(fmt::format("{} is truncated", file.string()));
  own = values;
}

double accuracy(const arma::mat& outputs, const arma::uvec& labels) {
  if (outputs.n_cols != labels.n_elem)
    throw DataError(fmt::format("accuracy: {} outputs for {} labels", outputs.n_cols, labels.n_elem));
  if (labels.is_empty()) return 0.0;
  const arma::urowvec predicted = arma::index_max(outputs, 0);
  return double(arma::accu(predicted.t() == labels)) / double(labels.n_elem);
}

}  // namespace kooplab
