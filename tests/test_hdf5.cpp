// The `hdf5` dataset: float32/float64 datasets of either byte order, chunked
// or not, 2-D and 3-D, in both layouts, and the errors for what it refuses.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <fstream>

#include "kooplab/data/hdf5_array.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "support.hpp"

namespace {

using kooplab::testing::contains;
using kooplab::testing::error_of;

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
  std::ofstream(folder / "text.h5") << "not hdf5";
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::Hdf5File(folder / "text.h5"); }),
                 "text.h5: not an HDF5 file"));
  CHECK(
      contains(error_of<kooplab::DataError>([&] { kooplab::Hdf5File(folder / "none.h5"); }), "none.h5: no such file"));
}
