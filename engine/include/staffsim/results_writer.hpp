#pragma once
// Writes a run's results to a file. Always to a temporary file in the target
// folder, closed, then renamed: a failed or interrupted run never leaves a
// partial file at the target path and never damages an existing one.
#include <filesystem>

#include "staffsim/results.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

// The format follows the extension: `.csv` (annual rows by role and sector).
// Throws UsageError for an unknown extension, IoError when writing fails.
void write_results(const Results& results, const Scenario& scenario,
                   const std::filesystem::path& target);

}  // namespace staffsim
