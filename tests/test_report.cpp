// Reports: paper values and their comparison, figures as gnuplot scripts and
// data, report.md/report.html, --check, and the experiments index.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "build_paths.hpp"
#include "kooplab/report/comparison.hpp"
#include "kooplab/report/document.hpp"
#include "kooplab/report/figure_spec.hpp"
#include "kooplab/report/gnuplot.hpp"
#include "kooplab/report/index.hpp"
#include "kooplab/report/plot.hpp"
#include "kooplab/report/reference.hpp"
#include "kooplab/report/report.hpp"
#include "kooplab/runner/runner.hpp"
#include "kooplab/util/files.hpp"
#include "kooplab/util/npy.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using kooplab::read_file;
using kooplab::testing::contains;
using kooplab::testing::error_of;
using kooplab::testing::shell;
using kooplab::testing::temporary_folder;
using kooplab::testing::write;

namespace {

// A record of `metrics` at a point (swept key -> value) with a seed.
kooplab::RunRecord record(std::vector<std::pair<std::string, std::string>> params, std::uint64_t seed,
                          std::vector<std::pair<std::string, double>> metrics, bool ok = true) {
  kooplab::RunRecord r;
  r.hash = fmt::format("{:016x}", seed * 131 + params.size());
  r.params = std::move(params);
  r.seed = seed;
  r.status = ok ? "ok" : "failed";
  r.metrics = std::move(metrics);
  return r;
}

const char* const reference_text = R"(source: a paper, Table 2
tables:
  - title: Table 2
    key: estimator.rank
    columns:
      - {metric: error, title: error, relative: 0.1}
      - {metric: found, tolerance: 0}
      - {metric: speed, statistic: median, direction: at_least}
    rows:
      - {at: 2, label: rank two, paper: [0.5, 2, 10], source: row 1}
      - at: 4
        paper: [0.1, 4, ~]
        gaps: {found: the estimator misses one}
)";

std::string kooplab_command() { return kooplab::testing::kooplab_executable().string(); }

// The small DMD sweep with paper values and a figure of its own.
const std::string spectrum_config = std::string(kooplab::testing::linear_dmd_sweep) + R"(description: report test
report:
  reference: reference.yaml
  figures:
    - {type: metric, x: estimator.rank, y: eigenvalue_error, log_y: true, title: eigenvalue error}
)";
// Ranks 2 and 4, two seeds each.
const char* const spectrum_overrides = "estimator.rank=2,4 sweep.seeds=2";

}  // namespace

TEST_CASE("a reference file reads like the paper's table; mistakes name file, line and key") {
  const fs::path folder = temporary_folder("reference");
  const kooplab::Reference reference = kooplab::read_reference(write(folder / "r.yaml", reference_text));
  CHECK(reference.source == "a paper, Table 2");
  REQUIRE(reference.tables.size() == 1);
  const auto& table = reference.tables[0];
  REQUIRE(table.columns.size() == 3);
  CHECK(table.columns[0].relative == 0.1);
  CHECK(table.columns[1].title == "found");
  CHECK(table.columns[2].median);
  CHECK(table.columns[2].direction == kooplab::Direction::at_least);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0].label == "rank two");
  CHECK(table.rows[0].at == std::vector<std::pair<std::string, std::string>>{{"estimator.rank", "2"}});
  CHECK(table.rows[1].label == "4");
  CHECK(!table.rows[1].paper[2].has_value());
  CHECK(table.rows[1].paper_text[2] == "—");
  CHECK(table.rows[1].gaps.at("found") == "the estimator misses one");

  const auto error = [&](const std::string& text) {
    return error_of<kooplab::ConfigError>([&] { kooplab::read_reference(write(folder / "bad.yaml", text)); });
  };
  const std::string head = "tables:\n  - key: k\n    columns:\n      - {metric: m, tolerance: 0}\n    rows:\n";
  CHECK(contains(error(head + "      - {at: 1, paper: [1, 2]}\n"),
                 "bad.yaml:6:24: tables[0].rows[0].paper: expected 1 values, one per column, got 2"));
  CHECK(contains(error(head + "      - {at: 1, paper: [x]}\n"),
                 "tables[0].rows[0].paper[0]: expected a number or ~, got 'x'"));
  CHECK(contains(error(head + "      - {at: 1, paper: [1], gaps: {n: why}}\n"),
                 "tables[0].rows[0].gaps.n: not a column of this table"));
  CHECK(contains(error("tables:\n  - columns:\n      - {metric: m}\n    rows:\n      - {paper: [1]}\n"),
                 "tables[0].rows[0].paper[0]: column 'm' has no rule for paper values"));
  // A map `at` names several keys; a column without a rule takes no paper values.
  const auto both = kooplab::read_reference(
      write(folder / "both.yaml",
            "tables:\n  - columns:\n      - {metric: m}\n    rows:\n      - {at: {a.b: 1, c: x}, paper: [~]}\n"));
  CHECK(both.tables[0].rows[0].at == std::vector<std::pair<std::string, std::string>>{{"a.b", "1"}, {"c", "x"}});
  CHECK(both.tables[0].rows[0].label == "1, x");
  CHECK(contains(error(head + "      - {at: 1, paper: [1], sorce: x}\n"), "unknown key (did you mean 'source'?)"));
  fs::remove_all(folder);
}

