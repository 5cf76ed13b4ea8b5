// Stoke-on-Trent adult social care and health, April 2011 (scenarios/
// stoke_on_trent_2011, issue 5 part 3): every figure the scenarios must
// reproduce, one row each, with the source line it comes from (004 is
// shared/sources/004_ee0180ccc3a12cde.txt).
//
// The NMDS-SC figures cover 63% of the city's workforce (004:77), so the
// scenarios hold every count / 0.63 (demand.coverage: 0.63) and the rows
// below compare on the observed basis, x 0.63, as `staffsim summary
// --observed` does.
//
// How each figure is reached (scenarios/README.md says the same):
//   - opening 5,534 (2011) and 5,554 (2010 back-cast): inputs
//     (workforce.total), so they hold by construction;
//   - national_low / national_high: posts_hc 2025 / 2011 = 1.125 / 1.625 is
//     the index itself (demand.mode: index), so it holds by construction and
//     the results say so (posts_by_construction);
//   - flows_2010: the 2010-11 starters and leavers per employer are reached
//     by tuning turnover and fill rate per employer (Newton iteration,
//     values in base.yaml and flows_2010.yaml); the April 2011 stock then
//     follows by identity;
//   - need / need_counts: posts growth to 2016 follows from the demography
//     of 004:308 by mechanism (nothing tuned); the values are pinned so
//     that README and scenarios stay in step.
//
// Sector mapping of the turnover table (004:280-294) to the employers of
// 004:89-91: Private -> private; Voluntary -> voluntary; Statutory ->
// local_authority; Community Health + North Staffs Combined Health -> nhs
// (113 + 57 starters, 82 + 70 leavers); Personal Assistants ("not
// available") -> direct_payment, no target.
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

const std::string kDir = std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/stoke_on_trent_2011/";
constexpr double kCoverage = 0.63;  // 004:77

const Scenario& scenario_of(const std::string& file) {
  static std::map<std::string, Scenario> cache;
  auto it = cache.find(file);
  if (it == cache.end()) it = cache.emplace(file, load_scenario(kDir + file)).first;
  return it->second;
}

// One run per scenario file, shared by every row that names it.
const Results& results_of(const std::string& file) {
  static std::map<std::string, Results> cache;
  auto it = cache.find(file);
  if (it == cache.end()) it = cache.emplace(file, run_scenario(scenario_of(file))).first;
  return it->second;
}

// The row of `group` ("total" or a sector) in `year`, on the observed
// (NMDS-SC) basis: counts x coverage.
AnnualRow observed(const std::string& file, int year, const std::string& group) {
  const Grouping by = group == "total" ? Grouping::total : Grouping::sector;
  const double cov = scenario_of(file).demand.coverage;
  for (AnnualRow row : annual_rows(results_of(file), by)) {
    if (row.year != year || row.group != group) continue;
    row.headcount *= cov;
    row.posts_hc *= cov;
    row.starters *= cov;
    row.leavers *= cov;
    return row;
  }
  ADD_FAILURE() << file << ": no row for " << group << " in " << year;
  return {};
}

struct Target {
  const char* file;
  const char* variable;  // headcount | starters | leavers | posts_hc_ratio (to start_year)
  const char* group;     // "total" or a sector
  int year;
  double expected;
  double tolerance;
  bool relative;       // tolerance relative to expected, else absolute
  const char* source;  // document:line
  const char* how;     // by construction | tuned | by identity | reported (mechanism)
};

double measure(const Target& t) {
  const std::string v = t.variable;
  if (v == "posts_hc_ratio") {
    const int y0 = scenario_of(t.file).time.start_year;
    return observed(t.file, t.year, t.group).posts_hc / observed(t.file, y0, t.group).posts_hc;
  }
  const AnnualRow row = observed(t.file, t.year, t.group);
  if (v == "headcount") return row.headcount;
  if (v == "starters") return row.starters;
  if (v == "leavers") return row.leavers;
  ADD_FAILURE() << "unknown variable " << v;
  return std::nan("");
}

