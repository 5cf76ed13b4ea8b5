#pragma once
// Time and annual inputs (DESIGN.md 2.1): t is years since the opening census;
// year label Y is the census point t = Y - start_year; step n covers
// (t_n, t_n + dt]. Annual inputs are values at census points, linear in t
// between labels and held beyond them.
#include <vector>

namespace staffsim {

struct TimeGrid {
  int start_year = 2010;
  int end_year = 2025;
  int steps_per_year = 4;  // 1, 2, 4 or 12
  int census_month = 11;   // metadata: NMDS-SC's November census

  [[nodiscard]] double dt() const { return 1.0 / steps_per_year; }
  [[nodiscard]] int n_steps() const { return (end_year - start_year) * steps_per_year; }
  [[nodiscard]] int n_years() const { return end_year - start_year + 1; }  // census points
  // Year (as a real number) at the end of step n, where inputs are evaluated.
  [[nodiscard]] double year_at_step_end(int n) const {
    return start_year + static_cast<double>(n + 1) / steps_per_year;
  }
};

// A value given at year labels, linear between them and held outside.
struct YearPath {
  std::vector<double> years;   // strictly increasing
  std::vector<double> values;  // same length; empty path means "constant 0"

  static YearPath constant(double v) { return YearPath{{0.0}, {v}}; }
  [[nodiscard]] bool empty() const { return years.empty(); }
  [[nodiscard]] double at(double year) const;
  // True when `year` lies outside [first label, last label] (validation warns).
  [[nodiscard]] bool extrapolates(double year) const;
};

}  // namespace staffsim
