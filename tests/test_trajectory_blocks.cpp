// Trajectories read a block of snapshots at a time (kooplab/trajectory_blocks.hpp):
// the .npy reader's blocks against whole trajectories, the pair blocks' windows,
// and the block-wise fits and errors against the in-memory ones.
#include <doctest/doctest.h>

#include <algorithm>
#include <tuple>

#include "kooplab/data/array_trajectories.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/koopman/prediction_error.hpp"
#include "kooplab/koopman/spectrum_matching.hpp"
#include "npy_files.hpp"
#include "support.hpp"

namespace {

using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::metric;
using kooplab::testing::npy;
using kooplab::testing::write;

// Trajectories as a (K, steps, states) float64 stack in C order.
std::string stack_npy(const kooplab::Trajectories& data) {
  std::vector<double> values;
  for (const arma::mat& run : data.runs) values.insert(values.end(), run.begin(), run.end());
  return npy("<f8", false,
             "(" + std::to_string(data.runs.size()) + ", " + std::to_string(data.runs.front().n_cols) + ", " +
                 std::to_string(data.state_dim()) + ")",
             values);
}

kooplab::Trajectories polynomial_map(arma::uword trajectories, arma::uword steps) {
  kooplab::Rng rng(3);
  return kooplab::testing::make<kooplab::Dataset>(
             "name: polynomial_map\nterms: [[[0.9, [1, 0]]], [[0.5, [0, 1]], [0.3, [2, 0]]]]\n"
             "eigenvalues: [0.9, 0.5, 0.81]\ntrajectories: " +
             std::to_string(trajectories) + "\nsteps: " + std::to_string(steps))
      ->trajectories(rng);
}

// Blocks of another source, counting what is read.
class CountingBlocks : public kooplab::TrajectoryBlocks {
 public:
  explicit CountingBlocks(const kooplab::TrajectoryBlocks& source) : source_(source) {}
  arma::uword state_dim() const override { return source_.state_dim(); }
  std::size_t trajectory_count() const override { return source_.trajectory_count(); }
  arma::uword length(std::size_t k) const override { return source_.length(k); }
  std::optional<double> dt() const override { return source_.dt(); }
  arma::mat read(std::size_t k, arma::uword first, arma::uword count) const override {
    largest_ = std::max(largest_, count);
    total_ += count;
    return source_.read(k, first, count);
  }
  arma::uword largest() const { return largest_; }
  arma::uword total() const { return total_; }

 private:
  const kooplab::TrajectoryBlocks& source_;
  mutable arma::uword largest_ = 0, total_ = 0;
};

}  // namespace

