#pragma once
// The BLAS library in use and its thread count.
#include <string>

namespace kooplab {

// Holds OpenBLAS (when it is the BLAS in use) at `threads` threads.
void set_blas_threads(int threads);
// The threads the BLAS uses now (1 when it cannot say).
int blas_threads();
// The library that provides dgemm (its resolved file), with OpenBLAS's own
// build description when it is OpenBLAS; "unknown" when none is loaded.
std::string blas_library();

}  // namespace kooplab
