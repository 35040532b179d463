#pragma once
// .npy files and .npz archives written byte by byte, so the readers' tests
// control every header field.
#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kooplab/data/zip_archive.hpp"

namespace kooplab::testing {

// The bytes of a .npy file of format 1.0 with `dict` as its header and `values`
// as float32 or float64 ('4' or '8' in descr[2]) in descr[0]'s byte order.
inline std::string npy(const std::string& dict, const std::string& descr, const std::vector<double>& values) {
  std::string header = dict + "\n";
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  out += header;
  for (const double value : values) {
    char item[8];
    std::size_t size = 8;
    if (descr[2] == '4') {
      const float single = float(value);
      std::memcpy(item, &single, size = 4);
    } else {
      std::memcpy(item, &value, size);
    }
    if ((descr[0] == '>') != (std::endian::native == std::endian::big)) std::reverse(item, item + size);
    out.append(item, size);
  }
  return out;
}

inline std::string npy(const std::string& descr, bool fortran, const std::string& shape,
                       const std::vector<double>& values) {
  const std::string dict =
      "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  return npy(dict, descr, values);
}

inline std::span<const unsigned char> span_of(const std::string& bytes) {
  return {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()};
}

// A zip archive of stored members, as numpy.savez writes them.
inline std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  return zip_bytes(members, "test archive");
}

}  // namespace kooplab::testing
