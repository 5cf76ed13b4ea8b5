// The birthday (DESIGN.md 2.2 step 0): in the first step after each census
// everyone moves up exactly one year of age; those passing max_age leave as
// aged_out. Moves between cells do not change ages; trainees age too (2.4).
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::blank_scenario;

// Age profile summed over (r,s) at a census.
Eigen::ArrayXd total_profile(const YearResult& yr) { return yr.age_profile.colwise().sum(); }

// The closed-cohort expectation y years after the opening census: the opening
// profile moved up y ages; the y oldest ages have passed max_age.
Eigen::ArrayXd shifted(const Eigen::ArrayXd& opening, int y) {
  const auto A = static_cast<int>(opening.size());
  Eigen::ArrayXd out = Eigen::ArrayXd::Zero(A);
  for (int a = y; a < A; ++a) out[a] = opening[a - y];
  return out;
}

class AgeingBySteps : public ::testing::TestWithParam<int> {};

// Closed cohort: no leaving, no hiring; the opening stock is uniform over
// roles, sectors and ages (the blank scenario). Ages 16..74: 59 ages.
TEST_P(AgeingBySteps, ClosedCohortMovesUpOneYearAtEachCensus) {
  const int spy = GetParam();
  Simulation sim(blank_scenario(2, 2, spy, 16, 74, 1000.0, 2010, 2022));
  const YearResult& y0 = sim.results().at_year(2010);
  const Eigen::ArrayXXd opening = y0.age_profile;  // (RS, A)
  const int A = sim.dims().n_ages();
  ASSERT_GT(opening.col(A - 1).sum(), 0.0);
  for (int y = 1; y <= 12; ++y) {
    // Steps of year y: only the first, right after the census, has a birthday.
    for (int m = 0; m < spy; ++m) {
      sim.step();
      const double aged_out = sim.last_step_ledger().leavers.col(int(Leave::aged_out)).sum();
      if (m == 0) {
        EXPECT_NEAR(aged_out, opening.col(A - y).sum(), 1e-12) << "year " << y;
      } else {
        EXPECT_EQ(aged_out, 0.0) << "year " << y << " step " << m;
      }
    }
    const YearResult& yr = sim.results().at_year(2010 + y);
    for (int rs = 0; rs < 4; ++rs) {
      const Eigen::ArrayXd expect = shifted(opening.row(rs).transpose(), y);
      EXPECT_TRUE(yr.age_profile.row(rs).transpose().isApprox(expect, 1e-14)) << "year " << y;
      // The total is kept except for those who passed max_age.
      EXPECT_NEAR(yr.headcount[rs], expect.sum(), 1e-12 * 250.0);
      EXPECT_NEAR(yr.flows.leave(rs, Leave::aged_out), opening(rs, A - y), 1e-12);
    }
  }
}

// Moves only: turnover in every cell (age and tenure factors too) but every
// destination internal (same_sector, to_sector, to_role, to_role_sector), no
// retirement, no exits, no hires, plus a promotion route: people change cell
// and band, never age. The age profile summed over cells at each census
// equals the closed cohort's.
TEST_P(AgeingBySteps, MovesOnlyKeepTheClosedCohortAgeProfile) {
  const int spy = GetParam();
  Scenario sc = blank_scenario(2, 2, spy, 16, 74, 1000.0, 2010, 2020);
  sc.turnover.base << 0.3, 0.2, 0.4, 0.25;
  for (int a = 0; a < sc.dims.n_ages(); ++a) sc.turnover.age_factor(0, a) = 0.5 + 0.02 * a;
  sc.turnover.tenure_factor.row(1) << 2.0, 1.5, 1.0, 0.8;
  // Cells rs = r * 2 + s.
  sc.destinations[0] = {0.0,
                        {{MoveKind::same_sector, 0, 0, 0.4}, {MoveKind::to_sector, 0, 1, 0.6}}};
  sc.destinations[1] = {0.0,
                        {{MoveKind::to_role, 1, 0, 0.5}, {MoveKind::to_role_sector, 1, 0, 0.5}}};
  sc.destinations[2] = {0.0, {{MoveKind::to_role_sector, 0, 1, 1.0}}};
  sc.destinations[3] = {0.0, {{MoveKind::same_sector, 0, 0, 0.7}, {MoveKind::to_role, 0, 0, 0.3}}};
  sc.promotion = {PromotionRoute{"up", 0, 1, 0.3, 1, {}}};
  testing::set_posts(sc, 1, 0, 400.0);
  testing::set_posts(sc, 1, 1, 400.0);
  Simulation sim(std::move(sc));
  const Eigen::ArrayXd opening = total_profile(sim.results().at_year(2010));
  sim.run();
  double moved = 0.0;
  for (int y = 1; y <= 10; ++y) {
    const YearResult& yr = sim.results().at_year(2010 + y);
    const Eigen::ArrayXd expect = shifted(opening, y);
    const Eigen::ArrayXd got = total_profile(yr);
    for (int a = 0; a < expect.size(); ++a) {
      EXPECT_NEAR(got[a], expect[a], 1e-12 * 1000.0) << "year " << y << " age " << a;
    }
    EXPECT_EQ(yr.flows.leavers.col(int(Leave::exit)).sum(), 0.0);
    moved += yr.flows.leavers.col(int(Leave::to_role_sector)).sum() +
             yr.flows.leavers.col(int(Leave::promoted)).sum();
  }
  EXPECT_GT(moved, 10.0);  // the test exercises moves and promotions
}

