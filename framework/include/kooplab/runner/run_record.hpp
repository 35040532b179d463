#pragma once
// The record of one run, as stored in runs/<hash>/record.json and in the
// experiment's results.jsonl / results.csv.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "kooplab/runner/provenance.hpp"

namespace kooplab {

struct RunRecord {
  std::string hash;
  std::size_t index = 0;
  std::vector<std::pair<std::string, std::string>> params;
  std::uint64_t seed = 0;
  std::string status;  // "ok" or "failed"
  std::string error;
  double seconds = 0.0;
  std::vector<std::pair<std::string, double>> metrics;
  std::vector<std::string> arrays;  // file names in the run folder
  Provenance build;                 // code, BLAS and host that made it

  bool ok() const { return status == "ok"; }
  nlohmann::ordered_json to_json() const;
  // The record as JSON text; never throws on text that is not UTF-8.
  std::string dump(int indent = -1) const;
  static RunRecord from_json(const nlohmann::ordered_json& json);
};

}  // namespace kooplab
