#include "kooplab/nn/training.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "kooplab/error.hpp"

namespace kooplab {
namespace {

void check_set(const Network& network, const LabeledSet& set, const char* which) {
  if (set.inputs.n_cols != set.targets.n_cols)
    throw DataError(fmt::format("{} set: {} inputs but {} targets", which, set.inputs.n_cols, set.targets.n_cols));
  if (!set.inputs.is_empty() && set.inputs.n_rows != network.input_size())
    throw DataError(fmt::format("{} set has {} features, {} takes {}", which, set.inputs.n_rows, network.identity(),
                                network.input_size()));
  if (!set.inputs.is_empty() && set.targets.n_rows != network.output_size())
    throw DataError(fmt::format("{} set has {} targets per sample, {} gives {} outputs", which, set.targets.n_rows,
                                network.identity(), network.output_size()));
}

EpochStats measure(Network& network, const LabeledSet& train_set, const LabeledSet& test_set, arma::uword epoch) {
  EpochStats stats;
  stats.epoch = epoch;
  std::tie(stats.train_loss, stats.train_accuracy) = evaluate(network, train_set);
  if (!test_set.inputs.is_empty()) std::tie(stats.test_loss, stats.test_accuracy) = evaluate(network, test_set);
  return stats;
}

void copy_columns(const arma::mat& from, const arma::uword* order, arma::uword count, arma::mat& to) {
  const arma::uword rows = from.n_rows;
  for (arma::uword j = 0; j < count; ++j) std::memcpy(to.colptr(j), from.colptr(order[j]), rows * sizeof(double));
}

}  // namespace

TrainingObserver::~TrainingObserver() = default;

std::pair<double, double> evaluate(Network& network, const LabeledSet& set) {
  const arma::mat outputs = network.forward(set.inputs);
  const double loss = network.loss(outputs, set.targets);
  const double hits = set.labels.is_empty() ? std::numeric_limits<double>::quiet_NaN() : accuracy(outputs, set.labels);
  return {loss, hits};
}

TrainingOutcome train(Network& network, Optimizer& optimizer, const LabeledSet& train_set, const LabeledSet& test_set,
                      const TrainingOptions& options, Rng& rng, const std::vector<TrainingObserver*>& observers) {
  check_set(network, train_set, "train");
  check_set(network, test_set, "test");
  const arma::uword samples = train_set.inputs.n_cols;
  if (samples == 0) throw DataError(fmt::format("{}: the train set is empty", network.identity()));
  const arma::uword batch = options.batch_size == 0 ? samples : std::min(options.batch_size, samples);
  const bool full_batch = batch == samples;
  const arma::uword batches = (samples + batch - 1) / batch;

  const arma::uword planned = options.epochs * batches;
  const arma::uword steps = options.max_steps > 0 ? std::min(planned, options.max_steps) : planned;
  TrainingOutcome outcome;
  // Every observer hears of every event; the first to ask for the stop is named.
  const auto tell = [&](arma::uword epoch, const auto& event) {
    for (auto* observer : observers)
      if (event(*observer) == TrainingDecision::stop && !outcome.stopped)
        outcome.stopped = TrainingStop{observer, outcome.steps, epoch};
  };
  const auto end_epoch = [&](arma::uword epoch) {
    if (options.evaluate) {
      outcome.last = measure(network, train_set, test_set, epoch);
    } else {
      outcome.last = EpochStats{};
      outcome.last.epoch = epoch;
    }
    tell(epoch, [&](TrainingObserver& observer) { return observer.epoch(network, outcome.last); });
  };
  for (auto* observer : observers) observer->begin(network, steps, options.epochs);
  if (options.evaluate) end_epoch(0);

  arma::uvec order = arma::regspace<arma::uvec>(0, samples - 1);
  arma::mat inputs(train_set.inputs.n_rows, full_batch ? 0 : batch);
  arma::mat targets(train_set.targets.n_rows, full_batch ? 0 : batch);
  for (arma::uword epoch = 1; epoch <= options.epochs && outcome.steps < steps && !outcome.stopped; ++epoch) {
    if (options.shuffle && !full_batch)
      for (arma::uword i = samples - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
    for (arma::uword start = 0; start < samples && outcome.steps < steps && !outcome.stopped; start += batch) {
      double loss = 0.0;
      if (full_batch) {
        loss = network.loss_and_gradient(train_set.inputs, train_set.targets);
      } else {
        const arma::uword count = std::min(batch, samples - start);
        copy_columns(train_set.inputs, order.memptr() + start, count, inputs);
        copy_columns(train_set.targets, order.memptr() + start, count, targets);
        // Views of the first `count` columns: no allocation for a short last batch.
        const arma::mat batch_inputs(inputs.memptr(), inputs.n_rows, count, false, true);
        const arma::mat batch_targets(targets.memptr(), targets.n_rows, count, false, true);
        loss = network.loss_and_gradient(batch_inputs, batch_targets);
      }
      optimizer.step(network.parameters(), network.gradient());
      ++outcome.steps;
      tell(epoch, [&](TrainingObserver& observer) { return observer.step(network, outcome.steps, loss); });
    }
    end_epoch(epoch);
  }
  return outcome;
}

// ---- StopVerdict ----

void StopVerdict::begin(const Network& network, arma::uword steps, arma::uword epochs) {
  epoch_.reset();
  rule_.begin(network, steps, epochs);
}

TrainingDecision StopVerdict::step(const Network& network, arma::uword step, double batch_loss) {
  rule_.step(network, step, batch_loss);  // verdicts are taken per epoch
  return TrainingDecision::proceed;
}

TrainingDecision StopVerdict::epoch(const Network& network, const EpochStats& stats) {
  if (rule_.epoch(network, stats) == TrainingDecision::stop && !epoch_) epoch_ = stats.epoch;
  return TrainingDecision::proceed;
}

// ---- ParameterRecorder ----

ParameterRecorder::ParameterRecorder(Unit unit, arma::uword every, std::optional<arma::uvec> indices,
                                     bool single_precision)
    : unit_(unit), every_(every), indices_(std::move(indices)), single_precision_(single_precision) {
  if (every == 0) throw ConfigError("parameter recorder: 'every' must be at least 1");
}

void ParameterRecorder::begin(const Network& network, arma::uword steps, arma::uword epochs) {
  const arma::uword total = network.parameters().n_elem;
  if (indices_ && !indices_->is_empty() && indices_->max() >= total)
    throw DataError(fmt::format("parameter recorder: index {} beyond the {} parameters of {}", indices_->max(), total,
                                network.identity()));
  const arma::uword rows = indices_ ? indices_->n_elem : total;
  const arma::uword records = 1 + (unit_ == Unit::step ? steps : epochs) / every_;
  if (single_precision_)
    values32_.set_size(rows, records);
  else
    values_.set_size(rows, records);
  times_.set_size(records);
  count_ = 0;
  record(network, 0);
}

TrainingDecision ParameterRecorder::step(const Network& network, arma::uword step, double) {
  if (unit_ == Unit::step && step % every_ == 0) record(network, step);
  return TrainingDecision::proceed;
}

TrainingDecision ParameterRecorder::epoch(const Network& network, const EpochStats& stats) {
  if (unit_ == Unit::epoch && stats.epoch > 0 && stats.epoch % every_ == 0) record(network, stats.epoch);
  return TrainingDecision::proceed;
}

void ParameterRecorder::record(const Network& network, arma::uword time) {
  if (count_ == times_.n_elem) return;  // more steps than announced in begin()
  const double* source = network.parameters().memptr();
  const arma::uword rows = single_precision_ ? values32_.n_rows : values_.n_rows;
  const auto entry = [&](arma::uword i) { return indices_ ? source[(*indices_)[i]] : source[i]; };
  if (single_precision_) {
    float* target = values32_.colptr(count_);
    for (arma::uword i = 0; i < rows; ++i) target[i] = float(entry(i));
  } else {
    double* target = values_.colptr(count_);
    for (arma::uword i = 0; i < rows; ++i) target[i] = entry(i);
  }
  times_[count_++] = double(time);
}

arma::mat ParameterRecorder::snapshots() const {
  if (count_ == 0) return {};
  if (single_precision_) return arma::conv_to<arma::mat>::from(values32_.head_cols(count_));
  return values_.head_cols(count_);
}

// ---- LossRecorder ----

void LossRecorder::begin(const Network&, arma::uword steps, arma::uword epochs) {
  step_losses_.set_size(steps);
  steps_ = 0;
  epochs_.clear();
  epochs_.reserve(epochs + 1);
}

TrainingDecision LossRecorder::step(const Network&, arma::uword, double batch_loss) {
  if (steps_ < step_losses_.n_elem) step_losses_[steps_++] = batch_loss;
  return TrainingDecision::proceed;
}

TrainingDecision LossRecorder::epoch(const Network&, const EpochStats& stats) {
  epochs_.push_back(stats);
  return TrainingDecision::proceed;
}

arma::mat LossRecorder::epoch_table() const {
  arma::mat table(epochs_.size(), 5);
  for (std::size_t i = 0; i < epochs_.size(); ++i) {
    const EpochStats& s = epochs_[i];
    table.row(i) = arma::rowvec{double(s.epoch), s.train_loss, s.train_accuracy, s.test_loss, s.test_accuracy};
  }
  return table;
}

void FrozenParameters::begin(const Network&, arma::uword, arma::uword) { restore(); }

TrainingDecision FrozenParameters::step(const Network&, arma::uword, double) {
  restore();
  return TrainingDecision::proceed;
}

}  // namespace kooplab
