#include "kooplab/data/zip_archive.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <limits>
#include <memory>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

constexpr std::uint32_t local_header_signature = 0x04034b50, central_header_signature = 0x02014b50,
                        end_signature = 0x06054b50, zip64_locator_signature = 0x07064b50,
                        zip64_end_signature = 0x06064b50;
constexpr std::size_t end_size = 22, zip64_locator_size = 20, zip64_end_size = 56, central_header_size = 46,
                      local_header_size = 30;

// Little-endian fields at checked offsets of the archive.
class ByteReader {
 public:
  ByteReader(std::span<const unsigned char> bytes, const std::string& where) : bytes_(bytes), where_(where) {}

  // Throws unless [offset, offset + count) lies inside the archive.
  void need(std::uint64_t offset, std::uint64_t count, const char* what) const {
    if (offset > bytes_.size() || count > bytes_.size() - offset)
      throw DataError(
          fmt::format("{}: truncated or corrupt zip archive: the {} at byte {} ({} bytes) ends past the "
                      "end of the file ({} bytes)",
                      where_, what, offset, count, bytes_.size()));
  }
  template <class T>
  T get(std::uint64_t offset) const {
    need(offset, sizeof(T), "field");
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) value |= T(T(bytes_[offset + i]) << (8 * i));
    return value;
  }
  std::span<const unsigned char> bytes() const { return bytes_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw DataError(fmt::format("{}: not a readable zip archive: {}", where_, what));
  }

 private:
  std::span<const unsigned char> bytes_;
  const std::string& where_;
};

struct Directory {
  std::uint64_t entries = 0, offset = 0, size = 0;
};

// The end-of-central-directory record is the last 22 bytes plus a comment of
// up to 65535 bytes; ZIP64 archives point from it to a larger record.
Directory find_directory(const ByteReader& in) {
  const std::size_t size = in.bytes().size();
  if (size < end_size) in.fail("shorter than an end-of-directory record");
  const std::size_t lowest = size - end_size > 0xffff ? size - end_size - 0xffff : 0;
  for (std::size_t at = size - end_size + 1; at-- > lowest;) {
    if (in.get<std::uint32_t>(at) != end_signature) continue;
    Directory directory{in.get<std::uint16_t>(at + 10), in.get<std::uint32_t>(at + 16), in.get<std::uint32_t>(at + 12)};
    const bool zip64 = directory.entries == 0xffff || directory.offset == 0xffffffff || directory.size == 0xffffffff;
    if (zip64) {
      if (at < zip64_locator_size || in.get<std::uint32_t>(at - zip64_locator_size) != zip64_locator_signature)
        in.fail("a ZIP64 directory without its locator");
      const std::uint64_t record = in.get<std::uint64_t>(at - zip64_locator_size + 8);
      in.need(record, zip64_end_size, "ZIP64 end-of-directory record");
      if (in.get<std::uint32_t>(record) != zip64_end_signature) in.fail("a bad ZIP64 end-of-directory record");
      directory = {in.get<std::uint64_t>(record + 32), in.get<std::uint64_t>(record + 48),
                   in.get<std::uint64_t>(record + 40)};
    }
    in.need(directory.offset, directory.size, "central directory");
    return directory;
  }
  in.fail("no end-of-directory record (not a zip file, or cut short)");
}

// Replaces the 32-bit fields that read 0xffffffff by their ZIP64 values, in
// the order the extra field stores them.
void apply_zip64_extra(const ByteReader& in, std::uint64_t extra, std::uint64_t extra_size, ZipMember& member,
                       std::uint64_t& local_offset) {
  for (std::uint64_t at = extra; at + 4 <= extra + extra_size;) {
    const std::uint16_t id = in.get<std::uint16_t>(at), length = in.get<std::uint16_t>(at + 2);
    if (at + 4 + length > extra + extra_size) in.fail(fmt::format("member '{}': a bad extra field", member.name));
    if (id == 0x0001) {
      std::uint64_t field = at + 4;
      for (std::uint64_t* value : {&member.size, &member.compressed_size, &local_offset}) {
        if (*value != 0xffffffff) continue;
        if (field + 8 > at + 4 + length) in.fail(fmt::format("member '{}': a short ZIP64 extra field", member.name));
        *value = in.get<std::uint64_t>(field);
        field += 8;
      }
    }
    at += 4 + length;
  }
}

}  // namespace

