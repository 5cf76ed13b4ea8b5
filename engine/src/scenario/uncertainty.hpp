#pragma once
// The `uncertainty:` block (DESIGN.md 2.7): entries that each draw a value
// (or one per element) from a distribution and apply it to the parameters a
// path selects, in order, before the scenario is built. Each draw's scenario
// is built from the merged tree by the same builder and validation as the
// file itself, so a sampled value is held to every rule a written one is.
// Internal header.
#include <cstdint>
#include <string>
#include <vector>

#include "staffsim/scenario.hpp"

namespace staffsim {

class ParameterUncertainty {
 public:
  virtual ~ParameterUncertainty() = default;
  // Draw `draw`'s scenario from `base` (whose non-random parts it keeps:
  // file, name, resolved YAML, provenance, warnings).
  [[nodiscard]] virtual ParameterDraw draw(const Scenario& base, std::uint64_t seed,
                                           std::uint64_t draw) const = 0;
  [[nodiscard]] virtual std::vector<std::string> names() const = 0;
  [[nodiscard]] virtual std::uint64_t max_draws() const = 0;
};

}  // namespace staffsim
