#include "ensemble/draw_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace staffsim::ensemble {

double RunningMoments::standard_error(std::size_t c, std::uint64_t n) const {
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const double nd = static_cast<double>(n);
  return std::sqrt(std::max(m2_[c], 0.0) / (nd - 1.0) / nd);
}

void quantiles_type7(std::span<float> values, std::span<const double> levels,
                     std::span<double> out) {
  const std::size_t n = values.size();
  const bool any_nan =
      std::any_of(values.begin(), values.end(), [](float x) { return std::isnan(x); });
  if (n == 0 || any_nan) {
    std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
    return;
  }
  // Every draw equal (a deterministic ensemble): nothing to order.
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  if (*lo_it == *hi_it) {
    std::fill(out.begin(), out.end(), static_cast<double>(*lo_it));
    return;
  }
  // Select the order statistics left to right: each nth_element works on
  // what lies right of the previous one, so the whole costs a few passes.
  std::size_t done = 0;  // values[0, done) are <= everything after them and sorted where read
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const double h = static_cast<double>(n - 1) * levels[i];
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    if (lo >= done) {
      std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(done),
                       values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
      done = lo;
    }
    const double x_lo = values[lo];
    double x_hi = x_lo;
    if (lo + 1 < n && frac > 0.0) {
      // The next order statistic is the least value right of lo.
      const auto next =
          std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
      std::iter_swap(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, next);
      x_hi = values[lo + 1];
      done = lo + 1;
    }
    out[i] = x_lo + frac * (x_hi - x_lo);
  }
}

}  // namespace staffsim::ensemble
