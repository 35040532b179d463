#include "kooplab/memory_check.hpp"

#include <fmt/format.h>

#include "kooplab/util/memory.hpp"

namespace kooplab {

void check_memory(const Config& section, std::string_view key, double bytes, const std::string& what) {
  const std::uint64_t budget = memory_budget();
  if (bytes <= double(budget)) return;
  section.fail(key, fmt::format("{} needs about {}, more than the budget of {} ({})", what, bytes_text(bytes),
                                bytes_text(double(budget)), memory_budget_source()));
}

}  // namespace kooplab
