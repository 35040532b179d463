// Out-of-line members of the plugin interfaces, so their type information
// lives in the framework library that every plugin links.
#include "kooplab/application.hpp"
#include "kooplab/dataset.hpp"
#include "kooplab/error.hpp"
#include "kooplab/estimator.hpp"
#include "kooplab/observable.hpp"

namespace kooplab {

Trajectories Dataset::trajectories(Rng&) const { throw DataError(identity() + " provides no trajectories"); }

LabeledData Dataset::labeled(Rng&) const { throw DataError(identity() + " provides no labelled samples"); }

void Observable::fit(const arma::mat&, Rng&) {}

}  // namespace kooplab
