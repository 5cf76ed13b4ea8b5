// The retirement outlook (DESIGN.md 2.6): outlook_n(Y) = sum H[r,s,a](Y)
// (1 - prod_m e^{-h_ret,m dt}) over the steps of (t_Y, t_Y + n], with the
// engine's age index in each step, the lever path at each t_m + dt, and
// passing max_age counted as retiring. It must equal a forward run of the
// engine from the census state with every flow but retirement and aged-out
// switched off.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

// Two roles x two sectors, ages 16-74, with turnover (an age profile), moves
// between sectors, fixed hires at 20 and retirement rising from 55:
// q = 0.02 (age - 54) for role 0, 0.03 (age - 54) for role 1 (0.4 and 0.6 at
// 74). Two retirement_shift levers add: role 0 ramps 0 -> 3 years over
// 2012-2016 (linear); every role steps to -1 after 2014. The opening stock
// has 10 people per (r,s,age) plus 50 at 74 and 30 at 72 in (0,0), so some
// pass max_age inside every window.
Scenario outlook_scenario(int spy) {
  Scenario sc = testing::blank_scenario(2, 2, spy, 16, 74, 1.0, 2010, 2015);
  const int A = sc.dims.n_ages();
  for (int a = 39; a < A; ++a) {
    const double over = 16 + a - 54;
    sc.retirement.q(0, a) = 0.02 * over;
    sc.retirement.q(1, a) = 0.03 * over;
  }
  sc.turnover.base.setConstant(0.15);
  for (int a = 0; a < A; ++a) sc.turnover.age_factor.col(a).setConstant(a < 20 ? 1.5 : 0.8);
  sc.destinations[0] = {0.6, {{MoveKind::to_sector, 0, 1, 0.4}}};
  testing::add_source_at_age(sc, "school", 4);
  for (auto& rule : sc.recruitment) {
    rule.mode = RecruitMode::fixed_number;
    rule.number = 40.0;
  }
  Eigen::ArrayXd H = testing::empty_stock(sc);
  for (Role r = 0; r < 2; ++r) {
    for (Sector s = 0; s < 2; ++s) {
      for (int a = 0; a < A; ++a) H[static_cast<Eigen::Index>(sc.dims.cell(r, s, a, 0))] = 10.0;
    }
  }
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, A - 1, 0))] += 50.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, A - 3, 0))] += 30.0;
  testing::set_opening_stock(sc, H);
  Lever ramp = testing::path_lever("later_retirement", LeverType::retirement_shift,
                                   testing::shaped_path(PathShape::linear, 2012, 2016, 0.0, 3.0));
  ramp.roles = {0};
  sc.levers.push_back(ramp);
  sc.levers.push_back(
      testing::path_lever("earlier_retirement", LeverType::retirement_shift,
                          testing::shaped_path(PathShape::step, 2014, 2014, 0.0, -1.0)));
  return sc;
}

class RetirementOutlook : public ::testing::TestWithParam<int> {};

// For census Y in 2010, 2012 and 2015: start a second scenario at Y whose
// opening stock is the engine's state at Y (one margin over all four axes),
// run it for 10 years with only retirement and aged-out on, and count
// retired + aged_out per (r,s) over the first 5 and all 10 years.
TEST_P(RetirementOutlook, EqualsAForwardRunWithOnlyRetirementAndAgeingOut) {
  const int spy = GetParam();
  Simulation sim(outlook_scenario(spy));
  for (const int year : {2010, 2012, 2015}) {
    sim.run_to(year);
    Scenario forward = outlook_scenario(spy);
    forward.time.start_year = year;
    forward.time.end_year = year + 10;
    testing::set_opening_stock(forward, sim.headcount());
    FlowSwitches only_retirement;
    only_retirement.turnover = false;
    only_retirement.promotion = false;
    only_retirement.training = false;
    only_retirement.recruitment = false;
    Simulation fwd(std::move(forward), only_retirement);
    fwd.run();
    const YearResult& census = sim.results().at_year(year);
    for (int rs = 0; rs < 4; ++rs) {
      double out5 = 0.0;
      double out10 = 0.0;
      for (int y = year + 1; y <= year + 10; ++y) {
        const Ledger& flows = fwd.results().at_year(y).flows;
        const double gone = flows.leave(rs, Leave::retired) + flows.leave(rs, Leave::aged_out);
        EXPECT_EQ(flows.leave(rs, Leave::exit), 0.0);
        if (y <= year + 5) out5 += gone;
        out10 += gone;
      }
      EXPECT_NEAR(census.retirement_outlook_5[rs], out5, 1e-10 * out5)
          << "census " << year << " rs " << rs;
      EXPECT_NEAR(census.retirement_outlook_10[rs], out10, 1e-10 * out10)
          << "census " << year << " rs " << rs;
      EXPECT_GT(out5, 0.0);
      EXPECT_GT(out10, out5);
    }
  }
}

