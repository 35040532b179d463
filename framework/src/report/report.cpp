#include "kooplab/report/report.hpp"

#include <fmt/format.h>

#include <ostream>
#include <set>

#include "kooplab/config.hpp"
#include "kooplab/error.hpp"
#include "kooplab/report/document.hpp"
#include "kooplab/report/gnuplot.hpp"
#include "kooplab/report/plot.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

const char* const reference_file = "reference.yaml";
// Runs whose own report.md (written by the application) the report shows.
constexpr std::size_t max_run_reports = 4;

std::string known_gap_line(const Cell& cell) {
  return fmt::format("{} · {}: {}", cell.row->label, cell.column->title, cell.known_gap);
}

// The builds that made the records, one line each ("" entries skipped).
std::vector<std::string> build_lines(const std::vector<RunRecord>& records) {
  std::vector<std::string> lines;
  std::set<std::string> seen;
  for (const auto& record : records) {
    const Provenance& build = record.build;
    if (build.kooplab_version.empty()) continue;
    std::vector<std::string> plugins;
    for (const auto& plugin : build.plugins)
      plugins.push_back(fmt::format("{} {}", plugin.name, plugin.build_id.substr(0, 12)));
    const std::string line = fmt::format("kooplab {} · libkooplab {} · plugins: {} · BLAS {} at {} thread(s) · host {}",
                                         build.kooplab_version, build.framework_build.substr(0, 12),
                                         join_words(plugins), build.blas_library, build.blas_threads, build.host);
    if (seen.insert(line).second) lines.push_back(line);
  }
  return lines;
}

}  // namespace

ReportSettings read_report_settings(const std::string& config_text, const std::string& source) {
  const Config config = Config::parse(config_text, source);
  ReportSettings settings;
  if (!config.has("report")) return settings;
  const Config report = config.child("report");
  if (report.has("reference")) settings.reference = report.resolve_path("reference");
  settings.default_figures = report.get_or<bool>("default_figures", true);
  if (report.has("figures"))
    for (const Config& item : report.items("figures")) settings.figures.push_back(read_figure(item));
  report.check_all_keys_used();
  return settings;
}

void attach_reference(const ReportSettings& settings, const std::filesystem::path& results_folder) {
  const std::filesystem::path copy = results_folder / reference_file;
  if (settings.reference)
    write_file_atomic(copy, read_file(*settings.reference));
  else
    std::filesystem::remove(copy);
}

Report::Report(const std::filesystem::path& results_folder)
    : results_(read_results_folder(results_folder)),
      settings_(read_report_settings(results_.config_text, (results_folder / "config.yaml").string())),
      summary_(summarize(results_.records)) {
  const Config config = Config::parse(results_.config_text, (results_folder / "config.yaml").string());
  if (config.has("application") && config.child("application").has("name"))
    application_ = config.child("application").scalar("name");
  title_ = config.get_or<std::string>("description", results_folder.filename().string());
  if (std::filesystem::is_regular_file(results_folder / reference_file)) {
    reference_ = read_reference(results_folder / reference_file);
    comparison_ = compare(*reference_, summary_);
  }
}

std::string Report::comparison_text() const {
  if (!comparison_) return "";
  std::string out = fmt::format("paper comparison ({}):\n", reference_->source);
  for (const TextTable& table : comparison_->tables()) out += "\n" + table.aligned();
  out += fmt::format("\n{}\n", comparison_->count_text());
  for (const Cell* cell : comparison_->closed_gaps())
    out += fmt::format("now within tolerance, listed as a known gap: {} · {}\n", cell->row->label, cell->column->title);
  return out;
}

