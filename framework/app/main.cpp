// The kooplab command: run experiments from YAML, report on their results,
// list plugins.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "kooplab/error.hpp"
#include "kooplab/registry.hpp"
#include "kooplab/report/index.hpp"
#include "kooplab/report/report.hpp"
#include "kooplab/runner/runner.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/memory.hpp"
#include "kooplab/util/text.hpp"

namespace {

int list_plugins() {
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  for (const auto& kind : kooplab::plugin_kinds()) {
    std::cout << kind << ":\n";
    for (const auto& plugin : registry.plugins())
      if (plugin.kind == kind)
        std::cout << fmt::format("  {:<20} {}\n  {:<20} ({})\n", plugin.name, plugin.description, "",
                                 plugin.file.string());
  }
  for (const auto& problem : registry.problems())
    std::cout << fmt::format("not loaded: {}: {}\n", problem.file.string(), problem.reason);
  return 0;
}

// Every key of the named plugin(s): type, default and doc, from the plugin's own declaration.
int describe_plugin(const std::string& name) {
  const kooplab::Registry registry(kooplab::Registry::default_folders());
  bool found = false;
  for (const auto& plugin : registry.plugins()) {
    if (plugin.name != name) continue;
    found = true;
    std::cout << fmt::format("{} '{}': {}\nfile: {}\n", plugin.kind, plugin.name, plugin.description,
                             plugin.file.string());
    if (plugin.options.empty()) {
      std::cout << "keys: none declared (see the header comment of the plugin's source)\n\n";
      continue;
    }
    std::size_t key_width = 3, type_width = 4, default_width = 7;
    for (const auto& option : plugin.options) {
      key_width = std::max(key_width, kooplab::display_width(option.key));
      type_width = std::max(type_width, kooplab::display_width(option.type));
      default_width = std::max(default_width, kooplab::display_width(option.default_value));
    }
    const auto row = [&](const std::string& key, const std::string& type, const std::string& fallback,
                         const std::string& doc) {
      std::cout << fmt::format("  {:<{}}  {:<{}}  {:<{}}  {}\n", key, key_width, type, type_width, fallback,
                               default_width, doc);
    };
    row("key", "type", "default", "meaning");
    row("name", "string", "required", fmt::format("'{}'", plugin.name));
    for (const auto& option : plugin.options) row(option.key, option.type, option.default_value, option.doc);
    std::cout << "\n";
  }
  if (!found) {
    std::vector<std::string> names;
    for (const auto& plugin : registry.plugins()) names.push_back(plugin.name);
    std::string message = fmt::format("no plugin named '{}'", name);
    if (const auto near = kooplab::closest_word(name, names)) message += fmt::format(" (did you mean '{}'?)", *near);
    throw kooplab::PluginError(message + "; `kooplab plugins` lists them all");
  }
  return 0;
}

// What to do with a results folder once its runs are done.
struct ReportRequest {
  bool check = false;  // exit_check_failed on a paper value outside its tolerance (no known gap)
  bool write = false;  // write report.md, report.html and the figures
  std::string folder;  // where (default: the results folder)
};

kooplab::ConfigError no_paper_values(const std::filesystem::path& where) {
  return kooplab::ConfigError(
      fmt::format("{}: --check needs paper values: the config has no report.reference", where.string()));
}

// Prints the paper comparison, writes the report and checks, as asked;
// returns `exit_code` unless the check fails.
int finish(const std::filesystem::path& results, const ReportRequest& request, int exit_code) {
  const kooplab::Report report(results);
  std::cout << report.comparison_text();
  if (request.write || !request.folder.empty()) {
    const std::filesystem::path folder = request.folder.empty() ? results : std::filesystem::path(request.folder);
    report.write(folder, std::cerr);
    std::cerr << fmt::format("kooplab: report in {}\n", (folder / "report.md").string());
  }
  if (!request.check) return exit_code;
  if (!report.comparison()) throw no_paper_values(results);
  const auto unexpected = report.comparison()->unexpected();
  for (const kooplab::Cell* cell : unexpected)
    std::cerr << fmt::format("kooplab: check failed: {} · {}: kooplab {} against the paper's {}\n", cell->row->label,
                             cell->column->title, kooplab::kooplab_text(*cell), cell->paper_text);
  if (unexpected.empty() || exit_code != kooplab::exit_ok) return exit_code;
  return kooplab::exit_check_failed;
}

int run_and_report(const kooplab::RunnerOptions& options, const ReportRequest& request) {
  // The report section and the paper values are checked before any run starts.
  kooplab::ReportSettings settings;
  if (std::filesystem::is_regular_file(options.config_file)) {
    settings = kooplab::read_report_settings(kooplab::read_file(options.config_file), options.config_file.string());
    if (settings.reference)
      kooplab::read_reference(*settings.reference);
    else if (request.check)
      throw no_paper_values(options.config_file);
  }
  const kooplab::RunOutcome outcome = kooplab::run_experiment(options, std::cerr);
  if (!outcome.folder) return outcome.exit_code;
  kooplab::attach_reference(settings, *outcome.folder);
  // Without paper values or a report to write there is nothing more to do.
  if (!settings.reference && !request.write && request.folder.empty()) return outcome.exit_code;
  return finish(*outcome.folder, request, outcome.exit_code);
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
  run->add_option(
         "-j,--jobs", jobs,
         fmt::format("Runs in parallel, 1 to {} (default: all cores; with --launcher mpi, per rank, default 1)",
                     kooplab::max_jobs))
      ->check(CLI::Range(std::size_t(1), kooplab::max_jobs));
  std::string launcher = "local";
  run->add_option("--launcher", launcher,
                  "local: this process's threads; mpi: every rank of the MPI job (under mpirun or srun), rank 0 "
                  "writing the results")
      ->check(CLI::IsMember({"local", "mpi"}));
  std::string max_memory;
  run->add_option("--max-memory", max_memory,
                  "Memory one allocation of a run may ask for (512M, 8G; default: the physical memory): sizes "
                  "whose estimate exceeds it are refused before allocating");
  run->add_option("-o,--out", out, "Output folder (default: the config's `output`, else results/<config name>)");
  run->add_flag("-n,--dry-run", options.dry_run, "Check every run's config and list the runs without running them");
  run->add_flag("--reuse-stale", options.reuse_stale,
                "Keep completed runs made by another build (other libkooplab, plugin or BLAS) instead of redoing them");
  ReportRequest request;
  run->add_flag("--check", request.check,
                "Exit with code 3 when a paper value (report.reference) is outside its tolerance and not a known gap");
  run->add_flag("--report", request.write, "Write report.md, report.html and the figures into the results folder");
  run->add_option("--report-to", request.folder, "Write the report into this folder instead");

  std::string results;
  bool index = false;
  auto* report = app.add_subcommand("report", "Report on a results folder: paper comparison, figures, summary, config");
  report->add_option("folder", results, "Results folder of `kooplab run` (with --index: the folder of experiments)")
      ->required();
  report->add_option("--to", request.folder, "Write report.md, report.html and figures/ here (default: the folder)");
  report->add_flag("--check", request.check, "Exit with code 3 when a paper value is outside its tolerance");
  report->add_flag("--index", index,
                   "Print the table of experiments: per experiments/<name>/, its paper values within tolerance "
                   "and links to its reports (<name>/report/<config>/report.md)");

  std::string plugin_name;
  auto* plugins = app.add_subcommand("plugins", "List every plugin found, with kind, description and file");
  plugins->add_option("name", plugin_name, "Show every key of this plugin's section: type, default and meaning");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and exits 0; every usage error exits with the documented code.
    return app.exit(e) == 0 ? kooplab::exit_ok : kooplab::exit_bad_input;
  }

  try {
    if (plugins->parsed()) return plugin_name.empty() ? list_plugins() : describe_plugin(plugin_name);
    if (report->parsed()) {
      if (index) {
        std::cout << kooplab::experiments_index(results, std::filesystem::current_path()).markdown();
        return kooplab::exit_ok;
      }
      request.write = true;
      return finish(results, request, kooplab::exit_ok);
    }
    if (!max_memory.empty()) {
      const auto bytes = kooplab::parse_bytes(max_memory);
      if (!bytes)
        throw kooplab::ConfigError(fmt::format("--max-memory {}: expected a size such as 512M or 8G", max_memory));
      kooplab::set_memory_budget(*bytes);
    }
    options.config_file = config_file;
    if (jobs > 0) options.jobs = jobs;
    if (!out.empty()) options.out = out;
    options.launcher = launcher == "mpi" ? kooplab::Launcher::mpi : kooplab::Launcher::local;
    return run_and_report(options, request);
  } catch (const std::exception& e) {  // kooplab::Error and anything a library threw before the runs
    std::cerr << "kooplab: error: " << e.what() << "\n";
    return kooplab::exit_bad_input;
  }
}
