#pragma once
// The problem list of Scenario::check() (check.cpp, check_demand.cpp): every
// problem in the Diagnostic shape "path = value: rule", without locations,
// since a scenario built in code has none. Internal header.
#include <Eigen/Core>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "staffsim/scenario.hpp"

namespace staffsim::config {

// Shortest round-trip text of a value, for messages.
inline std::string num(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

// Collects problems in the Diagnostic shape (path = value: rule).
struct Problems {
  std::vector<Diagnostic> items;
  void add(std::string path, std::string value, std::string rule) {
    Diagnostic d;
    d.path = std::move(path);
    d.value = std::move(value);
    d.rule = std::move(rule);
    items.push_back(std::move(d));
  }
  // Every element finite and inside [lo, hi] (hi open when hi_open).
  template <typename A>
  void range(const A& a, const std::string& path, double lo, double hi, bool hi_open,
             const char* rule) {
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      const double v = a.data()[i];
      if (!std::isfinite(v) || v < lo || (hi_open ? v >= hi : v > hi)) {
        add(path + "[" + std::to_string(i) + "]", num(v), rule);
        return;  // one message per array is enough
      }
    }
  }
  // Like range, for an (R, S) table, naming the cell.
  void range_rs(const Eigen::ArrayXXd& a, const std::string& path, const Dimensions& d, double lo,
                double hi, bool hi_open, const char* rule) {
    if (a.rows() != d.n_roles() || a.cols() != d.n_sectors()) return;  // shape() reports it
    for (Role r = 0; r < d.n_roles(); ++r) {
      for (Sector s = 0; s < d.n_sectors(); ++s) {
        const double v = a(r, s);
        if (!std::isfinite(v) || v < lo || (hi_open ? v >= hi : v > hi)) {
          add(path + "[" + d.roles[r] + "," + d.sectors[s] + "]", num(v), rule);
        }
      }
    }
  }
  void shape(const std::string& path, Eigen::Index rows, Eigen::Index cols, Eigen::Index want_r,
             Eigen::Index want_c) {
    if (rows != want_r || cols != want_c) {
      add(path, std::to_string(rows) + "x" + std::to_string(cols),
          "expected shape " + std::to_string(want_r) + "x" + std::to_string(want_c));
    }
  }
  void sums_to_one(double sum, const std::string& path) {
    if (std::abs(sum - 1.0) <= 1e-9) return;
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.12g", sum);
    add(path, std::string("sum ") + buf, "shares must sum to 1 (within 1e-9)");
  }
};

// Demand (DESIGN.md 2.3) and the indices of demand levers (check_demand.cpp).
void check_demand(const Scenario& sc, Problems& p);
// Costs (empty or (R, S)) and output settings (check_demand.cpp).
void check_costs_and_outputs(const Scenario& sc, Problems& p);

}  // namespace staffsim::config
