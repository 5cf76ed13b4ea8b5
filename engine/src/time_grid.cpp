#include "staffsim/time_grid.hpp"

#include <algorithm>
#include <cstddef>

namespace staffsim {

// Linear in t between labels, held at the first and last value beyond them
// (DESIGN.md 2.1).
double YearPath::at(double year) const {
  if (years.empty()) return 0.0;
  if (year <= years.front()) return values.front();
  if (year >= years.back()) return values.back();
  const auto it = std::upper_bound(years.begin(), years.end(), year);
  const std::size_t hi = static_cast<std::size_t>(it - years.begin());
  const std::size_t lo = hi - 1;
  const double w = (year - years[lo]) / (years[hi] - years[lo]);
  return values[lo] + w * (values[hi] - values[lo]);
}

bool YearPath::extrapolates(double year) const {
  if (years.size() < 2) return false;  // a constant is not an extrapolation
  return year < years.front() || year > years.back();
}

}  // namespace staffsim
