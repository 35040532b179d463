#include "kooplab/runner/build_id.hpp"

#include <elf.h>
#include <link.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <system_error>

#include "kooplab/util/files.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

// The NT_GNU_BUILD_ID note of a loaded object, in hex; "" when it has none.
std::string gnu_build_id(const dl_phdr_info& object) {
  for (int i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = object.dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    const auto* at = reinterpret_cast<const unsigned char*>(object.dlpi_addr + header.p_vaddr);
    const unsigned char* const end = at + header.p_memsz;
    const auto aligned = [](std::size_t size) { return (size + 3) & ~std::size_t(3); };
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, at, sizeof note);
      const unsigned char* const name = at + sizeof note;
      const unsigned char* const description = name + aligned(note.n_namesz);
      if (description + note.n_descsz > end) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        static const char digits[] = "0123456789abcdef";
        std::string hex;
        for (std::size_t k = 0; k < note.n_descsz; ++k) {
          hex += digits[description[k] >> 4];
          hex += digits[description[k] & 15];
        }
        return hex;
      }
      at = description + aligned(note.n_descsz);
    }
  }
  return "";
}

// Calls `visit` on each loaded object until it returns true; returns whether one did.
bool find_loaded(const std::function<bool(const dl_phdr_info&)>& visit) {
  auto callback = [](dl_phdr_info* object, std::size_t, void* data) -> int {
    return (*static_cast<const std::function<bool(const dl_phdr_info&)>*>(data))(*object) ? 1 : 0;
  };
  return ::dl_iterate_phdr(callback, const_cast<std::function<bool(const dl_phdr_info&)>*>(&visit)) != 0;
}

bool holds(const dl_phdr_info& object, std::uintptr_t address) {
  for (int i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = object.dlpi_phdr[i];
    const std::uintptr_t begin = object.dlpi_addr + header.p_vaddr;
    if (header.p_type == PT_LOAD && address >= begin && address < begin + header.p_memsz) return true;
  }
  return false;
}

std::string file_hash(const std::filesystem::path& file) { return "file:" + hex_digest(stable_hash(read_file(file))); }

}  // namespace

std::string build_id_at(const void* address) {
  std::string id = "unknown";
  find_loaded([&](const dl_phdr_info& object) {
    if (!holds(object, reinterpret_cast<std::uintptr_t>(address))) return false;
    id = gnu_build_id(object);
    // The main program's dlpi_name is empty; its file is /proc/self/exe.
    if (id.empty()) id = file_hash(*object.dlpi_name ? object.dlpi_name : "/proc/self/exe");
    return true;
  });
  return id;
}

std::string build_id_of(const std::filesystem::path& file) {
  std::string id;
  find_loaded([&](const dl_phdr_info& object) {
    std::error_code error;
    if (!*object.dlpi_name || !std::filesystem::equivalent(object.dlpi_name, file, error)) return false;
    id = gnu_build_id(object);
    return true;
  });
  return id.empty() ? file_hash(file) : id;
}

}  // namespace kooplab
