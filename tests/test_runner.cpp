// The kooplab executable end to end: determinism across --jobs, failure
// isolation, exit codes, and resuming a sweep killed with SIGKILL.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "build_paths.hpp"
#include "kooplab/runner/results_store.hpp"
#include "kooplab/runner/run_checksums.hpp"
#include "kooplab/runner/runner.hpp"
#include "kooplab/util/npy.hpp"
#include "kooplab/util/text_table.hpp"
#include "runner_support.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using kooplab::read_file;
using kooplab::testing::shell;
using kooplab::testing::temporary_folder;
using kooplab::testing::write;
using namespace kooplab::testing::runner;

namespace {

const char* const quick_sweep = kooplab::testing::linear_dmd_sweep;

}  // namespace

TEST_CASE("a sweep gives identical result files with --jobs 1 and --jobs 2") {
  const fs::path folder = temporary_folder("jobs");
  const fs::path config = write_config(folder, quick_sweep);
  REQUIRE(kooplab_run(config, folder / "one", "--jobs 1") == 0);
  REQUIRE(kooplab_run(config, folder / "two", "--jobs 2") == 0);
  const auto one = contents_without_times(folder / "one"), two = contents_without_times(folder / "two");
  CHECK(one.size() == 1 + 1 + 9 * 9);  // config, results.jsonl, 9 runs × (config, record, checksums, 6 arrays)
  CHECK(one == two);
  // The summary groups the three seeds of each rank.
  const std::string summary = read_file(folder / "one" / "summary.csv");
  CHECK(summary.starts_with("estimator.rank,runs,failed,rank_mean,rank_std,"));
  CHECK(summary.find("\n4,3,0,4,0,") != std::string::npos);
  // Arrays are .npy files numpy reads; eigenvalues are complex, 1-D.
  const std::string npy =
      read_file(folder / "one" / "runs" / records(folder / "one")[0]["run"].get<std::string>() / "eigenvalues.npy");
  CHECK(npy.find("'descr': '<c16', 'fortran_order': True, 'shape': (2,)") != std::string::npos);
  fs::remove_all(folder);
}

TEST_CASE("a run that throws and one with a NaN metric are recorded as failed; the others complete") {
  const fs::path folder = temporary_folder("failures");
  const fs::path config = write_config(folder,
                                       "application:\n  name: test_probe\nsweep:\n  grid:\n    application.mode: [ok, "
                                       "throw, nan, ok]\n    application.value: [1, 2]\n");
  CHECK(kooplab_run(config, folder / "out", "--jobs 2") == 1);
  const auto lines = records(folder / "out");
  REQUIRE(lines.size() == 8);
  std::map<std::string, int> by_mode;
  for (const auto& record : lines) {
    const std::string mode = record["params"]["application.mode"];
    if (mode == "ok") {
      CHECK(record["status"] == "ok");
      CHECK(record["metrics"]["value"].is_number());
    } else {
      CHECK(record["status"] == "failed");
    }
    if (mode == "throw") CHECK(record["error"] == "probe failed on purpose");
    if (mode == "nan") CHECK(record["error"] == "metric 'value' is nan");
    ++by_mode[mode];
  }
  CHECK(by_mode["ok"] == 4);
  const std::string summary = read_file(folder / "out" / "summary.md");
  CHECK(summary.find("| throw | 1 | 1 | 1 | —") != std::string::npos);
  // The grid lists `ok` twice: identical runs run once (two runs at once in one
  // run folder used to collide) and each keeps its own index.
  CHECK(read_file(folder / "out.log").find("6 to do (2 more identical to one of them)") != std::string::npos);
  std::set<std::size_t> indices;
  for (const auto& record : lines) indices.insert(record["index"].get<std::size_t>());
  CHECK(indices.size() == 8);
  CHECK(lines[0]["run"] == lines[6]["run"]);  // (ok, 1) first and last in the grid
  CHECK(lines[0]["metrics"] == lines[6]["metrics"]);
  fs::remove_all(folder);
}

