// The public entry points of parameter uncertainty; the work is in
// uncertainty.cpp.
#include <cstdint>
#include <limits>

#include "scenario/uncertainty.hpp"
#include "staffsim/errors.hpp"

namespace staffsim {

ParameterDraw draw_scenario(const Scenario& base, std::uint64_t seed, std::uint64_t draw,
                            std::span<const double> given) {
  if (!base.uncertainty) {
    if (!given.empty()) {
      throw UsageError("samples: the scenario has no uncertainty entries to take values for");
    }
    return ParameterDraw{base, {}};
  }
  return base.uncertainty->draw(base, seed, draw, given);
}

std::vector<std::string> uncertain_parameter_names(const Scenario& scenario) {
  return scenario.uncertainty ? scenario.uncertainty->names() : std::vector<std::string>{};
}

std::uint64_t max_draws(const Scenario& scenario) {
  return scenario.uncertainty ? scenario.uncertainty->max_draws()
                              : std::numeric_limits<std::uint64_t>::max();
}

}  // namespace staffsim
