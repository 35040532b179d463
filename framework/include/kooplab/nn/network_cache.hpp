#pragma once
// Trained networks kept in a folder and found again by a key: a hash of
// everything that determined the training (network, dataset and training
// configs, seed), so a sweep can reuse one network instead of retraining it.
#include <armadillo>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kooplab/network.hpp"

namespace kooplab {

// 16 hex digits of the stable hash (util/text.hpp) of the parts, each
// terminated by a zero byte, so ("ab", "c") and ("a", "bc") differ.
std::string cache_key(const std::vector<std::string>& parts);

class NetworkCache {
 public:
  explicit NetworkCache(std::filesystem::path folder);

  // Loads the parameters stored under `key` into `network`; false when there are none.
  bool load(const std::string& key, Network& network) const;
  void store(const std::string& key, const Network& network) const;
  // Arrays kept beside a network (e.g. its loss curves), as .npy files.
  std::optional<arma::mat> load_array(const std::string& key, const std::string& name) const;
  void store_array(const std::string& key, const std::string& name, const arma::mat& values) const;

  std::filesystem::path file(const std::string& key) const { return folder_ / (key + ".network"); }

 private:
  std::filesystem::path folder_;
};

}  // namespace kooplab
