#pragma once
// Draws plots with gnuplot (Debian package gnuplot-nox), run as a separate
// program: each figure leaves <name>.dat and <name>.gp beside <name>.png and
// <name>.svg, so it can be drawn again or restyled by hand.
#include <filesystem>
#include <string>

#include "kooplab/report/plot.hpp"

namespace kooplab {

// The gnuplot program on PATH; empty when there is none.
std::filesystem::path gnuplot_program();

// The script that draws `plot` into <name>.png and <name>.svg (paths relative
// to the folder it lies in).
std::string gnuplot_script(const Plot& plot);

// Writes the data and script of `plot` into `folder` and, when `gnuplot` is
// not empty, runs it there. Returns what gnuplot printed on failure, "" on success.
std::string draw_plot(const Plot& plot, const std::filesystem::path& folder, const std::filesystem::path& gnuplot);

}  // namespace kooplab
