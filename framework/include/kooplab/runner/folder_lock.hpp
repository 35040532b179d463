#pragma once
// An exclusive claim on a folder for the lifetime of the object, through
// flock(2) on <folder>/.lock. The kernel drops the claim when the process ends,
// however it ends, so a killed run never leaves the folder locked.
#include <filesystem>

namespace kooplab {

class FolderLock {
 public:
  // Throws Error naming the folder and the holder's pid when another process holds it.
  explicit FolderLock(const std::filesystem::path& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int descriptor_ = -1;
};

}  // namespace kooplab