TEST_CASE("the comparison takes the statistic over the seeds and marks each paper value") {
  const fs::path folder = temporary_folder("comparison");
  const kooplab::Reference reference = kooplab::read_reference(write(folder / "r.yaml", reference_text));
  const std::vector<kooplab::RunRecord> records{
      record({{"estimator.rank", "2"}}, 0, {{"error", 0.52}, {"found", 2}, {"speed", 9}}),
      record({{"estimator.rank", "2"}}, 1, {{"error", 0.56}, {"found", 2}, {"speed", 30}}),
      record({{"estimator.rank", "2"}}, 2, {{"error", 0.57}, {"found", 2}, {"speed", 12}}),
      record({{"estimator.rank", "4"}}, 0, {{"error", 0.2}, {"found", 3}}),
      record({{"estimator.rank", "4"}}, 1, {{"error", 9.0}, {"found", 9}}, false),  // failed: not counted
  };
  const kooplab::Summary summary = kooplab::summarize(records);
  const kooplab::Comparison comparison = kooplab::compare(reference, summary);
  REQUIRE(comparison.cells.size() == 6);
  const auto& error2 = comparison.cells[0];
  CHECK(error2.kooplab.count == 3);
  CHECK(*error2.value == doctest::Approx(0.55));    // mean of 0.52, 0.56, 0.57
  CHECK(error2.status == kooplab::Status::within);  // |0.55 − 0.5| ≤ 0.1 · 0.5
  CHECK(kooplab::gap_text(error2) == "+0.05 (+10 %)");
  CHECK(comparison.cells[2].value == 12.0);  // median of 9, 30, 12 ≥ 10
  CHECK(comparison.cells[2].status == kooplab::Status::within);
  CHECK(kooplab::kooplab_text(comparison.cells[2]) == "12");
  const auto& error4 = comparison.cells[3];
  CHECK(error4.kooplab.count == 1);
  CHECK(error4.status == kooplab::Status::outside);  // 0.2 against 0.1 ± 10 %
  CHECK(error4.known_gap.empty());
  CHECK(comparison.cells[4].status == kooplab::Status::outside);
  CHECK(comparison.cells[4].known_gap == "the estimator misses one");
  CHECK(comparison.cells[5].status == kooplab::Status::no_paper_value);
  CHECK(comparison.count_text() == "3 of 5 paper values within tolerance");
  REQUIRE(comparison.unexpected().size() == 1);
  CHECK(comparison.unexpected()[0] == &error4);

  const auto tables = comparison.tables();
  REQUIRE(tables.size() == 1);
  CHECK(tables[0].head == std::vector<std::string>{"estimator.rank", "error paper / kooplab", "found paper / kooplab",
                                                   "speed (median) paper / kooplab"});
  CHECK(tables[0].rows[0] == std::vector<std::string>{"rank two", "0.5 / 0.55 ± 0.026 ✓", "2 / 2 ± 0 ✓", "10 / 12 ✓"});
  CHECK(tables[0].rows[1] == std::vector<std::string>{"4", "0.1 / 0.2 ✗", "4 / 3 ✗", "— / no value"});
  const kooplab::TextTable list = comparison.cell_list();
  CHECK(list.rows[0][8] == "Table 2, row 1");
  CHECK(kooplab::TextTable::from_csv(list.csv()).rows == list.rows);
  fs::remove_all(folder);
}

