#pragma once
// The `calibration:` block reader (calibration_load.cpp). Internal header.
#include <memory>

#include "scenario/config_tree.hpp"
#include "staffsim/calibration.hpp"

namespace staffsim::config {

// Reads and validates `block` (the merged tree's `calibration:`) against
// `params` (the merged tree without it and without `uncertainty:`) and the
// scenario built from them (`valid`: it built without errors; targets and
// bounds are only checked against a valid scenario). Every problem goes to
// diags; nullptr when there is no block or on errors.
[[nodiscard]] std::shared_ptr<const CalibrationSpec> build_calibration(
    const NodePtr& block, const NodePtr& params, const Scenario& built, bool valid,
    const std::shared_ptr<CsvCache>& cache, Diagnostics& diags);

}  // namespace staffsim::config
