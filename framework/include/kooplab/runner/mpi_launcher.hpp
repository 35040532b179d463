#pragma once
// `kooplab run --launcher mpi`: the sweep executed by every rank of the MPI job
// this process belongs to (mpirun -n N, srun), each with options.jobs threads
// (default 1). Rank 0 expands and checks the sweep, holds the output folder's
// lock for the whole job, hands pending runs out one at a time as ranks free
// up (longest first when earlier records give durations), runs some itself,
// collects every record and writes the result tables. Every rank commits its
// run folders into the shared output folder with the store's atomic rename,
// so a rank killed mid-run loses only the runs it had in progress, which the
// next invocation redoes. Records and numbers are those of a local run.
#include <iosfwd>

#include "kooplab/runner/runner.hpp"

namespace kooplab {

// On a build without MPI, throws a ConfigError that says so. On ranks other
// than 0 the outcome has no folder: rank 0 alone reports.
RunOutcome run_on_mpi_ranks(const RunnerOptions& options, std::ostream& log);

}  // namespace kooplab
