#pragma once
// The HDF5 results file (DESIGN.md 4, docs/results-format.md). Internal
// header: write_results() and read_results_file() are the public entries.
#include <filesystem>

#include "staffsim/results.hpp"
#include "staffsim/results_writer.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim::io {

// Writes the whole file at `path` (a temporary path: the caller renames it)
// and closes it. Test hook: with STAFFSIM_TEST_PAUSE_WRITER_AFTER=N in the
// environment, the writer flushes and sleeps after N data variables (up to a
// minute, or until cancelled), so a test can kill it mid-write.
void write_results_hdf5(const Results& results, const Scenario& scenario,
                        const std::filesystem::path& path, const WriteOptions& options);

}  // namespace staffsim::io
