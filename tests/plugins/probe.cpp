// Application `test_probe`, for the runner's tests: reports a seed-dependent
// metric and array, and can fail on purpose.
//
// application:
//   name: test_probe
//   mode: ok | throw | nan | partial  # nan reports a NaN metric; partial reports
//                                     # `odd` only with an odd seed
//   value: 1.0                 # added to the metric
//   sleep_ms: 0                # how long the run takes
#include <chrono>
#include <thread>

#include "kooplab/application.hpp"
#include "kooplab/error.hpp"

namespace {

class Probe : public kooplab::Application {
 public:
  explicit Probe(const kooplab::Config& section)
      : mode_(section.get_or<std::string>("mode", "ok")),
        value_(section.get_or<double>("value", 1.0)),
        sleep_ms_(section.get_or<int>("sleep_ms", 0)) {
    if (mode_ != "ok" && mode_ != "throw" && mode_ != "nan" && mode_ != "partial")
      section.fail("mode", "expected ok, throw, nan or partial");
  }

  void run(kooplab::RunContext& context) const override {
    std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
    if (mode_ == "throw") throw kooplab::NumericalError("probe failed on purpose");
    const arma::mat draws = context.rng().normal(3, 2);
    context.metric("value", mode_ == "nan" ? std::nan("") : value_ + draws(0, 0));
    if (mode_ == "partial" && context.seed() % 2) context.metric("odd", 1.0);
    context.array("draws", draws);
  }

 private:
  std::string mode_;
  double value_;
  int sleep_ms_;
};

}  // namespace

KOOPLAB_PLUGIN(Probe, kooplab::Application, "test_probe", "Test application: seed-dependent metric, fails on request")
