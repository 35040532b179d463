#pragma once
// Build ids of the loaded code: which build of the executable, libkooplab and
// each plugin made a result. The id is the GNU build id the linker writes
// into the ELF file (a hash of its contents), read from the loaded object;
// an object without one is identified by a hash of its file.
#include <filesystem>
#include <string>

namespace kooplab {

// The build id of the loaded object (executable or shared library) whose code
// or data holds `address`; "unknown" when no loaded object holds it.
std::string build_id_at(const void* address);
// The build id of the shared library loaded from `file` (compared as files,
// so links and relative paths name the same library); when it is not loaded,
// a hash of the file.
std::string build_id_of(const std::filesystem::path& file);

}  // namespace kooplab
