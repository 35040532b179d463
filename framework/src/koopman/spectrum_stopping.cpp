#include "kooplab/koopman/spectrum_stopping.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "kooplab/error.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/delay_embedding.hpp"

namespace kooplab {

double share_near_one(const arma::cx_vec& eigenvalues, const arma::vec& importance, double tolerance) {
  const double total = arma::accu(importance);
  if (importance.n_elem != eigenvalues.n_elem || !(total > 0)) return std::numeric_limits<double>::quiet_NaN();
  return arma::accu(importance(arma::find(arma::abs(eigenvalues - 1.0) < tolerance))) / total;
}

arma::vec state_importance(const KoopmanModel& model, const arma::vec& state) {
  return arma::abs(state_amplitudes(model.modes, state)) %
         arma::sqrt(arma::sum(arma::square(arma::abs(model.modes)), 0)).t();
}

const Options<SpectrumStoppingRule>& SpectrumStoppingRule::options() {
  using Observe = SpectrumStoppingRule::Observe;
  static const auto options =
      Options<SpectrumStoppingRule>()
          .choice("observe", &SpectrumStoppingRule::observe, {{"loss", Observe::loss}, {"weights", Observe::weights}},
                  "the train loss in delay coordinates, or the weight vector")
          .add("every", &SpectrumStoppingRule::every, "epochs between fits", at_least(1))
          .add("window", &SpectrumStoppingRule::window, "epochs in a fit; 0: every epoch from 0", at_least(0))
          .add("delays", &SpectrumStoppingRule::delays, "loss: delay coordinates per state", at_least(1))
          .add("tolerance", &SpectrumStoppingRule::tolerance, "|λ − 1| below this counts as at 1", greater_than(0))
          .add("share", &SpectrumStoppingRule::share, "stop when the settled share reaches this", in_range(0, 1))
          .add("patience", &SpectrumStoppingRule::patience, "consecutive fits at or above the share", at_least(1))
          .add("first", &SpectrumStoppingRule::first, "no fit before this epoch", at_least(0));
  return options;
}

SpectrumStopping::SpectrumStopping(SpectrumStoppingRule rule, const Estimator& estimator, Observable* observable,
                                   Rng& rng)
    : rule_(rule), estimator_(estimator), observable_(observable), rng_(rng) {
  // A window of the loss needs two delay states at least (one pair).
  if (rule_.observe == SpectrumStoppingRule::Observe::loss && rule_.window > 0 && rule_.window < rule_.delays)
    throw ConfigError(fmt::format("spectrum stopping: a window of {} epochs holds no pair of {}-delay states",
                                  rule_.window, rule_.delays));
}

void SpectrumStopping::begin(const Network& network, arma::uword, arma::uword epochs) {
  weights_.clear();
  losses_.clear();
  history_.clear();
  streak_ = 0;
  if (rule_.observe == SpectrumStoppingRule::Observe::weights) {
    weights_.reserve(epochs + 1);
    weights_.push_back(network.parameters());
  }
}

arma::mat SpectrumStopping::states(arma::uword from, arma::uword to) const {
  if (rule_.observe == SpectrumStoppingRule::Observe::loss) {
    const arma::rowvec losses(std::vector<double>(losses_.begin() + from, losses_.begin() + to + 1));
    return hankel_windows(losses, rule_.delays);
  }
  arma::mat states(weights_.front().n_elem, to - from + 1);
  for (arma::uword t = from; t <= to; ++t) states.col(t - from) = weights_[t];
  return states;
}

TrainingDecision SpectrumStopping::epoch(const Network& network, const EpochStats& stats) {
  const arma::uword epoch = stats.epoch;
  const bool on_loss = rule_.observe == SpectrumStoppingRule::Observe::loss;
  if (on_loss) {
    losses_.push_back(stats.train_loss);
  } else if (epoch > 0) {
    weights_.push_back(network.parameters());
  }
  const bool enough = rule_.window > 0 ? epoch >= rule_.window : epoch >= (on_loss ? rule_.delays : 1);
  if (epoch == 0 || epoch < rule_.first || epoch % rule_.every != 0 || !enough) return TrainingDecision::proceed;
  if (on_loss && losses_.size() != epoch + 1)
    throw DataError("spectrum stopping on the loss: the training loop does not evaluate every epoch");

  Trajectories data;
  data.runs.push_back(states(rule_.window == 0 ? 0 : epoch - rule_.window, epoch));
  if (!data.runs.front().is_finite()) {  // a diverged run: no spectrum, no stop
    history_.push_back({double(epoch), arma::datum::nan, arma::datum::nan, 0.0});
    streak_ = 0;
    return TrainingDecision::proceed;
  }
  const KoopmanModel model = estimator_.fit(data, observable_, rng_);
  const double share =
      share_near_one(model.eigenvalues, state_importance(model, data.runs.front().tail_cols(1)), rule_.tolerance);
  history_.push_back({double(epoch), share, arma::max(arma::abs(model.eigenvalues)), double(model.rank())});
  streak_ = share >= rule_.share ? streak_ + 1 : 0;
  return streak_ >= rule_.patience ? TrainingDecision::stop : TrainingDecision::proceed;
}

arma::mat SpectrumStopping::history() const {
  arma::mat table(history_.size(), 4);
  for (std::size_t i = 0; i < history_.size(); ++i) table.row(i) = history_[i];
  return table;
}

}  // namespace kooplab
