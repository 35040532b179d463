// Text helpers of util/text.hpp.
#include <doctest/doctest.h>

#include "kooplab/util/text.hpp"

using kooplab::valid_utf8;

TEST_CASE("valid_utf8 keeps valid UTF-8 and replaces each stray byte by U+FFFD") {
  const std::string replacement = "\xEF\xBF\xBD";
  CHECK(valid_utf8("plain ascii") == "plain ascii");
  CHECK(valid_utf8("λ = −1, σ ∈ ℝ, 🙂") == "λ = −1, σ ∈ ℝ, 🙂");
  CHECK(valid_utf8("a\xff"
                   "b") == "a" + replacement + "b");
  CHECK(valid_utf8("\xc3") == replacement);                                      // truncated two-byte sequence
  CHECK(valid_utf8("\xc0\xaf") == replacement + replacement);                    // overlong '/'
  CHECK(valid_utf8("\xed\xa0\x80") == replacement + replacement + replacement);  // a UTF-16 surrogate
  CHECK(valid_utf8("\xf4\x90\x80\x80").size() == 4 * replacement.size());        // above U+10FFFF
  CHECK(valid_utf8("\xe2\x88") == replacement + replacement);                    // truncated three-byte sequence
}
