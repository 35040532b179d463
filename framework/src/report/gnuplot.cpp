#include "kooplab/report/gnuplot.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

#include "kooplab/util/files.hpp"

extern char** environ;

namespace kooplab {
namespace {

// 900 × 650 pixels is a figure across a page: its 16 pt text stays readable
// when the PNG is shrunk to a column.
std::string terminal(const char* kind, const Plot& plot) {
  return fmt::format("set terminal {} size {},{} font \"DejaVu Sans,16\" noenhanced linewidth 1.5{}", kind, plot.width,
                     plot.height, std::string_view(kind) == "svg" ? " background \"white\"" : "");
}

}  // namespace

std::filesystem::path gnuplot_program() {
  const char* path = std::getenv("PATH");
  std::istringstream folders(path ? path : "");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const std::filesystem::path candidate = std::filesystem::path(folder.empty() ? "." : folder) / "gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::string gnuplot_script(const Plot& plot) {
  // The title is the figure's caption in the report, not part of the picture.
  return fmt::format(
      "# {} — drawn by kooplab report; `gnuplot {}.gp` in this folder draws it again.\n"
      "{}\nset output {}\n{}unset output\n"
      "{}\nset output {}\n{}unset output\n",
      plot.title.empty() ? plot.name : plot.title, plot.name, terminal("pngcairo", plot),
      gnuplot_string(plot.name + ".png"), plot.commands, terminal("svg", plot), gnuplot_string(plot.name + ".svg"),
      plot.commands);
}

std::string draw_plot(const Plot& plot, const std::filesystem::path& target, const std::filesystem::path& gnuplot) {
  const std::filesystem::path folder = std::filesystem::absolute(target);
  std::filesystem::create_directories(folder);
  write_file_atomic(folder / (plot.name + ".dat"), plot.data);
  const std::string script = plot.name + ".gp";
  write_file_atomic(folder / script, gnuplot_script(plot));
  if (gnuplot.empty()) return "";

  // gnuplot runs in the folder, its messages go to a log file read back on failure.
  const std::filesystem::path log = folder / (plot.name + ".log");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const std::string program = gnuplot.string();
  char* const argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(script.c_str()), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return fmt::format("cannot start {}: {}", program, std::strerror(spawned));
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::string messages = std::filesystem::exists(log) ? read_file(log) : "";
  std::filesystem::remove(log);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return messages.empty() ? fmt::format("gnuplot ended with status {}", status) : messages;
}

}  // namespace kooplab
