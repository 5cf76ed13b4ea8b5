// The HDF5 results file (DESIGN.md 4): what is written reads back equal to
// the in-memory Results, and equal inputs with SOURCE_DATE_EPOCH give equal
// bytes.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "staffsim/results_reader.hpp"
#include "staffsim/results_writer.hpp"
#include "staffsim/simulation.hpp"
#include "support/cli_runner.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScenario =
    std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/central_bedfordshire_2009/calibration.yaml";

// Exact equality, NaN equal to NaN (the fill value of first-year flows).
void expect_same(const Eigen::ArrayXXd& a, const Eigen::ArrayXXd& b, const std::string& what) {
  ASSERT_EQ(a.rows(), b.rows()) << what;
  ASSERT_EQ(a.cols(), b.cols()) << what;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      const bool same = (std::isnan(a(i, j)) && std::isnan(b(i, j))) || a(i, j) == b(i, j);
      EXPECT_TRUE(same) << what << "(" << i << ", " << j << "): " << a(i, j) << " vs " << b(i, j);
    }
  }
}

void expect_round_trip(const Results& mem, const ResultsFile& file) {
  const Results& got = file.results;
  EXPECT_EQ(got.dims.roles, mem.dims.roles);
  EXPECT_EQ(got.dims.sectors, mem.dims.sectors);
  EXPECT_EQ(got.dims.min_age, mem.dims.min_age);
  EXPECT_EQ(got.dims.max_age, mem.dims.max_age);
  EXPECT_EQ(got.dims.tenure_edges, mem.dims.tenure_edges);
  EXPECT_EQ(got.source_names, mem.source_names);
  EXPECT_EQ(got.programme_names, mem.programme_names);
  EXPECT_EQ(got.client_groups, mem.client_groups);
  EXPECT_EQ(got.age_band.labels, mem.age_band.labels);
  EXPECT_EQ(got.age_band.ranges, mem.age_band.ranges);
  EXPECT_EQ(got.age_band_nmds.labels, mem.age_band_nmds.labels);
  EXPECT_EQ(got.age_band_nmds.ranges, mem.age_band_nmds.ranges);
  EXPECT_EQ(got.price_base_year, mem.price_base_year);
  EXPECT_EQ(got.posts_by_construction, mem.posts_by_construction);
  ASSERT_EQ(got.years.size(), static_cast<std::size_t>(mem.recorded_years()));
  for (std::size_t i = 0; i < got.years.size(); ++i) {
    const YearResult& g = got.years[i];
    const YearResult& m = mem.years[i];
    const std::string y = std::to_string(m.year) + " ";
    EXPECT_EQ(g.year, m.year);
    EXPECT_EQ(g.has_flows, m.has_flows);
    expect_same(g.headcount, m.headcount, y + "headcount");
    expect_same(g.fte, m.fte, y + "fte");
    expect_same(g.posts, m.posts, y + "posts");
    expect_same(g.posts_hc, m.posts_hc, y + "posts_hc");
    expect_same(g.vacancies, m.vacancies, y + "vacancies");
    expect_same(g.tenure_profile, m.tenure_profile, y + "tenure_profile");
    expect_same(g.posts_by_client_group, m.posts_by_client_group, y + "posts_by_client_group");
    expect_same(g.retirement_outlook_5, m.retirement_outlook_5, y + "outlook_5");
    expect_same(g.retirement_outlook_10, m.retirement_outlook_10, y + "outlook_10");
    expect_same(g.flows.leavers, m.flows.leavers, y + "leavers");
    expect_same(g.flows.starters, m.flows.starters, y + "starters");
    expect_same(g.flows.hires_by_source, m.flows.hires_by_source, y + "hires_by_source");
    expect_same(g.unfilled_requests, m.unfilled_requests, y + "unfilled_requests");
    expect_same(g.trainees, m.trainees, y + "trainees");
    expect_same(g.completers, m.completers, y + "completers");
    expect_same(g.pay_bill, m.pay_bill, y + "pay_bill");
    expect_same(g.recruitment_cost, m.recruitment_cost, y + "recruitment_cost");
    expect_same(g.vacancy_cover_cost, m.vacancy_cover_cost, y + "vacancy_cover_cost");
    expect_same(g.training_cost, m.training_cost, y + "training_cost");
    expect_same(file.age_profile[i], age_band_profile(m, mem.dims, mem.age_band), y + "age_band");
    expect_same(file.age_profile_nmds[i], age_band_profile(m, mem.dims, mem.age_band_nmds),
                y + "age_band_nmds");
  }
}

