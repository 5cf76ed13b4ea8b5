#pragma once
// Numbers in the calibration and goal-seeking reports and messages: `%.*g`
// (six significant digits by default), "nan" for NaN. Internal header.
#include <cmath>
#include <cstdio>
#include <string>

namespace staffsim::calib {

inline std::string num(double v, int digits = 6) {
  if (std::isnan(v)) return "nan";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

}  // namespace staffsim::calib
