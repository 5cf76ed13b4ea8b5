// England adult social care, 2010-2035 (scenarios/england_2025, issue 5):
// every figure the four scenarios must reproduce, one row each, with the
// source line it comes from. Posts are compared in headcount-equivalent
// (posts_hc), the unit of the sources' workforce counts; supply (headcount)
// is reported beside them in scenarios/README.md.
//
// How each figure is reached (scenarios/README.md says the same):
//   - opening headcount 1.6 million: an input (workforce.total), so it holds
//     by construction;
//   - personalisation: PA share 29% in 2025 by tuning the direct-payment
//     share PI of the personalisation levers;
//   - high_growth: posts_hc 2025/2010 = 1.625 by tuning the intensity lever;
//     its PA share is personalisation's by mechanism (the intensity lever
//     acts alike on every service, so shares of posts do not move);
//   - low_growth: posts_hc 2025/2010 = 1.125 by tuning the new-models-of-care
//     intensity, with prevention and productivity assumed.
// The baseline has no target: its growth follows from demography and two
// decisive assumptions, and the figures it reports are pinned below so that
// README and scenario stay in step.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "staffsim/annual_table.hpp"
#include "staffsim/scenario.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim {
namespace {

const std::string kDir = std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/england_2025/";

// One run per scenario file, shared by every row that names it.
const Results& results_of(const std::string& file) {
  static std::map<std::string, Results> cache;
  auto it = cache.find(file);
  if (it == cache.end()) {
    it = cache.emplace(file, run_scenario(load_scenario(kDir + file))).first;
  }
  return it->second;
}

double total_posts_hc(const Results& r, int year) { return r.at_year(year).posts_hc.sum(); }

double role_posts_hc(const Results& r, int year, const std::string& role) {
  const auto idx = r.dims.find_role(role);
  EXPECT_TRUE(idx.has_value()) << role;
  double sum = 0.0;
  for (int s = 0; s < r.dims.n_sectors(); ++s) sum += r.at_year(year).posts_hc(r.dims.rs(*idx, s));
  return sum;
}

// Posts attributed to a client group, in headcount-equivalent: each cell's
// FTE attribution divided by that cell's fte_factor (posts / posts_hc).
double client_group_posts_hc(const Results& r, int year, const std::string& group) {
  int c = -1;
  for (std::size_t i = 0; i < r.client_groups.size(); ++i) {
    if (r.client_groups[i] == group) c = static_cast<int>(i);
  }
  EXPECT_GE(c, 0) << group;
  const YearResult& y = r.at_year(year);
  double sum = 0.0;
  for (int rs = 0; rs < r.dims.n_role_sectors(); ++rs) {
    if (y.posts(rs) > 0.0) sum += y.posts_by_client_group(rs, c) * y.posts_hc(rs) / y.posts(rs);
  }
  return sum;
}

double opening_headcount(const Results& r) {
  return annual_rows(r, Grouping::total).front().headcount;
}

struct Target {
  const char* file;
  const char* variable;  // posts_hc_ratio_2025_2010 | pa_share_2025 | headcount_2010
  double expected;
  double tolerance;
  bool relative;       // tolerance relative to expected, else absolute
  const char* source;  // document:line
  const char* how;     // by construction | tuned | mechanism
};

double measure(const Results& r, const std::string& variable) {
  if (variable == "posts_hc_ratio_2025_2010")
    return total_posts_hc(r, 2025) / total_posts_hc(r, 2010);
  if (variable == "pa_share_2025") {
    return role_posts_hc(r, 2025, "personal_assistant") / total_posts_hc(r, 2025);
  }
  if (variable == "headcount_2010") return opening_headcount(r);
  ADD_FAILURE() << "unknown variable " << variable;
  return std::nan("");
}

const std::vector<Target> kTargets = {
    {"baseline.yaml", "headcount_2010", 1.6e6, 1e-9, true, "004:71", "by construction"},
    {"personalisation.yaml", "headcount_2010", 1.6e6, 1e-9, true, "004:71", "by construction"},
    {"high_growth.yaml", "headcount_2010", 1.6e6, 1e-9, true, "004:71", "by construction"},
    {"low_growth.yaml", "headcount_2010", 1.6e6, 1e-9, true, "004:71", "by construction"},
    {"personalisation.yaml", "pa_share_2025", 0.29, 0.02, false, "003:95, 003:370", "tuned"},
    {"high_growth.yaml", "posts_hc_ratio_2025_2010", 1.625, 0.03, true, "004:71", "tuned"},
    {"high_growth.yaml", "pa_share_2025", 0.29, 0.02, false, "003:95, 003:370", "mechanism"},
    {"low_growth.yaml", "posts_hc_ratio_2025_2010", 1.125, 0.03, true, "004:71", "tuned"},
};

class EnglandTarget : public ::testing::TestWithParam<Target> {};

TEST_P(EnglandTarget, IsReproduced) {
  const Target& t = GetParam();
  SCOPED_TRACE(std::string(t.file) + " " + t.variable + " (" + t.source + ", " + t.how + ")");
  const double got = measure(results_of(t.file), t.variable);
  const double tol = t.relative ? t.tolerance * t.expected : t.tolerance;
  EXPECT_NEAR(got, t.expected, tol);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, EnglandTarget, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& param_info) {
                           std::string name = param_info.param.file;
                           name = name.substr(0, name.find('.')) + "_" + param_info.param.variable;
                           return name;
                         });

