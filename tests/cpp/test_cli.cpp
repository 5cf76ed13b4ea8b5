// The staffsim command end to end: commands, exit codes (DESIGN.md 5), and
// that a failed run writes nothing and leaves an existing file untouched.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "support/cli_runner.hpp"

namespace staffsim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScenario =
    std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/central_bedfordshire_2009/calibration.yaml";

TEST(Cli, RunPrintsTheAnnualTableAndWritesTheResultsFile) {
  const TempDir dir;
  const fs::path out = dir.path() / "cb.csv";
  const CliResult r = run_cli({"run", kScenario, "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("central_bedfordshire_2009_calibration"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2009"), std::string::npos);
  const std::string csv = read_file(out);
  EXPECT_EQ(csv.rfind("year,role,sector,headcount", 0), 0u) << csv.substr(0, 80);
  // One header line, then 2 years x 5 roles x 2 sectors.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 5 * 2);
  // No temporary file is left behind.
  EXPECT_EQ(dir.files(), std::vector<std::string>{"cb.csv"});
}

TEST(Cli, QuietPrintsNothing) {
  const CliResult r = run_cli({"run", kScenario, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Cli, SetOverridesAParameter) {
  const CliResult base = run_cli({"run", kScenario});
  const CliResult longer = run_cli({"run", kScenario, "--set", "time.end_year=2011"});
  ASSERT_EQ(longer.exit_code, 0) << longer.err;
  EXPECT_EQ(base.out.find("\n2011 "), std::string::npos);
  EXPECT_NE(longer.out.find("\n2011 "), std::string::npos) << longer.out;
}

TEST(Cli, ValidateAndShow) {
  const CliResult v = run_cli({"validate", kScenario});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("valid"), std::string::npos);
  const CliResult s = run_cli({"show", kScenario});
  EXPECT_EQ(s.exit_code, 0) << s.err;
  // Every value is annotated with where it came from.
  EXPECT_NE(s.out.find("calibration.yaml:"), std::string::npos) << s.out.substr(0, 400);
  EXPECT_NE(s.out.find("care_worker"), std::string::npos);
}

TEST(Cli, ExitCodes) {
  EXPECT_EQ(run_cli({}).exit_code, 2);
  EXPECT_EQ(run_cli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_cli({"run"}).exit_code, 2);  // missing scenario
  EXPECT_EQ(run_cli({"run", kScenario, "--bogus"}).exit_code, 2);
  EXPECT_EQ(run_cli({"run", "/nonexistent/x.yaml"}).exit_code, 4);
  EXPECT_EQ(
      run_cli({"run", kScenario, "--set", "supply.turnover.base[care_worker,*]=-1"}).exit_code, 3);
  EXPECT_EQ(run_cli({"run", kScenario, "-o", "/nonexistent/folder/out.csv"}).exit_code, 4);
  EXPECT_EQ(run_cli({"--version"}).exit_code, 0);
}

TEST(Cli, InvalidScenarioWritesNothingAndKeepsAnExistingFile) {
  const TempDir dir;
  const fs::path out = dir.write("results.csv", "previous results\n");
  const CliResult r = run_cli({"run", kScenario, "-o", out.string(), "--set",
                               "supply.turnover.base[care_worker,private_sector]=0.2"});
  EXPECT_EQ(r.exit_code, 3);
  // The message names the parameter and the unknown label.
  EXPECT_NE(r.err.find("private_sector"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(out), "previous results\n");
  EXPECT_EQ(dir.files(), std::vector<std::string>{"results.csv"});
}

}  // namespace
}  // namespace staffsim::testing
