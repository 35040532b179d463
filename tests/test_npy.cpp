// NumPy arrays: .npy headers (byte orders, C/Fortran order, 2-D/3-D), .npz
// archives, the `npy` dataset, and hostile input (every error names the file
// and what is wrong).
#include <doctest/doctest.h>

#include <bit>
#include <cstring>
#include <fstream>

#include "kooplab/data/array_trajectories.hpp"
#include "kooplab/data/npy_array.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "npy_files.hpp"
#include "support.hpp"

namespace {

using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::npy;
using kooplab::testing::span_of;
using kooplab::testing::stored_zip;
using kooplab::testing::write;

kooplab::NpyArray array_of(const std::string& bytes) {
  auto owner = std::make_shared<const std::string>(bytes);
  return kooplab::NpyArray(owner, span_of(*owner), "test.npy");
}

const arma::mat two_by_three{{1, 2, 3}, {4, 5, 6}};

}  // namespace

TEST_CASE("npy arrays read in both byte orders, both element orders, float32 and float64") {
  // The 2 × 3 matrix [[1, 2, 3], [4, 5, 6]]: C order row by row, Fortran order column by column.
  const std::vector<double> c_order{1, 2, 3, 4, 5, 6}, fortran_order{1, 4, 2, 5, 3, 6};
  for (const std::string descr : {"<f8", ">f8", "<f4", ">f4", "=f8"}) {
    CAPTURE(descr);
    CHECK(arma::approx_equal(array_of(npy(descr, false, "(2, 3)", c_order)).matrix(0), two_by_three, "absdiff", 0));
    CHECK(
        arma::approx_equal(array_of(npy(descr, true, "(2, 3)", fortran_order)).matrix(0), two_by_three, "absdiff", 0));
  }
  // float32 keeps its rounding: 0.1f is not 0.1.
  CHECK(array_of(npy("<f4", false, "(1,)", {0.1})).matrix(0)(0, 0) == double(0.1f));
  // A 1-D array is one row; numpy's spacing of the tuple does not matter.
  CHECK(arma::approx_equal(
      array_of(npy("{'shape':(3,),'fortran_order':False,'descr':'<f8'}", "<f8", {7, 8, 9})).matrix(0),
      arma::mat{{7, 8, 9}}, "absdiff", 0));
}

TEST_CASE("a 3-D npy array is a stack of matrices along its first axis in C and Fortran order") {
  // Shape (2, 2, 3): element (k, a, b) = 100 k + 10 a + b.
  std::vector<double> c_order, fortran_order;
  for (int k = 0; k < 2; ++k)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 3; ++b) c_order.push_back(100 * k + 10 * a + b);
  for (int b = 0; b < 3; ++b)
    for (int a = 0; a < 2; ++a)
      for (int k = 0; k < 2; ++k) fortran_order.push_back(100 * k + 10 * a + b);
  const arma::mat second{{100, 101, 102}, {110, 111, 112}};
  for (const bool fortran : {false, true}) {
    const auto array = array_of(npy("<f8", fortran, "(2, 2, 3)", fortran ? fortran_order : c_order));
    REQUIRE(array.matrices() == 2);
    CHECK(arma::approx_equal(array.matrix(1), second, "absdiff", 0));
    CHECK(arma::approx_equal(array.matrix(0), second - 100, "absdiff", 0));
  }
}

