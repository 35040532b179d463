#include "kooplab/report/plot.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <regex>

#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

// At most this many parameter points get a series of their own.
constexpr std::size_t max_series_points = 8;

std::string number(double value) { return std::isfinite(value) ? fmt::format("{:.17g}", value) : "NaN"; }

// Gnuplot's data blocks: `index k` reads the k-th.
struct DataFile {
  std::string text;
  std::size_t blocks = 0;
  std::size_t add(const std::vector<std::vector<double>>& rows) {
    if (blocks) text += "\n\n";
    for (const auto& row : rows) {
      std::vector<std::string> fields;
      for (const double value : row) fields.push_back(number(value));
      text += join_words(fields, " ") + "\n";
    }
    return blocks++;
  }
};

// The first successful run of each selected point (seeds are innermost, so
// the lowest seed), labelled by the point; `note` says when points were left out.
std::vector<std::pair<std::string, const RunRecord*>> first_runs(const FigureSpec& spec, const Summary& summary,
                                                                 std::string& note) {
  std::vector<std::pair<std::string, const RunRecord*>> runs;
  std::size_t selected = 0;
  for (const auto& point : summary.points) {
    if (!point.matches(spec.at)) continue;
    const auto ok = std::find_if(point.runs.begin(), point.runs.end(), [](const RunRecord* run) { return run->ok(); });
    if (ok == point.runs.end()) continue;
    if (++selected <= max_series_points) runs.emplace_back(point.label(), *ok);
  }
  if (selected > max_series_points)
    note = fmt::format("the first {} of {} parameter points (choose others with `at`)", max_series_points, selected);
  if (runs.size() == 1) runs.front().first.clear();  // a lone point needs no name
  return runs;
}

Plot titled(const FigureSpec& spec) {
  Plot plot;
  plot.name = spec.name;
  plot.title = spec.title;
  return plot;
}

std::string title_clause(const std::string& label) {
  return label.empty() ? "notitle" : "title " + gnuplot_string(label);
}

std::string axes(const FigureSpec& spec, const std::string& x_label, const std::string& y_label) {
  std::string out =
      fmt::format("set xlabel {}\nset ylabel {}\n", gnuplot_string(spec.x_label.empty() ? x_label : spec.x_label),
                  gnuplot_string(spec.y_label.empty() ? y_label : spec.y_label));
  if (spec.log_x) out += "set logscale x\nset format x \"%g\"\n";
  if (spec.log_y) out += "set logscale y\nset format y \"%g\"\n";
  return out;
}

// The legend where the figure asks for it (default top right), boxed over the curves.
std::string key(const FigureSpec& spec) {
  return fmt::format("set key {} box opaque\n", spec.legend.empty() ? "top right" : spec.legend);
}
std::string header(const FigureSpec& spec) { return "set grid lc rgb \"#dddddd\"\n" + key(spec); }

