// Networks trained elsewhere: parameters written and read as .npz archives in
// PyTorch's layout (nn/parameter_file.hpp), through the mlp and cnn plugins'
// `weights` key; every mismatch with the network's config names the file, the
// parameter and both shapes.
#include <doctest/doctest.h>

#include <tuple>

#include "kooplab/data/npy_array.hpp"
#include "kooplab/data/zip_archive.hpp"
#include "kooplab/error.hpp"
#include "kooplab/network.hpp"
#include "kooplab/nn/parameter_file.hpp"
#include "kooplab/util/npy.hpp"
#include "npy_files.hpp"
#include "support.hpp"

namespace {

using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::make;
using kooplab::testing::write;

const std::string cnn_yaml =
    "{name: cnn, input: [2, 7, 7], filters: [3], kernel: 3, padding: 1, pool: 2, hidden: [5], "
    "classes: 4}";

// An .npz of (name, C-order values, shape) arrays, as numpy.savez writes a state dict.
std::string npz(const std::vector<std::tuple<std::string, arma::vec, std::vector<arma::uword>>>& arrays) {
  std::vector<std::pair<std::string, std::string>> members;
  for (const auto& [name, values, shape] : arrays)
    members.emplace_back(name + ".npy", kooplab::npy_bytes(values, shape));
  return kooplab::zip_bytes(members, "test.npz");
}

std::string with_weights(const std::string& yaml, const std::filesystem::path& file) {
  return yaml.substr(0, yaml.size() - 1) + ", weights: " + file.string() + "}";
}

}  // namespace

TEST_CASE("a network's parameters written and loaded give the same outputs, bit for bit") {
  const auto folder = kooplab::testing::temporary_folder("parameter-file");
  for (const std::string& yaml :
       {std::string("{name: mlp, layers: [6, 5, 4, 3], activation: [tanh, relu]}"), cnn_yaml}) {
    CAPTURE(yaml);
    const auto trained = make<kooplab::Network>(yaml);
    kooplab::Rng rng(11);
    trained->initialise(rng);
    const std::filesystem::path file = folder / "trained.npz";
    kooplab::write_parameters(*trained, file);

    // The loaded network draws from another stream first: the file overrides every parameter.
    const auto loaded = make<kooplab::Network>(with_weights(yaml, file));
    REQUIRE(loaded->weights_file() == file);
    kooplab::Rng other(99);
    loaded->initialise(other);
    CHECK(arma::all(loaded->parameters() == trained->parameters()));
    arma::mat inputs(trained->input_size(), 9);
    for (double& value : inputs) value = rng.normal();
    CHECK(arma::all(arma::vectorise(loaded->forward(inputs) == trained->forward(inputs))));
  }
}

TEST_CASE("the file holds PyTorch's names and shapes in C order, readable by numpy") {
  const auto folder = kooplab::testing::temporary_folder("parameter-layout");
  const auto network = make<kooplab::Network>(cnn_yaml);
  kooplab::Rng rng(3);
  network->initialise(rng);
  const std::filesystem::path file = folder / "cnn.npz";
  kooplab::write_parameters(*network, file);
  const std::vector<kooplab::NamedNpyArray> arrays = kooplab::read_npy_arrays(file);
  // conv 3×2×3×3, relu, pool (stages 0-2), dense 27 → 5 (3), relu, dense 5 → 4 (5).
  const std::vector<std::pair<std::string, std::vector<arma::uword>>> expected{
      {"0.weight", {3, 2, 3, 3}}, {"0.bias", {3}}, {"3.weight", {5, 27}}, {"3.bias", {5}},
      {"5.weight", {4, 5}},       {"5.bias", {4}}};
  REQUIRE(arrays.size() == expected.size());
  for (std::size_t i = 0; i < arrays.size(); ++i) {
    CHECK(arrays[i].name == expected[i].first);
    CHECK(arrays[i].array.shape() == expected[i].second);
    CHECK_FALSE(arrays[i].array.header().fortran_order);
  }
  // The dense weight 3.weight[o, i] is W(o, i), the map from input i to output o.
  const kooplab::LayerInfo dense = network->layer_info(3);
  const arma::mat w = arma::reshape(network->parameters().subvec(dense.offset, dense.offset + 5 * 27 - 1), 5, 27);
  const arma::vec stored = arrays[2].array.c_order(0, 5 * 27);
  CHECK(stored(1 * 27 + 4) == w(1, 4));
  CHECK(stored(4 * 27 + 1) == w(4, 1));
}