const std::vector<Target> kTargets = {
    // Opening stock, observed basis: 8,784 x 0.63 = 5,534.
    {"base.yaml", "headcount", "total", 2011, 5534, 1e-9, true, "004:85", "by construction"},
    {"national_low.yaml", "headcount", "total", 2011, 5534, 1e-9, true, "004:85",
     "by construction"},
    {"national_high.yaml", "headcount", "total", 2011, 5534, 1e-9, true, "004:85",
     "by construction"},
    {"need.yaml", "headcount", "total", 2011, 5534, 1e-9, true, "004:85", "by construction"},
    {"need_counts.yaml", "headcount", "total", 2011, 5534, 1e-9, true, "004:85", "by construction"},
    // Employers at opening (the stock table meets 004:89-91 exactly).
    {"base.yaml", "headcount", "private", 2011, 2360, 1e-9, true, "004:89", "by construction"},
    {"base.yaml", "headcount", "nhs", 2011, 1613, 1e-9, true, "004:89", "by construction"},
    {"base.yaml", "headcount", "voluntary", 2011, 484, 1e-9, true, "004:89", "by construction"},
    {"base.yaml", "headcount", "local_authority", 2011, 807, 1e-9, true, "004:91",
     "by construction"},
    {"base.yaml", "headcount", "direct_payment", 2011, 270, 1e-9, true, "004:91",
     "by construction"},
    // National growth factors as an index (004:71: 1.8 / 1.6 and 2.6 / 1.6).
    {"national_low.yaml", "posts_hc_ratio", "total", 2025, 1.125, 1e-9, true, "004:71, 004:73",
     "by construction"},
    {"national_high.yaml", "posts_hc_ratio", "total", 2025, 1.625, 1e-9, true, "004:71, 004:73",
     "by construction"},
    // Flows variant: April 2010 back-cast (5,534 + 784 - 764).
    {"flows_2010.yaml", "headcount", "total", 2010, 5554, 1e-9, true, "004:85, 004:278, 004:287",
     "by construction"},
    // 2010-11 starters and leavers per employer within 10% (tuned to 1e-3).
    {"flows_2010.yaml", "starters", "private", 2011, 479, 0.10, true, "004:280", "tuned"},
    {"flows_2010.yaml", "starters", "voluntary", 2011, 91, 0.10, true, "004:281", "tuned"},
    {"flows_2010.yaml", "starters", "local_authority", 2011, 24, 0.10, true, "004:282", "tuned"},
    {"flows_2010.yaml", "starters", "nhs", 2011, 113 + 57, 0.10, true, "004:284-285", "tuned"},
    {"flows_2010.yaml", "leavers", "private", 2011, 373, 0.10, true, "004:289", "tuned"},
    {"flows_2010.yaml", "leavers", "voluntary", 2011, 54, 0.10, true, "004:290", "tuned"},
    {"flows_2010.yaml", "leavers", "local_authority", 2011, 205, 0.10, true, "004:291", "tuned"},
    {"flows_2010.yaml", "leavers", "nhs", 2011, 82 + 70, 0.10, true, "004:293-294", "tuned"},
    // ... and the April 2011 stock follows by identity (opening + starters - leavers).
    {"flows_2010.yaml", "headcount", "total", 2011, 5534, 0.01, true, "004:85", "by identity"},
    {"flows_2010.yaml", "headcount", "local_authority", 2011, 807, 0.01, true, "004:91",
     "by identity"},
    // Need-based growth to 2016 (004:308), reported: pinned to 0.001.
    {"need.yaml", "posts_hc_ratio", "total", 2016, 1.1118, 0.001, false, "004:308",
     "reported (mechanism)"},
    {"need_counts.yaml", "posts_hc_ratio", "total", 2016, 1.0562, 0.001, false, "004:308",
     "reported (mechanism)"},
    // Supply that fills the national posts in 2025, reported (the document's
    // 6,226 and 8,993 are 5,534 x 1.125 and x 1.625, 004:73).
    {"national_low.yaml", "headcount", "total", 2025, 6394, 0.001, true, "004:73",
     "reported (mechanism)"},
    {"national_high.yaml", "headcount", "total", 2025, 9074, 0.001, true, "004:73",
     "reported (mechanism)"},
};

