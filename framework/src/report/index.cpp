#include "kooplab/report/index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "kooplab/error.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

std::string readme_title(const std::filesystem::path& folder) {
  std::ifstream in(folder / "README.md");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("# ")) return line.substr(2);
  return folder.filename().string();
}

std::vector<std::filesystem::path> sorted_folders(const std::filesystem::path& parent) {
  std::vector<std::filesystem::path> folders;
  if (std::filesystem::is_directory(parent))
    for (const auto& entry : std::filesystem::directory_iterator(parent))
      if (entry.is_directory()) folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());
  return folders;
}

}  // namespace

TextTable experiments_index(const std::filesystem::path& experiments, const std::filesystem::path& links_from) {
  const auto link = [&](const std::filesystem::path& target) {
    return std::filesystem::absolute(target).lexically_relative(std::filesystem::absolute(links_from)).generic_string();
  };
  if (!std::filesystem::is_directory(experiments))
    throw DataError(fmt::format("{}: no such folder of experiments", experiments.string()));
  TextTable table{{"experiment", "paper values within tolerance", "reports"}, {}};
  for (const auto& folder : sorted_folders(experiments)) {
    std::size_t within = 0, compared = 0;
    std::vector<std::string> links;
    for (const auto& report : sorted_folders(folder / "report")) {
      if (!std::filesystem::is_regular_file(report / "report.md")) continue;
      const std::string name = report.filename().string();
      links.push_back(fmt::format("[{}]({})", name, link(report / "report.md")));
      if (!std::filesystem::is_regular_file(report / "comparison.csv")) continue;
      const TextTable cells = TextTable::from_csv(read_file(report / "comparison.csv"));
      const auto status = std::find(cells.head.begin(), cells.head.end(), "status") - cells.head.begin();
      for (const auto& row : cells.rows) {
        if (std::size_t(status) >= row.size()) continue;
        within += row[status] == "✓" ? 1 : 0;
        compared += row[status] == "—" ? 0 : 1;
      }
    }
    table.rows.push_back({fmt::format("[{}]({}/) {}", folder.filename().string(), link(folder), readme_title(folder)),
                          compared ? fmt::format("{} of {}", within, compared) : "—",
                          links.empty() ? "—" : join_words(links, ", ")});
  }
  return table;
}

}  // namespace kooplab
