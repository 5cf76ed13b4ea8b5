#pragma once
// Reads a results file (docs/results-format.md) back into the annual Results
// that summary and compare work from. It checks what it opens: a file that is
// missing, truncated or corrupt, is not a staffsim results file, or has a
// format major version this build does not know is an IoError with a message
// that says which (the CLI exits 4).
#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "staffsim/ensemble.hpp"
#include "staffsim/results.hpp"

namespace staffsim {

// The file's root attributes.
struct ResultsFileInfo {
  std::string path;
  std::string format_version;  // "major.minor"
  std::string staffsim_version;
  std::string git_sha;
  std::string created_utc;
  std::string scenario_name;
  std::uint64_t seed = 0;
  int draws = 1;
  bool stochastic = false;
  // An ensemble's file: a `draw` dimension, the core set per draw and every
  // variable's quantiles and mean (docs/results-format.md, "Ensembles").
  bool draws_dimension = false;
  int steps_per_year = 0;
  // Share of the sector the data cover (Scenario::demand.coverage): summary
  // --observed multiplies stocks and flows by it.
  double coverage = 1.0;
};

struct ResultsFile {
  ResultsFileInfo info;
  // Every year in the file, recorded; the first carries stocks only (an
  // ensemble's: the means over its draws). The
  // file keeps age by band, not by single year: `age_profile` of each year
  // is empty and the banded profiles are below.
  Results results;
  std::vector<Eigen::ArrayXXd> age_profile;       // per year: (RS, age_band)
  std::vector<Eigen::ArrayXXd> age_profile_nmds;  // per year: (RS, age_band_nmds)
  // An ensemble's core set per draw (empty for a single run).
  std::vector<DrawVariable> per_draw;
  std::string scenario_yaml;                                      // /provenance/scenario_yaml
  std::vector<std::pair<std::string, std::string>> input_sha256;  // file, hex digest
};

// The major format version this build reads (the minor may be newer).
inline constexpr int kResultsFormatMajor = 1;

[[nodiscard]] ResultsFile read_results_file(const std::filesystem::path& path);

}  // namespace staffsim
