#pragma once
// Writes a run's results to a file. Always to a temporary file in the target
// folder, closed, then renamed: a failed or interrupted run never leaves a
// partial file at the target path and never damages an existing one.
#include <filesystem>
#include <functional>

#include "staffsim/ensemble.hpp"
#include "staffsim/results.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

struct WriteOptions {
  // Polled between variables; when it returns true the writer abandons the
  // file (the temporary file is removed) and throws Interrupted.
  std::function<bool()> cancelled;
};

// The format follows the extension: `.h5`, `.hdf5` or `.nc` write the HDF5
// results file of docs/results-format.md (netCDF-4 compatible); `.csv`
// annual rows by role and sector. Throws UsageError for an unknown
// extension, IoError when writing fails, Interrupted when cancelled.
void write_results(const Results& results, const Scenario& scenario,
                   const std::filesystem::path& target, const WriteOptions& options = {});

// An ensemble's results file (HDF5 only), written the same safe way.
void write_ensemble_results(const EnsembleResults& results, const Scenario& scenario,
                            const std::filesystem::path& target, const WriteOptions& options = {});

}  // namespace staffsim