// Eigenvalues in the complex plane, coloured by |colour array|, with the unit
// circle (a map's eigenvalues) or the imaginary axis (a generator's).
std::optional<Plot> eigenvalue_plot(const FigureSpec& spec, const ResultsFolder& results, const Summary& summary,
                                    std::string& skipped) {
  Plot plot = titled(spec);
  DataFile data;
  std::vector<std::string> series;
  bool coloured = false;
  double smallest = INFINITY, largest = 0;
  arma::vec low, high;  // corners of the eigenvalues' box
  if (!spec.continuous) {
    std::vector<std::vector<double>> circle;
    for (int k = 0; k <= 200; ++k)
      circle.push_back({std::cos(2 * std::numbers::pi * k / 200), std::sin(2 * std::numbers::pi * k / 200)});
    series.push_back(fmt::format("\"{}.dat\" index {} with lines lc rgb \"#888888\" dt 2 title \"unit circle\"",
                                 spec.name, data.add(circle)));
  }
  int point_type = 7;
  for (const auto& [label, run] : first_runs(spec, summary, plot.note)) {
    const auto values = results.array(*run, spec.array);
    if (!values) continue;
    const auto colours = spec.color.empty() ? std::nullopt : results.array(*run, spec.color);
    const bool with_colour = colours && colours->n_elem == values->n_elem;
    std::vector<std::vector<double>> rows;
    for (arma::uword i = 0; i < values->n_elem; ++i) {
      const arma::vec2 at{(*values)(i).real(), (*values)(i).imag()};
      low = low.n_elem ? arma::vec(arma::min(low, at)) : arma::vec(at);
      high = high.n_elem ? arma::vec(arma::max(high, at)) : arma::vec(at);
      std::vector<double> row{at(0), at(1)};
      if (with_colour) {
        const double magnitude = std::abs((*colours)(i));
        row.push_back(magnitude);
        if (magnitude > 0) smallest = std::min(smallest, magnitude), largest = std::max(largest, magnitude);
      }
      rows.push_back(row);
    }
    coloured = coloured || with_colour;
    series.push_back(fmt::format("\"{}.dat\" index {} using 1:2{} with points pt {} ps 1.6 {} {}", spec.name,
                                 data.add(rows), with_colour ? ":3" : "", point_type, with_colour ? "lc palette" : "",
                                 title_clause(label)));
    point_type = point_type == 7 ? 5 : point_type + 4;
  }
  if (series.size() == (spec.continuous ? 0u : 1u)) {
    skipped = fmt::format("no run has the array '{}'", spec.array);
    return std::nullopt;
  }
  plot.commands =
      header(spec) + axes(spec, spec.continuous ? "Re λ (1/time)" : "Re λ", spec.continuous ? "Im λ (1/time)" : "Im λ");
  if (spec.continuous)
    plot.commands += "set arrow from 0, graph 0 to 0, graph 1 nohead dt 2 lc rgb \"#888888\"\n";
  else
    plot.commands += "set size ratio -1\n";
  if (spec.zoom && low.n_elem) {
    // The eigenvalues' box, padded, and never thinner than a tenth of the unit circle.
    const double pad = std::max(0.1, 0.1 * arma::max(high - low));
    plot.commands += fmt::format("set xrange [{}:{}]\nset yrange [{}:{}]\n", low(0) - pad, high(0) + pad, low(1) - pad,
                                 high(1) + pad);
  }
  if (coloured) {
    plot.commands += fmt::format("set cblabel {}\n", gnuplot_string("|" + spec.color + "|"));
    plot.commands +=
        "set palette defined (0 \"#440154\", 1 \"#3b528b\", 2 \"#21918c\", 3 \"#5ec962\", 4 \"#fde725\")\n";
    if (smallest > 0 && largest / smallest > 100) plot.commands += "set logscale cb\nset format cb \"%g\"\n";
  }
  plot.commands += "set key outside top center horizontal\n";
  plot.commands += "plot " + join_words(series, ", \\\n     ") + "\n";
  plot.data = std::move(data.text);
  return plot;
}

// |amplitude| of each mode, largest first.
std::optional<Plot> amplitude_plot(const FigureSpec& spec, const ResultsFolder& results, const Summary& summary,
                                   std::string& skipped) {
  Plot plot = titled(spec);
  DataFile data;
  std::vector<std::string> series;
  for (const auto& [label, run] : first_runs(spec, summary, plot.note)) {
    const auto values = results.array(*run, spec.array);
    if (!values) continue;
    arma::vec magnitudes = arma::sort(arma::abs(arma::vectorise(*values)), "descend");
    std::vector<std::vector<double>> rows;
    for (arma::uword i = 0; i < magnitudes.n_elem; ++i) rows.push_back({double(i + 1), magnitudes(i)});
    series.push_back(fmt::format("\"{}.dat\" index {} with linespoints pt 7 ps 1.2 {}", spec.name, data.add(rows),
                                 title_clause(label)));
  }
  if (series.empty()) {
    skipped = fmt::format("no run has the array '{}'", spec.array);
    return std::nullopt;
  }
  FigureSpec logged = spec;
  logged.log_y = true;
  plot.commands = header(logged) + axes(logged, "mode (largest |" + spec.array + "| first)", "|" + spec.array + "|");
  plot.commands += "set offsets graph 0.03, graph 0.03, 0, 0\n";
  plot.commands += "plot " + join_words(series, ", \\\n     ") + "\n";
  plot.data = std::move(data.text);
  return plot;
}

