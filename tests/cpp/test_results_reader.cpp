// Readers check the file (DESIGN.md 4, 5): a wrong filetype, an unknown
// major format version, a truncated, corrupt or missing file each give their
// own message, as an IoError from the library and exit code 4 from the CLI.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "io/hdf5_file.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/results_reader.hpp"
#include "support/cli_runner.hpp"

namespace staffsim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScenario =
    std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/central_bedfordshire_2009/calibration.yaml";

// An HDF5 file with only the given root attributes.
void write_root_attributes(const fs::path& path,
                           const std::vector<std::pair<std::string, std::string>>& attributes) {
  io::h5::File file = io::h5::File::create(path);
  for (const auto& [name, value] : attributes) file.root().write_attribute(name, value);
  file.close();
}

// The message of the IoError that reading `path` throws ("" if none).
std::string read_error(const fs::path& path) {
  try {
    (void)read_results_file(path);
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

class ResultsReader : public ::testing::Test {
 protected:
  // Every case is checked through the library and through `staffsim summary`.
  void expect_refused(const fs::path& path, const std::string& message) const {
    const std::string what = read_error(path);
    EXPECT_NE(what.find(message), std::string::npos) << what;
    EXPECT_NE(what.find(path.filename().string()), std::string::npos) << what;
    const CliResult r = run_cli({"summary", path.string()});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    const CliResult c = run_cli({"compare", path.string(), path.string()});
    EXPECT_EQ(c.exit_code, 4) << c.err;
  }
  TempDir dir;
};

TEST_F(ResultsReader, RefusesAWrongFiletype) {
  const fs::path path = dir.path() / "other.h5";
  write_root_attributes(path, {{"filetype", "openmc.statepoint"}, {"format_version", "1.0"}});
  expect_refused(path, "not a staffsim results file (filetype is 'openmc.statepoint'");
}

TEST_F(ResultsReader, RefusesAnHdf5FileWithoutFiletype) {
  const fs::path path = dir.path() / "plain.h5";
  write_root_attributes(path, {{"title", "someone else's data"}});
  expect_refused(path, "not a staffsim results file (it has no 'filetype' attribute)");
}

TEST_F(ResultsReader, RefusesAFutureMajorVersion) {
  const fs::path path = dir.path() / "future.h5";
  write_root_attributes(path, {{"filetype", "staffsim.results"}, {"format_version", "2.0"}});
  expect_refused(path, "results format version 2.0 is not supported");
  EXPECT_NE(read_error(path).find("reads version 1.x (use a newer staffsim)"), std::string::npos)
      << read_error(path);
}

TEST_F(ResultsReader, AcceptsANewerMinorVersionAsFarAsTheIdentity) {
  // 1.7 passes the identity check; the file then lacks the variables.
  const fs::path path = dir.path() / "minor.h5";
  write_root_attributes(path, {{"filetype", "staffsim.results"}, {"format_version", "1.7"}});
  EXPECT_EQ(read_error(path).find("not supported"), std::string::npos);
  EXPECT_NE(read_error(path).find("missing"), std::string::npos) << read_error(path);
}

TEST_F(ResultsReader, RefusesATruncatedFile) {
  const fs::path full = dir.path() / "full.h5";
  ASSERT_EQ(run_cli({"run", kScenario, "-q", "-o", full.string()}).exit_code, 0);
  const std::string bytes = read_file(full);
  const fs::path path = dir.path() / "truncated.h5";
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  expect_refused(path, "truncated");
}

TEST_F(ResultsReader, RefusesAFileThatIsNotHdf5) {
  const fs::path path = dir.write("results.h5", "year,role,sector\n2009,care_worker,private\n");
  expect_refused(path, "not an HDF5 file");
}

TEST_F(ResultsReader, RefusesAMissingFile) {
  expect_refused(dir.path() / "nowhere.h5", "no such file");
}

TEST_F(ResultsReader, ReadsWhatTheCliWrote) {
  const fs::path path = dir.path() / "cb.h5";
  ASSERT_EQ(run_cli({"run", kScenario, "-q", "-o", path.string()}).exit_code, 0);
  const ResultsFile file = read_results_file(path);
  EXPECT_EQ(file.info.scenario_name, "central_bedfordshire_2009_calibration");
  ASSERT_EQ(file.results.years.size(), 2U);
  // The calibration reproduces the November 2009 census: 2,158 staff.
  EXPECT_NEAR(file.results.years[1].headcount.sum(), 2158.0, 0.5);
  EXPECT_FALSE(file.info.git_sha.empty());
}

}  // namespace
}  // namespace staffsim::testing
