#include "kooplab/nn/network_cache.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <sstream>

#include "kooplab/error.hpp"
#include "kooplab/util/npy.hpp"

namespace kooplab {

std::string cache_key(const std::vector<std::string>& parts) {
  std::uint64_t hash = 14695981039346656037ULL;
  const auto mix = [&](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  for (const std::string& part : parts) {
    for (const char c : part) mix(static_cast<unsigned char>(c));
    mix(0);
  }
  return fmt::format("{:016x}", hash);
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
