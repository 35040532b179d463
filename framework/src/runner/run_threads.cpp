#include "kooplab/runner/run_threads.hpp"

namespace kooplab {

RunThreads::RunThreads(std::size_t threads, Execute execute) : execute_(std::move(execute)) {
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { serve(); });
}

RunThreads::~RunThreads() {
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  work_ready_.notify_all();
  threads_.clear();  // joins
}

void RunThreads::start(std::size_t index) {
  {
    const std::lock_guard lock(mutex_);
    work_.push_back(index);
    ++running_;
  }
  work_ready_.notify_one();
}

std::optional<RunRecord> RunThreads::finished(std::chrono::microseconds patience) {
  std::unique_lock lock(mutex_);
  if (!record_ready_.wait_for(lock, patience, [&] { return !records_.empty(); })) return std::nullopt;
  RunRecord record = std::move(records_.front());
  records_.pop_front();
  --running_;
  return record;
}

void RunThreads::serve() {
  for (;;) {
    std::unique_lock lock(mutex_);
    work_ready_.wait(lock, [&] { return closing_ || !work_.empty(); });
    if (work_.empty()) return;  // closing, nothing left
    const std::size_t index = work_.front();
    work_.pop_front();
    lock.unlock();
    RunRecord record = execute_(index);
    lock.lock();
    records_.push_back(std::move(record));
    lock.unlock();
    record_ready_.notify_one();
  }
}

}  // namespace kooplab
