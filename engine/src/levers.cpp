#include "staffsim/levers.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace staffsim {

namespace {
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

constexpr std::array<std::pair<LeverType, const char*>, 11> kLeverNames{{
    {LeverType::retention, "retention"},
    {LeverType::pay, "pay"},
    {LeverType::retirement_shift, "retirement_shift"},
    {LeverType::training_intake, "training_intake"},
    {LeverType::international_recruitment, "international_recruitment"},
    {LeverType::personalisation, "personalisation"},
    {LeverType::intensity, "intensity"},
    {LeverType::prevention, "prevention"},
    {LeverType::productivity, "productivity"},
    {LeverType::outsourcing, "outsourcing"},
    {LeverType::demand_scale, "demand_scale"},
}};
}  // namespace

LeverPath LeverPath::constant(double v) {
  LeverPath p;
  p.shape = PathShape::table;
  p.table = YearPath::constant(v);
  return p;
}

// DESIGN.md 2.5: linear, step (switches after start_year), logistic with
// v = from + (to - from) * (s(k(x - 1/2)) - s(-k/2)) / (s(k/2) - s(-k/2)),
// x = (t - start) / (end - start) clipped to [0, 1]; or a year table.
double LeverPath::at(double year) const {
  for (auto it = replacements.rbegin(); it != replacements.rend(); ++it) {
    if (year > it->first) return it->second;
  }
  switch (shape) {
    case PathShape::table:
      return table.at(year);
    case PathShape::step:
      return year > start_year ? to_value : from_value;
    case PathShape::linear:
    case PathShape::logistic: {
      if (end_year <= start_year) return year > start_year ? to_value : from_value;
      const double x = std::clamp((year - start_year) / (end_year - start_year), 0.0, 1.0);
      if (shape == PathShape::linear) return from_value + (to_value - from_value) * x;
      const double lo = sigmoid(-k / 2.0);
      const double hi = sigmoid(k / 2.0);
      return from_value + (to_value - from_value) * (sigmoid(k * (x - 0.5)) - lo) / (hi - lo);
    }
  }
  return from_value;
}

const char* to_string(LeverType t) {
  for (const auto& [type, name] : kLeverNames) {
    if (type == t) return name;
  }
  return "unknown";
}

std::optional<LeverType> lever_type_from_string(const std::string& s) {
  for (const auto& [type, name] : kLeverNames) {
    if (s == name) return type;
  }
  return std::nullopt;
}

}  // namespace staffsim
