// The core's costs as ratios measured in one run (issue: speed of the core):
//   - dmd fit ÷ a bare thin SVD (LAPACK divide and conquer) of the same X, at
//     20000 × 500 (rank 50 and full) and 2000 × 2000 (full), beside the floor
//     of exact DMD: the SVD plus the products no implementation avoids
//     (B = Y V Σ⁻¹, Ã = Uᵀ B, eig(Ã), the exact modes B Wᵣ with W in real
//     form), and beside the two further n × r × r steps the model's contract
//     asks for, timed alone: U Wᵣ for the residuals ‖B w_i − λ_i U w_i‖ and
//     the QR of B for the least-squares amplitudes;
//   - dmd fit against a lean NumPy exact DMD of the same shape
//     (bench/dmd_numpy.py, when python3-numpy is present and
//     KOOPLAB_NO_ANCHOR is not set; see anchor.hpp), and NumPy's fit ÷ its
//     own SVD; the same against PyDMD's DMD.fit when pydmd is importable;
//   - dmd_rrr with refined vectors (refine: all, 10, none) ÷ the SVD, 20000 × 500;
//   - the spectrum application's metrics after a dmd fit (one_step_error with
//     advance() on every pair, reconstruction_error with reconstruct()) ÷ the fit;
//   - one koopman_training step over the 70 node blocks of a 784:20:20:20:10
//     MLP (operators of 200 recorded steps, rank full and 2), and over its
//     16750 single weights, against one Adadelta step on a batch of 64.
// Random Gaussian data. Times are CPU seconds of the calling thread, BLAS on
// one thread (scripts/bench.sh sets it), the best of a few repeats: on a
// shared machine wall time mostly measures the other jobs.
// Usage: bench_core [--quick]; --quick leaves out refine: all at 20000 × 500.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "anchor.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/householder_qr.hpp"
#include "kooplab/koopman/koopman_training.hpp"
#include "kooplab/koopman/prediction_error.hpp"
#include "kooplab/koopman/real_eigenvectors.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/training.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/util/blas.hpp"
#include "random_images.hpp"
#include "timing.hpp"

namespace {

using kooplab::bench::seconds;
using kooplab::bench::svd_seconds;

// The work every exact DMD does: SVD, B = Y V Σ⁻¹, Ã = Uᵀ B, eig(Ã), modes B Wᵣ;
// then, timed apart, what the model's contract adds: U Wᵣ (residuals) and the
// QR of B (amplitudes).
struct ExactDmdSteps {
  double floor, residuals, amplitudes;
};
ExactDmdSteps exact_dmd_steps(const arma::mat& x, const arma::mat& y, arma::uword rank, int repeats) {
  arma::mat u_kept, b_kept;
  arma::cx_mat w_kept;
  // Fresh matrices in every repeat, as a fit allocates them.
  const double floor = seconds(
      [&] {
        arma::mat u, v;
        arma::vec s;
        arma::svd_econ(u, s, v, x, "both", "dc");
        arma::mat b = y * v.head_cols(rank);
        b.each_row() /= s.head(rank).t();
        arma::cx_vec lambda;
        arma::cx_mat w;
        arma::eig_gen(lambda, w, arma::mat(u.head_cols(rank).t() * b));
        const arma::mat modes = b * kooplab::RealEigenvectors(w).columns();
        u_kept = std::move(u);
        b_kept = std::move(b);
        w_kept = std::move(w);
      },
      repeats);
  const arma::mat u_rank = u_kept.head_cols(rank), w_real = kooplab::RealEigenvectors(w_kept).columns();
  const double residuals = seconds([&] { const arma::mat uw = u_rank * w_real; }, repeats);
  // In place, as the fit does it on its own B.
  const double amplitudes = seconds([&] { const kooplab::HouseholderQr qr(std::move(b_kept), "bench"); }, 1);
  return {floor, residuals, amplitudes};
}

std::string ratio_or_dash(const std::map<std::string, double>& anchor, const std::string& label, double time) {
  const auto found = anchor.find(label);
  return found == anchor.end() ? "—" : fmt::format("{:.2f}", found->second / time);
}

struct Shape {
  arma::uword rows, snapshots;
  std::string rank;
};

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  // label → seconds of NumPy's exact DMD (label_svd: its SVD).
  const std::map<std::string, double> numpy = kooplab::bench::anchor_seconds("dmd_numpy.py");
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  kooplab::Rng rng(1);
  const auto estimator = [&](const std::string& yaml) {
    return registry.create<kooplab::Estimator>(kooplab::Config::parse(yaml, "bench"));
  };

