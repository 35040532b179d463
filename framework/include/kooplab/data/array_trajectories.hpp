#pragma once
// Trajectories from arrays in files (.npy/.npz here, HDF5 in hdf5_array.hpp):
// each 2-D array is one trajectory, each 3-D array a stack of trajectories
// along its first axis, and a 1-D array one scalar signal. Snapshots are the
// rows (steps × states, NumPy's samples-by-features habit) or the columns
// (states × steps, kooplab's own layout) of each matrix.
#include <armadillo>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/options.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

enum class SnapshotLayout { rows, columns };

// The words of a `layout` key: rows, columns.
const Words<SnapshotLayout>& snapshot_layout_words();

// The keys of a dataset reading trajectories from arrays in a file: path,
// the arrays (`names_key`), layout and dt.
struct ArrayFileSettings {
  std::filesystem::path path;
  std::vector<std::string> names;  // empty: all
  SnapshotLayout layout = SnapshotLayout::rows;
  std::optional<double> dt;

  // `file` says what the path names, `names_default` which arrays are read by default.
  static Options<ArrayFileSettings> options(const std::string& file, const std::string& names_key,
                                            const std::string& names_doc, const std::string& names_default);
};

// One trajectory (states × steps) from a matrix of an array of `rank` 1..3.
arma::mat trajectory_of(arma::mat matrix, std::size_t rank, SnapshotLayout layout);

// Throws DataError (naming `where`) unless the last trajectory of `data` has
// the state dimension of the first.
void check_same_states(const Trajectories& data, const std::string& where, SnapshotLayout layout);

// Appends the trajectories of an NpyArray or an Hdf5File::Dataset to `data`.
template <class Array>
void append_trajectories(Trajectories& data, const Array& array, SnapshotLayout layout) {
  for (arma::uword k = 0; k < array.matrices(); ++k) {
    data.runs.push_back(trajectory_of(array.matrix(k), array.shape().size(), layout));
    check_same_states(data, array.where(), layout);
  }
}

// The trajectories of the named arrays of a .npy file or .npz archive (all
// of them, in the archive's order, when `names` is empty). Throws DataError
// naming the file for a missing name, an unreadable file, arrays of another
// rank than 1..3, states of different dimensions or non-finite values.
Trajectories npy_trajectories(const std::filesystem::path& file, const std::vector<std::string>& names,
                              SnapshotLayout layout);

}  // namespace kooplab
