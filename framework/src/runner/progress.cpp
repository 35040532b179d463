#include "kooplab/runner/progress.hpp"

#include <fmt/format.h>

#include <ostream>

namespace kooplab {

Progress::Progress(std::ostream& out, std::size_t total, bool terminal)
    : out_(out), total_(total), terminal_(terminal), start_(std::chrono::steady_clock::now()) {}

void Progress::finished(const std::string& label, bool ok, double seconds, const std::string& error) {
  const std::lock_guard lock(mutex_);
  ++done_;
  failed_ += ok ? 0 : 1;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double eta = elapsed / double(done_) * double(total_ - done_);
  if (terminal_) {
    out_ << fmt::format("\r\033[K[{}/{}] failed {} | elapsed {:.1f}s | ETA {:.1f}s", done_, total_, failed_, elapsed,
                        eta);
    if (!ok) out_ << fmt::format("\n  failed: {}: {}\n", label, error);
    out_.flush();
  } else {
    out_ << fmt::format("[{}/{}] {} {} ({:.2f}s){}\n", done_, total_, ok ? "ok    " : "FAILED", label, seconds,
                        ok ? "" : ": " + error);
  }
}

void Progress::close() {
  if (terminal_ && done_ > 0) out_ << "\n";
}

}  // namespace kooplab