  fmt::print("## dmd fit ÷ thin SVD of X (target ≤ 1.5 at rank ≪ snapshots, ≤ 2.0 at full rank)\n\n");
  const bool with_pydmd = std::ranges::any_of(numpy, [](const auto& entry) { return entry.first.ends_with("_pydmd"); });
  if (numpy.empty())
    fmt::print("(NumPy anchor skipped: python3-numpy absent or KOOPLAB_NO_ANCHOR set)\n\n");
  else if (!with_pydmd)
    fmt::print("(PyDMD columns skipped: the module pydmd is not importable)\n\n");
  fmt::print(
      "| X | rank | SVD (s) | dmd fit (s) | fit ÷ SVD | floor ÷ SVD | + U Wᵣ ÷ SVD | + QR(B) ÷ SVD | metrics (s) | "
      "metrics ÷ fit |{}{}\n",
      numpy.empty() ? "" : " NumPy exact DMD ÷ dmd | NumPy fit ÷ its SVD |",
      with_pydmd ? " PyDMD fit ÷ dmd | PyDMD fit ÷ NumPy's SVD |" : "");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|{}{}\n", numpy.empty() ? "" : "---|---|",
             with_pydmd ? "---|---|" : "");
  for (const Shape& shape : std::vector<Shape>{{20000, 500, "50"}, {20000, 500, "full"}, {2000, 2000, "full"}}) {
    kooplab::Trajectories data;
    data.runs.push_back(rng.normal(shape.rows, shape.snapshots + 1));
    const int repeats = shape.snapshots > 1000 ? 1 : 2;
    const double svd = svd_seconds(data.runs.front().head_cols(shape.snapshots), repeats);
    const auto dmd = estimator("name: dmd\nrank: " + shape.rank);
    kooplab::KoopmanModel model;
    const double fit = seconds([&] { model = dmd->fit(data, nullptr, rng); }, repeats);
    // What the spectrum application computes after the fit.
    double sink = 0;
    const double metrics = seconds(
        [&] {
          sink += kooplab::one_step_error(model, data);
          sink += kooplab::reconstruction_error(model, data.runs.front()).fitted;
        },
        repeats);
    const kooplab::SnapshotPairs pairs = data.pairs();
    const ExactDmdSteps steps = exact_dmd_steps(pairs.x, pairs.y, model.rank(), repeats);
    const std::string label = fmt::format("dmd_{}x{}_rank_{}", shape.rows, shape.snapshots, shape.rank);
    fmt::print("| {} × {} | {} | {:.3f} | {:.3f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.3f} | {:.2f} |", shape.rows,
               shape.snapshots, shape.rank, svd, fit, fit / svd, steps.floor / svd, steps.residuals / svd,
               steps.amplitudes / svd, metrics, metrics / fit);
    if (!numpy.empty())
      fmt::print(" {} | {} |", ratio_or_dash(numpy, label, fit),
                 numpy.contains(label + "_svd") ? ratio_or_dash(numpy, label, numpy.at(label + "_svd")) : "—");
    if (with_pydmd)
      fmt::print(
          " {} | {} |", ratio_or_dash(numpy, label + "_pydmd", fit),
          numpy.contains(label + "_svd") ? ratio_or_dash(numpy, label + "_pydmd", numpy.at(label + "_svd")) : "—");
    fmt::print("\n");
    if (!std::isfinite(sink)) fmt::print("(non-finite metrics: λ^k overflows on this random data)\n");
    std::fflush(stdout);
  }

  fmt::print(
      "\n## dmd_rrr ÷ thin SVD of X, 20000 × 500, full rank\n\n| refine | fit (s) | fit ÷ SVD |\n|---|---|---|\n");
  {
    kooplab::Trajectories data;
    data.runs.push_back(rng.normal(20000, 501));
    const double svd = svd_seconds(data.runs.front().head_cols(500), 2);
    for (const std::string refine : {"none", "10", "all"}) {
      if (quick && refine == "all") {
        fmt::print("| all | (--quick) | |\n");
        continue;
      }
      std::shared_ptr<kooplab::Estimator> rrr;
      try {
        rrr = estimator("name: dmd_rrr\nrefine: " + refine);
      } catch (const kooplab::ConfigError&) {  // a build without `refine: N`
        fmt::print("| {} | — | — |\n", refine);
        continue;
      }
      const double fit = seconds([&] { rrr->fit(data, nullptr, rng); }, 1);
      fmt::print("| {} | {:.3f} | {:.2f} |\n", refine, fit, fit / svd);
      std::fflush(stdout);
    }
  }

  fmt::print(
      "\n## koopman_training: one Koopman step over node or single-weight blocks vs one optimizer step "
      "(target ≥ 10×)\n\n");
  fmt::print("| network | blocks | rank | Koopman step (ms) | Adadelta step, batch 64 (ms) | optimizer ÷ Koopman |\n");
  fmt::print("|---|---|---|---|---|---|\n");
  {
    const auto network = registry.create<kooplab::Network>(
        kooplab::Config::parse("name: mlp\nlayers: [784, 20, 20, 20, 10]\nactivation: relu", "bench"));
    network->initialise(rng);
    const arma::uword samples = 64 * 200;
    const kooplab::LabeledSet set = kooplab::bench::random_images(rng, 784, 10, samples);
    const auto optimizer = kooplab::make_optimizer(kooplab::Config::parse("name: adadelta", "bench"));
    kooplab::TrainingOptions options;
    options.batch_size = 64;
    options.evaluate = false;
    const double step = seconds([&] { kooplab::train(*network, *optimizer, set, {}, options, rng); }, 3) / 200.0;

    const arma::uword parameters = network->parameters().n_elem;
    // A random walk from the initial weights, like recorded training: the
    // operators stay near the identity, so 600 steps neither overflow nor underflow.
    arma::mat trajectory = 1e-3 * rng.normal(parameters, 201);
    trajectory.col(0) = network->parameters();
    trajectory = arma::cumsum(trajectory, 1);
    auto koopman_row = [&](kooplab::BlockKind kind, const std::string& kind_name, const std::string& rank) {
      std::vector<arma::uvec> blocks;
      for (const auto& block : network->blocks(kind)) blocks.push_back(block.indices);
      const kooplab::RankRule rule =
          kooplab::RankRule::options().read(kooplab::Config::parse("rank: " + rank, "bench"));
      const kooplab::PartitionedKoopmanOperator koopman(trajectory, blocks, rule);
      arma::vec weights = network->parameters();
      const int steps = 200;
      const double koopman_step = seconds(
                                      [&] {
                                        for (int k = 0; k < steps; ++k) koopman.advance(weights);
                                      },
                                      3) /
                                  double(steps);
      fmt::print("| 784:20:20:20:10 | {} {} | {} (mean r_b {:.1f}) | {:.4f} | {:.4f} | {:.1f} |\n", blocks.size(),
                 kind_name, rank, arma::mean(arma::conv_to<arma::vec>::from(koopman.ranks())), 1e3 * koopman_step,
                 1e3 * step, step / koopman_step);
      if (!weights.is_finite()) fmt::print("(the evolved weights overflowed)\n");
    };
    koopman_row(kooplab::BlockKind::node, "node", "full");
    koopman_row(kooplab::BlockKind::node, "node", "2");
    koopman_row(kooplab::BlockKind::weight, "weight", "full");
  }
  return 0;
}