// By hand, with a constant q = 0.1 from age 60 and no lever: one person
// aged 60 at the census survives each of the next years with 0.9 whatever
// dt (e^{-h_ret dt} over 1/dt steps = 1 - q), so outlook_5 = 1 - 0.9^5 =
// 0.40951 and outlook_10 = 1 - 0.9^10 = 0.6513216. One aged 68 is 69..73
// over the next five years (1 - 0.9^5) and passes 74 at the 7th birthday:
// outlook_10 = 1. One aged 74 passes max_age at the first birthday: 1 and 1.
TEST_P(RetirementOutlook, HandComputedSinglePeople) {
  const int spy = GetParam();
  const struct {
    int age;
    double o5, o10;
  } people[] = {{60, 1.0 - std::pow(0.9, 5), 1.0 - std::pow(0.9, 10)},
                {68, 1.0 - std::pow(0.9, 5), 1.0},
                {74, 1.0, 1.0}};
  for (const auto& p : people) {
    Scenario sc = testing::blank_scenario(1, 1, spy, 16, 74, 1.0, 2010, 2011);
    sc.retirement.q.rightCols(15).setConstant(0.1);  // ages 60-74
    testing::set_opening_cohort(sc, 0, 0, p.age - 16, 0, 1.0);
    Simulation sim(std::move(sc));
    const YearResult& yr = sim.results().at_year(2010);
    EXPECT_NEAR(yr.retirement_outlook_5[0], p.o5, 1e-12) << "age " << p.age;
    EXPECT_NEAR(yr.retirement_outlook_10[0], p.o10, 1e-12) << "age " << p.age;
  }
  EXPECT_NEAR(1.0 - std::pow(0.9, 5), 0.40951, 1e-12);
}

// Without retirement_shift levers the engine uses a closed form (prefix sums
// of h_ret over ages); a lever that shifts by 0 forces the step-by-step walk.
// Both must give the same outlook at every census.
TEST_P(RetirementOutlook, ClosedFormEqualsTheStepWalkWithoutShifts) {
  Scenario closed = outlook_scenario(GetParam());
  closed.levers.clear();
  Scenario walked = closed;
  walked.levers.push_back(
      testing::path_lever("no_shift", LeverType::retirement_shift,
                          testing::shaped_path(PathShape::linear, 2010, 2015, 0.0, 0.0)));
  const Results a = run_scenario(closed);
  const Results b = run_scenario(walked);
  for (std::size_t y = 0; y < a.years.size(); ++y) {
    for (Eigen::Index rs = 0; rs < a.years[y].retirement_outlook_5.size(); ++rs) {
      EXPECT_TRUE(testing::near_rel(a.years[y].retirement_outlook_5[rs],
                                    b.years[y].retirement_outlook_5[rs], 1e-12));
      EXPECT_TRUE(testing::near_rel(a.years[y].retirement_outlook_10[rs],
                                    b.years[y].retirement_outlook_10[rs], 1e-12));
    }
    EXPECT_GT(a.years[y].retirement_outlook_10.sum(), 0.0);
  }
}

INSTANTIATE_TEST_SUITE_P(StepsPerYear, RetirementOutlook, ::testing::Values(1, 4, 12));

}  // namespace
}  // namespace staffsim
