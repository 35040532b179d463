#include "kooplab/runner/mpi_launcher.hpp"

#include <fmt/format.h>
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <iostream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <thread>

#include "kooplab/error.hpp"
#include "kooplab/runner/dispatch_order.hpp"
#include "kooplab/runner/progress.hpp"
#include "kooplab/runner/run_execution.hpp"
#include "kooplab/runner/run_threads.hpp"
#include "kooplab/runner/sweep_session.hpp"

namespace kooplab {
namespace {

// The messages of the job. Rank 0 first broadcasts the plan (or that there is
// nothing to run); then each worker rank says how many runs it executes at a
// time (ready), and gets one answer per free slot: a run index to execute
// (assign) or the end of its work (stop). Each finished run's record goes back
// to rank 0 (record) and frees its slot.
enum Tag : int { tag_ready = 1, tag_assign, tag_stop, tag_record };

// OpenMPI's blocking calls poll at full speed; a waiting rank sleeps between
// tests instead and leaves the cores to the runs. The pause grows while
// nothing happens, from microseconds to a millisecond: the longest a free
// slot waits for its next run, so short runs stay cheap to hand out.
class Patience {
 public:
  std::chrono::microseconds next() {
    const auto now = pause_;
    pause_ = std::min(pause_ * 2, longest_);
    return now;
  }
  void reset() { pause_ = shortest_; }

 private:
  static constexpr std::chrono::microseconds shortest_{20}, longest_{1000};
  std::chrono::microseconds pause_ = shortest_;
};

MPI_Status wait_for(MPI_Request& request) {
  Patience patience;
  MPI_Status status;
  for (int done = 0; MPI_Test(&request, &done, &status), !done;) std::this_thread::sleep_for(patience.next());
  return status;
}

// MPI for the lifetime of the object, with every rank meeting before MPI_Finalize.
class MpiJob {
 public:
  MpiJob() {
    int provided = 0;
    // Only the thread that called MPI_Init talks MPI; run threads compute.
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiJob() {
    MPI_Request request;
    MPI_Ibarrier(MPI_COMM_WORLD, &request);
    wait_for(request);
    MPI_Finalize();
  }
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

// Rank 0's text to every rank.
std::string broadcast(std::string text) {
  std::uint64_t length = text.size();
  MPI_Request request;
  MPI_Ibcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &request);
  wait_for(request);
  text.resize(length);
  MPI_Ibcast(text.data(), int(length), MPI_CHAR, 0, MPI_COMM_WORLD, &request);
  wait_for(request);
  return text;
}

// What rank 0 tells the others before any run: run (with the config text it
// read and the absolute output folder) or stop with an exit code.
struct Plan {
  bool run = false;
  int exit_code = exit_ok;
  std::string config_text, out;

  std::string text() const {
    return nlohmann::json{{"run", run}, {"exit_code", exit_code}, {"config", config_text}, {"out", out}}.dump();
  }
  static Plan from(const std::string& text) {
    const auto json = nlohmann::json::parse(text);
    return {json.at("run").get<bool>(), json.at("exit_code").get<int>(), json.at("config").get<std::string>(),
            json.at("out").get<std::string>()};
  }
};

void send_index(std::size_t index, int rank) {
  const std::uint64_t value = index;
  MPI_Send(&value, 1, MPI_UINT64_T, rank, tag_assign, MPI_COMM_WORLD);
}

// Rank 0 once the plan is out: hands the pending runs to its own threads and
// to the worker ranks' free slots, and takes their records into the session.
class Dispatcher {
 public:
  Dispatcher(SweepSession& session, std::size_t jobs, int ranks, std::ostream& log)
      : session_(session),
        local_(jobs, [&session](std::size_t index) { return session.execute(index); }),
        workers_to_hear_(std::size_t(ranks - 1)),
        progress_(log, session.pending().size(), ::isatty(STDERR_FILENO) && &log == &std::cerr) {
    std::vector<std::optional<double>> previous;
    for (const std::size_t index : session.pending()) previous.push_back(session.previous_seconds(index));
    const std::vector<std::size_t> order = longest_first(session.pending(), previous);
    queue_.assign(order.begin(), order.end());
    for (std::size_t slot = 0; slot < jobs && !queue_.empty(); ++slot) local_.start(next());
  }

  void run() {
    Patience patience;
    while (workers_to_hear_ > 0 || open_worker_slots_ > 0 || local_.running() > 0) {
      bool active = false;
      MPI_Status status;
      for (int waiting = 0; MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status), waiting;) {
        receive(status);
        active = true;
      }
      if (std::optional<RunRecord> record = local_.finished(active ? std::chrono::microseconds(0) : patience.next())) {
        take(std::move(*record));
        if (!queue_.empty()) local_.start(next());
        active = true;
      }
      if (active) patience.reset();
    }
    progress_.close();
  }

 private:
  std::size_t next() {
    const std::size_t index = queue_.front();
    queue_.pop_front();
    return index;
  }

