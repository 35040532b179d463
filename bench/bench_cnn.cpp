// Time of one training epoch of the CNN of koopman-mode-analysis.md (conv
// 5×5 ×16 → pool → conv 5×5 ×32 → pool → dense 100 → dense 10, Adam, batch 64)
// on random 28×28 images, BLAS at one thread (as inside a run), in float64 and
// float32 precision, beside PyTorch's epoch of the same network at one thread,
// float64 and float32, in the same process run (bench/epoch_torch.py cnn). The anchor is skipped when
// Debian's python3-torch is absent (KOOPLAB_PYTHON names another interpreter)
// or KOOPLAB_NO_ANCHOR is set.
//
// Times are CPU seconds of one thread (the machine may be shared), scaled to a
// 60 000-image MNIST epoch; the fastest repeat counts.
// Usage: bench_cnn [SAMPLES [REPEATS]]   (default 6000 samples, 2 repeats)
#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <string>

#include "adam_epoch.hpp"
#include "anchor.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/util/blas.hpp"
#include "random_images.hpp"
#include "timing.hpp"

namespace {

constexpr arma::uword mnist_epoch = 60000, batch = 64;

// CPU time of the calling thread (BLAS runs on it): on a shared machine it
// counts the work, not the wait.
double kooplab_epoch_seconds(const kooplab::Registry& registry, const std::string& precision, arma::uword samples,
                             int repeats) {
  const auto network =
      registry.create<kooplab::Network>(kooplab::Config::parse("{name: cnn, precision: " + precision + "}", "bench"));
  kooplab::Rng rng(0);
  const kooplab::LabeledSet set = kooplab::bench::random_images(rng, 784, 10, samples);
  return kooplab::bench::adam_epoch_seconds(
      *network, set, batch, [&](const std::function<void()>& work) { return kooplab::bench::seconds(work, repeats); },
      rng);
}

}  // namespace

int main(int argc, char** argv) {
  const arma::uword samples = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 6000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 2;
  const double scale = double(mnist_epoch) / double(samples);
  kooplab::set_blas_threads(1);
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  // precision → seconds of kooplab's epoch.
  const std::map<std::string, double> kooplab{
      {"float64", scale * kooplab_epoch_seconds(registry, "float64", samples, repeats)},
      {"float32", scale * kooplab_epoch_seconds(registry, "float32", samples, repeats)}};
  // dtype → seconds of PyTorch's epoch.
  const auto torch = kooplab::bench::anchor_seconds(
      fmt::format("epoch_torch.py cnn {} {} {} float64 float32", samples, batch, repeats));
  fmt::print(
      "CNN 16/32 5x5, FC 100, Adam, batch {}, one thread; CPU seconds per {}-image epoch (timed on {}, best of {})\n",
      batch, mnist_epoch, samples, repeats);
  std::map<std::string, double> anchor;
  for (const auto& [dtype, seconds] : torch) anchor[dtype] = scale * seconds;
  kooplab::bench::print_beside_anchor("", kooplab, anchor);
}