TEST_CASE("text tables: Markdown escapes |, CSV quotes and reads back, base64 of known bytes") {
  const kooplab::TextTable table{{"a", "b"}, {{"x|y", "1,2"}, {"say \"hi\"", "two\nlines"}}};
  CHECK(table.markdown() == "| a | b |\n| --- | --- |\n| x\\|y | 1,2 |\n| say \"hi\" | two lines |\n");
  CHECK(table.csv() == "a,b\nx|y,\"1,2\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n");
  CHECK(kooplab::TextTable::from_csv(table.csv()).rows == table.rows);
  CHECK(kooplab::base64("Man") == "TWFu");
  CHECK(kooplab::base64("Ma") == "TWE=");
  CHECK(kooplab::base64("M") == "TQ==");
}

TEST_CASE("figure specs: types, defaults per application, errors with did-you-mean") {
  const auto figure = [](const std::string& yaml) {
    return kooplab::read_figure(kooplab::Config::parse(yaml, "f.yaml"));
  };
  const auto metric = figure("{type: metric, x: dataset.rank, y: found, by: dataset.noise}");
  CHECK(metric.type == kooplab::FigureType::metric);
  CHECK(metric.y == std::vector<std::string>{"found"});
  CHECK(metric.name == "metric_found");
  CHECK(figure("{type: lines, arrays: [\"epochs[1]\", test_loss]}").name == "epochs_1__test_loss");
  CHECK(error_of<kooplab::ConfigError>([&] { figure("{type: eigenvalue}"); }) ==
        "f.yaml:1:8: type: unknown figure type 'eigenvalue' (did you mean 'eigenvalues'?); expected eigenvalues, "
        "amplitudes, lines, metric");
  CHECK(contains(error_of<kooplab::ConfigError>([&] { figure("{type: metric, x: a}"); }), "y: missing"));
  // Names become file names and legends gnuplot commands: nothing else gets through.
  CHECK(figure("{type: lines, arrays: [a], legend: bottom right}").legend == "bottom right");
  CHECK(contains(error_of<kooplab::ConfigError>([&] { figure("{type: lines, arrays: [a], name: ../x}"); }),
                 "name: '../x': a figure's name takes letters, digits, _ and - only"));
  CHECK(contains(error_of<kooplab::ConfigError>([&] { figure("{type: lines, arrays: [a], legend: 'top; !ls'}"); }),
                 "legend: 'top;' is no legend position"));

  const kooplab::Summary none;
  const auto spectrum = kooplab::default_figures("spectrum", none);
  REQUIRE(spectrum.size() == 2);
  CHECK(spectrum[0].type == kooplab::FigureType::eigenvalues);
  CHECK(spectrum[0].color == "amplitudes");
  CHECK(kooplab::default_figures("koopman_training", none)[0].arrays ==
        std::vector<std::string>{"optimizer_loss", "koopman_loss"});
  CHECK(kooplab::default_figures("hsvr_depth", none).empty());  // its metric figure needs a swept key
  CHECK(kooplab::default_figures("no_such_application", none).empty());
}

