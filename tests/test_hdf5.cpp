// The `hdf5` dataset: float32/float64 datasets of either byte order, chunked
// or not, 2-D and 3-D, in both layouts, and the errors for what it refuses;
// weight trajectories in HDF5 (parameters by step, names and shapes).
#include <doctest/doctest.h>
#include <hdf5.h>

#include "kooplab/data/hdf5_array.hpp"
#include "kooplab/data/parameter_trajectory.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "support.hpp"

namespace {

using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::write;

// Writes `values` (row-major) as dataset `name` of `file_type`, chunked by `chunk` when given.
void write_dataset(hid_t file, const char* name, hid_t file_type, const std::vector<hsize_t>& shape,
                   const std::vector<double>& values, const std::vector<hsize_t>& chunk = {}) {
  const hid_t space = H5Screate_simple(int(shape.size()), shape.data(), nullptr);
  const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
  if (!chunk.empty()) H5Pset_chunk(properties, int(chunk.size()), chunk.data());
  const hid_t dataset = H5Dcreate2(file, name, file_type, space, H5P_DEFAULT, properties, H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(dataset);
  H5Pclose(properties);
  H5Sclose(space);
}

}  // namespace

TEST_CASE("the hdf5 dataset reads stacks and matrices of float32 and float64 in either byte order") {
  const auto folder = kooplab::testing::temporary_folder("hdf5");
  const auto path = folder / "runs.h5";
  {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    // Two trajectories of 3 steps × 2 states: element (k, t, i) = 100 k + 10 t + i, chunked per trajectory.
    std::vector<double> stack;
    for (int k = 0; k < 2; ++k)
      for (int t = 0; t < 3; ++t)
        for (int i = 0; i < 2; ++i) stack.push_back(100 * k + 10 * t + i);
    write_dataset(file, "stack", H5T_IEEE_F64BE, {2, 3, 2}, stack, {1, 3, 2});
    write_dataset(file, "single", H5T_IEEE_F32LE, {3, 2}, {0.5, 1, 2, 3, 4, 5});
    write_dataset(file, "integers", H5T_STD_I32LE, {3, 2}, {1, 2, 3, 4, 5, 6});
    write_dataset(file, "four_axes", H5T_IEEE_F64LE, {1, 1, 3, 2}, {1, 2, 3, 4, 5, 6});
    H5Gclose(H5Gcreate2(file, "group", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    write_dataset(file, "group/inner", H5T_IEEE_F64LE, {2, 2}, {1, 2, 3, 4});
    H5Fclose(file);
  }
  kooplab::Rng rng(0);
  using kooplab::testing::make;
  const auto stack = make<kooplab::Dataset>("name: hdf5\npath: " + path.string() + "\ndatasets: [stack]\ndt: 0.5\n")
                         ->trajectories(rng);
  REQUIRE(stack.runs.size() == 2);
  CHECK(arma::approx_equal(stack.runs[1], arma::mat{{100, 110, 120}, {101, 111, 121}}, "absdiff", 0));
  CHECK(*stack.dt == 0.5);
  const auto columns =
      make<kooplab::Dataset>("name: hdf5\npath: " + path.string() + "\ndatasets: [single]\nlayout: columns\n")
          ->trajectories(rng);
  REQUIRE(columns.runs.size() == 1);
  CHECK(arma::approx_equal(columns.runs[0], arma::mat{{0.5, 1}, {2, 3}, {4, 5}}, "absdiff", 0));
  // A block of snapshots is one hyperslab, in either layout.
  const auto stack_blocks =
      kooplab::hdf5_trajectory_blocks(path, {"stack"}, kooplab::SnapshotLayout::rows, std::nullopt);
  CHECK(arma::approx_equal(stack_blocks->read(1, 1, 2), stack.runs[1].cols(1, 2), "absdiff", 0));
  const auto column_blocks = kooplab::hdf5_trajectory_blocks(path, {"single"}, kooplab::SnapshotLayout::columns, 0.5);
  CHECK(arma::approx_equal(column_blocks->read(0, 1, 1), columns.runs[0].col(1), "absdiff", 0));
  CHECK(*column_blocks->dt() == 0.5);
  const auto inner = kooplab::hdf5_trajectories(path, {"/group/inner"}, kooplab::SnapshotLayout::rows);
  CHECK(arma::approx_equal(inner.runs.at(0), arma::mat{{1, 3}, {2, 4}}, "absdiff", 0));

  const kooplab::Hdf5File file(path);
  CHECK(file.root_datasets() == std::vector<std::string>{"four_axes", "integers", "single", "stack"});
  CHECK(contains(error_of<kooplab::DataError>([&] { file.dataset("missing"); }),
                 "runs.h5: no dataset 'missing'; the root group holds four_axes, integers, single, stack"));
  CHECK(contains(error_of<kooplab::DataError>([&] { file.dataset("integers"); }),
                 "runs.h5 (dataset 'integers'): the elements are not float32 or float64"));
  CHECK(contains(error_of<kooplab::DataError>([&] { file.dataset("four_axes"); }),
                 "(dataset 'four_axes'): 4 axes where a 1-D, 2-D or 3-D dataset is expected"));
  CHECK(contains(error_of<kooplab::DataError>([&] { file.dataset("group"); }), "(dataset 'group'): not a dataset"));
  // As columns, the stack's trajectories have 3 states and group/inner's 2.
  CHECK(contains(error_of<kooplab::DataError>([&] {
                   kooplab::hdf5_trajectories(path, {"stack", "group/inner"}, kooplab::SnapshotLayout::columns);
                 }),
                 "(dataset 'group/inner'): trajectories of 3 and 2 states (layout: columns)"));
  write(folder / "text.h5", "not hdf5");
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::Hdf5File(folder / "text.h5"); }),
                 "text.h5: not an HDF5 file"));
  CHECK(
      contains(error_of<kooplab::DataError>([&] { kooplab::Hdf5File(folder / "none.h5"); }), "none.h5: no such file"));
}

