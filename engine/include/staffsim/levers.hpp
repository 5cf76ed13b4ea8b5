#pragma once
// Levers (DESIGN.md 2.5): named instances {type, select, path}. They are the
// only parameters that may change mid-run (Simulation::set_lever).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "staffsim/dimensions.hpp"
#include "staffsim/time_grid.hpp"

namespace staffsim {

enum class PathShape { linear, step, logistic, table };

struct LeverPath {
  PathShape shape = PathShape::linear;
  double start_year = 0;
  double end_year = 0;
  double from_value = 1.0;
  double to_value = 1.0;
  double k = 10.0;  // logistic steepness
  YearPath table;   // shape == table
  // Replacements made by Simulation::set_lever, in time order: for a year
  // after `first`, the value is `second` (the last such replacement wins).
  std::vector<std::pair<double, double>> replacements;

  static LeverPath constant(double v);
  [[nodiscard]] double at(double year) const;
};

enum class LeverType {
  retention,                  // multiplies turnover hazards; factor > 0
  pay,                        // turnover hazard * (1 + pay)^elasticity; fraction > -1
  retirement_shift,           // q_ret(a - shift); years
  training_intake,            // intake per programme; people a year >= 0
  international_recruitment,  // a source's share or cap
  personalisation,
  intensity,
  prevention,
  productivity,
  outsourcing,
  demand_scale,
};

struct Lever {
  std::string name;
  LeverType type = LeverType::retention;
  // Selection; empty means all.
  std::vector<Role> roles;
  std::vector<Sector> sectors;
  std::vector<int> client_groups;  // prevention, personalisation
  std::vector<int> age_groups;     // prevention
  std::vector<int> services;       // intensity, productivity, outsourcing
  // personalisation: the direct-payment service whose share rises to the
  // target, and the services scaled down pro rata to make room.
  int to_service = -1;
  std::vector<int> from_services;
  // outsourcing: the sector that gives up a fraction of its base share of
  // each selected service, and the sectors that take it pro rata to their
  // base shares (equally when those are all zero).
  int from_sector = -1;
  std::vector<int> to_sectors;
  std::string programme;     // training_intake
  std::string source;        // international_recruitment: the source's name
  bool acts_on_cap = false;  // international_recruitment: cap instead of share
  double elasticity = 0.0;   // pay
  LeverPath path;
};

// True when a lever's selection list is empty (it selects all) or holds `index`.
[[nodiscard]] inline bool selects(const std::vector<int>& selection, int index) {
  for (const int i : selection) {
    if (i == index) return true;
  }
  return selection.empty();
}

[[nodiscard]] const char* to_string(LeverType t);
[[nodiscard]] std::optional<LeverType> lever_type_from_string(const std::string& s);

}  // namespace staffsim
