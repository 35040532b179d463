// Network `de_solver`: the neural-network DE solver of koopman-training.md,
// Sec. 4 (kooplab/nn/de_solver.hpp): N: t ↦ (N_x, N_p), fully connected with
// the same activation after every hidden layer, whose trial solution solves
// the nonlinear oscillator H = p²/2 + x²/2 + λx⁴/4 from (x0, p0) at t0. Its
// outputs are the ODE residuals at the input times, and the collocation
// dataset's zero targets make the loss mean r_x² + mean r_p². The paper's
// network is the default: 1:10:10:2, sigmoid, PyTorch's initialisation.
// `kooplab plugins de_solver` lists the keys.
#include "kooplab/nn/de_solver.hpp"

#include <algorithm>

namespace {

struct DeSolverOptions {
  std::vector<int> hidden{10, 10};
  kooplab::ActivationKind activation = kooplab::ActivationKind::sigmoid;
  kooplab::Init init = kooplab::Init::pytorch;
  kooplab::Oscillator problem;
};

std::vector<std::unique_ptr<kooplab::Layer>> build(const DeSolverOptions& options) {
  std::vector<std::unique_ptr<kooplab::Layer>> layers;
  arma::uword inputs = 1;
  for (const int size : options.hidden) {
    layers.push_back(std::make_unique<kooplab::Dense>(inputs, arma::uword(size)));
    layers.push_back(std::make_unique<kooplab::Activation>(options.activation, arma::uword(size)));
    inputs = arma::uword(size);
  }
  layers.push_back(std::make_unique<kooplab::Dense>(inputs, 2));
  return layers;
}

class DeSolverNetwork : public kooplab::DeSolver {
 public:
  static const kooplab::Options<DeSolverOptions>& options() {
    static const auto options = [] {
      const auto oscillator =
          kooplab::Options<kooplab::Oscillator>()
              .add("x0", &kooplab::Oscillator::x0, "x at t0")
              .add("p0", &kooplab::Oscillator::p0, "p at t0")
              .add("t0", &kooplab::Oscillator::t0, "start of the trial solution (the first collocation time)")
              .add("nonlinearity", &kooplab::Oscillator::nonlinearity, "λ in H = p²/2 + x²/2 + λx⁴/4");
      return kooplab::Options<DeSolverOptions>()
          .add("hidden", &DeSolverOptions::hidden, "sizes of the hidden layers (input t, output N_x, N_p)",
               kooplab::each_at_least(1))
          .choice("activation", &DeSolverOptions::activation, kooplab::activation_words(), "after each hidden layer")
          .choice("init", &DeSolverOptions::init, kooplab::init_words(), kooplab::init_doc())
          .include(&DeSolverOptions::problem, oscillator);
    }();
    return options;
  }

  explicit DeSolverNetwork(const kooplab::Config& section) : DeSolverNetwork(options().read(section)) {}

 private:
  explicit DeSolverNetwork(const DeSolverOptions& options) : DeSolver(build(options), options.init, options.problem) {}
};

}  // namespace

KOOPLAB_PLUGIN(DeSolverNetwork, kooplab::Network, "de_solver",
               "Neural-network DE solver (Dogra & Redman 2020, Sec. 4): trial solution of the nonlinear oscillator, "
               "ODE-residual outputs")