TEST_CASE("kooplab run --check --report: paper comparison, figures drawn by gnuplot, report.md and report.html") {
  REQUIRE_MESSAGE(!kooplab::gnuplot_program().empty(), "gnuplot is needed (scripts/install-deps.sh installs it)");
  const fs::path folder = temporary_folder("report");
  // The eigenvalue error at full rank is the noise's (1e-3 to 1e-2), at rank 2 it is one missing eigenvalue away.
  write(folder / "reference.yaml",
        "source: closed form\ntables:\n  - key: estimator.rank\n    columns:\n"
        "      - {metric: eigenvalue_error, direction: at_most}\n"
        "      - {metric: rank, tolerance: 0}\n"
        "    rows:\n      - {at: 4, paper: [0.05, 4]}\n      - {at: 2, paper: [0.05, 2], gaps: {eigenvalue_error: rank "
        "2 cannot hold 4 eigenvalues}}\n");
  const fs::path config = write(folder / "experiment.yaml", spectrum_config);
  const fs::path out = folder / "out";
  const std::string log = (folder / "log").string();
  REQUIRE(shell(fmt::format("{} run {} {} --out {} --check --report > {} 2>&1", kooplab_command(), config.string(),
                            spectrum_overrides, out.string(), log)) == 0);
  const std::string printed = read_file(log);
  CHECK(contains(printed, "paper comparison (closed form):"));
  CHECK(contains(printed, "3 of 4 paper values within tolerance"));
  CHECK(read_file(out / "reference.yaml") == read_file(folder / "reference.yaml"));

  const std::string markdown = read_file(out / "report.md");
  CHECK(markdown.starts_with("# report test\n"));
  CHECK(contains(markdown, "| estimator.rank | eigenvalue_error paper / kooplab | rank paper / kooplab |"));
  CHECK(contains(markdown, "| 4 | 0.05 / "));
  CHECK(contains(markdown, "- 2 · eigenvalue_error: rank 2 cannot hold 4 eigenvalues"));
  CHECK(contains(markdown, "![eigenvalues in the complex plane, coloured by |amplitudes|](figures/eigenvalues.svg)"));
  CHECK(contains(markdown, "([PNG](figures/eigenvalues.png))"));
  CHECK(contains(markdown, "## Config\n"));
  for (const char* name : {"eigenvalues", "amplitudes", "metric_eigenvalue_error"})
    for (const char* extension : {".png", ".svg", ".gp", ".dat"}) {
      CAPTURE(name);
      CAPTURE(extension);
      CHECK(fs::file_size(out / "figures" / (std::string(name) + extension)) > 0);
    }
  const std::string html = read_file(out / "report.html");
  CHECK(contains(html, "<img alt=\"eigenvalue error\" src=\"data:image/svg+xml;base64,"));
  CHECK(!contains(html, "figures/"));  // nothing outside the page

  // The eigenvalue figure: unit circle, then one series per rank (first seed), coloured by |amplitude|.
  const std::string script = read_file(out / "figures" / "eigenvalues.gp");
  CHECK(contains(script, "set size ratio -1"));
  CHECK(contains(script, "index 0 with lines lc rgb \"#888888\" dt 2 title \"unit circle\""));
  CHECK(contains(script, "index 1 using 1:2:3 with points pt 7 ps 1.6 lc palette title \"rank=2\""));
  CHECK(contains(script, "index 2 using 1:2:3 with points pt 5 ps 1.6 lc palette title \"rank=4\""));
  CHECK(contains(script, "set output \"eigenvalues.png\""));
  CHECK(contains(script, "set output \"eigenvalues.svg\""));
  const auto blocks = [&](const std::string& name) {
    std::vector<std::string> found;
    const std::string text = read_file(out / "figures" / (name + ".dat"));
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find("\n\n\n", start), text.size());
      found.push_back(text.substr(start, end - start + 1));
      start = end + 3;
    }
    return found;
  };
  const auto lines_in = [](const std::string& block) { return std::count(block.begin(), block.end(), '\n'); };
  const auto eigenvalues = blocks("eigenvalues");
  REQUIRE(eigenvalues.size() == 3);
  CHECK(lines_in(eigenvalues[0]) == 201);  // the unit circle
  CHECK(eigenvalues[0].starts_with("1 0\n"));
  CHECK(lines_in(eigenvalues[1]) == 2);  // rank 2
  CHECK(lines_in(eigenvalues[2]) == 4);  // rank 4
  // The metric figure holds each rank's mean and std over the two seeds, as summary.csv has them.
  const auto summary = kooplab::TextTable::from_csv(read_file(out / "summary.csv"));
  const auto column = [&](const std::string& name) {
    return std::size_t(std::find(summary.head.begin(), summary.head.end(), name) - summary.head.begin());
  };
  const auto metric = blocks("metric_eigenvalue_error");
  REQUIRE(metric.size() == 2);  // kooplab, then the paper's values
  for (std::size_t i = 0; i < 2; ++i)
    CHECK(contains(metric[0],
                   fmt::format("{} {} {}\n", summary.rows[i][0], summary.rows[i][column("eigenvalue_error_mean")],
                               summary.rows[i][column("eigenvalue_error_std")])));
  CHECK(metric[1] == "2 0.050000000000000003 0\n4 0.050000000000000003 0\n");

  // A paper value outside its tolerance that is no known gap fails --check (exit code 3), also from `kooplab report`.
  write(folder / "reference.yaml",
        "source: closed form\ntables:\n  - key: estimator.rank\n    columns:\n"
        "      - {metric: eigenvalue_error, direction: at_most}\n    rows:\n      - {at: 2, paper: [0.05]}\n");
  CHECK(shell(fmt::format("{} run {} {} --out {} --check > {} 2>&1", kooplab_command(), config.string(),
                          spectrum_overrides, out.string(), log)) == kooplab::exit_check_failed);
  CHECK(contains(read_file(log), "kooplab: check failed: 2 · eigenvalue_error: kooplab "));
  CHECK(contains(read_file(log), "against the paper's 0.05"));
  CHECK(contains(read_file(log), "| 2 | 0.05") == false);  // the terminal gets aligned columns
  CHECK(shell(fmt::format("{} report {} --check > {} 2>&1", kooplab_command(), out.string(), log)) ==
        kooplab::exit_check_failed);
  // --check without paper values is a usage error found before any run.
  write(folder / "plain.yaml", "application:\n  name: spectrum\n");
  CHECK(shell(fmt::format("{} run {} --out {} --check > {} 2>&1", kooplab_command(), (folder / "plain.yaml").string(),
                          (folder / "plain").string(), log)) == kooplab::exit_bad_input);
  CHECK(contains(read_file(log), "plain.yaml: --check needs paper values: the config has no report.reference"));
  CHECK(!fs::exists(folder / "plain"));
  fs::remove_all(folder);
}