TEST_CASE("weights in PyTorch's layout: dense (outputs, inputs) and a convolution by hand") {
  const auto folder = kooplab::testing::temporary_folder("parameter-pytorch");
  SUBCASE("nn.Linear(2, 2) with W = [[1, 2], [3, 4]]: a transposed read would give other outputs") {
    const auto file =
        write(folder / "linear.npz", npz({{"fc.weight", {1, 2, 3, 4}, {2, 2}}, {"fc.bias", {0.5, -0.5}, {2}}}));
    const auto network =
        make<kooplab::Network>(with_weights("{name: mlp, layers: [2, 2], output: identity, loss: mse}", file));
    kooplab::Rng rng(1);
    network->initialise(rng);
    const arma::mat out = network->forward(arma::mat{{1, 0}, {0, 1}});  // the columns e1, e2
    CHECK(arma::approx_equal(out, arma::mat{{1.5, 2.5}, {2.5, 3.5}}, "absdiff", 0));
  }
  SUBCASE("nn.Conv2d(1, 1, 2) with kernel [[1, 2], [3, 4]]: cross-correlation over (row, column)") {
    // A 1 × 3 × 3 image 0..8 row by row; the output at (0, 0) is 1·0 + 2·1 + 3·3 + 4·4 = 27, plus the bias 1.
    const auto file =
        write(folder / "conv.npz", npz({{"conv.weight", {1, 2, 3, 4}, {1, 1, 2, 2}},
                                        {"conv.bias", {1}, {1}},
                                        {"fc.weight", {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, {4, 4}},
                                        {"fc.bias", arma::zeros(4), {4}}}));
    const auto network = make<kooplab::Network>(
        with_weights("{name: cnn, input: [1, 3, 3], filters: [1], kernel: 2, pool: 1, hidden: [], classes: 4}", file));
    kooplab::Rng rng(1);
    network->initialise(rng);
    const arma::vec out = network->forward(arma::regspace<arma::vec>(0, 8));
    // Outputs (row, column) (0,0), (0,1), (1,0), (1,1): the relu keeps them, the dense layer is the identity.
    CHECK(arma::approx_equal(out, arma::vec{28, 38, 58, 68}, "absdiff", 0));
  }
  SUBCASE("float32 arrays, as PyTorch's tensors are") {
    const std::string bytes =
        kooplab::testing::stored_zip({{"0.weight.npy", kooplab::testing::npy("<f4", false, "(1, 2)", {0.25, -2})},
                                      {"0.bias.npy", kooplab::testing::npy("<f4", false, "(1,)", {1})}});
    const auto file = write(folder / "single.npz", bytes);
    const auto network = make<kooplab::Network>(with_weights("{name: mlp, layers: [2, 1], loss: mse}", file));
    kooplab::Rng rng(1);
    network->initialise(rng);
    CHECK(network->forward(arma::vec{4, 1})(0) == 0.0);  // 0.25·4 − 2·1 + 1
  }
}

TEST_CASE("a file that does not fit the network's config is refused, naming file, parameter and shapes") {
  const auto folder = kooplab::testing::temporary_folder("parameter-mismatch");
  const std::string mlp = "{name: mlp, layers: [3, 2]}";
  const auto refused = [&](const std::string& name, const std::string& bytes) {
    const auto file = write(folder / name, bytes);
    const auto network = make<kooplab::Network>(with_weights(mlp, file));
    kooplab::Rng rng(1);
    return error_of<kooplab::DataError>([&] { network->initialise(rng); });
  };
  const arma::vec six = arma::regspace(1, 6), two{1, 2};
  SUBCASE("a transposed weight") {
    const std::string error = refused("transposed.npz", npz({{"fc.weight", six, {3, 2}}, {"fc.bias", two, {2}}}));
    CHECK(contains(error, "transposed.npz"));
    CHECK(contains(error,
                   "array 0 'fc.weight' (the network's '0.weight'): expected shape (2, 3) from the network's "
                   "config, found (3, 2) (transposed"));
  }
  SUBCASE("a bias of the wrong size") {
    const std::string error = refused("bias.npz", npz({{"fc.weight", six, {2, 3}}, {"fc.bias", six, {6}}}));
    CHECK(
        contains(error, "'fc.bias' (the network's '0.bias'): expected shape (2) from the network's config, found (6)"));
  }
  SUBCASE("weight and bias swapped") {
    const std::string error = refused("swapped.npz", npz({{"fc.bias", two, {2}}, {"fc.weight", six, {2, 3}}}));
    CHECK(contains(error, "array 0 'fc.bias' (the network's '0.weight'): expected a weight, found 'fc.bias'"));
  }
  SUBCASE("a weight and a bias of two layers") {
    const std::string error = refused("split.npz", npz({{"fc1.weight", six, {2, 3}}, {"fc2.bias", two, {2}}}));
    CHECK(contains(error,
                   "the network's '0.weight' and '0.bias' are one layer, the file's 'fc1.weight' and "
                   "'fc2.bias' are not"));
  }
  SUBCASE("another number of tensors") {
    const std::string error = refused("short.npz", npz({{"fc.weight", six, {2, 3}}}));
    CHECK(contains(error, "the file has 1 arrays, the network's config 2 tensors: 0.weight (2, 3), 0.bias (2)"));
  }
  SUBCASE("a value that is not finite") {
    const std::string error =
        refused("nan.npz", npz({{"fc.weight", six, {2, 3}}, {"fc.bias", {1, arma::datum::nan}, {2}}}));
    CHECK(contains(error, "'fc.bias' (the network's '0.bias'): a value that is not finite"));
  }
  SUBCASE("a file that is no archive") {
    CHECK(contains(refused("text.npz", "not a zip archive"), "text.npz: neither a .npy file nor a .npz archive"));
  }
}

TEST_CASE("zip_bytes writes an archive the reader reads back, CRC-32 included") {
  const std::string content = "The quick brown fox jumps over the lazy dog";
  const std::string archive = kooplab::zip_bytes({{"a.npy", content}, {"b.npy", ""}}, "test.zip");
  const auto bytes = kooplab::testing::span_of(archive);
  const std::vector<kooplab::ZipMember> members = kooplab::zip_members(bytes, "test.zip");
  REQUIRE(members.size() == 2);
  CHECK(members[0].name == "a.npy");
  CHECK(members[0].crc32 == 0x414fa339);  // the CRC-32 of this sentence
  CHECK(members[1].size == 0);
  std::vector<unsigned char> unused;
  const auto stored = kooplab::zip_member_content(bytes, members[0], unused, "test.zip");
  CHECK(std::string(stored.begin(), stored.end()) == content);
}
