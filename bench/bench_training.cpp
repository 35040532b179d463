// Time of one MNIST-sized epoch (60 000 random 784-pixel samples, 10 classes)
// of a 784-100-10 relu MLP with Adam, at batch sizes 64 and 256:
//   - with BLAS on one thread (as inside a sweep's runs), in CPU seconds, in
//     float64 and float32 precision, beside PyTorch's epoch of the same
//     network at one thread, float64 and float32 (bench/epoch_torch.py mlp;
//     skipped when Debian's python3-torch is absent or KOOPLAB_NO_ANCHOR is set);
//   - with BLAS on two threads, in wall seconds (CPU time would add the threads).
// The fastest of three epochs counts.
#include <fmt/format.h>

#include <chrono>
#include <functional>

#include "adam_epoch.hpp"
#include "anchor.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/util/blas.hpp"
#include "random_images.hpp"
#include "timing.hpp"

namespace {

constexpr arma::uword samples = 60000, classes = 10;
constexpr int repeats = 3;

double best_wall_seconds(const std::function<void()>& work) {
  double best = 1e300;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    const auto start = std::chrono::steady_clock::now();
    work();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main() {
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  const auto mlp = [&](const std::string& precision) {
    return registry.create<kooplab::Network>(kooplab::Config::parse(
        "{name: mlp, layers: [784, 100, 10], activation: relu, precision: " + precision + "}", "bench"));
  };
  const auto network = mlp("float64"), single = mlp("float32");
  kooplab::Rng rng(0);
  const kooplab::LabeledSet set = kooplab::bench::random_images(rng, 784, classes, samples);

  fmt::print("## MLP 784-100-10, Adam, one thread: CPU seconds per {}-sample epoch (best of {})\n\n", samples, repeats);
  kooplab::set_blas_threads(1);
  const auto best_cpu_seconds = [](const std::function<void()>& work) {
    return kooplab::bench::seconds(work, repeats);
  };
  for (const arma::uword batch : {64, 256}) {
    // precision → seconds of kooplab's epoch, dtype → PyTorch's.
    const std::map<std::string, double> kooplab{
        {"float64", kooplab::bench::adam_epoch_seconds(*network, set, batch, best_cpu_seconds, rng)},
        {"float32", kooplab::bench::adam_epoch_seconds(*single, set, batch, best_cpu_seconds, rng)}};
    const auto torch = kooplab::bench::anchor_seconds(
        fmt::format("epoch_torch.py mlp {} {} {} float64 float32", samples, batch, repeats));
    kooplab::bench::print_beside_anchor(fmt::format("batch {}: ", batch), kooplab, torch);
  }

  fmt::print("\n## The same, BLAS on two threads: wall seconds per epoch (best of {})\n\n", repeats);
  kooplab::set_blas_threads(2);
  for (const arma::uword batch : {64, 256})
    fmt::print("batch {}: kooplab float64 {:.3f} s\n", batch,
               kooplab::bench::adam_epoch_seconds(*network, set, batch, best_wall_seconds, rng));
}
