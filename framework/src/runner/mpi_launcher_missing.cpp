// The MPI launcher of a build made without MPI (the CMake option KOOPLAB_MPI
// found no MPI): `--launcher mpi` stops with a message that says what to do.
#include "kooplab/error.hpp"
#include "kooplab/runner/mpi_launcher.hpp"

namespace kooplab {

RunOutcome run_on_mpi_ranks(const RunnerOptions&, std::ostream&) {
  throw ConfigError(
      "--launcher mpi: this kooplab was built without MPI; install OpenMPI (scripts/install-deps.sh installs "
      "libopenmpi-dev and openmpi-bin) and rebuild, or run with the default --launcher local");
}

}  // namespace kooplab
