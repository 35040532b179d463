#pragma once
// The thread count of the BLAS library in use.

namespace kooplab {

// Holds OpenBLAS (when it is the BLAS in use) at `threads` threads.
void set_blas_threads(int threads);

}  // namespace kooplab