void Report::write(const std::filesystem::path& folder, std::ostream& log) const {
  std::filesystem::create_directories(folder);
  Document document(title_);
  std::size_t failed = 0;
  for (const auto& record : results_.records) failed += record.ok() ? 0 : 1;
  document.paragraph(fmt::format("{} run(s) at {} parameter point(s), {} failed; application `{}`.",
                                 results_.records.size(), summary_.points.size(), failed, application_));
  const std::vector<std::string> builds = build_lines(results_.records);
  if (!builds.empty()) {
    document.paragraph(builds.size() == 1 ? "Made by:" : "Made by several builds:");
    document.list(builds);
  }

  if (comparison_) {
    document.heading("Paper comparison");
    document.paragraph(
        fmt::format("Source: {}. kooplab: mean ± sample std over the seeds (or the median where "
                    "marked); ✓ within the column's tolerance, ✗ outside, — no paper value.",
                    reference_->source));
    for (const TextTable& table : comparison_->tables()) document.table(table);
    document.paragraph(comparison_->count_text() + ".");
    std::vector<std::string> gaps;
    for (const auto& cell : comparison_->cells)
      if (cell.status == Status::outside && !cell.known_gap.empty()) gaps.push_back(known_gap_line(cell));
    if (!gaps.empty()) {
      document.paragraph("Known gaps:");
      document.list(gaps);
    }
    write_file_atomic(folder / "comparison.csv", comparison_->cell_list().csv());
  }

  // The application's figures, then the config's (a config figure replaces a default of the same name).
  std::vector<FigureSpec> figures =
      settings_.default_figures ? default_figures(application_, summary_) : std::vector<FigureSpec>{};
  for (const auto& figure : settings_.figures) {
    std::erase_if(figures, [&](const FigureSpec& other) { return other.name == figure.name; });
    figures.push_back(figure);
  }
  if (!figures.empty()) {
    document.heading("Figures");
    const std::filesystem::path gnuplot = gnuplot_program();
    if (gnuplot.empty())
      document.paragraph(
          "Not drawn: no `gnuplot` found (Debian package gnuplot-nox); the scripts and data are in "
          "`figures/`.");
    std::vector<std::string> skipped;
    for (const auto& spec : figures) {
      std::string reason;
      const std::optional<Plot> plot = make_plot(spec, results_, summary_, comparison(), reason);
      if (!plot) {
        skipped.push_back(fmt::format("`{}`: {}", spec.name, reason));
        continue;
      }
      if (const std::string error = draw_plot(*plot, folder / "figures", gnuplot); !error.empty()) {
        log << fmt::format("kooplab: figure {} not drawn: {}\n", spec.name, error);
        skipped.push_back(fmt::format("`{}`: gnuplot failed", spec.name));
        continue;
      }
      if (gnuplot.empty()) continue;
      const std::string caption =
          (plot->title.empty() ? spec.name : plot->title) + (plot->note.empty() ? "" : " (" + plot->note + ")");
      document.figure(caption, folder / "figures" / (spec.name + ".png"), folder / "figures" / (spec.name + ".svg"));
    }
    if (!skipped.empty()) {
      document.paragraph("Not drawn:");
      document.list(skipped);
    }
  }

  document.heading("Summary");
  document.paragraph("Each metric as mean ± sample std over the successful runs of each parameter point.");
  document.table(summary_table(summary_));

  std::vector<const RunRecord*> run_reports;
  for (const auto& record : results_.records)
    if (std::filesystem::is_regular_file(results_.run_file(record, "report.md"))) run_reports.push_back(&record);
  if (!run_reports.empty()) {
    document.heading("Run reports");
    document.paragraph(fmt::format("The report.md the application wrote into each run folder{}.",
                                   run_reports.size() > max_run_reports
                                       ? fmt::format(" (the first {} of {})", max_run_reports, run_reports.size())
                                       : ""));
    for (std::size_t i = 0; i < run_reports.size() && i < max_run_reports; ++i) {
      const RunRecord& record = *run_reports[i];
      std::vector<std::string> params;
      for (const auto& [key, value] : record.params) params.push_back(key + "=" + value);
      params.push_back(fmt::format("seed={}", record.seed));
      document.paragraph(fmt::format("`runs/{}` ({}):", record.hash, join_words(params, " ")));
      document.code(read_file(results_.run_file(record, "report.md")), "text");
    }
  }

  document.heading("Config");
  document.paragraph("As given (`config.yaml`); each run's resolved config is `runs/<hash>/config.yaml`.");
  document.code(results_.config_text, "yaml");

  if (comparison_) {
    document.heading("Paper values, one per row");
    document.table(comparison_->cell_list());
  }

  write_file_atomic(folder / "report.md", document.markdown(folder));
  write_file_atomic(folder / "report.html", document.html());
}

}  // namespace kooplab
