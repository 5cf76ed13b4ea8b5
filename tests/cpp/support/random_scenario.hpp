#pragma once
// A seeded generator of random but valid programmatic scenarios for the
// invariant tests (DESIGN.md 8): random dimensions, hazards, factors,
// retirement, destination splits of every kind, acyclic promotion routes,
// training programmes (with and without opening pipelines), sources with
// caps, every recruitment mode, posts paths and levers.
#include <cstdint>
#include <random>

#include "staffsim/scenario.hpp"

namespace staffsim::testing {

// Uniform numbers from a std::mt19937_64 without std:: distributions (whose
// output differs between standard libraries), so a seed means the same
// scenario everywhere.
class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int below(int n) { return static_cast<int>(uniform() * n); }  // 0..n-1
  bool chance(double p) { return uniform() < p; }

 private:
  std::mt19937_64 engine_;
};

// Roles 1-4, sectors 1-3, steps_per_year in {1, 2, 4, 12}, 2-5 years.
[[nodiscard]] Scenario random_scenario(std::uint64_t seed);

}  // namespace staffsim::testing
