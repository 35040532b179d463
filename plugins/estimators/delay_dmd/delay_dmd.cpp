// Estimator `delay_dmd`: time-delay (Hankel) DMD around any estimator. Each
// trajectory is embedded into windows z_t = [x_t; x_{t+1}; …; x_{t+d−1}] (never
// across trajectories), the `inner` estimator fits the windows, and its model
// is mapped back to the state (kooplab::fit_on_delays in
// kooplab/koopman/delay_embedding.hpp: modes, eigenfunctions, amplitudes).
//
// `inner` is an estimator section built through the registry, with its own
// keys, or a plain name: `inner: {name: dmd_rrr, refine: all}`, `inner: dmd`
// (the default). Its amplitudes are replaced by delay_dmd's fit over the first
// trajectory; `order: amplitude` sorts the eigenpairs by those. Keys:
// `kooplab plugins delay_dmd`. Memory: the windows (2·n·d·m) plus the inner
// estimator's memory at state dimension n·d, for m pairs of windows.
#include <optional>

#include "kooplab/estimator.hpp"
#include "kooplab/koopman/amplitudes.hpp"
#include "kooplab/koopman/delay_embedding.hpp"
#include "kooplab/registry.hpp"

namespace {

struct Settings {
  arma::uword delays = 10;
  bool sort_by_amplitude = false;
  std::optional<kooplab::Config> inner;  // absent: {name: dmd}
};

class DelayDmd : public kooplab::Estimator {
 public:
  static const kooplab::Options<Settings>& options() {
    static const auto options =
        kooplab::Options<Settings>()
            .add("delays", &Settings::delays, "d: states per window; each trajectory needs at least d + 1",
                 kooplab::at_least(1))
            .custom({"inner", "estimator section | name", "dmd",
                     "the estimator fitted on the windows, with its own keys: {name: dmd_rrr, refine: all}, or a name"},
                    [](const kooplab::Config& section, Settings& settings) {
                      if (section.has("inner")) settings.inner = section.plugin_section("inner");
                    })
            .choice("order", &Settings::sort_by_amplitude, {{"none", false}, {"amplitude", true}},
                    "sort eigenpairs by their share of the first snapshot");
    return options;
  }

  DelayDmd(const kooplab::Config& section, const kooplab::Registry& registry)
      : settings_(options().read(section)),
        inner_(registry.create<kooplab::Estimator>(
            settings_.inner ? *settings_.inner : kooplab::Config::parse("name: dmd", "delay_dmd's inner"))) {}

  kooplab::KoopmanModel fit(const kooplab::Trajectories& data, kooplab::Observable* observable,
                            kooplab::Rng& rng) const override {
    kooplab::KoopmanModel model = kooplab::fit_on_delays(
        data, settings_.delays,
        [&](const kooplab::Trajectories& windows) { return inner_->fit(windows, observable, rng); }, identity());
    if (settings_.sort_by_amplitude) kooplab::sort_by_amplitude(model);
    return model;
  }

 private:
  const Settings settings_;
  const std::shared_ptr<const kooplab::Estimator> inner_;
};

}  // namespace

KOOPLAB_PLUGIN(DelayDmd, kooplab::Estimator, "delay_dmd",
               "Time-delay (Hankel) DMD: d delays per trajectory, fitted by any inner estimator, modes mapped back to "
               "the state")
