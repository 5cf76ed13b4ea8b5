#include "staffsim/results.hpp"

#include <string>

#include "staffsim/errors.hpp"

namespace staffsim {

const YearResult& Results::at_year(int year) const {
  for (const YearResult& y : years) {
    if (y.year == year && y.recorded) return y;
  }
  throw UsageError("no results for year " + std::to_string(year) +
                   (years.empty()
                        ? std::string()
                        : " (the run covers " + std::to_string(years.front().year) + "-" +
                              std::to_string(years.back().year) + " and has reached " +
                              std::to_string(years.front().year + recorded_years() - 1) + ")"));
}

int Results::recorded_years() const {
  int n = 0;
  for (const YearResult& y : years) n += y.recorded ? 1 : 0;
  return n;
}

}  // namespace staffsim