// Demand is need-based in every scenario, with no demand_scale lever and no
// index, so no figure above holds by construction except the opening stock.
TEST(EnglandScenarios, PostsComeFromNeedNotFromAnIndex) {
  for (const char* file :
       {"baseline.yaml", "personalisation.yaml", "high_growth.yaml", "low_growth.yaml"}) {
    SCOPED_TRACE(file);
    const Scenario sc = load_scenario(kDir + file);
    EXPECT_EQ(sc.demand.mode, DemandMode::need);
    EXPECT_EQ(sc.time.steps_per_year, 4);
    EXPECT_EQ(sc.time.start_year, 2010);
    EXPECT_EQ(sc.time.end_year, 2035);
    for (const Lever& l : sc.levers) EXPECT_NE(l.type, LeverType::demand_scale) << l.name;
    EXPECT_FALSE(results_of(file).posts_by_construction);
  }
}

// The uniform intensity lever of high_growth scales every cell's posts by
// one factor, so the PA share is personalisation's to rounding: reproduced
// by mechanism, not by a second tuning.
TEST(EnglandScenarios, HighGrowthKeepsPersonalisationsPaShare) {
  EXPECT_NEAR(measure(results_of("high_growth.yaml"), "pa_share_2025"),
              measure(results_of("personalisation.yaml"), "pa_share_2025"), 1e-9);
}

// Reported, not targets (scenarios/README.md prints them with the two
// decisive assumptions: care use per head 5x higher at 85+ than at 65-84,
// and older people 71.8% of posts in 2010). Pinned to 0.001 so a change to
// the assumptions shows here and in the README together.
TEST(EnglandScenarios, BaselineReportsDemographicGrowth) {
  const Results& r = results_of("baseline.yaml");
  EXPECT_NEAR(total_posts_hc(r, 2025) / total_posts_hc(r, 2010), 1.3486, 0.001);
  const double older_2010 = client_group_posts_hc(r, 2010, "older_people");
  EXPECT_NEAR(older_2010 / total_posts_hc(r, 2010), 0.718, 0.001);
  const double older_ratio = client_group_posts_hc(r, 2020, "older_people") / older_2010;
  EXPECT_NEAR(older_ratio, 1.2693, 0.001);
  // 003:226 (Audit Commission, about 2008): staff working with older people
  // "needs to rise by over 25 per cent by 2020". The baseline's rise from
  // 2010 is above that, from a later base year (README discusses it).
  EXPECT_GT(older_ratio, 1.25);
  // The 2010 PA share: 8% of the workforce (003:95 gives 8% in 2006).
  EXPECT_NEAR(role_posts_hc(r, 2010, "personal_assistant") / total_posts_hc(r, 2010), 0.08, 1e-9);
}

// Supply is reported beside posts: every scenario's 2025 headcount stays
// within the vacancy rates of its posts (no scenario runs away from demand).
TEST(EnglandScenarios, SupplyFollowsPosts) {
  for (const char* file :
       {"baseline.yaml", "personalisation.yaml", "high_growth.yaml", "low_growth.yaml"}) {
    SCOPED_TRACE(file);
    const auto rows = annual_rows(results_of(file), Grouping::total);
    for (const AnnualRow& row : rows) {
      EXPECT_GT(row.headcount, 0.9 * row.posts_hc) << row.year;
      EXPECT_LE(row.headcount, row.posts_hc) << row.year;
    }
  }
}

}  // namespace
}  // namespace staffsim
