#pragma once
// Runs executed by a fixed number of threads of this process. The thread that
// owns the object hands the runs out and collects their records; under MPI it
// is the only thread that communicates, while the others compute.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "kooplab/runner/run_record.hpp"

namespace kooplab {

class RunThreads {
 public:
  using Execute = std::function<RunRecord(std::size_t index)>;
  // `execute` is called on the threads, several at once.
  RunThreads(std::size_t threads, Execute execute);
  // Lets the runs started finish, then ends the threads.
  ~RunThreads();
  RunThreads(const RunThreads&) = delete;
  RunThreads& operator=(const RunThreads&) = delete;

  // Queues a run for the next free thread.
  void start(std::size_t index);
  // Runs started whose record was not collected yet.
  std::size_t running() const { return running_; }
  // The record of a finished run, waiting for one at most `patience`.
  std::optional<RunRecord> finished(std::chrono::microseconds patience);

 private:
  void serve();

  const Execute execute_;
  std::size_t running_ = 0;
  std::mutex mutex_;
  std::condition_variable work_ready_, record_ready_;
  std::deque<std::size_t> work_;
  std::deque<RunRecord> records_;
  bool closing_ = false;
  std::vector<std::jthread> threads_;  // last: started once everything they use exists
};

}  // namespace kooplab
