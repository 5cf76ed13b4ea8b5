// Step 1 of DESIGN.md 2.2: exits by turnover and retirement hazards.
// Expected values are derived from the DESIGN formulas in the comments:
//   h = base * age_factor[a] * tenure_factor[k] * levers, h_ret = -ln(1 - q[a - shift]),
//   a person leaves in a step with probability 1 - e^{-(h + h_ret) dt}, a share
//   h_ret / (h + h_ret) of leavers retire.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::blank_scenario;
using testing::set_opening_cohort;

constexpr double kH0 = 1000.0;

// One role, one sector, a cohort of 1000 at `age_index`, band `k`; all
// turnover leavers exit; no recruitment.
Scenario cohort_scenario(int spy, int age_index, Band k, double base) {
  Scenario sc = blank_scenario(1, 1, spy, 16, 74, kH0, 2010, 2022);
  set_opening_cohort(sc, 0, 0, age_index, k, kH0);
  sc.turnover.base(0, 0) = base;
  return sc;
}

class ExitsBySteps : public ::testing::TestWithParam<int> {};

// Constant h, no retirement, ages far from max_age (16 + 12 < 74): each step
// keeps e^{-h dt}, so at census y (y / dt steps) H = H0 e^{-h y}.
TEST_P(ExitsBySteps, ConstantHazardDecaysExponentiallyAtCensusPoints) {
  const double h = 0.15;
  Simulation sim(cohort_scenario(GetParam(), 0, 0, h));
  sim.run();
  const Results& res = sim.results();
  ASSERT_EQ(res.recorded_years(), 13);
  for (int y = 0; y <= 12; ++y) {
    const double expected = kH0 * std::exp(-h * y);
    EXPECT_NEAR(res.years[y].headcount[0], expected, 1e-12 * expected) << "year " << y;
    if (y > 0) {
      // Every leaver exits: the year's exit flow is the fall in the stock.
      const double fall = kH0 * (std::exp(-h * (y - 1)) - std::exp(-h * y));
      EXPECT_NEAR(res.years[y].flows.leave(0, Leave::exit), fall, 1e-11 * kH0);
      EXPECT_EQ(res.years[y].flows.leave(0, Leave::retired), 0.0);
    }
  }
}

// Turnover h with fixed_rate hires at rate (1 - e^{-h dt}) / dt a head: each
// step hires exactly the step's leavers H (1 - e^{-h dt}), so the stock stays
// at H0 and the year's leavers per person-year are (1 - e^{-h dt}) / dt (the
// known approximation of 2.2: less than h, e.g. 0.2592 for h = 0.3 at dt = 1).
TEST_P(ExitsBySteps, LeaversPerPersonYearWithReplacementToConstantPosts) {
  const int spy = GetParam();
  const double h = 0.3;
  const double dt = 1.0 / spy;
  const double factor = (1.0 - std::exp(-h * dt)) / dt;
  Scenario sc = cohort_scenario(spy, 0, 0, h);
  testing::add_source_at_age(sc, "school", 0);
  sc.recruitment[0].mode = RecruitMode::fixed_rate;
  sc.recruitment[0].rate = factor;
  Simulation sim(std::move(sc));
  sim.run_to(2011);
  const YearResult& y1 = sim.results().at_year(2011);
  EXPECT_NEAR(y1.headcount[0], kH0, 1e-9 * kH0);
  EXPECT_NEAR(y1.flows.leave(0, Leave::exit) / kH0, factor, 1e-9);
  EXPECT_NEAR(y1.flows.start(0, Start::hire) / kH0, factor, 1e-9);
  EXPECT_LT(factor, h);
}

INSTANTIATE_TEST_SUITE_P(StepsPerYear, ExitsBySteps, ::testing::Values(1, 4, 12));

// Retirement: q rises with age, q[a] = 0.002 a (age index a). The opening
// cohort is at index 40; the first step's birthday moves it to 41, and every
// step of that year uses q[41] = 0.082; the first step after the next census
// uses q[42] = 0.084. Turnover h = 0.1.
TEST(Exits, RetirementHazardAndSplitOfLeavers) {
  Scenario sc = cohort_scenario(4, 40, 3, 0.1);
  for (int a = 0; a < sc.dims.n_ages(); ++a) sc.retirement.q(0, a) = 0.002 * a;
  Simulation sim(std::move(sc));
  const double h = 0.1;
  const double dt = 0.25;
  const double hr41 = -std::log(1.0 - 0.082);
  const double hr42 = -std::log(1.0 - 0.084);

  sim.step();
  const double out0 = kH0 * (1.0 - std::exp(-(h + hr41) * dt));
  const Ledger& l0 = sim.last_step_ledger();
  EXPECT_NEAR(l0.leave(0, Leave::retired), out0 * hr41 / (h + hr41), 1e-12 * kH0);
  EXPECT_NEAR(l0.leave(0, Leave::exit), out0 * h / (h + hr41), 1e-12 * kH0);

  sim.run_to(2011);
  const double h_census = kH0 * std::exp(-4.0 * (h + hr41) * dt);
  EXPECT_NEAR(sim.results().at_year(2011).headcount[0], h_census, 1e-12 * kH0);
  sim.step();  // first step after the census: index 42
  const double out4 = h_census * (1.0 - std::exp(-(h + hr42) * dt));
  EXPECT_NEAR(sim.last_step_ledger().leave(0, Leave::retired), out4 * hr42 / (h + hr42),
              1e-12 * kH0);
  EXPECT_NEAR(sim.last_step_ledger().leave(0, Leave::exit), out4 * h / (h + hr42), 1e-12 * kH0);
}