TEST_CASE("a training that diverges fails its run in every training application, never a run with fewer metrics") {
  const fs::path folder = temporary_folder("diverged");
  const std::string data =
      "dataset: {name: yinyang, train_size: 60, validation_size: 0, test_size: 30}\n"
      "network: {name: mlp, layers: [4, 8, 3], activation: tanh, loss: mse}\n"
      "estimator: {name: dmd}\n";
  const std::string sweep = "sweep:\n  grid:\n    application.optimizer.lr: [0.01, 1e150]\n  seeds: 2\n";
  const std::pair<std::string, std::string> applications[] = {
      {"train", "application: {name: train, epochs: 3, batch_size: 20, optimizer: {name: sgd}}\n"},
      {"spectrum_monitor",
       "application: {name: spectrum_monitor, epochs: 4, batch_size: 20, optimizer: {name: sgd}, "
       "checkpoints: [4], observe: loss}\n"},
      {"koopman_pruning",
       "application: {name: koopman_pruning, epochs: 4, after: 2, batch_size: 20, "
       "optimizer: {name: sgd}, fraction: 0.5}\n"}};
  for (const auto& [name, section] : applications) {
    CAPTURE(name);
    const fs::path out = folder / name;
    CHECK(kooplab_run(write_config(folder, data + section + sweep), out, "--jobs 2") == 1);
    const auto lines = records(out);
    REQUIRE(lines.size() == 4);
    for (const auto& record : lines) {
      const bool diverges = record["params"]["application.optimizer.lr"] != "0.01";
      CHECK(record["status"] == (diverges ? "failed" : "ok"));
      if (diverges) CHECK(!record["error"].get<std::string>().empty());
      if (!diverges) CHECK(record["metrics"].contains("test_accuracy") != (name == "koopman_pruning"));
    }
    CHECK(read_file(out.string() + ".log").find("2 ok, 2 failed") != std::string::npos);
  }
  fs::remove_all(folder);
}

TEST_CASE("summary.md and summary.csv say over how many runs a metric some runs lack is averaged") {
  const fs::path folder = temporary_folder("partial");
  const fs::path config =
      write_config(folder, "application:\n  name: test_probe\n  mode: partial\nsweep:\n  seeds: 4\n");
  CHECK(kooplab_run(config, folder / "out") == 0);
  CHECK(read_file(folder / "out" / "summary.md").find("| 4 | 0 |") != std::string::npos);
  CHECK(read_file(folder / "out" / "summary.md").find("| 1 ± 0 (2 of 4 runs) |") != std::string::npos);
  const auto summary = kooplab::TextTable::from_csv(read_file(folder / "out" / "summary.csv"));
  REQUIRE(summary.head.back() == "odd_runs");
  CHECK(summary.rows.at(0).back() == "2");
  // A metric every run reports gets no count column.
  CHECK(std::find(summary.head.begin(), summary.head.end(), "value_runs") == summary.head.end());
  fs::remove_all(folder);
}

TEST_CASE("config errors stop before any run, with exit code 2 and the key named") {
  const fs::path folder = temporary_folder("config-errors");
  const fs::path config = write_config(folder, "application:\n  name: test_probe\n  mood: ok\n");
  CHECK(kooplab_run(config, folder / "out") == 2);
  CHECK(read_file(folder / "out.log")
            .find(config.string() + ":3:3: application.mood: unknown key (did you mean 'mode'?)") != std::string::npos);
  CHECK(!fs::exists(folder / "out" / "results.jsonl"));
  // One bad point of a sweep is caught before the good ones run.
  const fs::path sweep =
      write_config(folder, "application:\n  name: test_probe\nsweep:\n  grid:\n    application.sleep_ms: [0, fast]\n");
  CHECK(kooplab_run(sweep, folder / "out2") == 2);
  CHECK(read_file(folder / "out2.log").find("application.sleep_ms: expected an integer, got 'fast'") !=
        std::string::npos);
  CHECK(!fs::exists(folder / "out2" / "runs"));
  CHECK(kooplab_run(folder / "missing.yaml", folder / "out3") == 2);
  fs::remove_all(folder);
}

TEST_CASE("a run made under a single override is reused at its point of a later grid, under that point") {
  const fs::path folder = temporary_folder("regrid");
  const fs::path config = write_config(folder, quick_sweep);
  const fs::path out = folder / "out";
  REQUIRE(kooplab_run(config, out, "estimator.rank=3") == 0);  // 3 seeds, rank fixed: no swept key
  for (const auto& record : records(out)) CHECK(record["params"].empty());
  REQUIRE(kooplab_run(config, out, "estimator.rank=2,3") == 0);
  CHECK(read_file(fs::path(out.string() + ".log")).find("6 run(s), 3 already completed, 3 to do") != std::string::npos);
  std::size_t at_three = 0;
  for (const auto& record : records(out)) at_three += record["params"].value("estimator.rank", "") == "3" ? 1 : 0;
  CHECK(at_three == 3);
  fs::remove_all(folder);
}

