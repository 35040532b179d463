#include "kooplab/util/blas.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

namespace kooplab {
namespace {

// A function of the BLAS in use, found by name in the loaded objects.
template <class Function>
Function* blas_function(const char* name) {
  return reinterpret_cast<Function*>(::dlsym(RTLD_DEFAULT, name));
}

}  // namespace

void set_blas_threads(int threads) {
  if (auto* set = blas_function<void(int)>("openblas_set_num_threads")) set(threads);
}

int blas_threads() {
  if (auto* get = blas_function<int()>("openblas_get_num_threads")) return get();
  return 1;
}

std::string blas_library() {
  void* const dgemm = ::dlsym(RTLD_DEFAULT, "dgemm_");
  Dl_info info{};
  if (!dgemm || ::dladdr(dgemm, &info) == 0 || !info.dli_fname) return "unknown";
  std::error_code error;
  const std::filesystem::path file = std::filesystem::canonical(info.dli_fname, error);
  std::string text = error ? std::string(info.dli_fname) : file.string();
  if (auto* config = blas_function<const char*()>("openblas_get_config")) text += std::string(" (") + config() + ")";
  return text;
}

}  // namespace kooplab