TEST_CASE("a report section with a mistake stops the run before it starts") {
  const fs::path folder = temporary_folder("report-errors");
  std::string text = spectrum_config;
  text.replace(text.find("type: metric"), 12, "type: metrics");
  write(folder / "reference.yaml", reference_text);
  const fs::path config = write(folder / "experiment.yaml", text);
  const std::string log = (folder / "log").string();
  CHECK(shell(fmt::format("{} run {} --out {} > {} 2>&1", kooplab_command(), config.string(), (folder / "out").string(),
                          log)) == kooplab::exit_bad_input);
  CHECK(contains(read_file(log), "report.figures[0].type: unknown figure type 'metrics' (did you mean 'metric'?)"));
  CHECK(!fs::exists(folder / "out"));
  fs::remove_all(folder);
}

TEST_CASE("the experiments index counts each experiment's paper values within tolerance from its reports") {
  const fs::path folder = temporary_folder("index");
  const fs::path experiments = folder / "experiments";
  fs::create_directories(experiments / "alpha" / "report" / "sweep");
  fs::create_directories(experiments / "alpha" / "report" / "single");
  fs::create_directories(experiments / "beta" / "report" / "config");
  write(experiments / "alpha" / "README.md", "intro\n# Alpha: the first\ntext\n");
  write(experiments / "beta" / "README.md", "# Beta\n");
  for (const char* report : {"alpha/report/sweep", "alpha/report/single", "beta/report/config"})
    write(experiments / report / "report.md", "# report\n");
  const std::string head = "table,row,metric,paper,kooplab,runs,gap,status,source,known gap\n";
  write(experiments / "alpha" / "report" / "sweep" / "comparison.csv",
        head + "T,1,m,1,1,3,+0,✓,\"T, row 1\",\nT,2,m,1,2,3,+1,✗,,why\nT,3,n,—,2,3,—,—,,\n");
  write(experiments / "alpha" / "report" / "single" / "comparison.csv", head + "T,1,m,1,1,1,+0,✓,,\n");
  const kooplab::TextTable index = kooplab::experiments_index(experiments, folder);
  REQUIRE(index.rows.size() == 2);
  CHECK(index.rows[0] == std::vector<std::string>{"[alpha](experiments/alpha/) Alpha: the first", "2 of 3",
                                                  "[single](experiments/alpha/report/single/report.md), "
                                                  "[sweep](experiments/alpha/report/sweep/report.md)"});
  CHECK(index.rows[1][1] == "—");  // a report without paper values
  CHECK(contains(error_of<kooplab::DataError>([&] { kooplab::experiments_index(folder / "none", folder); }),
                 "no such folder"));
  fs::remove_all(folder);
}

