// Central Bedfordshire, November 2008 -> November 2009 (issue: first shipped
// scenario). The calibrated supply side must reproduce the two independent
// observations of the NMDS-SC table, 445 leavers and 326 starters in the 12
// months to November 2009 (002:273-275), within 2%; then 2,158 staff
// (002:257) and 179 vacancies (002:270) follow by identity:
//   H(2009) = H(2008) + starters - leavers   (promotions cancel in the total)
//   vacancies_hc(2009) = posts_hc - H(2009) = 2,337 - H(2009).
#include <gtest/gtest.h>

#include <cmath>

#include "staffsim/annual_table.hpp"
#include "staffsim/scenario.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim {
namespace {

constexpr double kOpening = 2277.0;  // 2,158 + 445 - 326
constexpr double kPosts = 2337.0;    // 2,158 + 179

class CentralBedfordshire : public ::testing::Test {
 protected:
  void SetUp() override {
    const Scenario sc = load_scenario(std::string(STAFFSIM_SOURCE_DIR) +
                                      "/scenarios/central_bedfordshire_2009/calibration.yaml");
    results_ = run_scenario(sc);
    const auto rows = annual_rows(results_, Grouping::total);
    ASSERT_EQ(rows.size(), 2u);
    opening_ = rows[0];
    y2009_ = rows[1];
  }
  Results results_;
  AnnualRow opening_;
  AnnualRow y2009_;
};

TEST_F(CentralBedfordshire, OpensWithTheBackCastStockAndPosts) {
  EXPECT_NEAR(opening_.headcount, kOpening, 1e-9 * kOpening);
  EXPECT_NEAR(opening_.posts_hc, kPosts, 1e-9 * kPosts);
  EXPECT_NEAR(opening_.vacancies_hc, kPosts - kOpening, 1e-6);
}

TEST_F(CentralBedfordshire, LeaversAndStartersWithinTwoPercentOfNmds) {
  EXPECT_NEAR(y2009_.leavers, 445.0, 0.02 * 445.0);
  EXPECT_NEAR(y2009_.starters, 326.0, 0.02 * 326.0);
}

TEST_F(CentralBedfordshire, StaffAndVacanciesFollowByIdentity) {
  // The identities hold to rounding...
  EXPECT_NEAR(y2009_.headcount, opening_.headcount + y2009_.starters - y2009_.leavers, 1e-8);
  EXPECT_NEAR(y2009_.vacancies_hc, kPosts - y2009_.headcount, 1e-8);
  // ...so staff and vacancies are as close to 2,158 and 179 as the two flows
  // allow: at most 2% of 445 plus 2% of 326 away.
  const double slack = 0.02 * 445.0 + 0.02 * 326.0;
  EXPECT_NEAR(y2009_.headcount, 2158.0, slack);
  EXPECT_NEAR(y2009_.vacancies_hc, 179.0, slack);
  EXPECT_NEAR(y2009_.turnover_rate, 0.206, 0.01);
  EXPECT_NEAR(y2009_.starter_rate, 0.151, 0.01);
}

TEST_F(CentralBedfordshire, MovesBetweenEmployersAreLeaversAndStartersButNotWastage) {
  const YearResult& y = results_.at_year(2009);
  double same_sector = 0.0;
  for (int rs = 0; rs < results_.dims.n_role_sectors(); ++rs) {
    same_sector += y.flows.leave(rs, Leave::same_sector);
  }
  EXPECT_GT(same_sector, 0.0);
  EXPECT_NEAR(
      y2009_.leavers - y2009_.wastage,
      same_sector +
          [&] {
            double other = 0.0;
            for (int rs = 0; rs < results_.dims.n_role_sectors(); ++rs) {
              other += y.flows.leave(rs, Leave::to_sector) + y.flows.leave(rs, Leave::to_role) +
                       y.flows.leave(rs, Leave::to_role_sector);
            }
            return other;
          }(),
      1e-8);
}

}  // namespace
}  // namespace staffsim
