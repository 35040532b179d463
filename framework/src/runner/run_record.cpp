#include "kooplab/runner/run_record.hpp"

#include <cmath>

namespace kooplab {

nlohmann::ordered_json RunRecord::to_json() const {
  nlohmann::ordered_json json;
  json["run"] = hash;
  json["index"] = index;
  json["params"] = nlohmann::ordered_json::object();
  for (const auto& [key, value] : params) json["params"][key] = value;
  json["seed"] = seed;
  json["status"] = status;
  json["error"] = error;
  json["seconds"] = seconds;
  json["metrics"] = nlohmann::ordered_json::object();
  // JSON has no NaN: non-finite metrics are stored as null.
  for (const auto& [name, value] : metrics)
    json["metrics"][name] = std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
  json["arrays"] = arrays;
  json["build"] = build.to_json();
  return json;
}

std::string RunRecord::dump(int indent) const {
  return to_json().dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

RunRecord RunRecord::from_json(const nlohmann::ordered_json& json) {
  RunRecord record;
  record.hash = json.at("run").get<std::string>();
  record.index = json.at("index").get<std::size_t>();
  for (const auto& [key, value] : json.at("params").items()) record.params.emplace_back(key, value.get<std::string>());
  record.seed = json.at("seed").get<std::uint64_t>();
  record.status = json.at("status").get<std::string>();
  record.error = json.at("error").get<std::string>();
  record.seconds = json.at("seconds").get<double>();
  for (const auto& [name, value] : json.at("metrics").items())
    record.metrics.emplace_back(name, value.is_null() ? std::nan("") : value.get<double>());
  record.arrays = json.at("arrays").get<std::vector<std::string>>();
  if (json.contains("build")) record.build = Provenance::from_json(json.at("build"));
  return record;
}

}  // namespace kooplab
