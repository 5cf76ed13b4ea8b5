#pragma once
// Statistics over draws, each computed in draw order so the result does not
// depend on how draws were scheduled. Internal header.
#include <cstdint>
#include <span>
#include <vector>

namespace staffsim::ensemble {

// Running mean and sum of squared deviations (Welford), one per column.
// A NaN in any draw makes that column's mean NaN (a first year's flows).
class RunningMoments {
 public:
  explicit RunningMoments(std::size_t columns) : mean_(columns, 0.0), m2_(columns, 0.0) {}
  // Adds draw number `count_before + 1`'s value of column c.
  void add(std::size_t c, double x, std::uint64_t count_before) {
    const double n = static_cast<double>(count_before + 1);
    const double delta = x - mean_[c];
    mean_[c] += delta / n;
    m2_[c] += delta * (x - mean_[c]);
  }
  [[nodiscard]] double mean(std::size_t c) const { return mean_[c]; }
  // Standard error of the mean after n draws: sd / sqrt(n), sd with n - 1;
  // NaN for one draw.
  [[nodiscard]] double standard_error(std::size_t c, std::uint64_t n) const;

 private:
  std::vector<double> mean_;
  std::vector<double> m2_;
};

// Quantiles of `values` (reordered in place) by Hyndman and Fan's type 7,
// NumPy's default: h = (n - 1) p, Q = x[floor h] + (h - floor h)(x[floor h
// + 1] - x[floor h]) of the sorted values. `levels` increase; any NaN
// among the values makes every quantile NaN.
void quantiles_type7(std::span<float> values, std::span<const double> levels,
                     std::span<double> out);

}  // namespace staffsim::ensemble
