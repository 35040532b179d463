#pragma once
// Sweep progress: a one-line display on a terminal, plain log lines otherwise.
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

namespace kooplab {

class Progress {
 public:
  Progress(std::ostream& out, std::size_t total, bool terminal);
  // Reports one finished run; thread-safe.
  void finished(const std::string& label, bool ok, double seconds, const std::string& error);
  // Ends the terminal line.
  void close();

 private:
  std::ostream& out_;
  std::size_t total_, done_ = 0, failed_ = 0;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

}  // namespace kooplab
