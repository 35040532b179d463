#include "kooplab/data/hdf5_array.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <hdf5.h>

#include <algorithm>

#include "kooplab/data/matrix_stack.hpp"
#include "kooplab/error.hpp"

namespace kooplab {
namespace {

// Owns an HDF5 identifier; `close` is H5Fclose, H5Dclose, ...
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// kooplab reports HDF5's failures itself, in one line.
void silence_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

herr_t collect_dataset(hid_t group, const char* name, const H5L_info_t*, void* names) {
  H5O_info_t info;
  if (H5Oget_info_by_name2(group, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_DATASET)
    static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}

}  // namespace

struct Hdf5File::Handle {
  explicit Handle(hid_t id) : file(id, &H5Fclose) {}
  Id file;
};

struct Hdf5File::Dataset::Handle {
  Handle(std::shared_ptr<const Hdf5File::Handle> file, hid_t id) : file(std::move(file)), dataset(id, &H5Dclose) {}
  std::shared_ptr<const Hdf5File::Handle> file;  // keeps the file open
  Id dataset;
};

Hdf5File::Hdf5File(const std::filesystem::path& file) : where_(file.string()) {
  silence_hdf5();
  if (!std::filesystem::is_regular_file(file)) throw DataError(fmt::format("{}: no such file", where_));
  if (H5Fis_hdf5(file.c_str()) <= 0) throw DataError(fmt::format("{}: not an HDF5 file", where_));
  auto handle = std::make_shared<Handle>(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!handle->file.valid()) throw DataError(fmt::format("{}: cannot open the HDF5 file", where_));
  handle_ = std::move(handle);
}

Hdf5File::~Hdf5File() = default;
Hdf5File::Hdf5File(Hdf5File&&) noexcept = default;
Hdf5File& Hdf5File::operator=(Hdf5File&&) noexcept = default;

std::vector<std::string> Hdf5File::root_datasets() const {
  silence_hdf5();
  std::vector<std::string> names;
  if (H5Literate(handle_->file.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, &collect_dataset, &names) < 0)
    throw DataError(fmt::format("{}: cannot list the root group", where_));
  return names;
}

bool Hdf5File::has(const std::string& path) const {
  silence_hdf5();
  return H5Lexists(handle_->file.get(), path.c_str(), H5P_DEFAULT) > 0;
}

struct Hdf5File::Opened {
  std::shared_ptr<Dataset::Handle> handle;
  std::string where;  // file and dataset path
  H5T_class_t type_class = H5T_NO_CLASS;
  std::size_t type_size = 0;
  bool variable_string = false;
  H5T_cset_t character_set = H5T_CSET_ASCII;  // of strings: h5py writes UTF-8
  std::vector<hsize_t> dims;
};

Hdf5File::Opened Hdf5File::open(const std::string& path) const {
  silence_hdf5();
  Opened out;
  out.where = fmt::format("{} (dataset '{}')", where_, path);
  if (!has(path)) {
    const std::vector<std::string> present = root_datasets();
    throw DataError(
        fmt::format("{}: no dataset '{}'; the root group holds {}", where_, path,
                    present.empty() ? std::string("no datasets") : fmt::format("{}", fmt::join(present, ", "))));
  }
  out.handle = std::make_shared<Dataset::Handle>(handle_, H5Dopen2(handle_->file.get(), path.c_str(), H5P_DEFAULT));
  if (!out.handle->dataset.valid()) throw DataError(fmt::format("{}: not a dataset", out.where));
  const Id type(H5Dget_type(out.handle->dataset.get()), &H5Tclose);
  out.type_class = H5Tget_class(type.get());
  out.type_size = H5Tget_size(type.get());
  out.variable_string = out.type_class == H5T_STRING && H5Tis_variable_str(type.get()) > 0;
  if (out.type_class == H5T_STRING) out.character_set = H5Tget_cset(type.get());
  const Id space(H5Dget_space(out.handle->dataset.get()), &H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  out.dims.resize(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.get(), out.dims.data(), nullptr);
  return out;
}

Hdf5File::Dataset Hdf5File::dataset(const std::string& path) const {
  Opened opened = open(path);
  Dataset out;
  out.where_ = std::move(opened.where);
  if (opened.type_class != H5T_FLOAT || (opened.type_size != 4 && opened.type_size != 8))
    throw DataError(fmt::format("{}: the elements are not float32 or float64", out.where_));
  const std::size_t rank = opened.dims.size();
  if (rank < 1 || rank > 3)
    throw DataError(fmt::format("{}: {} axes where a 1-D, 2-D or 3-D dataset is expected", out.where_, rank));
  out.shape_.assign(opened.dims.begin(), opened.dims.end());
  if (std::find(opened.dims.begin(), opened.dims.end(), 0) != opened.dims.end())
    throw DataError(fmt::format("{}: an empty dataset of shape ({})", out.where_, fmt::join(out.shape_, ", ")));
  out.handle_ = std::move(opened.handle);
  return out;
}

std::vector<std::string> Hdf5File::strings(const std::string& path) const {
  const Opened opened = open(path);
  if (opened.type_class != H5T_STRING || opened.dims.size() != 1)
    throw DataError(fmt::format("{}: not a 1-D dataset of strings", opened.where));
  const hid_t dataset = opened.handle->dataset.get();
  const std::size_t count = opened.dims[0];
  const Id memory_type(H5Tcopy(H5T_C_S1), &H5Tclose);
  H5Tset_cset(memory_type.get(), opened.character_set);  // HDF5 converts no string between character sets
  std::vector<std::string> out;
  if (opened.variable_string) {
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    std::vector<char*> pointers(count, nullptr);
    if (H5Dread(dataset, memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
      throw DataError(fmt::format("{}: cannot read the strings", opened.where));
    for (char* text : pointers) out.emplace_back(text ? text : "");
    const Id space(H5Dget_space(dataset), &H5Sclose);
    H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, pointers.data());
    return out;
  }
  const std::size_t width = opened.type_size;
  H5Tset_size(memory_type.get(), width);
  std::vector<char> buffer(count * width);
  if (H5Dread(dataset, memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0)
    throw DataError(fmt::format("{}: cannot read the strings", opened.where));
  for (std::size_t i = 0; i < count; ++i) {
    const char* text = buffer.data() + i * width;
    out.emplace_back(text, std::find(text, text + width, '\0'));  // padded with zeros, or full width
  }
  return out;
}

arma::umat Hdf5File::integers(const std::string& path) const {
  const Opened opened = open(path);
  const std::size_t rank = opened.dims.size();
  if (opened.type_class != H5T_INTEGER || rank < 1 || rank > 2)
    throw DataError(fmt::format("{}: not a 1-D or 2-D dataset of integers", opened.where));
  const arma::uword rows = rank == 1 ? 1 : opened.dims[0], cols = opened.dims[rank - 1];
  std::vector<long long> values(rows * cols);
  if (!values.empty() &&
      H5Dread(opened.handle->dataset.get(), H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
    throw DataError(fmt::format("{}: cannot read the integers", opened.where));
  arma::umat out(rows, cols);
  for (arma::uword r = 0; r < rows; ++r)
    for (arma::uword c = 0; c < cols; ++c) {
      const long long value = values[r * cols + c];
      if (value < 0) throw DataError(fmt::format("{}: a negative value {} at ({}, {})", opened.where, value, r, c));
      out(r, c) = arma::uword(value);
    }
  return out;
}

arma::uword Hdf5File::Dataset::matrices() const { return shape_.size() == 3 ? shape_[0] : 1; }

arma::mat Hdf5File::Dataset::matrix(arma::uword k) const {
  const MatrixShape shape = matrix_shape(shape_);
  return rows_as_columns(k, 0, shape.rows, 0, shape.cols).t();
}

arma::mat Hdf5File::Dataset::rows_as_columns(arma::uword k, arma::uword row, arma::uword rows, arma::uword col,
                                             arma::uword cols) const {
  silence_hdf5();
  check_block(k, matrices(), matrix_shape(shape_), row, rows, col, cols, where_);
  // The hyperslab (k, row, col) + (1, rows, cols) of a stack; of a matrix
  // (row, col) + (rows, cols); of a 1-D dataset (col) + (cols).
  const std::size_t rank = shape_.size();
  std::vector<hsize_t> start(rank), count(rank);
  start[rank - 1] = col, count[rank - 1] = cols;
  if (rank >= 2) start[rank - 2] = row, count[rank - 2] = rows;
  if (rank == 3) start[0] = k, count[0] = 1;
  const Id file_space(H5Dget_space(handle_->dataset.get()), &H5Sclose);
  const hsize_t elements = rows * cols;
  const Id memory_space(H5Screate_simple(1, &elements, nullptr), &H5Sclose);
  arma::mat out(cols, rows);  // row-major rows × cols is column-major cols × rows
  if (elements == 0) return out;
  if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0 ||
      H5Dread(handle_->dataset.get(), H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT,
              out.memptr()) < 0)
    throw DataError(fmt::format("{}: cannot read rows {}..{} of matrix {} (truncated or corrupt file?)", where_, row,
                                row + rows, k));
  return out;
}

std::unique_ptr<TrajectoryBlocks> hdf5_trajectory_blocks(const std::filesystem::path& file,
                                                         const std::vector<std::string>& names, SnapshotLayout layout,
                                                         std::optional<double> dt) {
  const Hdf5File hdf5(file);
  const std::vector<std::string> chosen = names.empty() ? hdf5.root_datasets() : names;
  if (chosen.empty()) throw DataError(fmt::format("{}: no datasets in the root group", file.string()));
  std::vector<Hdf5File::Dataset> datasets;
  for (const std::string& name : chosen) datasets.push_back(hdf5.dataset(name));
  auto blocks = std::make_unique<ArrayTrajectoryBlocks<Hdf5File::Dataset>>(std::move(datasets), layout, dt);
  blocks->validate(file.string());
  return blocks;
}

Trajectories hdf5_trajectories(const std::filesystem::path& file, const std::vector<std::string>& names,
                               SnapshotLayout layout) {
  return read_whole(*hdf5_trajectory_blocks(file, names, layout, std::nullopt));
}

}  // namespace kooplab