// "name" or "name[k]": an array and optionally one column (or row) of it.
struct ArrayPart {
  std::string name;
  std::optional<arma::uword> index;
};
ArrayPart array_part(const std::string& text) {
  static const std::regex indexed(R"(^(.+)\[(\d+)\]$)");
  std::smatch match;
  if (std::regex_match(text, match, indexed)) return {match[1].str(), arma::uword(std::stoul(match[2].str()))};
  return {text, std::nullopt};
}

// Signals over their sample index, or over another array sorted: each array
// (or each column, or row, of a matrix) of the first run of each point; all
// in one plot or a panel per array.
std::optional<Plot> line_plot(const FigureSpec& spec, const ResultsFolder& results, const Summary& summary,
                              std::string& skipped) {
  Plot plot = titled(spec);
  DataFile data;
  const auto runs = first_runs(spec, summary, plot.note);
  // Per panel, its series as (data block, label); a lone series needs no legend.
  std::vector<std::vector<std::pair<std::size_t, std::string>>> panels;
  for (const auto& text : spec.arrays) {
    const ArrayPart part = array_part(text);
    std::vector<std::pair<std::size_t, std::string>> series;
    for (const auto& [label, run] : runs) {
      const auto values = results.array(*run, part.name);
      if (!values) continue;
      const arma::mat real = arma::real(*values);
      const arma::mat signals = spec.rows ? arma::mat(real.t()) : real;  // one signal per column
      // The x values: another array of the run (a column of it), else the sample index.
      std::optional<arma::vec> x;
      if (!spec.x.empty()) {
        const ArrayPart x_part = array_part(spec.x);
        const auto x_values = results.array(*run, x_part.name);
        if (!x_values || x_values->n_rows != signals.n_rows) continue;
        x = arma::vec(arma::real(x_values->col(x_part.index.value_or(0))));
      }
      const arma::uvec order =
          x ? arma::uvec(arma::stable_sort_index(*x)) : arma::regspace<arma::uvec>(0, signals.n_rows - 1);
      for (arma::uword k = 0; k < signals.n_cols; ++k) {
        if (part.index && k != *part.index) continue;
        std::vector<std::vector<double>> rows;
        for (const arma::uword i : order) rows.push_back({x ? (*x)(i) : double(i), signals(i, k)});
        const std::string name = k < spec.names.size()               ? spec.names[k]
                                 : signals.n_cols == 1 || part.index ? text
                                                                     : fmt::format("{}[{}]", part.name, k);
        series.emplace_back(data.add(rows), label.empty() ? name : name + " " + label);
      }
    }
    if (!series.empty()) panels.push_back(std::move(series));
  }
  if (!spec.panels) {
    std::vector<std::pair<std::size_t, std::string>> all;
    for (const auto& panel : panels) all.insert(all.end(), panel.begin(), panel.end());
    panels = all.empty() ? panels : decltype(panels){all};
  }
  if (panels.empty()) {
    skipped = fmt::format("no run has the array(s) {}", join_words(spec.arrays));
    return std::nullopt;
  }
  plot.commands = header(spec) + axes(spec, spec.x.empty() ? "index" : spec.x,
                                      spec.arrays.size() == 1 ? spec.arrays.front() : "value");
  if (panels.size() > 1) {
    // Each panel keeps the height of a small figure; a lone series names its panel's y axis.
    plot.height = std::max(plot.height, int(220 * panels.size() + 100));
    plot.commands += fmt::format("set multiplot layout {},1\n", panels.size());
  }
  for (const auto& panel : panels) {
    // A lone series has no legend (an empty key would still draw its box).
    if (panels.size() > 1 && panel.size() == 1)
      plot.commands += fmt::format("set ylabel {}\n", gnuplot_string(panel.front().second));
    plot.commands += panel.size() == 1 ? "unset key\n" : panels.size() > 1 ? key(spec) : "";
    std::vector<std::string> series;
    for (const auto& [block, label] : panel)
      series.push_back(fmt::format("\"{}.dat\" index {} with lines lw 2 {}", spec.name, block,
                                   title_clause(panel.size() == 1 ? "" : label)));
    plot.commands += "plot " + join_words(series, ", \\\n     ") + "\n";
  }
  if (panels.size() > 1) plot.commands += "unset multiplot\n";
  plot.data = std::move(data.text);
  return plot;
}

