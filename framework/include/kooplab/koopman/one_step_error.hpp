#pragma once
// How well a model predicts one step ahead on trajectories.
#include "kooplab/koopman_model.hpp"
#include "kooplab/trajectories.hpp"

namespace kooplab {

// ‖Y − Ŷ‖_F / ‖Y‖_F over the snapshot pairs (x_t, x_{t+1}). A delay model
// (diagnostic `delays` = d) predicts from the window that ends at x_t, so only
// the pairs with d − 1 states of their own trajectory before them count: none
// with a padded past, none with a window across two trajectories.
double one_step_error(const KoopmanModel& model, const Trajectories& data);

}  // namespace kooplab
