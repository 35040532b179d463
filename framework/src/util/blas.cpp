#include "kooplab/util/blas.hpp"

#include <dlfcn.h>

namespace kooplab {

void set_blas_threads(int threads) {
  using SetThreads = void (*)(int);
  if (auto* set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(threads);
}

}  // namespace kooplab
