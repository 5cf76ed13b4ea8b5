// Lever values the supply flows read each step (DESIGN.md 2.5): retention
// and pay multiply turnover hazards, retirement_shift adds, training_intake
// replaces a programme's intake path.
#include <algorithm>
#include <cmath>

#include "model.hpp"

namespace staffsim::detail {

double retention_multiplier(const Model& m, Role r, Sector s, double year) {
  double factor = 1.0;
  for (const Lever& lever : m.sc.levers) {
    if (!selects(lever.roles, r) || !selects(lever.sectors, s)) continue;
    if (lever.type == LeverType::retention) {
      factor *= lever.path.at(year);
    } else if (lever.type == LeverType::pay) {
      factor *= std::pow(1.0 + lever.path.at(year), lever.elasticity);
    }
  }
  return factor;
}

double pay_factor(const Model& m, Role r, Sector s, double year) {
  double factor = 1.0;
  for (const Lever& lever : m.sc.levers) {
    if (lever.type == LeverType::pay && selects(lever.roles, r) && selects(lever.sectors, s)) {
      factor *= 1.0 + lever.path.at(year);
    }
  }
  return factor;
}

double retirement_shift(const Model& m, Role r, double year) {
  double shift = 0.0;
  for (const Lever& lever : m.sc.levers) {
    if (lever.type == LeverType::retirement_shift && selects(lever.roles, r)) {
      shift += lever.path.at(year);
    }
  }
  return shift;
}

double programme_intake(const Model& m, int programme, double year) {
  for (std::size_t i = 0; i < m.sc.levers.size(); ++i) {
    if (m.programme_of_lever[i] == programme) return m.sc.levers[i].path.at(year);
  }
  return m.sc.programmes[static_cast<std::size_t>(programme)].intake.at(year);
}

}  // namespace staffsim::detail