TEST_CASE("--dry-run lists the runs and writes nothing") {
  const fs::path folder = temporary_folder("dry");
  const fs::path config = write_config(folder, quick_sweep);
  CHECK(kooplab_run(config, folder / "out", "--dry-run estimator.rank=2,3") == 0);
  CHECK(read_file(folder / "out.log").find("6 run(s):") != std::string::npos);
  CHECK(!fs::exists(folder / "out"));
  fs::remove_all(folder);
}

TEST_CASE("every config in configs/ and experiments/ validates (--dry-run builds all its plugins)") {
  const fs::path folder = temporary_folder("shipped");
  const fs::path source = kooplab::testing::source_dir();
  std::vector<fs::path> configs;
  for (const auto& entry : fs::recursive_directory_iterator(source / "configs")) configs.push_back(entry.path());
  for (const auto& entry : fs::recursive_directory_iterator(source / "experiments")) configs.push_back(entry.path());
  // Paper values (reference.yaml, <config>.reference.yaml) are no configs.
  std::erase_if(configs, [](const fs::path& file) {
    return file.extension() != ".yaml" || file.filename().string().ends_with("reference.yaml");
  });
  CHECK(configs.size() >= 20);
  for (const fs::path& config : configs) {
    CAPTURE(config.string());
    CHECK(kooplab_run(config, folder / "out", "--dry-run") == 0);
    CHECK(!fs::exists(folder / "out"));
  }
  fs::remove_all(folder);
}

TEST_CASE("a second kooplab on an output folder in use stops at once and the first one's runs stay intact") {
  const fs::path folder = temporary_folder("busy");
  const fs::path config =
      write_config(folder, "application:\n  name: test_probe\n  sleep_ms: 1500\nsweep:\n  seeds: 6\n");
  const fs::path out = folder / "out";
  const pid_t pid = spawn_kooplab(config, out, folder / "first.log", 1);
  // The first process stays 7.5 s after its first run: time for the second to
  // start and meet the lock, even under the sanitizers on a loaded machine.
  wait_for_runs(out, 1);
  CHECK(kooplab_run(config, out) == kooplab::exit_bad_input);
  CHECK(read_file(fs::path(out.string() + ".log"))
            .find(fmt::format("is in use by another kooplab process (pid {})", pid)) != std::string::npos);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const auto lines = records(out);
  CHECK(lines.size() == 6);
  for (const auto& record : lines) CHECK(record["status"] == "ok");
  // Once the first process is gone, the folder is free again.
  CHECK(kooplab_run(config, out) == 0);
  CHECK(read_file(fs::path(out.string() + ".log")).find("6 run(s), 6 already completed, 0 to do") != std::string::npos);
  fs::remove_all(folder);
}

TEST_CASE("a sweep killed with SIGKILL resumes without redoing or losing finished runs") {
  const fs::path folder = temporary_folder("resume");
  const fs::path config =
      write_config(folder, "application:\n  name: test_probe\n  sleep_ms: 400\nsweep:\n  seeds: 12\n");
  const fs::path out = folder / "out";

  const pid_t pid = spawn_kooplab(config, out, folder / "first.log", 2);
  wait_for_runs(out, 3);  // then kill without warning, about 1.8 s before the sweep would end
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::size_t before = finished_runs(out);
  REQUIRE(before >= 3);
  REQUIRE(before < 12);
  CHECK(!fs::exists(out / "results.jsonl"));  // the sweep never reached its end

  REQUIRE(kooplab_run(config, out) == 0);
  CHECK(read_file(fs::path(out.string() + ".log"))
            .find(fmt::format("12 run(s), {} already completed, {} to do", before, 12 - before)) != std::string::npos);
  const auto lines = records(out);
  REQUIRE(lines.size() == 12);
  std::set<std::string> hashes;
  for (const auto& record : lines) {
    CHECK(record["status"] == "ok");
    const std::string hash = record["run"];
    hashes.insert(hash);
    const fs::path run = out / "runs" / hash;
    CHECK(nlohmann::json::parse(read_file(run / "record.json"))["run"] == hash);
    CHECK(read_file(run / "config.yaml").find("sleep_ms: 400") != std::string::npos);
    CHECK(kooplab::read_npy(read_file(run / "draws.npy"), "draws.npy").n_rows == 3);
  }
  CHECK(hashes.size() == 12);
  for (const auto& item : fs::directory_iterator(out / "runs"))
    CHECK(!item.path().filename().string().starts_with("."));
  fs::remove_all(folder);
}

