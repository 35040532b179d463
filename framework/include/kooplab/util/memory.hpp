#pragma once
// The memory one allocation of a run may ask for. Plugins compare their
// estimate for a size key with it before they allocate, so a size that needs
// terabytes is refused naming the key instead of ending in std::bad_alloc.
// It is the machine's physical memory unless set (kooplab run --max-memory).
#include <cstdint>
#include <optional>
#include <string>

namespace kooplab {

std::uint64_t memory_budget();
// 0 goes back to the physical memory.
void set_memory_budget(std::uint64_t bytes);
// Where the budget comes from, for messages: "physical memory" or "--max-memory".
std::string memory_budget_source();

// "512 B", "1.5 KB", "3.2 GB" (powers of 1024).
std::string bytes_text(double bytes);
// "1000000", "512K", "64M", "8G", "1T" (powers of 1024); nullopt when malformed.
std::optional<std::uint64_t> parse_bytes(const std::string& text);

}  // namespace kooplab
