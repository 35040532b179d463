#pragma once
// Refuses a size whose memory estimate exceeds the memory budget
// (util/memory.hpp: the physical memory, or kooplab run --max-memory) before
// anything is allocated, so a size that needs terabytes names its key and the
// size asked instead of ending in std::bad_alloc:
// "<location>: dataset.size: N = 1000000000 units (...) needs about 6.94 EB,
// more than the budget of 15.5 GB (physical memory)".
#include <string>
#include <string_view>

#include "kooplab/config.hpp"

namespace kooplab {

// `bytes`: the plugin's estimate of what the key's value makes it allocate;
// `what`: what the estimate counts, with the value.
void check_memory(const Config& section, std::string_view key, double bytes, const std::string& what);

}  // namespace kooplab