TEST_CASE("the README's experiments table is the one the committed reports give") {
  const fs::path source = kooplab::testing::source_dir();
  const std::string readme = read_file(source / "README.md");
  const std::string begin = "<!-- experiments table: generated by scripts/update-experiments-table.sh -->\n";
  const std::string end = "<!-- end of experiments table -->";
  const std::size_t from = readme.find(begin), to = readme.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  const std::string table = readme.substr(from + begin.size(), to - from - begin.size());
  CHECK_MESSAGE(table == kooplab::experiments_index(source / "experiments", source).markdown(),
                "run scripts/update-experiments-table.sh");
}

TEST_CASE("line figures: series over another array sorted by it, one panel per array") {
  ::setenv("KOOPLAB_PLUGIN_PATH", kooplab::testing::test_plugin_dir().c_str(),
           1);  // test_probe writes a 3 × 2 array `draws`
  const fs::path folder = temporary_folder("lines");
  const fs::path config = write(folder / "probe.yaml", R"(application:
  name: test_probe
report:
  default_figures: false
  figures:
    - {type: lines, name: sorted, x: "draws[0]", arrays: ["draws[1]"]}
    - {type: lines, name: panels, arrays: ["draws[0]", "draws[1]"], panels: true, names: [first, second]}
)");
  const fs::path out = folder / "out";
  REQUIRE(shell(fmt::format("{} run {} --out {} --report > {}/log 2>&1", kooplab_command(), config.string(),
                            out.string(), folder.string())) == 0);
  const auto json = nlohmann::json::parse(read_file(out / "results.jsonl"));
  const arma::mat draws =
      kooplab::read_npy(read_file(out / "runs" / json["run"].get<std::string>() / "draws.npy"), "draws");
  const arma::uvec order = arma::sort_index(draws.col(0));
  std::string sorted;
  for (const arma::uword i : order) sorted += fmt::format("{:.17g} {:.17g}\n", draws(i, 0), draws(i, 1));
  CHECK(read_file(out / "figures" / "sorted.dat") == sorted);
  CHECK(contains(read_file(out / "figures" / "sorted.gp"), "set xlabel \"draws[0]\""));
  const std::string panels = read_file(out / "figures" / "panels.gp");
  CHECK(contains(
      panels,
      "set multiplot layout 2,1\nset ylabel \"first\"\nunset key\nplot \"panels.dat\" index 0 with lines lw 2 notitle\n"
      "set ylabel \"second\"\nunset key\nplot \"panels.dat\" index 1 with lines lw 2 notitle\nunset multiplot\n"));
  CHECK(fs::file_size(out / "figures" / "panels.png") > 0);
  fs::remove_all(folder);
}