TEST_CASE("npy blocks are the columns of the whole trajectories, in every layout, order and precision") {
  const auto folder = kooplab::testing::temporary_folder("blocks");
  // A (2, 4, 3) stack 0, 1, ..., 23 in C order: matrix k, row i, column j holds 12k + 3i + j.
  const std::vector<double> c_values = arma::conv_to<std::vector<double>>::from(arma::regspace(0, 23));
  std::vector<double> fortran_values(24);  // the same array in Fortran order: k fastest, then i, then j
  for (int k = 0; k < 2; ++k)
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 3; ++j) fortran_values[k + 2 * i + 8 * j] = 12 * k + 3 * i + j;
  const auto c_file = write(folder / "c.npy", npy("<f8", false, "(2, 4, 3)", c_values));
  const auto fortran_file = write(folder / "f.npy", npy(">f4", true, "(2, 4, 3)", fortran_values));
  for (const auto& file : {c_file, fortran_file})
    for (const auto layout : {kooplab::SnapshotLayout::rows, kooplab::SnapshotLayout::columns}) {
      CAPTURE(file);
      const auto whole = kooplab::npy_trajectories(file, {}, layout);
      const auto blocks = kooplab::npy_trajectory_blocks(file, {}, layout, 0.5);
      REQUIRE(blocks->trajectory_count() == 2);
      CHECK(blocks->state_dim() == whole.state_dim());
      CHECK(*blocks->dt() == 0.5);
      for (std::size_t k = 0; k < 2; ++k) {
        REQUIRE(blocks->length(k) == whole.runs[k].n_cols);
        for (arma::uword first = 0; first < blocks->length(k); ++first)
          for (arma::uword count = 1; first + count <= blocks->length(k); ++count)
            CHECK(arma::approx_equal(blocks->read(k, first, count), whole.runs[k].cols(first, first + count - 1),
                                     "absdiff", 0));
      }
    }
  CHECK(kooplab::npy_trajectory_blocks(c_file, {}, kooplab::SnapshotLayout::rows, std::nullopt)->read(1, 4, 0).n_cols ==
        0);
  // Rows layout: trajectory 1's snapshot 2 is row 2 of matrix 1, (18, 19, 20).
  const auto rows = kooplab::npy_trajectory_blocks(c_file, {}, kooplab::SnapshotLayout::rows, std::nullopt);
  CHECK(arma::approx_equal(rows->read(1, 2, 1), arma::mat(arma::vec{18, 19, 20}), "absdiff", 0));
  CHECK(contains(error_of<kooplab::DataError>([&] { rows->read(1, 3, 2); }),
                 "c.npy: rows 3..5 and columns 0..3 of matrix 1 are outside a stack of 2 matrices of 4 × 3"));
  // A NaN is named with its trajectory and step, in whichever block it is read.
  std::vector<double> with_nan = c_values;
  with_nan[12 + 3 * 2 + 1] = arma::datum::nan;
  const auto nan = kooplab::npy_trajectory_blocks(write(folder / "nan.npy", npy("<f8", false, "(2, 4, 3)", with_nan)),
                                                  {}, kooplab::SnapshotLayout::rows, std::nullopt);
  CHECK_NOTHROW(nan->read(1, 0, 2));
  CHECK(contains(error_of<kooplab::DataError>([&] { nan->read(1, 1, 3); }),
                 "nan.npy: trajectory 1 has a non-finite value (nan) at state 1, step 2"));
}

TEST_CASE("pair blocks: at most `pairs` pairs, led by their own trajectory's history") {
  const auto folder = kooplab::testing::temporary_folder("pair_blocks");
  const kooplab::Trajectories data = polynomial_map(2, 9);  // 10 snapshots each: pairs t = 0..8
  const auto blocks = kooplab::npy_trajectory_blocks(write(folder / "map.npy", stack_npy(data)), {},
                                                     kooplab::SnapshotLayout::rows, std::nullopt);
  CHECK(blocks->pair_count() == 18);
  std::vector<std::array<arma::uword, 4>> seen;  // trajectory, first, lead, count
  kooplab::for_each_pair_block(*blocks, 1, 2, 4, [&](const kooplab::PairBlock& block) {
    seen.push_back({block.trajectory, block.first, block.lead, block.count});
    const arma::mat& run = data.runs[block.trajectory];
    CHECK(arma::approx_equal(block.x(), run.cols(block.first, block.first + block.count - 1), "absdiff", 0));
    CHECK(arma::approx_equal(block.y(), run.cols(block.first + 1, block.first + block.count), "absdiff", 0));
    CHECK(arma::approx_equal(block.states.head_cols(block.lead), run.cols(block.first - block.lead, block.first - 1),
                             "absdiff", 0));
  });
  // Pairs t = 1..8 of each trajectory in blocks of 4, 4; the first block has one state before it.
  const std::vector<std::array<arma::uword, 4>> expected{{0, 1, 1, 4}, {0, 5, 2, 4}, {1, 1, 1, 4}, {1, 5, 2, 4}};
  CHECK(seen == expected);
}

