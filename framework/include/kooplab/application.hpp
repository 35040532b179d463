#pragma once
// Application plugins are experiments: they combine the run's other plugins
// and report metrics and arrays through the RunContext.
#include "kooplab/plugin.hpp"
#include "kooplab/run_context.hpp"

namespace kooplab {

class KOOPLAB_API Application : public Plugin {
 public:
  static constexpr const char* kind = "application";
  virtual void run(RunContext& context) const = 0;
};

}  // namespace kooplab
