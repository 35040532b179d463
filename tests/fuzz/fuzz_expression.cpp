// An expression through the parser and one evaluation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kooplab/data/expression.hpp"
#include "kooplab/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const kooplab::Expression expression(std::string(reinterpret_cast<const char*>(data), size));
    expression(arma::vec{-1.0, 0.0, 0.5, 2.0});
  } catch (const kooplab::Error&) {
  }
  return 0;
}
