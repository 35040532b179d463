#pragma once
// The table of experiments the README shows, generated from the committed
// reports: one row per experiments/<name>/ folder, with its title (the first
// heading of its README), how many of the paper's values its reports find
// within tolerance (their comparison.csv), and links to the reports
// (experiments/<name>/report/<config>/report.md).
#include <filesystem>

#include "kooplab/util/text_table.hpp"

namespace kooplab {

// Links are relative to `links_from` (the README's folder).
TextTable experiments_index(const std::filesystem::path& experiments, const std::filesystem::path& links_from);

}  // namespace kooplab
