#include "kooplab/data/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

arma::mat read_csv(const std::filesystem::path& file, bool header) {
  std::ifstream in(file);
  if (!in) throw DataError(fmt::format("{}: cannot open CSV file", file.string()));
  return read_csv(in, file.string(), header);
}

arma::mat read_csv(std::istream& in, const std::string& name, bool header) {
  std::vector<std::vector<double>> rows;
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if ((header && line_number == 1) || trim(line).empty()) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) {
      const std::string text = trim(field);
      double value = 0.0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw DataError(fmt::format("{}:{}: field {} is not a number: '{}'", name, line_number, row.size() + 1, text));
      if (!std::isfinite(value))
        throw DataError(fmt::format("{}:{}: field {} is not finite ({})", name, line_number, row.size() + 1, text));
      row.push_back(value);
    }
    if (!rows.empty() && row.size() != rows.front().size())
      throw DataError(
          fmt::format("{}:{}: {} fields, earlier lines have {}", name, line_number, row.size(), rows.front().size()));
    rows.push_back(std::move(row));
  }
  if (rows.empty()) throw DataError(fmt::format("{}: no data", name));
  arma::mat out(rows.size(), rows.front().size());
  for (arma::uword i = 0; i < out.n_rows; ++i)
    for (arma::uword j = 0; j < out.n_cols; ++j) out(i, j) = rows[i][j];
  return out;
}

}  // namespace kooplab
