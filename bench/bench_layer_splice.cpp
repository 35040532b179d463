// Inference time per sample of a 784-100-100-100-100-10 relu MLP and of the
// same network with its three middle layers (hidden states 1 to 4) replaced
// by a Koopman block on [1; x] (K = ψ(Y)ψ(X)⁺ and the least-squares decoder),
// whole and truncated to ranks 30 and 10, on 10 000 random 784-pixel samples
// (random weights: time does not depend on training), BLAS on one thread.
#include <fmt/format.h>

#include <chrono>

#include "kooplab/koopman/koopman_block.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/hidden_states.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/util/blas.hpp"

namespace {

// Best of three passes over `inputs`, in µs per sample.
template <class Forward>
double microseconds_per_sample(const arma::mat& inputs, Forward forward) {
  double best = 1e300;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const auto start = std::chrono::steady_clock::now();
    const arma::mat outputs = forward(inputs);
    const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count() / double(outputs.n_cols));
  }
  return best;
}

}  // namespace

int main() {
  kooplab::set_blas_threads(1);
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  const auto network = registry.create<kooplab::Network>(
      kooplab::Config::parse("name: mlp\nlayers: [784, 100, 100, 100, 100, 10]\nactivation: relu", "bench"));
  const auto dictionary = registry.create<kooplab::Observable>(
      kooplab::Config::parse("name: polynomial\ndegree: 1\nconstant: true", "bench"));
  kooplab::Rng rng(0);
  network->initialise(rng);
  const arma::mat inputs = rng.uniform(784, 10000);

  const kooplab::LayerBlock block = kooplab::layer_block(*network, {.from = 1, .to = 4}, "bench");
  const kooplab::Trajectories data = kooplab::activation_trajectories(*network, inputs, block);
  const kooplab::SnapshotPairs pairs = data.pairs();
  const arma::mat states = data.all_states();
  const kooplab::KoopmanBlock whole(
      dictionary, kooplab::least_squares_map(dictionary->evaluate(pairs.y), dictionary->evaluate(pairs.x)),
      kooplab::least_squares_map(states, dictionary->evaluate(states)), 1);

  fmt::print("original network ({} parameters): {:.3f} µs per sample\n", network->parameters().n_elem,
             microseconds_per_sample(inputs, [&](const arma::mat& x) { return network->forward(x); }));
  for (const arma::uword rank : {101, 30, 10}) {
    const kooplab::KoopmanBlock spliced = whole.truncated(rank, "bench");
    fmt::print("spliced, K of rank {:3} (block {} → {} parameters): {:.3f} µs per sample\n", spliced.rank(),
               block.parameters, spliced.parameter_count(), microseconds_per_sample(inputs, [&](const arma::mat& x) {
                 return kooplab::forward_spliced(*network, x, block, spliced);
               }));
  }
}