bool is_number(const std::string& text) {
  try {
    std::size_t used = 0;
    std::stod(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

std::string param_of(const PointSummary& point, const std::string& key) {
  for (const auto& [name, value] : point.params)
    if (name == key) return value;
  return "";
}

// Point types: filled for kooplab, the open shape of the same kind for the paper.
constexpr int filled_points[] = {7, 5, 9, 11, 13};
constexpr int open_points[] = {6, 4, 8, 10, 12};

// Metrics against a swept key: mean ± std over the seeds, a series per metric
// and per value of `by`, and the paper's values (open marks) where the
// reference has them. A numeric key is the x axis; categories (functions,
// names) go down the y axis, where their labels can be read.
std::optional<Plot> metric_plot(const FigureSpec& spec, const Summary& summary, const Comparison* comparison,
                                std::string& skipped) {
  Plot plot = titled(spec);
  if (std::find(summary.params.begin(), summary.params.end(), spec.x) == summary.params.end()) {
    skipped = fmt::format("'{}' is not swept", spec.x);
    return std::nullopt;
  }
  std::vector<const PointSummary*> points;
  for (const auto& point : summary.points)
    if (point.matches(spec.at)) points.push_back(&point);
  std::vector<std::string> categories;
  bool numeric = true;
  for (const auto* point : points) {
    const std::string x = param_of(*point, spec.x);
    numeric = numeric && is_number(x);
    if (std::find(categories.begin(), categories.end(), x) == categories.end()) categories.push_back(x);
  }
  std::vector<std::string> groups{""};
  if (!spec.by.empty()) {
    groups.clear();
    for (const auto* point : points)
      if (const std::string value = param_of(*point, spec.by);
          std::find(groups.begin(), groups.end(), value) == groups.end())
        groups.push_back(value);
  }
  const std::size_t series_count = spec.y.size() * groups.size();
  // Where a point's value goes along the key's axis; categories are dodged per series.
  // Series are dodged across 30 % of the narrowest gap between values, so
  // equal values stay visible; not on a log axis, where gaps are not shifts.
  double gap = 1.0;
  if (numeric) {
    std::vector<double> values;
    for (const auto& category : categories) values.push_back(std::stod(category));
    std::sort(values.begin(), values.end());
    gap = spec.log_x ? 0.0 : INFINITY;
    for (std::size_t i = 1; i < values.size() && !spec.log_x; ++i) gap = std::min(gap, values[i] - values[i - 1]);
    if (!std::isfinite(gap)) gap = 0.0;
  }
  const auto position = [&](const PointSummary& point, std::size_t series) {
    const std::string x = param_of(point, spec.x);
    const double dodge = series_count > 1 ? 0.3 * gap * (double(series) / double(series_count - 1) - 0.5) : 0.0;
    if (numeric) return std::stod(x) + dodge;
    return double(std::find(categories.begin(), categories.end(), x) - categories.begin()) + dodge;
  };
  const auto columns = [&](double at, double value, double spread) {
    return numeric ? std::vector<double>{at, value, spread} : std::vector<double>{value, at, spread};
  };
  DataFile data;
  std::vector<std::string> series;
  std::size_t index = 0;
  for (const auto& metric : spec.y)
    for (const auto& group : groups) {
      const std::size_t style = index % std::size(filled_points);
      std::vector<std::vector<double>> rows, paper;
      for (const auto* point : points) {
        if (!spec.by.empty() && param_of(*point, spec.by) != group) continue;
        const Statistic s = point->of(metric);
        if (s.count) rows.push_back(columns(position(*point, index), s.mean, std::isfinite(s.std) ? s.std : 0.0));
        if (comparison)
          for (const auto& cell : comparison->cells)
            if (cell.paper && cell.column->metric == metric && !cell.row->at.empty() && point->matches(cell.row->at))
              paper.push_back(columns(position(*point, index), *cell.paper, 0.0));
      }
      std::vector<std::string> label;
      if (spec.y.size() > 1) label.push_back(metric);
      if (!group.empty()) label.push_back(spec.by.substr(spec.by.rfind('.') + 1) + "=" + group);
      const std::string name = join_words(label, " ");
      if (!rows.empty())
        series.push_back(fmt::format("\"{}.dat\" index {} using 1:2:3 with {} pt {} ps 1.5 lw 2 lc {} {}", spec.name,
                                     data.add(rows), numeric ? "yerrorlines" : "xerrorbars", filled_points[style],
                                     index + 1, title_clause(name.empty() ? "kooplab" : name)));
      if (!paper.empty())
        series.push_back(fmt::format("\"{}.dat\" index {} using 1:2 with points pt {} ps 2.4 lw 2 lc {} {}", spec.name,
                                     data.add(paper), open_points[style], index + 1,
                                     title_clause(name.empty() ? "paper" : "paper " + name)));
      ++index;
    }
  if (series.empty()) {
    skipped = fmt::format("no successful run has the metric(s) {}", join_words(spec.y));
    return std::nullopt;
  }
  const std::string value_label = spec.y.size() == 1 ? spec.y.front() : "value";
  if (numeric) {
    plot.commands = header(spec) + axes(spec, spec.x, value_label);
    plot.commands += "set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05\n";
  } else {
    FigureSpec swapped = spec;
    std::swap(swapped.x_label, swapped.y_label);
    std::swap(swapped.log_x, swapped.log_y);
    plot.commands = header(swapped) + axes(swapped, value_label, spec.x);
    // A category shows the label the reference gives its row ("sin(2πx)" for sin(2*pi*x)), if any.
    const auto label_of = [&](const std::string& category) {
      for (const auto* point : points)
        if (param_of(*point, spec.x) == category && comparison)
          for (const auto& cell : comparison->cells)
            if (point->matches(cell.row->at) && std::any_of(cell.row->at.begin(), cell.row->at.end(),
                                                            [&](const auto& at) { return at.first == spec.x; }))
              return cell.row->label;
      return category;
    };
    std::vector<std::string> tics;
    for (std::size_t i = 0; i < categories.size(); ++i)
      tics.push_back(fmt::format("{} {}", gnuplot_string(label_of(categories[i])), i));
    plot.commands +=
        fmt::format("set ytics ({})\nset yrange [{}:-0.5]\n", join_words(tics, ", "), double(categories.size()) - 0.5);
    plot.height = std::max(plot.height, 200 + 40 * int(categories.size()));
    plot.width = 1300;  // room for the labels beside a plot of ordinary width
    plot.commands += "set offsets graph 0.05, graph 0.05, 0, 0\nset ylabel \"\"\n";
  }
  plot.commands += "set key outside top center horizontal\nplot " + join_words(series, ", \\\n     ") + "\n";
  plot.data = std::move(data.text);
  return plot;
}

}  // namespace

std::string gnuplot_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return out + "\"";
}

std::optional<Plot> make_plot(const FigureSpec& spec, const ResultsFolder& results, const Summary& summary,
                              const Comparison* comparison, std::string& skipped) {
  switch (spec.type) {
    case FigureType::eigenvalues:
      return eigenvalue_plot(spec, results, summary, skipped);
    case FigureType::amplitudes:
      return amplitude_plot(spec, results, summary, skipped);
    case FigureType::lines:
      return line_plot(spec, results, summary, skipped);
    case FigureType::metric:
      break;
  }
  return metric_plot(spec, summary, comparison, skipped);
}

}  // namespace kooplab
