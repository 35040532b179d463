#include "kooplab/koopman/householder_qr.hpp"

#include <algorithm>
#include <cstddef>

#include "kooplab/error.hpp"

extern "C" {
// LAPACK: C ← Qᵀ C with Q from geqrf (the trailing lengths of the two
// character arguments, as gfortran passes them).
void dormqr_(const char* side, const char* trans, const arma::blas_int* m, const arma::blas_int* n,
             const arma::blas_int* k, const double* a, const arma::blas_int* lda, const double* tau, double* c,
             const arma::blas_int* ldc, double* work, const arma::blas_int* lwork, arma::blas_int* info, std::size_t,
             std::size_t);
}

namespace kooplab {

HouseholderQr::HouseholderQr(arma::mat a, const std::string& where)
    : reflectors_(std::move(a)), tau_(reflectors_.n_cols), where_(where) {
  arma::blas_int m = arma::blas_int(reflectors_.n_rows), n = arma::blas_int(reflectors_.n_cols), info = 0, lwork = -1;
  double query = 0.0;
  arma::lapack::geqrf(&m, &n, reflectors_.memptr(), &m, tau_.memptr(), &query, &lwork, &info);
  lwork = std::max<arma::blas_int>(1, arma::blas_int(query));
  arma::vec work(static_cast<arma::uword>(lwork));
  arma::lapack::geqrf(&m, &n, reflectors_.memptr(), &m, tau_.memptr(), work.memptr(), &lwork, &info);
  if (info != 0) throw NumericalError(where + ": Householder QR failed");
}

arma::mat HouseholderQr::r() const { return arma::trimatu(reflectors_.head_rows(reflectors_.n_cols)); }

arma::vec HouseholderQr::qt_times(const arma::vec& b) const {
  arma::vec out = b;
  const arma::blas_int m = arma::blas_int(reflectors_.n_rows), n = 1, k = arma::blas_int(reflectors_.n_cols);
  arma::blas_int info = 0, lwork = -1;
  double query = 0.0;
  dormqr_("L", "T", &m, &n, &k, reflectors_.memptr(), &m, tau_.memptr(), out.memptr(), &m, &query, &lwork, &info, 1, 1);
  lwork = std::max<arma::blas_int>(1, arma::blas_int(query));
  arma::vec work(static_cast<arma::uword>(lwork));
  dormqr_("L", "T", &m, &n, &k, reflectors_.memptr(), &m, tau_.memptr(), out.memptr(), &m, work.memptr(), &lwork, &info,
          1, 1);
  if (info != 0) throw NumericalError(where_ + ": applying the Householder reflections failed");
  return out.head(reflectors_.n_cols);
}

}  // namespace kooplab
