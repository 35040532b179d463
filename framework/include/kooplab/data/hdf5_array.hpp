#pragma once
// Float datasets of HDF5 files (the HDF5 C library, Debian libhdf5-dev),
// read one matrix at a time through a hyperslab, so a trajectory of a stack
// larger than RAM is read alone and a chunked dataset only reads the chunks it
// needs. HDF5 converts float32/float64 of either byte order to double;
// HDF5's arrays are row-major, so the matrices have NpyArray's C-order meaning.
#include <armadillo>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kooplab/data/array_trajectories.hpp"

namespace kooplab {

class Hdf5File {
 public:
  // Throws DataError naming the file when it is missing or not an HDF5 file.
  explicit Hdf5File(const std::filesystem::path& file);
  ~Hdf5File();
  Hdf5File(Hdf5File&&) noexcept;
  Hdf5File& operator=(Hdf5File&&) noexcept;

  // The datasets directly in the root group, by name.
  std::vector<std::string> root_datasets() const;
  bool has(const std::string& path) const;

  class Dataset;
  // The dataset at `path` (e.g. "runs" or "/group/x"); throws DataError naming
  // the file and the path when it is missing or not float32/float64 of 1..3 axes.
  Dataset dataset(const std::string& path) const;
  // A 1-D dataset of strings, fixed or variable length (numpy's "S" arrays,
  // h5py's lists of str), in order.
  std::vector<std::string> strings(const std::string& path) const;
  // An integer dataset of 1 or 2 axes (a 1-D one is one row), row by row;
  // throws DataError for other classes, ranks and negative values.
  arma::umat integers(const std::string& path) const;

 private:
  // The dataset at `path`, its element type and its dimensions; throws DataError when it is none.
  struct Opened;
  Opened open(const std::string& path) const;
  struct Handle;
  std::shared_ptr<const Handle> handle_;
  std::string where_;
};

class Hdf5File::Dataset {
 public:
  const std::vector<arma::uword>& shape() const { return shape_; }
  const std::string& where() const { return where_; }  // file and dataset path, as errors name them
  // As NpyArray::matrices and matrix: a 3-D dataset (K, A, B) holds K
  // matrices A × B, a 2-D one is one matrix, a 1-D one is one row.
  arma::uword matrices() const;
  arma::mat matrix(arma::uword k) const;
  // As NpyArray::rows_as_columns: one hyperslab, so only its chunks are read.
  arma::mat rows_as_columns(arma::uword k, arma::uword row, arma::uword rows, arma::uword col, arma::uword cols) const;

 private:
  friend class Hdf5File;
  struct Handle;
  std::shared_ptr<const Handle> handle_;
  std::vector<arma::uword> shape_;
  std::string where_;
};

// The named datasets (all datasets of the root group, by name, when `names`
// is empty) as trajectory blocks, with array_trajectories.hpp's meaning.
std::unique_ptr<TrajectoryBlocks> hdf5_trajectory_blocks(const std::filesystem::path& file,
                                                         const std::vector<std::string>& names, SnapshotLayout layout,
                                                         std::optional<double> dt);

// The trajectories of the named datasets (all datasets of the root group, by
// name, when `names` is empty), with array_trajectories.hpp's meaning.
Trajectories hdf5_trajectories(const std::filesystem::path& file, const std::vector<std::string>& names,
                               SnapshotLayout layout);

}  // namespace kooplab
