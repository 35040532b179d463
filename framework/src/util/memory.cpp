#include "kooplab/util/memory.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <iterator>
#include <limits>

namespace kooplab {
namespace {

std::atomic<std::uint64_t> chosen_budget{0};  // 0: not set

std::uint64_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return std::numeric_limits<std::uint64_t>::max();
  return std::uint64_t(pages) * std::uint64_t(page_size);
}

}  // namespace

std::uint64_t memory_budget() {
  const std::uint64_t chosen = chosen_budget.load();
  return chosen ? chosen : physical_memory();
}

void set_memory_budget(std::uint64_t bytes) { chosen_budget.store(bytes); }

std::string memory_budget_source() { return chosen_budget.load() ? "--max-memory" : "physical memory"; }

std::string bytes_text(double bytes) {
  const char* const units[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
  std::size_t unit = 0;
  while (bytes >= 1024.0 && unit + 1 < std::size(units)) {
    bytes /= 1024.0;
    ++unit;
  }
  if (unit == std::size(units) - 1 && bytes >= 1024.0) return fmt::format("{:.3g} EB", bytes);
  return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.3g} {}", bytes, units[unit]);
}

std::optional<std::uint64_t> parse_bytes(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 15 || text.size() > digits + 1) return std::nullopt;
  const std::uint64_t number = std::stoull(text.substr(0, digits));
  // K, M, G, T: 2^10, 2^20, 2^30, 2^40.
  const std::string units = "KMGT";
  int shift = 0;
  if (text.size() > digits) {
    const auto unit = units.find(char(std::toupper(static_cast<unsigned char>(text[digits]))));
    if (unit == std::string::npos) return std::nullopt;
    shift = 10 * int(unit + 1);
  }
  if (number == 0 || number > (std::numeric_limits<std::uint64_t>::max() >> shift)) return std::nullopt;
  return number << shift;
}

}  // namespace kooplab
