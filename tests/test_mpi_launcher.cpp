// `kooplab run --launcher mpi` under mpirun: every record as a local --jobs 1
// run makes it, failure isolation across ranks, and resuming after a worker
// rank was killed with SIGKILL. Built only when MPI was found.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kooplab/util/files.hpp"
#include "runner_support.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using kooplab::read_file;
using kooplab::testing::contains;
using kooplab::testing::shell;
using kooplab::testing::temporary_folder;
using namespace kooplab::testing::runner;

namespace {

// mpirun with more ranks than this machine may have cores; CI runs as root.
std::string mpirun(int ranks) {
  return fmt::format("{} -n {} --oversubscribe{}", KOOPLAB_MPIEXEC, ranks,
                     ::geteuid() == 0 ? " --allow-run-as-root" : "");
}

std::string mpi_command(int ranks, const fs::path& config, const fs::path& out, const std::string& extra = "") {
  return fmt::format("{} {} run {} --launcher mpi --out {} {}", mpirun(ranks), kooplab_command, config.string(),
                     out.string(), extra);
}

int kooplab_mpirun(int ranks, const fs::path& config, const fs::path& out, const std::string& extra = "") {
  return shell(fmt::format("{} > {}.log 2>&1", mpi_command(ranks, config, out, extra), out.string()));
}

std::string log_of(const fs::path& out) { return read_file(fs::path(out.string() + ".log")); }

// The pid of the child of `parent` that is rank `rank` of its MPI job, 0 if none is (yet).
pid_t rank_process(pid_t parent, int rank) {
  const std::string wanted = fmt::format("OMPI_COMM_WORLD_RANK={}", rank);
  for (const auto& item : fs::directory_iterator("/proc")) {
    const std::string name = item.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    try {
      const std::string stat = read_file(item.path() / "stat");
      // pid (command) state ppid ...: the command may hold spaces, the last ')' ends it.
      const pid_t ppid = std::stoi(stat.substr(stat.rfind(')') + 4));
      if (ppid != parent) continue;
      const std::string environment = read_file(item.path() / "environ");
      for (std::size_t at = 0; at < environment.size(); at = environment.find('\0', at) + 1) {
        if (environment.compare(at, wanted.size() + 1, wanted + '\0') == 0) return pid_t(std::stoi(name));
        if (environment.find('\0', at) == std::string::npos) break;
      }
    } catch (const std::exception&) {
      // The process ended while it was read.
    }
  }
  return 0;
}

}  // namespace

TEST_CASE("the quickstart sweep on 3 ranks gives every record and file of a local --jobs 1 run") {
  const fs::path folder = temporary_folder("mpi-quickstart");
  const fs::path config = kooplab::testing::source_dir() / "configs/quickstart.yaml";
  REQUIRE(kooplab_run(config, folder / "local", "--jobs 1") == 0);
  REQUIRE(kooplab_mpirun(3, config, folder / "mpi") == 0);
  CHECK(contains(log_of(folder / "mpi"), "9 run(s), 0 already completed, 9 to do, 3 rank(s) × 1 job(s)"));
  const auto local = contents_without_times(folder / "local"), mpi = contents_without_times(folder / "mpi");
  CHECK(local.size() == 1 + 1 + 9 * 9);  // config, results.jsonl, 9 runs × (config, record, checksums, 6 arrays)
  CHECK(local == mpi);
  fs::remove_all(folder);
}

TEST_CASE("a Koopman-training sweep on 2 ranks × 2 threads gives the records of a local --jobs 1 run") {
  const fs::path folder = temporary_folder("mpi-training");
  const fs::path config = kooplab::testing::source_dir() / "configs/koopman_training.yaml";
  // 60 Adadelta steps, operators fitted on steps 40..50; two optimizers × three seeds.
  const std::string shorter =
      "application.record_from=40 application.switch_at=50 application.horizon=10 seed=0,1,2 "
      "application.optimizer.name=adadelta,adam";
  REQUIRE(kooplab_run(config, folder / "local", "--jobs 1 " + shorter) == 0);
  REQUIRE(kooplab_mpirun(2, config, folder / "mpi", "--jobs 2 " + shorter) == 0);
  CHECK(contains(log_of(folder / "mpi"), "6 run(s), 0 already completed, 6 to do, 2 rank(s) × 2 job(s)"));
  const auto local = contents_without_times(folder / "local"), mpi = contents_without_times(folder / "mpi");
  CHECK(local.size() > 2 + 6 * 2);
  CHECK(local == mpi);
  fs::remove_all(folder);
}

TEST_CASE("a run that throws on a worker rank is recorded as failed and the others complete") {
  const fs::path folder = temporary_folder("mpi-failure");
  const fs::path config = write_config(
      folder,
      "application:\n  name: test_probe\nsweep:\n  grid:\n    application.mode: [ok, throw, nan]\n  seeds: 2\n");
  REQUIRE(kooplab_run(config, folder / "local", "--jobs 1") == 1);
  REQUIRE(kooplab_mpirun(3, config, folder / "mpi") != 0);  // rank 0 exits with 1, and mpirun with it
  CHECK(contains(log_of(folder / "mpi"), "kooplab: 2 ok, 4 failed"));
  const auto lines = records(folder / "mpi");
  REQUIRE(lines.size() == 6);
  CHECK(lines[2]["error"] == "probe failed on purpose");
  CHECK(contents_without_times(folder / "local") == contents_without_times(folder / "mpi"));
  fs::remove_all(folder);
}

TEST_CASE("a worker rank killed with SIGKILL mid-sweep: the rerun redoes only the runs lost and matches a local run") {
  const fs::path folder = temporary_folder("mpi-kill");
  // 12 runs of 0.3 s on 3 ranks: about 1.2 s, killed after the first 3.
  const fs::path config =
      write_config(folder, "application:\n  name: test_probe\n  sleep_ms: 300\nsweep:\n  seeds: 12\n");
  const fs::path out = folder / "mpi";
  const pid_t launcher =
      spawn_shell(fmt::format("exec {} > {}/first.log 2>&1", mpi_command(3, config, out), folder.string()));
  wait_for_runs(out, 3);
  const pid_t worker = rank_process(launcher, 1);
  REQUIRE(worker > 0);
  // Killed while a run of its own is in progress (its folder ends in -<pid>),
  // not in the moment between two runs.
  const auto run_in_progress = [&] {
    for (const auto& item : fs::directory_iterator(out / "runs"))
      if (item.path().filename().string().ends_with(fmt::format("-{}", worker))) return true;
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!run_in_progress() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ::kill(worker, SIGKILL);
  int status = 0;
  ::waitpid(launcher, &status, 0);
  CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));  // mpirun ends the job when a rank dies
  // The killed rank had a run in progress: its folder stayed partial.
  CHECK(run_in_progress());
  const std::size_t before = finished_runs(out);
  REQUIRE(before >= 3);
  REQUIRE(before < 12);
  CHECK(!fs::exists(out / "results.jsonl"));

  REQUIRE(kooplab_mpirun(3, config, out) == 0);
  CHECK(contains(log_of(out), fmt::format("12 run(s), {} already completed, {} to do", before, 12 - before)));
  for (const auto& item : fs::directory_iterator(out / "runs"))
    CHECK(!item.path().filename().string().starts_with("."));  // no partial run left
  // Sleeping runs: 4 threads keep it short; the numbers are those of --jobs 1 (test_runner).
  REQUIRE(kooplab_run(config, folder / "local", "--jobs 4") == 0);
  CHECK(contents_without_times(folder / "local") == contents_without_times(out));
  fs::remove_all(folder);
}
