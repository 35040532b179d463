#include "kooplab/nn/network_cache.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "kooplab/error.hpp"
#include "kooplab/util/npy.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {

std::string cache_key(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) (text += part) += '\0';
  return hex_digest(stable_hash(text));
}

NetworkCache::NetworkCache(std::filesystem::path folder) : folder_(std::move(folder)) {}

bool NetworkCache::load(const std::string& key, Network& network) const {
  if (!std::filesystem::exists(file(key))) return false;
  network.load(file(key));
  return true;
}

void NetworkCache::store(const std::string& key, const Network& network) const {
  std::filesystem::create_directories(folder_);
  network.save(file(key));
}

std::optional<arma::mat> NetworkCache::load_array(const std::string& key, const std::string& name) const {
  const std::filesystem::path path = folder_ / (key + "." + name + ".npy");
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return read_npy(bytes.str(), path.string());
}

void NetworkCache::store_array(const std::string& key, const std::string& name, const arma::mat& values) const {
  std::filesystem::create_directories(folder_);
  const std::filesystem::path path = folder_ / (key + "." + name + ".npy");
  const std::filesystem::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    out << npy_bytes(values);
    if (!out) throw DataError(fmt::format("cannot write {}", partial.string()));
  }
  std::filesystem::rename(partial, path);
}

}  // namespace kooplab
