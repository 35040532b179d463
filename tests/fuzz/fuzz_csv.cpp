// A CSV text through the reader.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "kooplab/data/csv.hpp"
#include "kooplab/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    kooplab::read_csv(in, "fuzz.csv", size % 2 == 1);
  } catch (const kooplab::Error&) {
  }
  return 0;
}
