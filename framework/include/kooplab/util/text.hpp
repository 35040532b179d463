#pragma once
// Small text helpers shared by error messages and result writers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kooplab {

// Levenshtein distance between two words.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word`, if it is close enough to be a likely typo.
std::optional<std::string> closest_word(std::string_view word, const std::vector<std::string>& candidates);
// Characters (UTF-8 code points) in `text`, for aligning columns.
std::size_t display_width(std::string_view text);
// "a, b, c"
std::string join_words(const std::vector<std::string>& words, std::string_view separator = ", ");
// `text` with every byte that is not part of a valid UTF-8 sequence replaced
// by U+FFFD, so it can be written to JSON (which holds UTF-8 only).
std::string valid_utf8(std::string_view text);
// 64-bit FNV-1a: a stable hash of text, the same on every platform and run.
std::uint64_t stable_hash(std::string_view text);
std::string hex_digest(std::uint64_t hash);

}  // namespace kooplab