class StokeTarget : public ::testing::TestWithParam<Target> {};

TEST_P(StokeTarget, IsReproduced) {
  const Target& t = GetParam();
  SCOPED_TRACE(std::string(t.file) + " " + t.variable + " " + t.group + " " +
               std::to_string(t.year) + " (" + t.source + ", " + t.how + ")");
  const double got = measure(t);
  const double tol = t.relative ? t.tolerance * t.expected : t.tolerance;
  EXPECT_NEAR(got, t.expected, tol);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, StokeTarget, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& param_info) {
                           const Target& p = param_info.param;
                           std::string name = p.file;
                           name = name.substr(0, name.find('.')) + "_" + p.variable + "_" +
                                  p.group + "_" + std::to_string(p.year);
                           return name;
                         });

// Every scenario: quarterly steps, coverage 63%, and the demand mode the
// README states. Only the index variants carry posts_by_construction.
TEST(StokeScenarios, ModesAndCoverage) {
  const std::map<std::string, DemandMode> modes = {
      {"base.yaml", DemandMode::index},          {"national_low.yaml", DemandMode::index},
      {"national_high.yaml", DemandMode::index}, {"flows_2010.yaml", DemandMode::index},
      {"need.yaml", DemandMode::need},           {"need_counts.yaml", DemandMode::need}};
  for (const auto& [file, mode] : modes) {
    SCOPED_TRACE(file);
    const Scenario& sc = scenario_of(file);
    EXPECT_EQ(sc.demand.mode, mode);
    EXPECT_DOUBLE_EQ(sc.demand.coverage, kCoverage);
    EXPECT_EQ(sc.time.steps_per_year, 4);
    EXPECT_TRUE(sc.warnings.empty());
    EXPECT_TRUE(results_of(file).warnings.empty()) << results_of(file).warnings.front().format();
    EXPECT_EQ(results_of(file).posts_by_construction, mode == DemandMode::index);
  }
}

// The document applies the national factors to the observed count with no
// coverage adjustment (notes 1.2): 5,534 x 1.125 = 6,225.75 -> 6,226 and
// x 1.625 = 8,992.75 -> 8,993. On the observed basis the index posts (in
// headcount-equivalent, which include the assumed 5% opening vacancies)
// are those figures / 0.95.
TEST(StokeScenarios, NationalPostsAreTheDocumentsFiguresPlusVacancies) {
  EXPECT_NEAR(observed("national_low.yaml", 2025, "total").posts_hc * 0.95, 6225.75, 1e-6);
  EXPECT_NEAR(observed("national_high.yaml", 2025, "total").posts_hc * 0.95, 8992.75, 1e-6);
}

// 004:308 gives each rise twice and the two forms disagree; need.yaml
// applies the percentages, need_counts.yaml the counts, to the same 2011
// bases derived from the Census (notes 2). Check the populations say so.
TEST(StokeScenarios, NeedVariantsApplyThePercentagesOrTheCounts) {
  auto pop = [](const std::string& file, const std::string& group, int year) {
    for (const AgeGroup& g : scenario_of(file).demand.need.age_groups) {
      if (g.name == group) return g.population.at(year);
    }
    ADD_FAILURE() << file << ": no age group " << group;
    return std::nan("");
  };
  EXPECT_NEAR(pop("need.yaml", "65-74", 2016) / pop("need.yaml", "65-74", 2011), 1.29, 1e-4);
  EXPECT_NEAR(pop("need.yaml", "85+", 2016) / pop("need.yaml", "85+", 2011), 1.18, 1e-4);
  EXPECT_NEAR(pop("need_counts.yaml", "65-74", 2016) - pop("need_counts.yaml", "65-74", 2011), 3000,
              1e-9);
  EXPECT_NEAR(pop("need_counts.yaml", "85+", 2016) - pop("need_counts.yaml", "85+", 2011), 400,
              1e-9);
  // The inconsistency: the document's own pairs imply bases of 3,000 / 0.29
  // = 10,345 and 400 / 0.18 = 2,222, about half the derived ones.
  EXPECT_GT(pop("need.yaml", "65-74", 2011), 1.9 * 3000 / 0.29);
  EXPECT_GT(pop("need.yaml", "85+", 2011), 2.2 * 400 / 0.18);
}

