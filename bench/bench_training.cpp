// Time of one MNIST-sized epoch (60 000 random 784-pixel samples, 10 classes)
// of a 784-100-10 relu MLP with Adam, at batch sizes 64 and 256, with BLAS on
// one thread (as inside a sweep's runs) and on two.
#include <fmt/format.h>

#include <chrono>

#include "kooplab/network.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/util/blas.hpp"
#include "random_images.hpp"

int main() {
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  const auto network = registry.create<kooplab::Network>(
      kooplab::Config::parse("name: mlp\nlayers: [784, 100, 10]\nactivation: relu", "bench"));
  kooplab::Rng rng(0);
  const arma::uword samples = 60000, classes = 10;
  const kooplab::LabeledSet set = kooplab::bench::random_images(rng, 784, classes, samples);
  for (const int threads : {1, 2}) {
    kooplab::set_blas_threads(threads);
    for (const arma::uword batch : {64, 256}) {
      network->initialise(rng);
      const auto optimizer = kooplab::make_optimizer(kooplab::Config::parse("name: adam", "bench"));
      kooplab::TrainingOptions options;
      options.epochs = 1;
      options.batch_size = batch;
      options.evaluate = false;
      for (int repeat = 1; repeat <= 3; ++repeat) {
        const auto start = std::chrono::steady_clock::now();
        kooplab::train(*network, *optimizer, set, {}, options, rng);
        const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
        fmt::print("mlp 784-100-10, adam, batch {:3}, BLAS threads {}: epoch {} of 60000 samples in {:.3f} s\n", batch,
                   threads, repeat, seconds.count());
      }
    }
  }
}
