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

void check_same_states(arma::uword first, arma::uword other, const std::string& where, SnapshotLayout layout) {
  if (other != first)
    throw DataError(fmt::format("{}: trajectories of {} and {} states (layout: {})", where, first, other,
                                word_of(snapshot_layout_words(), layout)));
}

Trajectories read_whole(const TrajectoryBlocks& blocks) {
  Trajectories data;
  for (std::size_t k = 0; k < blocks.trajectory_count(); ++k) data.runs.push_back(blocks.read(k, 0, blocks.length(k)));
  data.dt = blocks.dt();
  return data;
}

std::unique_ptr<TrajectoryBlocks> npy_trajectory_blocks(const std::filesystem::path& file,
                                                        const std::vector<std::string>& names, SnapshotLayout layout,
                                                        std::optional<double> dt) {
  std::vector<NamedNpyArray> arrays = read_npy_arrays(file);
  std::vector<NpyArray> chosen;
  for (const std::string& name : names) {
    const auto found =
        std::find_if(arrays.begin(), arrays.end(), [&](const auto& array) { return array.name == name; });
    if (found == arrays.end()) {
      std::vector<std::string> present;
      for (const auto& array : arrays) present.push_back(array.name);
      throw DataError(
          fmt::format("{}: no array '{}'; the file holds {}", file.string(), name, fmt::join(present, ", ")));
    }
    chosen.push_back(found->array);
  }
  if (names.empty())
    for (auto& array : arrays) chosen.push_back(std::move(array.array));
  auto blocks = std::make_unique<ArrayTrajectoryBlocks<NpyArray>>(std::move(chosen), layout, dt);
  blocks->validate(file.string());
  return blocks;
}

Trajectories npy_trajectories(const std::filesystem::path& file, const std::vector<std::string>& names,
                              SnapshotLayout layout) {
  return read_whole(*npy_trajectory_blocks(file, names, layout, std::nullopt));
}

}  // namespace kooplab
