#pragma once
// A figure as gnuplot draws it: the commands and the data they read, built
// from a results folder. Drawing them is gnuplot.hpp's business.
#include <optional>
#include <string>

#include "kooplab/report/comparison.hpp"
#include "kooplab/report/figure_spec.hpp"
#include "kooplab/report/results_folder.hpp"
#include "kooplab/runner/summary.hpp"

namespace kooplab {

struct Plot {
  std::string name, title;
  std::string commands;           // gnuplot commands (no terminal or output), reading "<name>.dat"
  std::string data;               // the content of <name>.dat: blocks separated by two blank lines
  std::string note;               // what was left out, for the reader ("" when nothing)
  int width = 900, height = 650;  // pixels of the PNG; wider and taller for long category lists
};

// `text` as a gnuplot string literal: quoted, with " and \ escaped.
std::string gnuplot_string(const std::string& text);

// The plot of `spec`, or none when no run has what it needs (`skipped` then
// says why). `comparison` (may be null) adds the paper's values to metric figures.
std::optional<Plot> make_plot(const FigureSpec& spec, const ResultsFolder& results, const Summary& summary,
                              const Comparison* comparison, std::string& skipped);

}  // namespace kooplab