std::vector<ZipMember> zip_members(std::span<const unsigned char> bytes, const std::string& where) {
  const ByteReader in(bytes, where);
  const Directory directory = find_directory(in);
  std::vector<ZipMember> members;
  std::uint64_t at = directory.offset;
  for (std::uint64_t entry = 0; entry < directory.entries; ++entry) {
    in.need(at, central_header_size, "central directory entry");
    if (in.get<std::uint32_t>(at) != central_header_signature) in.fail(fmt::format("a bad directory entry {}", entry));
    ZipMember member;
    const std::uint16_t flags = in.get<std::uint16_t>(at + 8), method = in.get<std::uint16_t>(at + 10);
    member.crc32 = in.get<std::uint32_t>(at + 16);
    member.compressed_size = in.get<std::uint32_t>(at + 20);
    member.size = in.get<std::uint32_t>(at + 24);
    const std::uint64_t name_size = in.get<std::uint16_t>(at + 28), extra_size = in.get<std::uint16_t>(at + 30),
                        comment_size = in.get<std::uint16_t>(at + 32);
    std::uint64_t local_offset = in.get<std::uint32_t>(at + 42);
    in.need(at + central_header_size, name_size + extra_size + comment_size, "directory entry's name");
    const auto name = bytes.subspan(at + central_header_size, name_size);
    member.name.assign(name.begin(), name.end());
    apply_zip64_extra(in, at + central_header_size + name_size, extra_size, member, local_offset);
    if (flags & 0x1) in.fail(fmt::format("member '{}' is encrypted", member.name));
    if (method == 0)
      member.method = ZipMember::Method::stored;
    else if (method == 8)
      member.method = ZipMember::Method::deflated;
    else
      in.fail(fmt::format("member '{}' uses compression method {} (only stored and deflated are read)", member.name,
                          method));
    if (member.method == ZipMember::Method::stored && member.size != member.compressed_size)
      in.fail(fmt::format("stored member '{}' has different sizes ({} and {})", member.name, member.size,
                          member.compressed_size));
    in.need(local_offset, local_header_size, "local header");
    if (in.get<std::uint32_t>(local_offset) != local_header_signature)
      in.fail(fmt::format("member '{}': no local header at byte {}", member.name, local_offset));
    member.data_offset = local_offset + local_header_size + in.get<std::uint16_t>(local_offset + 26) +
                         in.get<std::uint16_t>(local_offset + 28);
    in.need(member.data_offset, member.compressed_size, fmt::format("data of member '{}'", member.name).c_str());
    members.push_back(std::move(member));
    at += central_header_size + name_size + extra_size + comment_size;
  }
  return members;
}