TEST(ResultsFile, RoundTripOfTheCentralBedfordshireRun) {
  const Scenario sc = load_scenario(kScenario);
  const Results mem = run_scenario(sc);
  const TempDir dir;
  const fs::path path = dir.path() / "cb.h5";
  write_results(mem, sc, path);
  const ResultsFile file = read_results_file(path);
  expect_round_trip(mem, file);
  EXPECT_EQ(file.info.scenario_name, sc.name);
  EXPECT_EQ(file.info.format_version, "1.1");
  EXPECT_EQ(file.info.staffsim_version, STAFFSIM_VERSION);
  EXPECT_EQ(file.info.coverage, sc.demand.coverage);
  EXPECT_EQ(file.info.draws, 1);
  EXPECT_FALSE(file.info.stochastic);
  EXPECT_EQ(file.info.steps_per_year, 4);
  EXPECT_EQ(file.scenario_yaml, sc.resolved_yaml);
  EXPECT_EQ(file.input_sha256, sc.input_sha256);
  EXPECT_EQ(dir.files(), std::vector<std::string>{"cb.h5"});  // no temporary file left
}

// Every optional dimension non-empty: sources, a programme, client groups,
// costs, and a path with more years.
TEST(ResultsFile, RoundTripWithProgrammesClientGroupsAndCosts) {
  Scenario sc = blank_scenario(2, 2, 4, 16, 74, 1000.0, 2010, 2014);
  sc.turnover.base.setConstant(0.2);
  add_source_at_age(sc, "local", 10);
  add_source_at_age(sc, "abroad", 15, 20.0);
  for (RecruitmentRule& rule : sc.recruitment) {
    rule.mode = RecruitMode::fill_vacancies;
    rule.fill_rate = 0.5;
    rule.source_shares = Eigen::ArrayXd::Constant(2, 0.5);
  }
  Programme p = make_programme(sc, "nvq", 0, 1, 30.0, 3);
  p.cost_per_trainee_year = 1000.0;
  sc.programmes.push_back(p);
  sc.costs.price_base_year = 2010;
  sc.costs.pay.setConstant(2, 2, 20000.0);
  sc.costs.cost_per_hire.setConstant(2, 2, 3600.0);
  sc.costs.agency_share.setConstant(2, 2, 0.5);
  sc.costs.agency_premium.setConstant(2, 2, 1.5);
  use_need_demand(sc, 2, 1, 1);
  sc.demand.need.age_groups[0].min_age = 65;
  sc.demand.need.age_groups[0].max_age = 200;
  sc.demand.need.age_groups[0].population = year_table({{2010, 10000.0}, {2014, 12000.0}});
  sc.demand.need.prevalence << 0.1, 0.05;
  sc.demand.need.ratio.setConstant(0.5);
  sc.demand.need.provider << 0.5, 0.5;
  const Results mem = run_scenario(sc);
  ASSERT_EQ(mem.client_groups.size(), 2U);
  const TempDir dir;
  const fs::path path = dir.path() / "tiny.nc";
  write_results(mem, sc, path);
  expect_round_trip(mem, read_results_file(path));
}

TEST(ResultsFile, SameInputsAndSourceDateEpochGiveIdenticalBytes) {
  const TempDir dir;
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  const CliResult a = run_cli({"run", kScenario, "-q", "-o", (dir.path() / "a.h5").string()});
  // More than a second apart, so object times (which HDF5 stores in
  // seconds) would differ if tracking were ever switched back on.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const CliResult b = run_cli({"run", kScenario, "-q", "-o", (dir.path() / "b.h5").string()});
  ::unsetenv("SOURCE_DATE_EPOCH");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::string bytes = read_file(dir.path() / "a.h5");
  EXPECT_GT(bytes.size(), 1000U);
  EXPECT_TRUE(bytes == read_file(dir.path() / "b.h5")) << "the two files differ";
  EXPECT_EQ(read_results_file(dir.path() / "a.h5").info.created_utc, "2023-11-14T22:13:20Z");
}

TEST(ResultsFile, AnUnknownExtensionIsAUsageError) {
  const TempDir dir;
  const CliResult r = run_cli({"run", kScenario, "-q", "-o", (dir.path() / "x.parquet").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(".h5"), std::string::npos) << r.err;
  EXPECT_TRUE(dir.files().empty());
}

TEST(ResultsFile, AnInvalidSourceDateEpochIsRefused) {
  const TempDir dir;
  ::setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
  const CliResult r = run_cli({"run", kScenario, "-q", "-o", (dir.path() / "x.h5").string()});
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("SOURCE_DATE_EPOCH"), std::string::npos) << r.err;
  EXPECT_TRUE(dir.files().empty());
}

}  // namespace
}  // namespace staffsim::testing
