#include "kooplab/report/figure_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "kooplab/util/text.hpp"

namespace kooplab {
namespace {

const std::vector<std::string>& type_names() {
  static const std::vector<std::string> names{"eigenvalues", "amplitudes", "lines", "metric"};
  return names;
}

std::string default_name(const FigureSpec& spec) {
  std::string name = type_names()[std::size_t(spec.type)];
  if (spec.type == FigureType::metric) return "metric_" + join_words(spec.y, "_");
  if (spec.type == FigureType::lines)
    name = join_words(spec.arrays, "_");
  else if (spec.array != name)
    name += "_" + spec.array;
  std::string clean;
  for (const char c : name) clean += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  return clean;
}

FigureSpec lines(std::vector<std::string> arrays, std::string title, std::string x_label, std::string y_label,
                 bool log_y) {
  FigureSpec spec;
  spec.type = FigureType::lines;
  spec.arrays = std::move(arrays);
  spec.title = std::move(title);
  spec.x_label = std::move(x_label);
  spec.y_label = std::move(y_label);
  spec.log_y = log_y;
  return spec;
}

FigureSpec eigenvalues(std::string array, std::string color, bool zoom) {
  FigureSpec spec;
  spec.type = FigureType::eigenvalues;
  spec.array = std::move(array);
  spec.color = std::move(color);
  spec.zoom = zoom;
  spec.title = fmt::format("{} in the complex plane, coloured by |{}|", spec.array, spec.color);
  return spec;
}

FigureSpec named(FigureSpec spec) {
  if (spec.name.empty()) spec.name = default_name(spec);
  return spec;
}

}  // namespace

FigureSpec read_figure(const Config& item) {
  FigureSpec spec;
  const std::string type = item.get<std::string>("type");
  const auto found = std::find(type_names().begin(), type_names().end(), type);
  if (found == type_names().end()) {
    std::string message = fmt::format("unknown figure type '{}'", type);
    if (const auto near = closest_word(type, type_names())) message += fmt::format(" (did you mean '{}'?)", *near);
    item.fail("type", message + "; expected " + join_words(type_names()));
  }
  spec.type = FigureType(found - type_names().begin());
  spec.name = item.get_or<std::string>("name", "");
  // The name becomes file names and is quoted in gnuplot scripts: letters, digits, _ and - only.
  if (!std::all_of(spec.name.begin(), spec.name.end(),
                   [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }))
    item.fail("name", fmt::format("'{}': a figure's name takes letters, digits, _ and - only", spec.name));
  spec.title = item.get_or<std::string>("title", "");
  spec.x_label = item.get_or<std::string>("x_label", "");
  spec.y_label = item.get_or<std::string>("y_label", "");
  spec.legend = item.get_or<std::string>("legend", "");
  static const std::vector<std::string> positions{"top", "bottom", "left", "right", "center", "inside", "outside"};
  std::istringstream words(spec.legend);
  for (std::string word; words >> word;)
    if (std::find(positions.begin(), positions.end(), word) == positions.end())
      item.fail("legend",
                fmt::format("'{}' is no legend position; expected words among {}", word, join_words(positions)));
  spec.log_x = item.get_or<bool>("log_x", false);
  spec.log_y = item.get_or<bool>("log_y", false);
  if (item.has("at")) {
    const Config at = item.child("at");
    for (const auto& key : at.keys()) spec.at.emplace_back(key, at.scalar(key));
  }
  switch (spec.type) {
    case FigureType::eigenvalues:
      spec.array = item.get_or<std::string>("array", "eigenvalues");
      spec.color = item.get_or<std::string>("color", "");
      spec.continuous = item.get_or<bool>("continuous", false);
      spec.zoom = item.get_or<bool>("zoom", false);
      break;
    case FigureType::amplitudes:
      spec.array = item.get_or<std::string>("array", "amplitudes");
      break;
    case FigureType::lines:
      spec.arrays = item.get<std::vector<std::string>>("arrays");
      if (spec.arrays.empty()) item.fail("arrays", "expected at least one array");
      spec.rows = item.get_or<bool>("rows", false);
      spec.panels = item.get_or<bool>("panels", false);
      spec.names = item.get_or<std::vector<std::string>>("names", {});
      spec.x = item.get_or<std::string>("x", "");
      break;
    case FigureType::metric:
      spec.x = item.get<std::string>("x");
      if (!item.has("y")) item.fail("y", "missing: the metric (or list of metrics) to draw");
      spec.y = item.node()["y"].IsScalar() ? std::vector<std::string>{item.scalar("y")}
                                           : item.get<std::vector<std::string>>("y");
      spec.by = item.get_or<std::string>("by", "");
      break;
  }
  return named(std::move(spec));
}

std::vector<FigureSpec> default_figures(const std::string& application, const Summary& summary) {
  std::vector<FigureSpec> figures;
  if (application == "spectrum") {
    figures.push_back(eigenvalues("eigenvalues", "amplitudes", false));
    FigureSpec amplitudes;
    amplitudes.type = FigureType::amplitudes;
    amplitudes.array = "amplitudes";
    amplitudes.title = "mode amplitudes, largest first";
    figures.push_back(amplitudes);
  } else if (application == "train" || application == "spectrum_monitor") {
    figures.push_back(lines({"train_loss", "test_loss"}, "loss per epoch", "epoch", "loss", true));
  } else if (application == "koopman_training") {
    figures.push_back(lines({"optimizer_loss", "koopman_loss"}, "train loss: optimizer against Koopman training",
                            "step after the switch", "train loss", true));
  } else if (application == "koopman_pruning") {
    figures.push_back(lines({"unpruned_epochs[1]", "pruned_epochs[1]"}, "train loss: unpruned against pruned", "epoch",
                            "train loss", true));
    figures.push_back(eigenvalues("eigenvalues", "amplitudes", false));
  } else if (application == "rnn_eigenfunctions") {
    figures.push_back(eigenvalues("estimated_eigenvalues", "residuals", true));
    FigureSpec coordinates = lines({"coordinates"}, "y = Uᵀζ(x) along the first trajectory", "sample", "y", false);
    coordinates.rows = true;
    figures.push_back(coordinates);
  } else if (application == "hsvr_depth" && !summary.params.empty()) {
    FigureSpec depth;
    depth.type = FigureType::metric;
    depth.x = summary.params.front();
    depth.y = {"fft_layers", "dmd_layers"};
    depth.title = "HSVR layers: kooplab (filled) and the paper (open)";
    depth.y_label = "HSVR layers";
    figures.push_back(depth);
  }
  for (auto& figure : figures) figure = named(std::move(figure));
  return figures;
}

}  // namespace kooplab
