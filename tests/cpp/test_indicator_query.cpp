// Indicator queries: the text form, its checks against a scenario, and the
// values read from results, which must be the summary table's own figures.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "staffsim/annual_table.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/indicator_query.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim {
namespace {

const std::string kFolder = std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/";

std::string usage_error(const std::string& text) {
  try {
    (void)parse_indicator_query(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(parsed)";
}

TEST(IndicatorQuery, ParsesAndPrintsCanonically) {
  const IndicatorQuery q =
      parse_indicator_query(" vacancy_rate [ 2025 , role = care_worker|manager, sector=private ] ");
  EXPECT_EQ(q.indicator, "vacancy_rate");
  EXPECT_EQ(q.year, 2025);
  EXPECT_EQ(q.roles, (std::vector<std::string>{"care_worker", "manager"}));
  EXPECT_EQ(q.sectors, (std::vector<std::string>{"private"}));
  EXPECT_EQ(q.text(), "vacancy_rate[2025, role=care_worker|manager, sector=private]");
  EXPECT_EQ(parse_indicator_query(q.text()).text(), q.text());
  EXPECT_EQ(parse_indicator_query("tenure_share[2009, band=0-1]").band, "0-1");
}

TEST(IndicatorQuery, MalformedTextNamesTheRule) {
  EXPECT_NE(usage_error("vacancy_rate").find("expected a name and [year]"), std::string::npos);
  EXPECT_NE(usage_error("vacancy_rate[next]").find("the first item must be the census year"),
            std::string::npos);
  EXPECT_NE(usage_error("leavers[2009, grade=a]").find("unknown key 'grade'"), std::string::npos);
  EXPECT_NE(usage_error("leavers[2009] x").find("text after ']'"), std::string::npos);
  EXPECT_NE(usage_error("[2009]").find("the indicator name is missing"), std::string::npos);
}

TEST(IndicatorQuery, ChecksAgainstTheScenario) {
  const Scenario sc = load_scenario(kFolder + "central_bedfordshire_2009/projection.yaml");
  EXPECT_EQ(check_query(parse_indicator_query("headcount[2015]"), sc), "");
  EXPECT_NE(
      check_query(parse_indicator_query("headcont[2015]"), sc).find("did you mean 'headcount'"),
      std::string::npos);
  EXPECT_NE(check_query(parse_indicator_query("headcount[2040]"), sc).find("outside the run"),
            std::string::npos);
  EXPECT_NE(check_query(parse_indicator_query("leavers[2009]"), sc).find("has none"),
            std::string::npos);
  EXPECT_NE(check_query(parse_indicator_query("headcount[2015, role=nurse]"), sc)
                .find("unknown role 'nurse'"),
            std::string::npos);
  EXPECT_NE(check_query(parse_indicator_query("tenure_share[2015]"), sc).find("needs band="),
            std::string::npos);
  EXPECT_NE(check_query(parse_indicator_query("headcount[2015, band=0-1]"), sc)
                .find("band= applies to the share indicators only"),
            std::string::npos);
}

TEST(IndicatorQuery, ValuesAreTheSummaryTablesFigures) {
  Simulation sim(load_scenario(kFolder + "central_bedfordshire_2009/projection.yaml"));
  sim.run();
  const Results& res = sim.results();
  for (const AnnualRow& row : annual_rows(res, Grouping::sector)) {
    if (row.year == 2009) continue;
    const std::string grouping = ", sector=" + row.group + "]";
    const std::string year = std::to_string(row.year);
    EXPECT_EQ(evaluate(parse_indicator_query("headcount[" + year + grouping), res), row.headcount);
    EXPECT_EQ(evaluate(parse_indicator_query("vacancies[" + year + grouping), res),
              row.vacancies_hc);
    EXPECT_EQ(evaluate(parse_indicator_query("turnover_rate[" + year + grouping), res),
              row.turnover_rate);
    EXPECT_EQ(evaluate(parse_indicator_query("gap[" + year + grouping), res), row.gap_fte);
  }
  const AnnualRow total = annual_rows(res, Grouping::total).back();
  EXPECT_EQ(evaluate(parse_indicator_query("leavers[2025]"), res), total.leavers);
  // Two sectors selected is the sum of each.
  const double both =
      evaluate(parse_indicator_query("starters[2020, sector=local_authority|independent]"), res);
  EXPECT_NEAR(both, evaluate(parse_indicator_query("starters[2020]"), res), 1e-9);
}

TEST(IndicatorQuery, SharesOverBandsSumToOne) {
  Simulation sim(load_scenario(kFolder + "central_bedfordshire_2009/projection.yaml"));
  sim.run_to(2012);
  const Results& res = sim.results();
  double tenure = 0.0;
  for (const char* band : {"0-1", "1-3", "3-5", "5-7", "7-10", "10-20", "20+"}) {
    tenure +=
        evaluate(parse_indicator_query(std::string("tenure_share[2012, band=") + band + "]"), res);
  }
  EXPECT_NEAR(tenure, 1.0, 1e-12);
  double ages = 0.0;
  for (const auto& band : res.age_band_nmds.labels) {
    ages += evaluate(
        parse_indicator_query("age_band_nmds_share[2012, sector=independent, band=" + band + "]"),
        res);
  }
  EXPECT_NEAR(ages, 1.0, 1e-12);
  EXPECT_THROW((void)evaluate(parse_indicator_query("headcount[2015]"), res), UsageError);
}

}  // namespace
}  // namespace staffsim
