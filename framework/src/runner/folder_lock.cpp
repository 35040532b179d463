#include "kooplab/runner/folder_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "kooplab/error.hpp"

namespace kooplab {

FolderLock::FolderLock(const std::filesystem::path& folder) {
  const std::filesystem::path file = folder / ".lock";
  descriptor_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor_ < 0) throw Error(fmt::format("cannot open {}: {}", file.string(), std::strerror(errno)));
  if (::flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
    const int reason = errno;
    char holder[32] = {};
    const ssize_t length = ::pread(descriptor_, holder, sizeof holder - 1, 0);
    ::close(descriptor_);
    descriptor_ = -1;
    if (reason == EWOULDBLOCK)
      throw Error(
          fmt::format("{} is in use by another kooplab process (pid {}); wait for it to finish or choose another --out",
                      folder.string(), length > 0 ? std::string(holder, std::size_t(length)) : "unknown"));
    throw Error(fmt::format("cannot lock {}: {}", file.string(), std::strerror(reason)));
  }
  // The holder's pid, for the message another process would print.
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(descriptor_, 0) != 0 || ::pwrite(descriptor_, pid.data(), pid.size(), 0) != ssize_t(pid.size())) {
    const int reason = errno;
    ::close(descriptor_);
    throw Error(fmt::format("cannot write {}: {}", file.string(), std::strerror(reason)));
  }
}

FolderLock::~FolderLock() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

}  // namespace kooplab