  void receive(const MPI_Status& status) {
    if (status.MPI_TAG == tag_ready) {
      std::uint64_t slots = 0;
      MPI_Recv(&slots, 1, MPI_UINT64_T, status.MPI_SOURCE, tag_ready, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      --workers_to_hear_;
      open_worker_slots_ += slots;
      for (std::uint64_t slot = 0; slot < slots; ++slot) serve(status.MPI_SOURCE);
      return;
    }
    if (status.MPI_TAG != tag_record)
      throw Error(
          fmt::format("MPI launcher: unexpected message tag {} from rank {}", status.MPI_TAG, status.MPI_SOURCE));
    int length = 0;
    MPI_Get_count(&status, MPI_CHAR, &length);
    std::string text(std::size_t(length), '\0');
    MPI_Recv(text.data(), length, MPI_CHAR, status.MPI_SOURCE, tag_record, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    take(RunRecord::from_json(nlohmann::ordered_json::parse(text)));
    serve(status.MPI_SOURCE);
  }

  // A free slot of `rank` gets the next run, or its end when none is left.
  void serve(int rank) {
    if (!queue_.empty()) return send_index(next(), rank);
    MPI_Send(nullptr, 0, MPI_UINT64_T, rank, tag_stop, MPI_COMM_WORLD);
    --open_worker_slots_;
  }

  void take(RunRecord record) {
    progress_.finished(run_label(session_.runs().at(record.index)), record.ok(), record.seconds, record.error);
    session_.record(std::move(record));
  }

  SweepSession& session_;
  RunThreads local_;
  std::deque<std::size_t> queue_;
  std::size_t workers_to_hear_, open_worker_slots_ = 0;
  Progress progress_;
};

RunOutcome lead(const MpiJob& job, const RunnerOptions& options, std::ostream& log) {
  std::optional<SweepSession> session;
  const std::size_t jobs = options.jobs.value_or(1);
  Plan plan;
  try {
    session.emplace(options, read_config_file(options.config_file), log);
    session->check_all_runs();
    if (options.dry_run) session->list_runs(log);
    if (jobs == 0) throw ConfigError("--jobs must be at least 1");
    if (!options.dry_run) {
      session->open(log, fmt::format("{} rank(s) × {} job(s)", job.size(), jobs));
      plan = {true, exit_ok, session->config_text(), std::filesystem::absolute(session->out()).string()};
    }
  } catch (...) {
    broadcast(Plan{false, exit_bad_input, "", ""}.text());
    throw;
  }
  broadcast(plan.text());
  if (!plan.run) return {};
  try {
    Dispatcher(*session, jobs, job.size(), log).run();
  } catch (const std::exception& e) {
    // The other ranks wait for this one: end the whole job.
    log << fmt::format("kooplab: error: {}\n", e.what()) << std::flush;
    MPI_Abort(MPI_COMM_WORLD, exit_bad_input);
  }
  return session->finish(log);
}

RunOutcome work(const RunnerOptions& options, std::ostream& log) {
  const Plan plan = Plan::from(broadcast(""));
  if (!plan.run) return {plan.exit_code, std::nullopt};
  RunnerOptions here = options;
  here.out = plan.out;
  std::optional<SweepSession> session;
  std::size_t jobs = options.jobs.value_or(1);
  try {
    std::ostream quiet(nullptr);  // rank 0 has told the plugins' load problems
    session.emplace(here, plan.config_text, quiet);
    session->join();
  } catch (const std::exception& e) {
    // This rank takes no run; the others do them all.
    log << fmt::format("kooplab: rank error, no runs here: {}\n", e.what()) << std::flush;
    jobs = 0;
  }
  std::uint64_t slots = jobs;
  MPI_Send(&slots, 1, MPI_UINT64_T, 0, tag_ready, MPI_COMM_WORLD);
  if (jobs == 0) return {exit_bad_input, std::nullopt};

  RunThreads threads(jobs, [&](std::size_t index) { return session->execute(index); });
  // One answer from rank 0 per free slot: a run to start, or none.
  const auto receive_answer = [&] {
    std::uint64_t index = 0;
    MPI_Request request;
    MPI_Irecv(&index, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &request);
    if (wait_for(request).MPI_TAG == tag_assign) threads.start(std::size_t(index));
  };
  for (std::size_t slot = 0; slot < jobs; ++slot) receive_answer();
  while (threads.running() > 0) {
    const std::optional<RunRecord> record = threads.finished(std::chrono::seconds(1));
    if (!record) continue;
    const std::string text = record->dump();
    MPI_Send(text.data(), int(text.size()), MPI_CHAR, 0, tag_record, MPI_COMM_WORLD);
    receive_answer();
  }
  return {};
}

}  // namespace

RunOutcome run_on_mpi_ranks(const RunnerOptions& options, std::ostream& log) {
  const MpiJob job;
  return job.rank() == 0 ? lead(job, options, log) : work(options, log);
}

}  // namespace kooplab
