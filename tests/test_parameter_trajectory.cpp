// Weights recorded outside kooplab: the .npz and folder layouts of
// kooplab/data/parameter_trajectory.hpp, PyTorch's flattening order, the
// layer/node/weight blocks read from tensor names and shapes, and the errors.
#include <doctest/doctest.h>

#include "kooplab/data/parameter_trajectory.hpp"
#include "kooplab/error.hpp"
#include "npy_files.hpp"
#include "support.hpp"

namespace {

using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::npy;
using kooplab::testing::stored_zip;
using kooplab::testing::write;

std::vector<arma::uvec> indices(const std::vector<kooplab::ParameterBlock>& blocks) {
  std::vector<arma::uvec> out;
  for (const auto& block : blocks) out.push_back(block.indices);
  return out;
}

bool same(const std::vector<arma::uvec>& found, const std::vector<arma::uvec>& expected) {
  if (found.size() != expected.size()) return false;
  for (std::size_t i = 0; i < found.size(); ++i)
    if (found[i].n_elem != expected[i].n_elem || arma::any(found[i] != expected[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("a .npz of (steps, *shape) tensors gives the flat weights per step, each tensor row-major") {
  const auto folder = kooplab::testing::temporary_folder("weights");
  // fc.weight (2 × 2) over 3 steps: W_t = [[t, 10 + t], [20 + t, 30 + t]], stored in Fortran order;
  // fc.bias (2) over 3 steps: b_t = [100 + t, 200 + t], big-endian float32.
  std::vector<double> weight_fortran;  // index (t, i, j) at t + 3 (i + 2 j)
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 2; ++i)
      for (int t = 0; t < 3; ++t) weight_fortran.push_back(20 * i + 10 * j + t);
  const std::string weight = npy("<f8", true, "(3, 2, 2)", weight_fortran);
  const std::string bias = npy(">f4", false, "(3, 2)", {100, 200, 101, 201, 102, 202});
  const auto archive = write(folder / "run.npz", stored_zip({{"fc.weight.npy", weight}, {"fc.bias.npy", bias}}));
  const kooplab::ParameterTrajectory run = kooplab::read_parameter_trajectory(archive);
  // Row-major: W(0,0), W(0,1), W(1,0), W(1,1), then b.
  const arma::mat expected{{0, 1, 2}, {10, 11, 12}, {20, 21, 22}, {30, 31, 32}, {100, 101, 102}, {200, 201, 202}};
  CHECK(arma::approx_equal(run.snapshots, expected, "absdiff", 0));
  REQUIRE(run.layout.size() == 2);
  CHECK(run.layout[0].name == "fc.weight");
  CHECK(run.layout[0].shape == std::vector<arma::uword>{2, 2});
  CHECK(run.layout[1].offset == 4);
  CHECK(run.layout[1].size == 2);

  // The same run as a folder of one .npz per step.
  const auto steps = folder / "steps";
  std::filesystem::create_directory(steps);
  for (int t = 0; t < 3; ++t)
    write(steps / ("0000" + std::to_string(t) + ".npz"),
          stored_zip({{"fc.weight.npy", npy("<f4", false, "(2, 2)", {0. + t, 10. + t, 20. + t, 30. + t})},
                      {"fc.bias.npy", npy("<f8", false, "(2,)", {100. + t, 200. + t})}}));
  CHECK(arma::approx_equal(kooplab::read_parameter_trajectory(steps).snapshots, expected, "absdiff", 0));

  // Flat vectors, one .npy per step.
  const auto flat = folder / "flat";
  std::filesystem::create_directory(flat);
  for (int t = 0; t < 3; ++t)
    write(flat / ("step" + std::to_string(t) + ".npy"),
          npy("<f8", false, "(6,)", std::vector<double>(expected.colptr(t), expected.colptr(t) + 6)));
  const kooplab::ParameterTrajectory vectors = kooplab::read_parameter_trajectory(flat);
  CHECK(arma::approx_equal(vectors.snapshots, expected, "absdiff", 0));
  CHECK(vectors.layout.size() == 1);
  CHECK(vectors.layout[0].name == "parameters");
}

TEST_CASE("recorded weights that disagree give a DataError naming the file and the tensor") {
  const auto folder = kooplab::testing::temporary_folder("bad-weights");
  const auto read = [](const std::filesystem::path& path) {
    return error_of<kooplab::DataError>([&] { kooplab::read_parameter_trajectory(path); });
  };
  const std::string three_steps = npy("<f8", false, "(3, 2)", {1, 2, 3, 4, 5, 6});
  CHECK(contains(read(write(folder / "steps.npz", stored_zip({{"a.npy", three_steps},
                                                              {"b.npy", npy("<f8", false, "(2, 2)", {1, 2, 3, 4})}}))),
                 "steps.npz (member 'b.npy'): 2 steps, the tensors before it have 3"));
  CHECK(contains(read(write(folder / "one.npz", stored_zip({{"a.npy", npy("<f8", false, "(1, 2)", {1, 2})}}))),
                 "one.npz: 1 recorded step(s); a trajectory needs at least 2"));
  CHECK(contains(
      read(write(folder / "nan.npz",
                 stored_zip({{"w.npy", three_steps}, {"v.npy", npy("<f8", false, "(3,)", {1, arma::datum::nan, 3})}}))),
      "nan.npz: a non-finite value in 'v' at step 1"));
  const auto steps = folder / "steps";
  std::filesystem::create_directory(steps);
  write(steps / "0.npz", stored_zip({{"w.npy", npy("<f8", false, "(2,)", {1, 2})}}));
  write(steps / "1.npz", stored_zip({{"w.npy", npy("<f8", false, "(3,)", {1, 2, 3})}}));
  CHECK(contains(read(steps), "1.npz: tensor 0 is 'w' of shape (3); the first step (0.npz) has 'w' of shape (2)"));
  CHECK(contains(read(folder / "nothing"), "nothing: cannot open"));
  std::filesystem::create_directory(folder / "empty");
  CHECK(contains(read(folder / "empty"), "empty: no .npz or .npy files (one per step)"));
}

TEST_CASE("layer, node and weight blocks come from the tensor names and shapes") {
  // A 3-2-1 network as PyTorch names it: fc1.weight (2, 3), fc1.bias (2), fc2.weight (1, 2), fc2.bias (1).
  std::vector<kooplab::ParameterTensor> layout{
      {"fc1.weight", {2, 3}, 0, 6}, {"fc1.bias", {2}, 6, 2}, {"fc2.weight", {1, 2}, 8, 2}, {"fc2.bias", {1}, 10, 1}};
  CHECK(same(indices(kooplab::parameter_blocks(layout, kooplab::BlockKind::layer)),
             {{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}}));
  // Node i of a layer: row i of its weight, then bias i.
  CHECK(same(indices(kooplab::parameter_blocks(layout, kooplab::BlockKind::node)),
             {{0, 1, 2, 6}, {3, 4, 5, 7}, {8, 9, 10}}));
  CHECK(kooplab::parameter_blocks(layout, kooplab::BlockKind::weight).size() == 11);
  CHECK(kooplab::parameter_blocks(layout, kooplab::BlockKind::layer)[0].name == "fc1");

  layout[1].shape = {3};  // a bias that does not match the weight's outputs
  layout[1].size = 3;
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::parameter_blocks(layout, kooplab::BlockKind::node); }),
                 "'fc1.weight' of shape (2, 3) and 'fc1.bias' of shape (3) do not share their first axis"));
}
