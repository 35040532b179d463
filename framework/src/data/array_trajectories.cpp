#include "kooplab/data/array_trajectories.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "kooplab/data/npy_array.hpp"
#include "kooplab/error.hpp"

namespace kooplab {

const Words<SnapshotLayout>& snapshot_layout_words() {
  static const Words<SnapshotLayout> words{{"rows", SnapshotLayout::rows}, {"columns", SnapshotLayout::columns}};
  return words;
}

Options<ArrayFileSettings> ArrayFileSettings::options(const std::string& file, const std::string& names_key,
                                                      const std::string& names_doc, const std::string& names_default) {
  return Options<ArrayFileSettings>()
      .require("path", &ArrayFileSettings::path, file + " (relative to the config file)")
      .add(names_key, &ArrayFileSettings::names, names_doc)
      .shown_default(names_default)
      .choice("layout", &ArrayFileSettings::layout, snapshot_layout_words(),
              "snapshots are the rows (steps × states) or the columns (states × steps) of each matrix")
      .add("dt", &ArrayFileSettings::dt, "sampling interval", greater_than(0));
}

arma::mat trajectory_of(arma::mat matrix, std::size_t rank, SnapshotLayout layout) {
  // A 1-D array is one state over time whatever the layout.
  if (rank == 1 || layout == SnapshotLayout::columns) return matrix;
  return matrix.t();
}

void check_same_states(const Trajectories& data, const std::string& where, SnapshotLayout layout) {
  if (data.runs.back().n_rows != data.runs.front().n_rows)
    throw DataError(fmt::format("{}: trajectories of {} and {} states (layout: {})", where, data.runs.front().n_rows,
                                data.runs.back().n_rows, word_of(snapshot_layout_words(), layout)));
}

Trajectories npy_trajectories(const std::filesystem::path& file, const std::vector<std::string>& names,
                              SnapshotLayout layout) {
  const std::vector<NamedNpyArray> arrays = read_npy_arrays(file);
  std::vector<const NamedNpyArray*> chosen;
  for (const std::string& name : names) {
    const auto found =
        std::find_if(arrays.begin(), arrays.end(), [&](const auto& array) { return array.name == name; });
    if (found == arrays.end()) {
      std::vector<std::string> present;
      for (const auto& array : arrays) present.push_back(array.name);
      throw DataError(
          fmt::format("{}: no array '{}'; the file holds {}", file.string(), name, fmt::join(present, ", ")));
    }
    chosen.push_back(&*found);
  }
  if (names.empty())
    for (const auto& array : arrays) chosen.push_back(&array);

  Trajectories data;
  for (const NamedNpyArray* named : chosen) append_trajectories(data, named->array, layout);
  data.validate(file.string());
  return data;
}

}  // namespace kooplab
