#include "kooplab/data/npy_array.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>

#include "kooplab/data/mapped_file.hpp"
#include "kooplab/data/matrix_stack.hpp"
#include "kooplab/data/zip_archive.hpp"
#include "kooplab/error.hpp"

namespace kooplab {
namespace {

// The header dictionary, a Python literal such as
// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& where) : text_(text), where_(where) {}

  NpyHeader parse() {
    NpyHeader header;
    std::optional<std::string> descr;
    std::optional<bool> fortran;
    std::optional<std::vector<arma::uword>> shape;
    expect('{');
    while (!take('}')) {
      const std::string key = string();
      expect(':');
      if (key == "descr" && !descr)
        descr = string();
      else if (key == "fortran_order" && !fortran)
        fortran = boolean();
      else if (key == "shape" && !shape)
        shape = tuple();
      else
        fail(fmt::format("unexpected or repeated key '{}'", key));
      if (!take(',')) {
        expect('}');
        break;
      }
    }
    skip_space();
    if (position_ != text_.size()) fail("text after the dictionary");
    if (!descr || !fortran || !shape) fail("the dictionary lacks one of 'descr', 'fortran_order', 'shape'");
    set_type(*descr, header);
    header.fortran_order = *fortran;
    header.shape = std::move(*shape);
    return header;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw DataError(fmt::format("{}: bad .npy header at character {}: {}", where_, position_, what));
  }
  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\n')) ++position_;
  }
  bool take(char c) {
    skip_space();
    if (position_ < text_.size() && text_[position_] == c) return ++position_, true;
    return false;
  }
  void expect(char c) {
    if (!take(c)) fail(fmt::format("expected '{}'", c));
  }
  std::string string() {
    skip_space();
    if (position_ >= text_.size() || (text_[position_] != '\'' && text_[position_] != '"')) fail("expected a string");
    const char quote = text_[position_++];
    const auto end = text_.find(quote, position_);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string value(text_.substr(position_, end - position_));
    if (value.find('\\') != std::string::npos) fail("escapes in a string");
    position_ = end + 1;
    return value;
  }
  bool boolean() {
    skip_space();
    for (const auto& [word, value] : {std::pair{std::string_view("True"), true}, {"False", false}})
      if (text_.substr(position_, word.size()) == word) return position_ += word.size(), value;
    fail("expected True or False");
  }
  arma::uword integer() {
    skip_space();
    const std::size_t first = position_;
    arma::uword value = 0;
    for (; position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9'; ++position_)
      if (__builtin_mul_overflow(value, 10u, &value) || __builtin_add_overflow(value, text_[position_] - '0', &value))
        fail("a dimension too large");
    if (position_ == first) fail("expected a non-negative integer dimension");
    return value;
  }
  std::vector<arma::uword> tuple() {
    expect('(');
    std::vector<arma::uword> values;
    while (!take(')')) {
      values.push_back(integer());
      if (!take(',')) {
        expect(')');
        break;
      }
    }
    return values;
  }
  void set_type(const std::string& descr, NpyHeader& header) const {
    const bool known_order = descr.size() == 3 && (descr[0] == '<' || descr[0] == '>' || descr[0] == '=');
    if (!known_order || (descr.substr(1) != "f4" && descr.substr(1) != "f8"))
      throw DataError(
          fmt::format("{}: dtype '{}' is not read; store float32 or float64 ('<f4', '<f8', '>f4', '>f8'), "
                      "e.g. array.astype(numpy.float64)",
                      where_, descr));
    header.item_size = descr[2] == '4' ? 4 : 8;
    header.big_endian = descr[0] == '>' || (descr[0] == '=' && std::endian::native == std::endian::big);
  }

  std::string_view text_;
  const std::string& where_;
  std::size_t position_ = 0;
};

std::uint64_t little_endian(std::span<const unsigned char> bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace

NpyHeader parse_npy_header(std::span<const unsigned char> bytes, const std::string& where) {
  static constexpr unsigned char magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (bytes.size() < 10 || !std::equal(std::begin(magic), std::end(magic), bytes.begin()))
    throw DataError(fmt::format("{}: not a .npy array (no \\x93NUMPY magic)", where));
  const unsigned major = bytes[6];
  if (major < 1 || major > 3) throw DataError(fmt::format("{}: .npy format version {} is not read", where, major));
  const std::size_t length_size = major == 1 ? 2 : 4, start = 8 + length_size;
  if (bytes.size() < start) throw DataError(fmt::format("{}: truncated .npy header", where));
  const std::uint64_t length = little_endian(bytes.subspan(8, length_size));
  if (length > bytes.size() - start)
    throw DataError(fmt::format("{}: truncated .npy header: it declares {} bytes, the file has {} after the preamble",
                                where, length, bytes.size() - start));
  const auto text = bytes.subspan(start, length);
  NpyHeader header =
      HeaderParser(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()), where).parse();
  header.data_offset = start + length;
  header.elements = 1;
  for (const arma::uword size : header.shape)
    if (__builtin_mul_overflow(header.elements, size, &header.elements))
      throw DataError(fmt::format("{}: the .npy shape ({}) overflows", where, fmt::join(header.shape, ", ")));
  arma::uword data_bytes = 0;
  if (__builtin_mul_overflow(header.elements, header.item_size, &data_bytes))
    throw DataError(fmt::format("{}: the .npy shape ({}) overflows", where, fmt::join(header.shape, ", ")));
  const std::size_t available = bytes.size() - header.data_offset;
  if (data_bytes > available)
    throw DataError(fmt::format("{}: truncated .npy data: shape ({}) needs {} bytes, the file has {}", where,
                                fmt::join(header.shape, ", "), data_bytes, available));
  if (data_bytes < available)
    throw DataError(fmt::format("{}: {} bytes after the .npy data of shape ({})", where, available - data_bytes,
                                fmt::join(header.shape, ", ")));
  return header;
}

NpyArray::NpyArray(std::shared_ptr<const void> owner, std::span<const unsigned char> bytes, std::string where)
    : owner_(std::move(owner)), header_(parse_npy_header(bytes, where)), where_(std::move(where)) {
  data_ = bytes.subspan(header_.data_offset);
}

arma::uword NpyArray::matrices() const {
  const std::size_t rank = header_.shape.size();
  if (rank < 1 || rank > 3)
    throw DataError(fmt::format("{}: an array of shape ({}) where a 1-D, 2-D or 3-D array is expected", where_,
                                fmt::join(header_.shape, ", ")));
  if (header_.elements == 0)
    throw DataError(fmt::format("{}: an empty array of shape ({})", where_, fmt::join(header_.shape, ", ")));
  return rank == 3 ? header_.shape[0] : 1;
}

double NpyArray::element(arma::uword index) const {
  unsigned char item[8];
  std::memcpy(item, data_.data() + index * header_.item_size, header_.item_size);
  if (header_.big_endian != (std::endian::native == std::endian::big)) std::reverse(item, item + header_.item_size);
  if (header_.item_size == 4) {
    float value = 0;
    std::memcpy(&value, item, sizeof value);
    return value;
  }
  double value = 0;
  std::memcpy(&value, item, sizeof value);
  return value;
}

arma::mat NpyArray::matrix(arma::uword k) const {
  const MatrixShape shape = matrix_shape(header_.shape);
  return rows_as_columns(k, 0, shape.rows, 0, shape.cols).t();
}

arma::mat NpyArray::rows_as_columns(arma::uword k, arma::uword row, arma::uword rows, arma::uword col,
                                    arma::uword cols) const {
  const arma::uword count = matrices();
  const MatrixShape shape = matrix_shape(header_.shape);
  check_block(k, count, shape, row, rows, col, cols, where_);
  arma::mat out(cols, rows);
  // Row r of matrix k starts at element (k · height + r) · width in C order.
  const arma::uword start = (k * shape.rows + row) * shape.cols + col;
  if (cols == shape.cols) {
    c_order_into(start, rows * cols, out.memptr());  // whole rows are contiguous
    return out;
  }
  for (arma::uword i = 0; i < rows; ++i) c_order_into(start + i * shape.cols, cols, out.colptr(i));
  return out;
}

arma::vec NpyArray::c_order(arma::uword first, arma::uword count) const {
  arma::vec out(count);
  c_order_into(first, count, out.memptr());
  return out;
}

void NpyArray::c_order_into(arma::uword first, arma::uword count, double* out) const {
  if (first > header_.elements || count > header_.elements - first)
    throw DataError(fmt::format("{}: elements {}..{} of {}", where_, first, first + count, header_.elements));
  if (!header_.fortran_order || header_.shape.size() < 2) {
    for (arma::uword i = 0; i < count; ++i) out[i] = element(first + i);
    return;
  }
  // Fortran order: walk the multi-index like an odometer, last axis fastest,
  // keeping its Fortran offset Σ index_d · stride_d (stride_d = Π shape_{<d}).
  const auto& shape = header_.shape;
  const std::size_t rank = shape.size();
  std::vector<arma::uword> index(rank), stride(rank, 1);
  for (std::size_t d = 1; d < rank; ++d) stride[d] = stride[d - 1] * shape[d - 1];
  arma::uword offset = 0, rest = first;
  for (std::size_t d = rank; d-- > 0;) {
    index[d] = rest % shape[d];
    rest /= shape[d];
    offset += index[d] * stride[d];
  }
  for (arma::uword i = 0; i < count; ++i) {
    out[i] = element(offset);
    for (std::size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d]) {
        offset += stride[d];
        break;
      }
      offset -= (shape[d] - 1) * stride[d];
      index[d] = 0;
    }
  }
}

