#pragma once
// Rows of numbers from a CSV file (comma-separated, blank lines skipped).
// Every error names the file, the line and the field: a field that is not a
// number or not finite, a line with another number of fields than the first.
#include <armadillo>
#include <filesystem>
#include <istream>
#include <string>

namespace kooplab {

// Throws DataError; `header` skips the first line.
arma::mat read_csv(const std::filesystem::path& file, bool header);
// The same from a stream; `name` stands for the file in error messages.
arma::mat read_csv(std::istream& in, const std::string& name, bool header);

}  // namespace kooplab
