#pragma once
// The table of experiments the README shows, generated from the committed
// reports: one row per experiments/<name>/ folder, with its title (the first
// heading of its README), how many of the paper's values its reports find
// within tolerance (their comparison.csv), and links to the reports
// (experiments/<name>/report/<config>/report.md).
#include <filesystem>

#include "kooplab/util/text_table.hpp"

namespace kooplab {

// Links are written as `experiments` joined with the paths below it, so
// `kooplab report --index experiments` run from the repository root gives
// links that work from its README.
TextTable experiments_index(const std::filesystem::path& experiments);

}  // namespace kooplab