INSTANTIATE_TEST_SUITE_P(StepsPerYear, AgeingBySteps, ::testing::Values(1, 4, 12));

// Trainees age with the rest: an intake of 40 a year at age index 2 (10 a
// step at dt = 1/4) into a 3-year programme with no attrition. The intake of
// step 0 completes at step 12 (3 / dt steps later), after the birthdays of
// steps 4, 8 and 12: it joins at band 0 at age index 5. Each of steps 12..15
// then adds 10 more at index 5 (their intakes had their own three birthdays).
TEST(Ageing, TraineesAgeInThePipeline) {
  Scenario sc = blank_scenario(1, 1, 4, 16, 74, 0.0, 2010, 2015);
  sc.programmes = {testing::make_programme(sc, "degree", 0, 3, 40.0, 2)};
  sc.programmes[0].in_training = {0.0, 0.0, 0.0};
  Simulation sim(std::move(sc));
  const Dimensions& d = sim.dims();
  sim.step();
  ASSERT_NEAR(sim.pipeline()[0][2], 10.0, 1e-12);  // stage 0, age index 2
  for (int n = 1; n <= 4; ++n) sim.step();         // step 4 holds a birthday
  // After step 4: the intake of step 0 is at stage 4, that of step 3 at
  // stage 1, both one year older (index 3); the intake of step 4 enters stage
  // 0 at index 2 (its age at the coming census).
  EXPECT_NEAR(sim.pipeline()[0][4 * 59 + 3], 10.0, 1e-12);
  EXPECT_NEAR(sim.pipeline()[0][1 * 59 + 3], 10.0, 1e-12);
  EXPECT_NEAR(sim.pipeline()[0][0 * 59 + 2], 10.0, 1e-12);
  EXPECT_NEAR(sim.pipeline()[0].sum(), 50.0, 1e-12);
  while (sim.step_index() < 13) sim.step();
  EXPECT_NEAR(sim.headcount()[static_cast<Eigen::Index>(d.cell(0, 0, 5, 0))], 10.0, 1e-12);
  EXPECT_NEAR(sim.headcount().sum(), 10.0, 1e-12);
  sim.run_to(2014);  // steps 13..15 complete the intakes of steps 1..3
  const YearResult& yr = sim.results().at_year(2014);
  EXPECT_NEAR(yr.age_profile(0, 5), 40.0, 1e-12);
  EXPECT_NEAR(yr.headcount[0], 40.0, 1e-12);
}

// Opening trainees age too: only the last year of the course is filled. Its
// trainees complete in the first year; at the 2011 census all of them are one
// year older than in the opening pipeline.
TEST(Ageing, OpeningTraineesAgeBeforeTheyJoin) {
  Scenario sc = blank_scenario(1, 1, 4, 16, 74, 0.0, 2010, 2012);
  sc.programmes = {testing::make_programme(sc, "degree", 0, 3, 0.0, 2)};
  sc.programmes[0].in_training = {0.0, 0.0, 12.0};
  Simulation sim(std::move(sc));
  const Eigen::ArrayXd& T = sim.pipeline()[0];
  Eigen::ArrayXd by_age = Eigen::ArrayXd::Zero(59);
  for (int j = 0; j < 12; ++j) by_age += T.segment(j * 59, 59);
  ASSERT_NEAR(by_age.sum(), 12.0, 1e-12);
  sim.run_to(2011);
  const YearResult& yr = sim.results().at_year(2011);
  EXPECT_NEAR(yr.headcount[0], 12.0, 1e-12);
  for (int a = 1; a < 59; ++a) EXPECT_NEAR(yr.age_profile(0, a), by_age[a - 1], 1e-12) << a;
  EXPECT_EQ(yr.age_profile(0, 0), 0.0);
}

}  // namespace
}  // namespace staffsim
