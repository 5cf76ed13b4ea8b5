#pragma once
// The HDF5 results file (DESIGN.md 4, docs/results-format.md). Internal
// header: write_results() and read_results_file() are the public entries.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "io/hdf5_file.hpp"
#include "io/results_layout.hpp"
#include "io/results_variables.hpp"
#include "staffsim/ensemble.hpp"

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
// The same for an ensemble (a `draw` dimension; docs/results-format.md).
void write_ensemble_hdf5(const EnsembleResults& results, const Scenario& scenario,
                         const std::filesystem::path& path, const WriteOptions& options);

// ---- Parts shared by the two layouts -------------------------------------

void describe(const h5::Node& node, const std::string& units, const std::string& long_name);
void write_root_attributes(const h5::Group& root, const Results& results, const Scenario& sc,
                           const RunIdentity& run);
// Dimension scales with coordinate variables for every dimension of
// results_dimensions(); `dimid` counts netCDF dimension ids on.
[[nodiscard]] std::map<std::string, h5::Dataset> write_dimensions(const h5::Group& root,
                                                                  const Results& results,
                                                                  std::int32_t& dimid);
// Age band limits and tenure band edges.
void write_label_variables(const h5::Group& root, const Results& results,
                           const std::map<std::string, h5::Dataset>& scales);
void write_variable(const h5::Group& group, const std::map<std::string, h5::Dataset>& scales,
                    const Variable& v);
void write_provenance(const h5::Group& root, const Scenario& sc, std::int32_t& dimid);

// Called after each data variable: honours cancellation and the test hook
// STAFFSIM_TEST_PAUSE_WRITER_AFTER.
class WriteCheckpoint {
 public:
  WriteCheckpoint(const h5::File& file, const WriteOptions& options);
  void operator()();

 private:
  const h5::File& file_;
  const WriteOptions& options_;
  int pause_;
  int written_ = -1;  // the first call comes before any variable
};

}  // namespace staffsim::io
