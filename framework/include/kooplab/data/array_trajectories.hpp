#pragma once
// Trajectories from arrays in files (.npy/.npz here, HDF5 in hdf5_array.hpp),
// whole or a block of snapshots at a time:
// each 2-D array is one trajectory, each 3-D array a stack of trajectories
// along its first axis, and a 1-D array one scalar signal. Snapshots are the
// rows (steps × states, NumPy's samples-by-features habit) or the columns
// (states × steps, kooplab's own layout) of each matrix.
#include <armadillo>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/data/matrix_stack.hpp"
#include "kooplab/options.hpp"
#include "kooplab/trajectories.hpp"
#include "kooplab/trajectory_blocks.hpp"

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

// Throws DataError, naming `where`, when trajectories of `first` and `other`
// states meet in one dataset.
void check_same_states(arma::uword first, arma::uword other, const std::string& where, SnapshotLayout layout);

// The trajectories of arrays in a file (NpyArray or Hdf5File::Dataset: each
// matrix of each array is one), read a block of snapshots at a time.
template <class Array>
class ArrayTrajectoryBlocks : public TrajectoryBlocks {
 public:
  ArrayTrajectoryBlocks(std::vector<Array> arrays, SnapshotLayout layout, std::optional<double> dt)
      : arrays_(std::move(arrays)), dt_(dt) {
    for (std::size_t a = 0; a < arrays_.size(); ++a) {
      const Array& array = arrays_[a];
      const arma::uword matrices = array.matrices();  // throws for a rank outside 1..3
      const MatrixShape shape = matrix_shape(array.shape());
      // A 1-D array is one state over time whatever the layout.
      const bool rows = array.shape().size() > 1 && layout == SnapshotLayout::rows;
      for (arma::uword k = 0; k < matrices; ++k) {
        trajectories_.push_back({a, k, rows, rows ? shape.rows : shape.cols});
        const arma::uword states = rows ? shape.cols : shape.rows;
        if (a == 0 && k == 0) state_dim_ = states;
        check_same_states(state_dim_, states, array.where(), layout);
      }
    }
  }

  arma::uword state_dim() const override { return state_dim_; }
  std::size_t trajectory_count() const override { return trajectories_.size(); }
  arma::uword length(std::size_t trajectory) const override { return trajectories_.at(trajectory).length; }
  std::optional<double> dt() const override { return dt_; }

  arma::mat read(std::size_t trajectory, arma::uword first, arma::uword count) const override {
    const Source& source = trajectories_.at(trajectory);
    const Array& array = arrays_[source.array];
    // Snapshots are the rows of the matrix (read as columns) or its columns.
    const arma::mat states = source.rows
                                 ? array.rows_as_columns(source.matrix, first, count, 0, state_dim_)
                                 : arma::mat(array.rows_as_columns(source.matrix, 0, state_dim_, first, count).t());
    check_finite(states, array.where(), trajectory, first);
    return states;
  }

 private:
  struct Source {
    std::size_t array;
    arma::uword matrix;
    bool rows;           // snapshots are the matrix's rows
    arma::uword length;  // snapshots
  };
  std::vector<Array> arrays_;
  std::vector<Source> trajectories_;
  std::optional<double> dt_;
  arma::uword state_dim_ = 0;
};

// Every trajectory of `blocks`, whole. The blocks' own checks (validate, and
// read's of the values) are the in-memory data's.
Trajectories read_whole(const TrajectoryBlocks& blocks);

// The named arrays of a .npy file or .npz archive (all of them, in the
// archive's order, when `names` is empty) as trajectory blocks. Throws
// DataError naming the file for a missing name, an unreadable file, arrays of
// another rank than 1..3 or states of different dimensions.
std::unique_ptr<TrajectoryBlocks> npy_trajectory_blocks(const std::filesystem::path& file,
                                                        const std::vector<std::string>& names, SnapshotLayout layout,
                                                        std::optional<double> dt);

// The trajectories of the named arrays of a .npy file or .npz archive (all
// of them, in the archive's order, when `names` is empty). Throws DataError
// naming the file for a missing name, an unreadable file, arrays of another
// rank than 1..3, states of different dimensions or non-finite values.
Trajectories npy_trajectories(const std::filesystem::path& file, const std::vector<std::string>& names,
                              SnapshotLayout layout);

}  // namespace kooplab