std::span<const unsigned char> zip_member_content(std::span<const unsigned char> bytes, const ZipMember& member,
                                                  std::vector<unsigned char>& inflated, const std::string& where) {
  const auto stored = bytes.subspan(member.data_offset, member.compressed_size);
  if (member.method == ZipMember::Method::stored) return stored;
  const auto fail = [&](const std::string& what) {
    throw DataError(fmt::format("{}: member '{}': {}", where, member.name, what));
  };
  inflated.assign(member.size + 1, 0);  // one byte more shows a stream longer than declared
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) fail("cannot start zlib");  // raw deflate, no zlib header
  const std::unique_ptr<z_stream, int (*)(z_stream*)> end(&stream, &inflateEnd);
  // zlib counts in 32-bit units: feed and drain in pieces.
  constexpr std::uint64_t piece = std::numeric_limits<uInt>::max();
  std::uint64_t read = 0, written = 0;
  int status = Z_OK;
  while (status == Z_OK) {
    if (stream.avail_in == 0 && read < stored.size()) {
      stream.next_in = const_cast<Bytef*>(stored.data() + read);  // zlib's API is not const
      stream.avail_in = uInt(std::min(piece, stored.size() - read));
      read += stream.avail_in;
    }
    if (stream.avail_out == 0) {
      if (written == inflated.size()) fail(fmt::format("inflates to more than its declared {} bytes", member.size));
      stream.next_out = inflated.data() + written;
      stream.avail_out = uInt(std::min(piece, inflated.size() - written));
      written += stream.avail_out;
    }
    status = inflate(&stream, Z_NO_FLUSH);
    if (status == Z_BUF_ERROR && stream.avail_in == 0 && read == stored.size())
      fail("deflated data cut short (truncated file?)");
    if (status == Z_BUF_ERROR) status = Z_OK;  // no progress possible until the next piece
  }
  if (status != Z_STREAM_END) fail(fmt::format("corrupt deflated data ({})", stream.msg ? stream.msg : "zlib error"));
  if (stream.total_out != member.size)
    fail(fmt::format("inflates to {} bytes, the directory says {}", stream.total_out, member.size));
  inflated.resize(member.size);
  std::uint64_t checksum = crc32(0L, Z_NULL, 0);
  for (std::uint64_t at = 0; at < inflated.size(); at += piece)
    checksum = crc32(checksum, inflated.data() + at, uInt(std::min(piece, inflated.size() - at)));
  if (checksum != member.crc32) fail("CRC mismatch (corrupt data)");
  return inflated;
}

namespace {

template <class T>
void put(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out += char((value >> (8 * i)) & 0xff);
}

}  // namespace

std::string zip_bytes(const std::vector<std::pair<std::string, std::string>>& members, const std::string& where) {
  constexpr std::uint64_t limit = 0xffffffff;
  std::string out, directory;
  if (members.size() > 0xffff) throw DataError(fmt::format("{}: {} members need ZIP64", where, members.size()));
  for (const auto& [name, content] : members) {
    if (out.size() + local_header_size + name.size() + content.size() > limit || name.size() > 0xffff)
      throw DataError(fmt::format("{}: member '{}' would need ZIP64", where, name));
    // zlib counts in 32-bit units: the sizes are below 4 GiB here.
    const auto crc = std::uint32_t(
        crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(content.data()), uInt(content.size())));
    const auto offset = std::uint32_t(out.size()), size = std::uint32_t(content.size());
    const auto name_size = std::uint16_t(name.size());
    // Fields common to the local header (from its byte 4) and the directory entry (from its byte 6).
    std::string common;
    put<std::uint16_t>(common, 20);  // version needed: 2.0
    put<std::uint16_t>(common, 0);   // flags
    put<std::uint16_t>(common, 0);   // method: stored
    put<std::uint32_t>(common, 0);   // time and date
    put<std::uint32_t>(common, crc);
    put<std::uint32_t>(common, size);  // compressed
    put<std::uint32_t>(common, size);
    put<std::uint16_t>(common, name_size);
    put<std::uint16_t>(common, 0);  // extra field
    put<std::uint32_t>(out, local_header_signature);
    out += common + name + content;
    put<std::uint32_t>(directory, central_header_signature);
    put<std::uint16_t>(directory, 20);  // made by: 2.0
    directory += common;
    put<std::uint16_t>(directory, 0);  // comment
    put<std::uint16_t>(directory, 0);  // disk
    put<std::uint16_t>(directory, 0);  // internal attributes
    put<std::uint32_t>(directory, 0);  // external attributes
    put<std::uint32_t>(directory, offset);
    directory += name;
  }
  if (out.size() + directory.size() > limit) throw DataError(fmt::format("{}: the archive would need ZIP64", where));
  const auto directory_offset = std::uint32_t(out.size()), directory_size = std::uint32_t(directory.size());
  out += directory;
  put<std::uint32_t>(out, end_signature);
  put<std::uint16_t>(out, 0);  // this disk
  put<std::uint16_t>(out, 0);  // the directory's disk
  put<std::uint16_t>(out, std::uint16_t(members.size()));
  put<std::uint16_t>(out, std::uint16_t(members.size()));
  put<std::uint32_t>(out, directory_size);
  put<std::uint32_t>(out, directory_offset);
  put<std::uint16_t>(out, 0);  // comment
  return out;
}

}  // namespace kooplab
