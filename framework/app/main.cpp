// The kooplab command: run experiments from YAML, list plugins.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "kooplab/error.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/runner/runner.hpp"

namespace {

int list_plugins() {
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  for (const auto& kind : kooplab::plugin_kinds()) {
    std::cout << kind << ":\n";
    for (const auto& plugin : registry.plugins())
      if (plugin.kind == kind)
        std::cout << fmt::format("  {:<20} {}\n  {:<20} ({})\n", plugin.name, plugin.description, "", plugin.file.string());
  }
  for (const auto& problem : registry.problems())
    std::cout << fmt::format("not loaded: {}: {}\n", problem.file.string(), problem.reason);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kooplab: Koopman-operator analysis of neural networks, driven by YAML experiments"};
  app.require_subcommand(1);

  kooplab::RunnerOptions options;
  std::string config_file;
  std::size_t jobs = 0;
  std::string out;
  auto* run = app.add_subcommand("run", "Run an experiment (a sweep of runs) from a YAML config");
  run->add_option("config", config_file, "Experiment config (YAML)")->required();
  run->add_option("overrides", options.overrides,
                  "key.path=value overrides; key.path=a,b,c sweeps over the values (like Hydra)");
  run->add_option("-j,--jobs", jobs, "Runs in parallel (default: all cores)")->check(CLI::PositiveNumber);
  run->add_option("-o,--out", out, "Output folder (default: the config's `output`, else results/<config name>)");
  run->add_flag("-n,--dry-run", options.dry_run, "Check every run's config and list the runs without running them");

  auto* plugins = app.add_subcommand("plugins", "List every plugin found, with kind, description and file");

  CLI11_PARSE(app, argc, argv);

  try {
    if (plugins->parsed()) return list_plugins();
    options.config_file = config_file;
    if (jobs > 0) options.jobs = jobs;
    if (!out.empty()) options.out = out;
    return kooplab::run_experiment(options, std::cerr);
  } catch (const kooplab::Error& e) {
    std::cerr << "kooplab: error: " << e.what() << "\n";
    return kooplab::exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "kooplab: error: " << e.what() << "\n";
    return kooplab::exit_bad_input;
  }
}