TEST_CASE("spectrum with in_memory: false gives the in-memory fit and errors of edmd and streaming_dmd") {
  const auto folder = kooplab::testing::temporary_folder("spectrum_blocks");
  // Two trajectories of 12 000 snapshots (two blocks of pairs each) of a
  // rotation and a slow decay, which neither die out nor grow.
  kooplab::Rng rng(5);
  const auto file = write(folder / "rotation.npy",
                          stack_npy(kooplab::testing::make<kooplab::Dataset>(
                                        "name: linear_system\neigenvalues: [[0.6, 0.8], 0.9999]\ntrajectories: 2\n"
                                        "steps: 11999\nnoise: 0.01")
                                        ->trajectories(rng)));
  const std::string dataset = "dataset: {name: npy, path: " + file.string() + ", dt: 0.1}\n";
  const auto run = [&](const std::string& rest, bool in_memory) {
    const kooplab::Config config = kooplab::Config::parse(
        dataset + rest + "application: {name: spectrum, in_memory: " + (in_memory ? "true" : "false") + "}\n",
        "test.yaml");
    return kooplab::testing::run_application(config, 0);
  };
  for (const std::string& estimator :
       {std::string("estimator: {name: edmd, method: gram}\nobservable: {name: polynomial, degree: 2}\n"),
        std::string("estimator: {name: edmd, method: gram}\nobservable: {name: delay, delays: 3}\n"),
        std::string("estimator: {name: edmd, method: gram}\nobservable: {name: rbf, centres: 5, constant: true, state: "
                    "true}\n"),
        std::string("estimator: {name: streaming_dmd}\n")}) {
    CAPTURE(estimator);
    const kooplab::RunContext memory = run(estimator, true), blocks = run(estimator, false);
    const auto eigenvalues = [](const kooplab::RunContext& context) -> arma::cx_vec {
      return arma::vectorise(kooplab::testing::array<arma::cx_mat>(context, "eigenvalues"));
    };
    CHECK(kooplab::spectrum_distance(eigenvalues(memory), eigenvalues(blocks)) < 1e-12);
    for (const std::string name : {"one_step_error", "reconstruction_error", "max_residual", "spectral_radius"})
      CHECK(metric(blocks, name) == doctest::Approx(metric(memory, name)).epsilon(1e-9).scale(1e-14));
  }
  // Noise-free, the rotation's spectrum comes out exact from 4 blocks.
  const auto exact_file =
      write(folder / "exact.npy",
            stack_npy(kooplab::testing::make<kooplab::Dataset>("name: linear_system\neigenvalues: [[0.6, 0.8], "
                                                               "0.9999]\ntrajectories: 2\nsteps: 11999")
                          ->trajectories(rng)));
  const kooplab::Config exact = kooplab::Config::parse(
      "dataset: {name: npy, path: " + exact_file.string() +
          "}\nestimator: {name: edmd}\nobservable: {name: identity}\napplication: {name: spectrum, in_memory: false}\n",
      "test.yaml");
  const kooplab::RunContext context = kooplab::testing::run_application(exact, 0);
  CHECK(metric(context, "blocks_read") == 4);
  CHECK(metric(context, "one_step_error") < 1e-12);
  CHECK(kooplab::spectrum_distance(arma::cx_vec{{0.6, 0.8}, {0.6, -0.8}, 0.9999},
                                   arma::vectorise(kooplab::testing::array<arma::cx_mat>(context, "eigenvalues"))) <
        1e-12);
}

TEST_CASE("spectrum with in_memory: false names what cannot read or fit in blocks") {
  const auto folder = kooplab::testing::temporary_folder("spectrum_blocks_errors");
  const auto file = write(folder / "map.npy", stack_npy(polynomial_map(1, 20)));
  const auto run = [&](const std::string& yaml) {
    return error_of<kooplab::ConfigError>([&] {
      const kooplab::Config config = kooplab::Config::parse(yaml, "test.yaml");
      kooplab::testing::run_application(config, 0);
    });
  };
  const std::string blocks = "application: {name: spectrum, in_memory: false}\n";
  CHECK(contains(run("dataset: {name: linear_system, eigenvalues: [0.5]}\nestimator: {name: dmd}\n" + blocks),
                 "in_memory: false needs a dataset that reads in blocks (npy, hdf5); dataset 'linear_system' holds"));
  CHECK(contains(run("dataset: {name: npy, path: " + file.string() + "}\nestimator: {name: dmd}\n" + blocks),
                 "needs an estimator that fits from blocks (edmd, streaming_dmd); estimator 'dmd' needs its data"));
  CHECK(contains(run("dataset: {name: npy, path: " + file.string() +
                     "}\nestimator: {name: edmd, method: svd}\nobservable: {name: identity}\n" + blocks),
                 "estimator 'edmd': method svd needs every pair in memory"));
}

