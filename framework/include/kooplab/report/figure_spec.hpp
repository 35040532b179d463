#pragma once
// What a figure shows, as a config's `report.figures` asks for it or as an
// application's default figures describe it:
//
//   - {type: eigenvalues, array: eigenvalues, color: amplitudes}   # complex plane, unit circle
//   - {type: eigenvalues, array: continuous_eigenvalues, continuous: true}   # imaginary axis
//   - {type: eigenvalues, array: eigenvalues, zoom: true}   # axes around the eigenvalues
//   - {type: amplitudes, array: amplitudes}          # |amplitude| per mode, largest first
//   - {type: lines, arrays: [optimizer_loss, koopman_loss], log_y: true, x_label: step}
//   - {type: lines, arrays: ["epochs[1]", "epochs[3]"]}   # columns of a matrix
//   - {type: lines, arrays: [coordinates], rows: true, names: [y1, y2]}   # each row a signal, named
//   - {type: lines, x: test_inputs, arrays: [test_targets, prediction], panels: true}   # over x, a panel per array
//   - {type: metric, x: dataset.rank, y: [eigenvalues_found], by: dataset.integrator, log_x: true}
//
// Every figure takes `name` (file name, default from type and arrays), `title`,
// `x_label`, `y_label`, `log_x`, `log_y`, `legend` (gnuplot's key position,
// e.g. "bottom right"; default "top right"), and `at` (a map of swept keys to
// values: only those parameter points). Per-run figures (eigenvalues,
// amplitudes, lines) draw the first successful run of each parameter point,
// one series per point; metric figures draw mean ± std over the seeds, with
// the paper's values where the reference has them.
#include <string>
#include <utility>
#include <vector>

#include "kooplab/config.hpp"
#include "kooplab/runner/summary.hpp"

namespace kooplab {

enum class FigureType { eigenvalues, amplitudes, lines, metric };

struct FigureSpec {
  FigureType type = FigureType::lines;
  std::string name, title, x_label, y_label;
  std::string legend;  // gnuplot key position ("" = top right)
  bool log_x = false, log_y = false;
  std::vector<std::pair<std::string, std::string>> at;
  std::string array;                // eigenvalues, amplitudes
  std::string color;                // eigenvalues: the array that colours the points
  bool continuous = false;          // eigenvalues of a generator: imaginary axis, not unit circle
  bool zoom = false;                // eigenvalues: axes around the eigenvalues, not the whole circle
  std::vector<std::string> arrays;  // lines: "name" or "name[column]"
  bool rows = false;                // lines: a matrix's rows are the series (else its columns)
  bool panels = false;              // lines: one panel per array
  std::vector<std::string> names;   // lines: names of an array's series (columns or rows), in order
  std::string x;                    // metric: the swept key on the x axis; lines: the array of x values
  std::vector<std::string> y;       // metric: the metrics drawn
  std::string by;                   // metric: a series per value of this swept key
};

// Reads one item of `report.figures`; ConfigError naming the key on a mistake.
FigureSpec read_figure(const Config& item);
// The figures an application shows by default; the swept keys of `summary`
// choose the x axis of its metric figures.
std::vector<FigureSpec> default_figures(const std::string& application, const Summary& summary);

}  // namespace kooplab
