#include "staffsim/results.hpp"

#include <algorithm>
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

namespace staffsim {

Eigen::ArrayXXd age_band_profile(const YearResult& year, const Dimensions& dims,
                                 const AgeBands& bands) {
  const auto n_bands = static_cast<Eigen::Index>(bands.ranges.size());
  Eigen::ArrayXXd out = Eigen::ArrayXXd::Zero(year.age_profile.rows(), n_bands);
  for (Eigen::Index b = 0; b < n_bands; ++b) {
    const auto [lo, hi] = bands.ranges[static_cast<std::size_t>(b)];
    for (int age = std::max(lo, dims.min_age); age <= std::min(hi, dims.max_age); ++age) {
      out.col(b) += year.age_profile.col(age - dims.min_age);
    }
  }
  return out;
}

}  // namespace staffsim