namespace {

// Writes `names` as a 1-D dataset of variable-length UTF-8 strings (h5py's
// list of str) or, with `width`, of fixed-length ASCII strings of that width
// (numpy's "S").
void write_strings(hid_t file, const char* name, const std::vector<std::string>& names, std::size_t width = 0) {
  const hsize_t count = names.size();
  const hid_t space = H5Screate_simple(1, &count, nullptr);
  const hid_t type = H5Tcopy(H5T_C_S1);
  std::vector<const char*> pointers;
  std::string fixed;
  if (width == 0) {
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    for (const std::string& text : names) pointers.push_back(text.c_str());
  } else {
    H5Tset_size(type, width);
    for (const std::string& text : names) fixed += text + std::string(width - text.size(), '\0');
  }
  const hid_t dataset = H5Dcreate2(file, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT,
           width == 0 ? static_cast<const void*>(pointers.data()) : static_cast<const void*>(fixed.data()));
  H5Dclose(dataset);
  H5Tclose(type);
  H5Sclose(space);
}

}  // namespace

TEST_CASE("a weight trajectory in HDF5: parameters by step plus the layout in names and shapes") {
  const auto folder = kooplab::testing::temporary_folder("hdf5-weights");
  // fc1.weight (2, 3), fc1.bias (2), fc2.weight (1, 2), fc2.bias (1): 11 parameters over
  // 4 steps, parameter p at step t = 100 t + p (each row a parameters_to_vector).
  const arma::uword steps = 4, count = 11;
  std::vector<double> parameters;
  for (arma::uword t = 0; t < steps; ++t)
    for (arma::uword p = 0; p < count; ++p) parameters.push_back(100.0 * double(t) + double(p));
  const std::vector<std::string> names{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};
  const std::vector<double> shapes{2, 3, 2, 0, 1, 2, 1, 0};  // padded with zeros
  const auto write_file = [&](const std::string& name, std::size_t string_width, bool with_shapes,
                              const std::vector<double>& shape_values) {
    const auto path = folder / name;
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    write_dataset(file, "parameters", H5T_IEEE_F32LE, {steps, count}, parameters, {1, count});
    write_strings(file, "names", names, string_width);
    if (with_shapes) write_dataset(file, "shapes", H5T_STD_I64LE, {4, 2}, shape_values);
    H5Fclose(file);
    return path;
  };

  for (const std::size_t width : {std::size_t(0), std::size_t(10)}) {
    CAPTURE(width);  // 10: "fc1.weight" fills its field, no terminating zero
    const auto path = write_file("weights.h5", width, true, shapes);
    const kooplab::ParameterTrajectory read = kooplab::read_parameter_trajectory(path);
    REQUIRE(read.snapshots.n_rows == count);
    REQUIRE(read.snapshots.n_cols == steps);
    CHECK(read.snapshots(7, 2) == 207.0);
    REQUIRE(read.layout.size() == 4);
    CHECK(read.layout[0].name == "fc1.weight");
    CHECK(read.layout[0].shape == std::vector<arma::uword>{2, 3});
    CHECK(read.layout[1].shape == std::vector<arma::uword>{2});
    CHECK(read.layout[2].offset == 8);
    // Node 1 of fc1: row 1 of the weight (3, 4, 5) and bias 1 (7).
    const auto nodes = kooplab::parameter_blocks(read.layout, kooplab::BlockKind::node);
    REQUIRE(nodes.size() == 3);
    CHECK(arma::all(nodes[1].indices == arma::uvec{3, 4, 5, 7}));
  }
  kooplab::Rng rng(0);
  const auto dataset = kooplab::testing::make<kooplab::Dataset>(
      "name: weight_trajectory\npath: " + (folder / "weights.h5").string() + "\n");
  CHECK(dataset->trajectories(rng).runs.at(0)(10, 3) == 310.0);

  CHECK(contains(error_of<kooplab::DataError>(
                     [&] { kooplab::read_parameter_trajectory(write_file("no_shapes.h5", 0, false, shapes)); }),
                 "no_shapes.h5: 'names' without 'shapes': the layout needs both (or neither)"));
  CHECK(contains(error_of<kooplab::DataError>([&] {
                   kooplab::read_parameter_trajectory(write_file("big.h5", 0, true, {2, 3, 2, 0, 1, 3, 1, 0}));
                 }),
                 "big.h5: the layout's tensors hold 12 parameters, a step of 'parameters' 11"));
  CHECK(contains(error_of<kooplab::DataError>([&] {
                   kooplab::read_parameter_trajectory(write_file("gap.h5", 0, true, {0, 3, 2, 0, 1, 2, 1, 0}));
                 }),
                 "gap.h5: the shape of 'fc1.weight' has a 0 before its last size"));
}