TEST_CASE("fits and errors from blocks read each snapshot about once, a block at a time") {
  const auto folder = kooplab::testing::temporary_folder("blocks_read");
  const auto file = write(folder / "map.npy", stack_npy(polynomial_map(3, 29999)));  // 90 000 snapshots
  const auto source = kooplab::npy_trajectory_blocks(file, {}, kooplab::SnapshotLayout::rows, std::nullopt);
  const arma::uword snapshots = 90000;
  const kooplab::Trajectories whole = kooplab::read_whole(*source);
  kooplab::Rng rng(0);
  for (const auto& [estimator, observable, history] : {std::tuple{"name: edmd", "name: polynomial\ndegree: 3", 0},
                                                       std::tuple{"name: edmd", "name: delay\ndelays: 4", 3},
                                                       std::tuple{"name: streaming_dmd", "name: identity", 0}}) {
    CAPTURE(std::string(estimator));
    CAPTURE(std::string(observable));
    const auto fitter = kooplab::testing::make<kooplab::Estimator>(estimator);
    const auto dictionary = kooplab::testing::make<kooplab::Observable>(observable);
    const CountingBlocks fit_reads(*source);
    const kooplab::KoopmanModel model =
        dynamic_cast<const kooplab::BlockEstimator&>(*fitter).fit_blocks(fit_reads, dictionary.get(), rng);
    // Blocks of 8192 pairs (small states) and their history; edmd reads the states twice
    // (the dictionary's sample, then the pairs), streaming_dmd once.
    CHECK(fit_reads.largest() == 8192 + 1 + history);
    CHECK(fit_reads.total() <= (std::string(estimator) == "name: edmd" ? 2.01 : 1.01) * snapshots);
    // The errors, read in blocks, are the in-memory ones.
    const CountingBlocks error_reads(*source);
    CHECK(kooplab::one_step_error(model, error_reads, history) ==
          doctest::Approx(kooplab::one_step_error(model, whole, history)).epsilon(1e-9));
    CHECK(kooplab::reconstruction_error(model, error_reads, 0).fitted ==
          doctest::Approx(kooplab::reconstruction_error(model, whole.runs[0]).fitted).epsilon(1e-9));
    CHECK(error_reads.largest() == 8192 + 1 + history);
    CHECK(error_reads.total() <= 2.01 * snapshots);
  }
}

TEST_CASE("blocks of large states stay within 32 MB") {
  CHECK(kooplab::snapshots_per_block(2) == 8192);
  CHECK(kooplab::snapshots_per_block(10000) == 419);  // 2^22 / 10 000
  CHECK(kooplab::snapshots_per_block(std::uint64_t(1) << 30) == 1);
  // Two rotations (e^{±0.3i}, e^{±0.7i}) seen through 10 000 random
  // directions, 1000 snapshots made as they are read: streaming_dmd reads
  // 419 pairs at a time, the one-step error 209.
  class Rotations : public kooplab::TrajectoryBlocks {
   public:
    Rotations() : directions_(arma::randn(10000, 4, arma::distr_param(0.0, 1.0))) {}
    arma::uword state_dim() const override { return directions_.n_rows; }
    std::size_t trajectory_count() const override { return 1; }
    arma::uword length(std::size_t) const override { return 1000; }
    std::optional<double> dt() const override { return std::nullopt; }
    arma::mat read(std::size_t, arma::uword first, arma::uword count) const override {
      const arma::rowvec t = arma::regspace<arma::rowvec>(double(first), double(first + count) - 0.5);
      return directions_ * arma::join_cols(arma::join_cols(arma::cos(0.3 * t), arma::sin(0.3 * t)),
                                           arma::join_cols(arma::cos(0.7 * t), arma::sin(0.7 * t)));
    }

   private:
    arma::mat directions_;
  };
  arma::arma_rng::set_seed(2);
  const Rotations source;
  kooplab::Rng rng(1);
  const CountingBlocks reads(source);
  const auto fitter = kooplab::testing::make<kooplab::Estimator>("name: streaming_dmd");
  const kooplab::KoopmanModel model =
      dynamic_cast<const kooplab::BlockEstimator&>(*fitter).fit_blocks(reads, nullptr, rng);
  CHECK(reads.largest() == 419 + 1);
  CHECK(kooplab::spectrum_distance(
            arma::cx_vec{std::polar(1.0, 0.3), std::polar(1.0, -0.3), std::polar(1.0, 0.7), std::polar(1.0, -0.7)},
            model.eigenvalues) < 1e-9);
  const CountingBlocks error_reads(source);
  CHECK(kooplab::one_step_error(model, error_reads) < 1e-9);
  CHECK(error_reads.largest() == 209 + 1);
}