TEST_CASE("hostile npy headers give a DataError naming the file and the fault") {
  const auto fault = [](const std::string& bytes) {
    return error_of<kooplab::DataError>([&] { array_of(bytes).matrix(0); });
  };
  const std::vector<double> six{1, 2, 3, 4, 5, 6};
  CHECK(contains(fault("not a numpy file"), "test.npy: not a .npy array"));
  CHECK(contains(fault(std::string("\x93NUMPY\x04\x00\x10\x00", 10) + std::string(16, ' ')), "version 4"));
  // The header length points past the end of the file.
  std::string long_header = npy("<f8", false, "(2, 3)", six);
  long_header[8] = char(0xff), long_header[9] = char(0x7f);
  CHECK(contains(fault(long_header), "truncated .npy header"));
  CHECK(contains(fault(npy("<i8", false, "(2, 3)", six)), "dtype '<i8' is not read"));
  CHECK(contains(fault(npy("<c16", false, "(2, 3)", six)), "dtype '<c16' is not read"));
  CHECK(contains(fault(npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", "<f8", {1})),
                 "expected a string"));
  // A shape whose product overflows 64 bits, and a dimension that does.
  CHECK(contains(fault(npy("<f8", false, "(4294967296, 4294967296)", six)), "overflows"));
  CHECK(contains(fault(npy("<f8", false, "(2305843009213693952,)", six)), "overflows"));
  CHECK(contains(fault(npy("<f8", false, "(99999999999999999999999,)", six)), "a dimension too large"));
  CHECK(contains(fault(npy("<f8", false, "(-2, 3)", six)), "expected a non-negative integer dimension"));
  // Data cut short, and bytes past the data.
  const std::string whole = npy("<f8", false, "(2, 3)", six);
  CHECK(contains(fault(whole.substr(0, whole.size() - 3)),
                 "truncated .npy data: shape (2, 3) needs 48 bytes, the file has 45"));
  CHECK(contains(fault(whole + "xx"), "2 bytes after the .npy data of shape (2, 3)"));
  // Malformed dictionaries.
  CHECK(contains(fault(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)", "<f8", six)), "expected '}'"));
  CHECK(contains(fault(npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (6,)}", "<f8", six)),
                 "repeated key 'descr'"));
  CHECK(contains(fault(npy("{'descr': '<f8', 'shape': (6,)}", "<f8", six)), "lacks one of"));
  CHECK(contains(fault(npy("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (6,)}", "<f8", six)),
                 "expected True or False"));
  CHECK(contains(fault(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (6,)} junk", "<f8", six)),
                 "text after the dictionary"));
  // Shapes the datasets cannot use.
  CHECK(contains(fault(npy("<f8", false, "(1, 1, 2, 3)", six)), "shape (1, 1, 2, 3) where a 1-D, 2-D or 3-D array"));
  CHECK(contains(fault(npy("<f8", false, "()", {1})), "shape () where"));
  CHECK(contains(fault(npy("<f8", false, "(0, 3)", {})), "an empty array of shape (0, 3)"));
}

TEST_CASE("npz archives and the npy dataset give trajectories in either layout") {
  const auto folder = kooplab::testing::temporary_folder("npy");
  // Two trajectories of a 2-state system, 3 steps, snapshots as rows; a 3-D stack of both.
  const std::string first = npy("<f8", false, "(3, 2)", {1, 2, 3, 4, 5, 6});
  const std::string second = npy(">f4", true, "(3, 2)", {7, 9, 11, 8, 10, 12});
  const auto archive = write(folder / "runs.npz", stored_zip({{"first.npy", first}, {"second.npy", second}}));
  const arma::mat first_run{{1, 3, 5}, {2, 4, 6}}, second_run{{7, 9, 11}, {8, 10, 12}};

  const auto arrays = kooplab::read_npy_arrays(archive);
  REQUIRE(arrays.size() == 2);
  CHECK(arrays[0].name == "first");
  CHECK(arrays[1].name == "second");

  kooplab::Rng rng(0);
  using kooplab::testing::make;
  const auto both = make<kooplab::Dataset>("name: npy\npath: " + archive.string() + "\ndt: 0.1\n")->trajectories(rng);
  REQUIRE(both.runs.size() == 2);
  CHECK(arma::approx_equal(both.runs[0], first_run, "absdiff", 0));
  CHECK(arma::approx_equal(both.runs[1], second_run, "absdiff", 0));
  CHECK(*both.dt == 0.1);
  const auto chosen =
      make<kooplab::Dataset>("name: npy\npath: " + archive.string() + "\narrays: [second]\nlayout: columns\n")
          ->trajectories(rng);
  REQUIRE(chosen.runs.size() == 1);
  CHECK(arma::approx_equal(chosen.runs[0], second_run.t(), "absdiff", 0));

  std::vector<double> stack{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // (2, 3, 2) in C order
  const auto stacked = kooplab::npy_trajectories(write(folder / "stack.npy", npy("<f8", false, "(2, 3, 2)", stack)), {},
                                                 kooplab::SnapshotLayout::rows);
  REQUIRE(stacked.runs.size() == 2);
  CHECK(arma::approx_equal(stacked.runs[1], arma::mat{{7, 9, 11}, {8, 10, 12}}, "absdiff", 0));

  CHECK(contains(error_of<kooplab::DataError>(
                     [&] { kooplab::npy_trajectories(archive, {"third"}, kooplab::SnapshotLayout::rows); }),
                 "runs.npz: no array 'third'; the file holds first, second"));
  // Arrays of different state dimensions once the layout is applied.
  const auto mixed =
      write(folder / "mixed.npz",
            stored_zip({{"a.npy", first}, {"b.npy", npy("<f8", false, "(3, 3)", {1, 2, 3, 4, 5, 6, 7, 8, 9})}}));
  CHECK(contains(
      error_of<kooplab::DataError>([&] { kooplab::npy_trajectories(mixed, {}, kooplab::SnapshotLayout::rows); }),
      "(member 'b.npy'): trajectories of 2 and 3 states (layout: rows)"));
  // A NaN in the data.
  const auto nan = write(folder / "nan.npy", npy("<f8", false, "(2, 2)", {1, arma::datum::nan, 3, 4}));
  CHECK(
      contains(error_of<kooplab::DataError>([&] { kooplab::npy_trajectories(nan, {}, kooplab::SnapshotLayout::rows); }),
               "nan.npy"));
}

TEST_CASE("broken npz archives give a DataError naming the file") {
  const auto folder = kooplab::testing::temporary_folder("npz");
  const std::string zip = stored_zip({{"x.npy", npy("<f8", false, "(2,)", {1, 2})}});
  const auto read = [&](const std::string& name, const std::string& bytes) {
    return error_of<kooplab::DataError>([&] { kooplab::read_npy_arrays(write(folder / name, bytes)); });
  };
  // Cut inside the central directory: the end record is gone.
  CHECK(contains(read("cut.npz", zip.substr(0, zip.size() - 30)),
                 "cut.npz: not a readable zip archive: no end-of-directory record"));
  // The directory points past the end of the file.
  std::string far = zip;
  far[far.size() - 3] = char(0x7f);  // the high byte of the directory's offset
  CHECK(contains(read("far.npz", far), "far.npz: truncated or corrupt zip archive"));
  // A member that is not a .npy array.
  CHECK(contains(read("text.npz", stored_zip({{"notes.txt", "hello"}})), "(member 'notes.txt'): not a .npy member"));
  CHECK(contains(read("empty.npz", stored_zip({})), "empty.npz: an empty .npz archive"));
  CHECK(contains(read("other.bin", "GIF89a......"), "other.bin: neither a .npy file nor a .npz archive"));
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::read_npy_arrays(folder / "missing.npy"); }),
                 "missing.npy: cannot open"));
}
