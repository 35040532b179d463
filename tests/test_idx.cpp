// IDX reading (framework/idx.hpp): round trips of small files written here,
// plain and gzip, and the errors for wrong magic numbers, truncation and
// missing files.
#include <doctest/doctest.h>

#include <fstream>
#include <vector>

#include "kooplab/data/idx.hpp"
#include "kooplab/error.hpp"
#include "support.hpp"

namespace {

using Bytes = std::vector<unsigned char>;
using kooplab::testing::contains;
using kooplab::testing::error_of;

void write_file(const std::filesystem::path& file, const Bytes& bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// Header of an IDX file: magic 0x0000TTDD, then each size big-endian.
Bytes header(unsigned char type, const std::vector<std::uint32_t>& shape) {
  Bytes out{0, 0, type, static_cast<unsigned char>(shape.size())};
  for (const std::uint32_t n : shape)
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(n >> shift));
  return out;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Three 2×2 "images" with pixels 0…11.
const Bytes images = concat(header(0x08, {3, 2, 2}), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});

}  // namespace

TEST_CASE("an unsigned-byte IDX file reads back with one item per column, row-major pixels") {
  const auto folder = kooplab::testing::temporary_folder("idx-good");
  write_file(folder / "images", images);
  const kooplab::IdxArray array = kooplab::read_idx(folder / "images");
  CHECK(array.shape == std::vector<arma::uword>{3, 2, 2});
  REQUIRE(array.columns().n_rows == 4);
  REQUIRE(array.columns().n_cols == 3);
  for (arma::uword item = 0; item < 3; ++item)
    for (arma::uword pixel = 0; pixel < 4; ++pixel) CHECK(array.columns()(pixel, item) == double(4 * item + pixel));
  const arma::mat some = array.columns(arma::uvec{2, 0});
  CHECK(arma::approx_equal(some, arma::mat{{8, 0}, {9, 1}, {10, 2}, {11, 3}}, "absdiff", 0.0));
}

TEST_CASE("a gzip-compressed IDX file reads the same as the plain one") {
  const auto folder = kooplab::testing::temporary_folder("idx-gzip");
  write_file(folder / "images", images);
  REQUIRE(kooplab::testing::shell("gzip -k " + (folder / "images").string()) == 0);
  const kooplab::IdxArray plain = kooplab::read_idx(folder / "images");
  const kooplab::IdxArray packed = kooplab::read_idx(folder / "images.gz");
  CHECK(packed.shape == plain.shape);
  CHECK(arma::approx_equal(packed.columns(), plain.columns(), "absdiff", 0.0));
}

TEST_CASE("signed, int16, int32, float and double elements are decoded big-endian") {
  const auto folder = kooplab::testing::temporary_folder("idx-types");
  write_file(folder / "i8", concat(header(0x09, {2}), {0xFF, 0x7F}));
  write_file(folder / "i16", concat(header(0x0B, {2}), {0xFF, 0xFE, 0x01, 0x00}));
  write_file(folder / "i32", concat(header(0x0C, {1}), {0xFF, 0xFF, 0xFF, 0xFD}));
  write_file(folder / "f32", concat(header(0x0D, {1}), {0x3F, 0xC0, 0x00, 0x00}));                          // 1.5f
  write_file(folder / "f64", concat(header(0x0E, {1}), {0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18}));  // −π
  CHECK(kooplab::read_idx(folder / "i8").columns()(0, 0) == -1.0);
  CHECK(kooplab::read_idx(folder / "i8").columns()(0, 1) == 127.0);
  CHECK(kooplab::read_idx(folder / "i16").columns()(0, 0) == -2.0);
  CHECK(kooplab::read_idx(folder / "i16").columns()(0, 1) == 256.0);
  CHECK(kooplab::read_idx(folder / "i32").columns()(0, 0) == -3.0);
  CHECK(kooplab::read_idx(folder / "f32").columns()(0, 0) == 1.5);
  CHECK(kooplab::read_idx(folder / "f64").columns()(0, 0) == -3.141592653589793);
}

TEST_CASE("wrong magic numbers are rejected, naming the file and the magic number") {
  const auto folder = kooplab::testing::temporary_folder("idx-magic");
  write_file(folder / "type07", concat(header(0x07, {1}), {0}));
  write_file(folder / "zip", {'P', 'K', 3, 4, 0, 0, 0, 0});
  write_file(folder / "no_dims", {0, 0, 8, 0});
  const std::string type = error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "type07"); });
  CHECK(contains(type, (folder / "type07").string()));
  CHECK(contains(type, "not an IDX file: magic number 0x00000701"));
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "zip"); }), "magic number 0x504B0304"));
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "no_dims"); }), "not an IDX file"));
}

TEST_CASE("truncated files and trailing bytes are reported with the file and the sizes") {
  const auto folder = kooplab::testing::temporary_folder("idx-truncated");
  write_file(folder / "short_data", Bytes(images.begin(), images.end() - 2));
  write_file(folder / "short_header", Bytes(images.begin(), images.begin() + 10));
  write_file(folder / "tiny", {0, 0});
  write_file(folder / "long", concat(images, {42}));
  const std::string data = error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "short_data"); });
  CHECK(contains(data, (folder / "short_data").string()));
  CHECK(contains(data, "truncated: shape 3×2×2 needs 12 bytes of data, the file holds 10"));
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "short_header"); }),
                 "truncated: the header declares 3 dimensions but the file has only 10 bytes"));
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "tiny"); }), "truncated"));
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "long"); }),
                 "1 unexpected bytes after the data"));
  // 65536⁴ elements: 2⁶⁴, which is 0 in 64 bits, so a header alone used to pass for an empty array.
  write_file(folder / "overflow", header(0x08, {65536, 65536, 65536, 65536}));
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "overflow"); }),
                 "shape 65536×65536×65536×65536 declares more than 2⁶⁴ bytes of data, the file holds 0"));
}

TEST_CASE("a gzip file cut short is an error, not a silently shorter array") {
  const auto folder = kooplab::testing::temporary_folder("idx-gzip-cut");
  Bytes large = header(0x08, {1000, 10, 10});
  std::uint32_t state = 1;  // a linear congruential stream: gzip cannot shrink it much
  for (int i = 0; i < 100000; ++i) {
    state = state * 1664525u + 1013904223u;
    large.push_back(static_cast<unsigned char>(state >> 24));
  }
  write_file(folder / "large", large);
  REQUIRE(kooplab::testing::shell("gzip " + (folder / "large").string()) == 0);
  REQUIRE(kooplab::testing::shell("head -c 20000 " + (folder / "large.gz").string() + " > " +
                                  (folder / "cut.gz").string()) == 0);
  CHECK(kooplab::read_idx(folder / "large.gz").columns().n_cols == 1000);
  const std::string message = error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "cut.gz"); });
  CHECK(contains(message, (folder / "cut.gz").string()));
  CHECK((contains(message, "truncated") || contains(message, "corrupt")));
}

TEST_CASE("a missing file is named") {
  const auto folder = kooplab::testing::temporary_folder("idx-missing");
  const std::string message = error_of<kooplab::DataError>([&] { kooplab::read_idx(folder / "absent-idx3-ubyte"); });
  CHECK(message == (folder / "absent-idx3-ubyte").string() + ": IDX file not found");
}
