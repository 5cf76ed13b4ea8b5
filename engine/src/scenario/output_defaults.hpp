#pragma once
// The default output settings (DESIGN.md 2.6, 2.7) for given dimensions, as
// load_scenario fills them when a scenario has no `outputs:`; for scenarios
// built in code, whose Outputs are empty. Internal header.
#include "staffsim/scenario.hpp"

namespace staffsim::config {

// age_band 16-24 ... 65+ and age_band_nmds 18-29 ... 70+, bands wholly
// outside [min_age, max_age] dropped, the first starting at min_age and the
// last ending at max_age; shortfall_threshold 0.10.
[[nodiscard]] Outputs default_outputs(const Dimensions& dims);

}  // namespace staffsim::config
