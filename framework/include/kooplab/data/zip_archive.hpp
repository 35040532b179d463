#pragma once
// The members of a ZIP archive (PKWARE APPNOTE 6.3: the central directory,
// ZIP64 included), as NumPy's .npz files use it: members stored as they are or
// deflated. Every offset and size is checked against the archive, so a
// truncated or corrupt file gives a DataError, never a read out of bounds.
// Also a writer of small archives of stored members, as numpy.savez writes.
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace kooplab {

struct ZipMember {
  enum class Method { stored, deflated };
  std::string name;
  Method method = Method::stored;
  std::uint64_t compressed_size = 0, size = 0;
  std::uint64_t data_offset = 0;  // first byte of the (compressed) data in the archive
  std::uint32_t crc32 = 0;
};

// The members of the archive `bytes` (the whole file), in directory order.
// `where` (the file) starts every error message.
std::vector<ZipMember> zip_members(std::span<const unsigned char> bytes, const std::string& where);

// A member's content: the archive's own bytes for a stored member, an inflated
// and CRC-checked copy in `inflated` for a deflated one.
std::span<const unsigned char> zip_member_content(std::span<const unsigned char> bytes, const ZipMember& member,
                                                  std::vector<unsigned char>& inflated, const std::string& where);

// An archive of the members (name, content), stored uncompressed, in order.
// Without ZIP64: throws DataError (naming `where`) past 4 GiB or 65535 members.
std::string zip_bytes(const std::vector<std::pair<std::string, std::string>>& members, const std::string& where);

}  // namespace kooplab