TEST_CASE("a run gives the same bits alone as inside a sweep (BLAS at one thread in every run)") {
  const fs::path folder = temporary_folder("alone");
  const fs::path quickstart = kooplab::testing::source_dir() / "configs" / "quickstart.yaml";
  REQUIRE(kooplab_run(quickstart, folder / "sweep", "--jobs 2") == 0);
  REQUIRE(kooplab_run(quickstart, folder / "alone", "estimator.rank=6 seed=0 sweep.seeds=1") == 0);
  const auto alone = records(folder / "alone");
  REQUIRE(alone.size() == 1);
  bool found = false;
  for (const auto& record : records(folder / "sweep"))
    if (record["run"] == alone[0]["run"]) {  // same resolved config, same hash
      found = true;
      CHECK(record["metrics"] == alone[0]["metrics"]);
      CHECK(record["build"]["blas"]["threads"] == 1);
    }
  CHECK(found);
  CHECK(alone[0]["build"]["blas"]["threads"] == 1);
  fs::remove_all(folder);
}

TEST_CASE("every record names the build that made it: version, libkooplab and plugin build ids, BLAS, host") {
  const fs::path folder = temporary_folder("provenance");
  const fs::path config = write_config(folder, "application:\n  name: test_probe\n");
  REQUIRE(kooplab_run(config, folder / "out") == 0);
  const auto build = records(folder / "out")[0]["build"];
  CHECK(build["kooplab"].get<std::string>().starts_with("0.1.0 ("));
  CHECK(build["framework_build"].get<std::string>().size() == 40);  // a GNU build id (SHA-1, hex)
  REQUIRE(build["plugins"].size() == 1);
  CHECK(build["plugins"][0]["kind"] == "application");
  CHECK(build["plugins"][0]["name"] == "test_probe");
  CHECK(build["plugins"][0]["build"].get<std::string>().size() == 40);
  CHECK(build["blas"]["library"].get<std::string>().find("blas") != std::string::npos);
  CHECK(!build["host"].get<std::string>().empty());
  fs::remove_all(folder);
}

TEST_CASE("resuming redoes completed runs made by another build, unless --reuse-stale keeps them") {
  const fs::path folder = temporary_folder("stale");
  const fs::path config = write_config(folder, "application:\n  name: test_probe\nsweep:\n  seeds: 3\n");
  const fs::path out = folder / "out";
  REQUIRE(kooplab_run(config, out) == 0);
  const auto first = records(out);
  // One record as an older libkooplab would have left it, one from before
  // records named their build.
  const auto rewrite = [&](const std::string& hash, const std::function<void(nlohmann::json&)>& change) {
    const fs::path file = out / "runs" / hash / "record.json";
    auto json = nlohmann::json::parse(read_file(file));
    change(json);
    write(file, json.dump(2));
    std::vector<std::string> files{"config.yaml", "record.json"};
    for (const auto& array : json["arrays"]) files.push_back(array);
    kooplab::write_run_checksums(file.parent_path(), files);  // as the other build sealed it
  };
  rewrite(first[0]["run"], [](nlohmann::json& json) { json["build"]["framework_build"] = "0000"; });
  rewrite(first[1]["run"], [](nlohmann::json& json) { json.erase("build"); });

  REQUIRE(kooplab_run(config, out, "--reuse-stale") == 0);
  std::string log = read_file(fs::path(out.string() + ".log"));
  CHECK(log.find("2 completed run(s) were made by another build (differs: libkooplab; no build recorded); kept "
                 "(--reuse-stale)") != std::string::npos);
  CHECK(log.find("3 run(s), 3 already completed, 0 to do") != std::string::npos);
  CHECK(records(out)[0]["build"]["framework_build"] == "0000");

  REQUIRE(kooplab_run(config, out) == 0);
  log = read_file(fs::path(out.string() + ".log"));
  CHECK(log.find(
            "2 completed run(s) were made by another build (differs: libkooplab; no build recorded); redoing them") !=
        std::string::npos);
  CHECK(log.find("3 run(s), 1 already completed, 2 to do") != std::string::npos);
  const auto redone = records(out);
  CHECK(redone[0]["build"]["framework_build"] == first[2]["build"]["framework_build"]);
  CHECK(redone[1].contains("build"));
  CHECK(redone[0]["metrics"] == first[0]["metrics"]);
  fs::remove_all(folder);
}