// Users by main service, 2016 / 2011, from the need tables and the levers
// (users[c,v] = sum_g pop[g] prevalence[c,g] prevention(c,g) mix[c,v]).
double users_growth(const std::string& file, const std::string& service) {
  const Scenario& sc = scenario_of(file);
  const NeedDemand& nd = sc.demand.need;
  int v = -1;
  for (std::size_t i = 0; i < nd.services.size(); ++i) {
    if (nd.services[i] == service) v = static_cast<int>(i);
  }
  EXPECT_GE(v, 0) << service;
  auto users = [&](int year) {
    double sum = 0.0;
    for (int c = 0; c < static_cast<int>(nd.client_groups.size()); ++c) {
      for (int g = 0; g < static_cast<int>(nd.age_groups.size()); ++g) {
        double prevention = 1.0;
        for (const Lever& l : sc.levers) {
          if (l.type == LeverType::prevention && selects(l.client_groups, c) &&
              selects(l.age_groups, g)) {
            prevention *= l.path.at(year);
          }
        }
        sum +=
            nd.age_groups[g].population.at(year) * nd.prevalence(c, g) * prevention * nd.mix(c, v);
      }
    }
    return sum;
  };
  return users(2016) / users(2011);
}

// 004:313-314 (horizon not stated): home care users +18%, day care +19%,
// assessments +17.7%. Demography with 2011 care use per head gives less in
// five years even on the percentages reading: reported, pinned to 0.001,
// and the shortfall asserted (README flags it).
TEST(StokeScenarios, ServiceGrowthFromDemographyIsBelowTheDocuments) {
  EXPECT_NEAR(users_growth("need.yaml", "home_care"), 1.1202, 0.001);
  EXPECT_NEAR(users_growth("need.yaml", "day_care"), 1.0794, 0.001);
  EXPECT_NEAR(users_growth("need.yaml", "assessment"), 1.0978, 0.001);
  EXPECT_NEAR(users_growth("need_counts.yaml", "home_care"), 1.0598, 0.001);
  EXPECT_LT(users_growth("need.yaml", "home_care"), 1.18);
  EXPECT_LT(users_growth("need.yaml", "day_care"), 1.19);
  EXPECT_LT(users_growth("need.yaml", "assessment"), 1.177);
}

// The need variants against the national low index at 2016: 004:73 expects
// local demography "in line with the lower estimate". The counts reading is
// close to it (1.056 vs 1.045); the percentages reading is far above.
TEST(StokeScenarios, NeedAgainstTheLowerEstimate) {
  const double low_2016 = observed("national_low.yaml", 2016, "total").posts_hc /
                          observed("national_low.yaml", 2011, "total").posts_hc;
  EXPECT_NEAR(low_2016, 1.0 + 0.125 * 5.0 / 14.0, 1e-9);  // linear index
  const double need =
      observed("need.yaml", 2016, "total").posts_hc / observed("need.yaml", 2011, "total").posts_hc;
  const double counts = observed("need_counts.yaml", 2016, "total").posts_hc /
                        observed("need_counts.yaml", 2011, "total").posts_hc;
  EXPECT_LT(std::abs(counts - low_2016), 0.02);
  EXPECT_GT(need - low_2016, 0.05);
}

}  // namespace
}  // namespace staffsim