// Age and tenure factors multiply base: three cohorts, each its own age so
// the age profile after one step separates them (no movers, no hires).
//   A: index 20 -> 21 after the birthday, open band 3: h = 0.1 * 1.5 * 2   = 0.3
//   B: index 30 -> 31, band 0:                          h = 0.1 * 0.5 * 3   = 0.15
//   C: index 40 -> 41, band 1, factors 1:               h = 0.1
// Each keeps e^{-h dt} of itself in the step (progression only moves bands).
TEST(Exits, AgeAndTenureFactorsMultiply) {
  Scenario sc = blank_scenario(1, 1, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 20, 3))] = 500.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 30, 0))] = 300.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 40, 1))] = 200.0;
  testing::set_opening_stock(sc, H);
  sc.turnover.base(0, 0) = 0.1;
  sc.turnover.age_factor(0, 21) = 1.5;
  sc.turnover.age_factor(0, 31) = 0.5;
  sc.turnover.tenure_factor(0, 3) = 2.0;
  sc.turnover.tenure_factor(0, 0) = 3.0;
  Simulation sim(std::move(sc));
  sim.step();
  const Eigen::ArrayXd by_age = testing::headcount_by_age(sim.dims(), sim.headcount());
  EXPECT_NEAR(by_age[21], 500.0 * std::exp(-0.3 * 0.25), 1e-12 * 500.0);
  EXPECT_NEAR(by_age[31], 300.0 * std::exp(-0.15 * 0.25), 1e-12 * 300.0);
  EXPECT_NEAR(by_age[41], 200.0 * std::exp(-0.1 * 0.25), 1e-12 * 200.0);
  EXPECT_NEAR(by_age.sum(), by_age[21] + by_age[31] + by_age[41], 1e-12);
}

// retention (0.8) and pay (+10%, elasticity -1.5) select role 0 only:
// h0 = 0.2 * 0.8 * 1.1^-1.5; role 1 keeps h1 = 0.2.
TEST(Exits, RetentionAndPayLeversMultiplyTheHazardOfTheirSelection) {
  Scenario sc = blank_scenario(2, 1, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 30, 3))] = kH0;
  H[static_cast<Eigen::Index>(sc.dims.cell(1, 0, 30, 3))] = kH0;
  testing::set_opening_stock(sc, H);
  sc.turnover.base.setConstant(0.2);
  Lever retention = testing::constant_lever("keep", LeverType::retention, 0.8);
  retention.roles = {0};
  Lever pay = testing::constant_lever("pay", LeverType::pay, 0.1);
  pay.roles = {0};
  pay.elasticity = -1.5;
  sc.levers = {retention, pay};
  Simulation sim(std::move(sc));
  sim.step();
  const double h0 = 0.2 * 0.8 * std::pow(1.1, -1.5);
  const Ledger& l = sim.last_step_ledger();
  EXPECT_NEAR(l.leave(0, Leave::exit), kH0 * (1.0 - std::exp(-h0 * 0.25)), 1e-12 * kH0);
  EXPECT_NEAR(l.leave(1, Leave::exit), kH0 * (1.0 - std::exp(-0.2 * 0.25)), 1e-12 * kH0);
}

// Levers are evaluated at t_n + dt (DESIGN.md 2.1): retention falling
// linearly from 1 (2010) to 0 (2011) is 0.75 at 2010.25, the end of step 0,
// and 0.5 at the end of step 1.
TEST(Exits, LeverPathIsEvaluatedAtTheEndOfTheStep) {
  Scenario sc = cohort_scenario(4, 30, 3, 0.2);
  Lever retention;
  retention.name = "ramp";
  retention.type = LeverType::retention;
  retention.path.shape = PathShape::linear;
  retention.path.start_year = 2010;
  retention.path.end_year = 2011;
  retention.path.from_value = 1.0;
  retention.path.to_value = 0.0;
  sc.levers = {retention};
  Simulation sim(std::move(sc));
  sim.step();
  const double h0 = 0.2 * 0.75;
  EXPECT_NEAR(sim.last_step_ledger().leave(0, Leave::exit), kH0 * (1.0 - std::exp(-h0 * 0.25)),
              1e-12 * kH0);
  sim.step();
  const double h1 = 0.2 * 0.5;
  EXPECT_NEAR(sim.last_step_ledger().leave(0, Leave::exit),
              kH0 * std::exp(-h0 * 0.25) * (1.0 - std::exp(-h1 * 0.25)), 1e-12 * kH0);
}

// retirement_shift 2.5: the cohort at index 41 (after the birthday) retires
// at q(41 - 2.5) = q(38.5), interpolated between q[38] and q[39] with
// q[a] = 1e-4 a^2: q = 1e-4 (1444 + 0.5 (1521 - 1444)) = 0.14825; a step keeps
// e^{-h_ret dt} = (1 - q)^dt. Without the lever, q[41] = 0.1681.
TEST(Exits, RetirementShiftLeverShiftsTheRetirementAgeInterpolated) {
  for (const bool with_lever : {false, true}) {
    Scenario sc = cohort_scenario(4, 40, 3, 0.0);
    for (int a = 0; a < sc.dims.n_ages(); ++a) sc.retirement.q(0, a) = 1e-4 * a * a;
    if (with_lever) {
      sc.levers = {testing::constant_lever("later", LeverType::retirement_shift, 2.5)};
    }
    Simulation sim(std::move(sc));
    sim.step();
    const double q = with_lever ? 0.14825 : 0.1681;
    EXPECT_NEAR(sim.last_step_ledger().leave(0, Leave::retired),
                kH0 * (1.0 - std::pow(1.0 - q, 0.25)), 1e-12 * kH0)
        << "with lever: " << with_lever;
    EXPECT_EQ(sim.last_step_ledger().leave(0, Leave::exit), 0.0);
  }
}

}  // namespace
}  // namespace staffsim