std::string shape_text(const std::vector<arma::uword>& shape) { return fmt::format("({})", fmt::join(shape, ", ")); }

std::vector<NamedNpyArray> read_npy_arrays(const std::filesystem::path& file) {
  const auto mapped = std::make_shared<const MappedFile>(file);
  const std::span<const unsigned char> bytes = mapped->bytes();
  const std::string where = file.string();
  if (bytes.size() >= 2 && bytes[0] == 0x93 && bytes[1] == 'N')
    return {{file.stem().string(), NpyArray(mapped, bytes, where)}};
  if (bytes.size() < 4 || bytes[0] != 'P' || bytes[1] != 'K')
    throw DataError(fmt::format("{}: neither a .npy file nor a .npz archive", where));
  std::vector<NamedNpyArray> arrays;
  for (const ZipMember& member : zip_members(bytes, where)) {
    const std::string member_where = fmt::format("{} (member '{}')", where, member.name);
    if (!member.name.ends_with(".npy"))
      throw DataError(fmt::format("{}: not a .npy member; a .npz archive holds .npy arrays", member_where));
    auto inflated = std::make_shared<std::vector<unsigned char>>();
    const auto content = zip_member_content(bytes, member, *inflated, where);
    std::shared_ptr<const void> owner = member.method == ZipMember::Method::stored
                                            ? std::shared_ptr<const void>(mapped)
                                            : std::shared_ptr<const void>(inflated);
    arrays.push_back({member.name.substr(0, member.name.size() - 4), NpyArray(owner, content, member_where)});
  }
  if (arrays.empty()) throw DataError(fmt::format("{}: an empty .npz archive", where));
  return arrays;
}

}  // namespace kooplab