TEST_CASE("a byte that is not UTF-8 in a swept value is stored replaced; the sweep completes") {
  const fs::path folder = temporary_folder("utf8");
  const fs::path config = write_config(folder, "application:\n  name: test_probe\n");
  CHECK(kooplab_run(config, folder / "out", "'description=bad\xff byte,good'") == 0);
  const auto lines = records(folder / "out");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["params"]["description"] == "bad\xEF\xBF\xBD byte");
  CHECK(lines[1]["status"] == "ok");
  CHECK(fs::exists(folder / "out" / "summary.md"));
  fs::remove_all(folder);
}

TEST_CASE("the checksums cover what an application saved in its run folder: an edited saved model is redone") {
  const fs::path folder = temporary_folder("saved-model");
  const fs::path config = kooplab::testing::source_dir() / "configs" / "save_model_linear.yaml";
  const fs::path out = folder / "out";
  REQUIRE(kooplab_run(config, out) == 0);
  const fs::path run = out / "runs" / records(out)[0]["run"].get<std::string>();
  const std::string checksums = read_file(run / "checksums");
  CHECK(checksums.find("  model/model.json\n") != std::string::npos);
  CHECK(checksums.find("  model/eigenvalues.npy\n") != std::string::npos);
  const std::string model = read_file(run / "model" / "model.json");
  write(run / "model" / "model.json", model.substr(0, model.size() - 2));
  REQUIRE(kooplab_run(config, out) == 0);
  CHECK(read_file(out.string() + ".log").find("model/model.json was changed") != std::string::npos);
  CHECK(read_file(run / "model" / "model.json") == model);
  fs::remove_all(folder);
}

TEST_CASE("resuming redoes a run whose files were changed or name another run, and removes stale temporary files") {
  const fs::path folder = temporary_folder("tampered");
  const fs::path config = write_config(folder, quick_sweep);
  const fs::path out = folder / "out";
  REQUIRE(kooplab_run(config, out, "--jobs 2") == 0);
  const auto first = records(out);
  REQUIRE(first.size() == 9);
  const auto run_folder = [&](std::size_t i) { return out / "runs" / first[i]["run"].get<std::string>(); };
  const auto edit = [&](std::size_t i, const std::function<void(nlohmann::ordered_json&)>& change) {
    auto json = nlohmann::ordered_json::parse(read_file(run_folder(i) / "record.json"));
    change(json);
    write(run_folder(i) / "record.json", json.dump(2));
  };
  edit(2, [&](auto& json) { json["run"] = first[3]["run"].get<std::string>(); });   // another run's hash
  write(run_folder(4) / "config.yaml", "seed: 99\n");                               // another config
  edit(5, [](auto& json) { json["metrics"].begin().value() = 0.5; });               // a changed metric
  edit(6, [](auto& json) { json["metrics"] = nlohmann::ordered_json::object(); });  // no metrics
  const std::string array = first[7]["arrays"][0];
  fs::resize_file(run_folder(7) / array, fs::file_size(run_folder(7) / array) / 2);  // a truncated array
  fs::remove(run_folder(8) / "checksums");
  write(out / ".results.jsonl.tmp-123", "left by a killed process");
  REQUIRE(kooplab_run(config, out, "--jobs 2") == 0);
  const std::string log = read_file(out.string() + ".log");
  CHECK(log.find("9 run(s), 3 already completed, 6 to do") != std::string::npos);
  CHECK(log.find("6 stored run(s) cannot be reused and are redone") != std::string::npos);
  for (const std::string& problem :
       std::vector<std::string>{"record.json belongs to another run", "config.yaml belongs to another run",
                                "record.json was changed", array + " was changed", "no checksums file"})
    CHECK_MESSAGE(log.find(problem) != std::string::npos, problem);
  const auto second = records(out);
  for (std::size_t i = 0; i < 9; ++i) CHECK(second[i]["metrics"] == first[i]["metrics"]);
  CHECK(!fs::exists(out / ".results.jsonl.tmp-123"));
  fs::remove_all(folder);
}
