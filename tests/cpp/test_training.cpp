// Training pipelines (DESIGN.md 2.4, step 5 of 2.2): trainees T[stage, age],
// one stage per step; a D-year intake completes exactly D / dt steps later;
// attrition a a year keeps (1 - a)^dt a step, (1 - a)^D over the course;
// completers split into retained (join by sector shares at band 0) and not.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::blank_scenario;
using testing::make_programme;

// A programme into role 0 of two sectors; no workforce at the start.
Scenario training_scenario(int spy, int years, double intake, int end_year) {
  Scenario sc = blank_scenario(1, 2, spy, 16, 74, 0.0, 2010, end_year);
  sc.programmes = {make_programme(sc, "course", 0, years, intake, 4)};
  return sc;
}

class OneIntake : public ::testing::TestWithParam<int> {};

// An intake of 40 a year in step 0 only (a step path: 40 up to the end of
// step 0, 0 after), i.e. 40 dt people, into a 2-year course with attrition
// 0.1, retained 0.7, sector shares 0.6 / 0.4, and no opening pipeline.
// It completes in step 2 / dt exactly, 40 dt 0.9^2 of it; 0.7 of those join,
// 0.6 / 0.4 by sector, at band 0, aged by the birthdays of steps 1/dt and
// 2/dt: entered at index 4, joins at index 6.
TEST_P(OneIntake, CompletesExactlyDurationOverDtStepsLater) {
  const int spy = GetParam();
  const double dt = 1.0 / spy;
  Scenario sc = training_scenario(spy, 2, 0.0, 2014);
  Programme& p = sc.programmes[0];
  p.intake.shape = PathShape::step;
  p.intake.start_year = 2010 + dt;
  p.intake.from_value = 40.0;
  p.intake.to_value = 0.0;
  p.attrition = 0.1;
  p.retained = 0.7;
  p.sector_shares << 0.6, 0.4;
  p.in_training = {0.0, 0.0};
  Simulation sim(std::move(sc));
  const double done = 40.0 * dt * 0.81;
  const int completion_step = 2 * spy;
  while (!sim.finished()) {
    const int n = sim.step_index();
    sim.step();
    const Ledger& l = sim.last_step_ledger();
    if (n == completion_step) {
      EXPECT_NEAR(l.start(0, Start::training), done * 0.7 * 0.6, 1e-12);
      EXPECT_NEAR(l.start(1, Start::training), done * 0.7 * 0.4, 1e-12);
      const Dimensions& d = sim.dims();
      EXPECT_NEAR(sim.headcount()[static_cast<Eigen::Index>(d.cell(0, 0, 6, 0))], done * 0.7 * 0.6,
                  1e-12);
      EXPECT_NEAR(sim.headcount().sum(), done * 0.7, 1e-12);
    } else {
      EXPECT_EQ(l.starters.col(int(Start::training)).sum(), 0.0) << "step " << n;
    }
  }
  // Results: completers (before retention) in the year of step 2 / dt, 2013.
  for (const YearResult& yr : sim.results().years) {
    if (!yr.has_flows) continue;
    EXPECT_NEAR(yr.completers[0], yr.year == 2013 ? done : 0.0, 1e-12) << yr.year;
  }
}

INSTANTIATE_TEST_SUITE_P(StepsPerYear, OneIntake, ::testing::Values(1, 2, 4, 12));

// Opening pipeline from in_training by year of course {30, 24, 12} of a
// 3-year course, attrition 0.1, no intake. At one step a year each year of
// course is one stage: the third-years complete in the first year after one
// year of attrition (12 * 0.9), the second-years a year later (24 * 0.9^2),
// the first-years a year after that (30 * 0.9^3); then nobody.
TEST(Training, OpeningPipelineByYearOfCourseAnnualSteps) {
  Scenario sc = training_scenario(1, 3, 0.0, 2015);
  sc.programmes[0].attrition = 0.1;
  sc.programmes[0].in_training = {30.0, 24.0, 12.0};
  Simulation sim(std::move(sc));
  EXPECT_NEAR(sim.results().at_year(2010).trainees[0], 66.0, 1e-12);
  sim.run();
  const Results& res = sim.results();
  EXPECT_NEAR(res.at_year(2011).completers[0], 12.0 * 0.9, 1e-12);
  EXPECT_NEAR(res.at_year(2012).completers[0], 24.0 * 0.81, 1e-12);
  EXPECT_NEAR(res.at_year(2013).completers[0], 30.0 * 0.729, 1e-12);
  EXPECT_EQ(res.at_year(2014).completers[0], 0.0);
  EXPECT_NEAR(res.at_year(2012).trainees[0], 30.0 * 0.81, 1e-12);
}

// The same at four steps a year, each year of course spread evenly over its
// four stages (DESIGN.md 2.4 gives counts per year of course; the even
// spread within the year is the engine's stated choice). With s = 0.9^{1/4},
// the stage completing in step i (0-based) has survived i + 1 steps:
//   year 1: 12/4 (s + s^2 + s^3 + s^4)
//   year 2: 24/4 (s^5 + ... + s^8)
//   year 3: 30/4 (s^9 + ... + s^12)
TEST(Training, OpeningPipelineByYearOfCourseQuarterlySteps) {
  Scenario sc = training_scenario(4, 3, 0.0, 2014);
  sc.programmes[0].attrition = 0.1;
  sc.programmes[0].in_training = {30.0, 24.0, 12.0};
  Simulation sim(std::move(sc));
  sim.run();
  const double s = std::pow(0.9, 0.25);
  auto powers = [s](int from, int to) {
    double sum = 0.0;
    for (int i = from; i <= to; ++i) sum += std::pow(s, i);
    return sum;
  };
  const Results& res = sim.results();
  EXPECT_NEAR(res.at_year(2011).completers[0], 3.0 * powers(1, 4), 1e-12);
  EXPECT_NEAR(res.at_year(2012).completers[0], 6.0 * powers(5, 8), 1e-12);
  EXPECT_NEAR(res.at_year(2013).completers[0], 7.5 * powers(9, 12), 1e-12);
  EXPECT_EQ(res.at_year(2014).completers[0], 0.0);
  // All retained into sector 0 (the programme's default shares).
  EXPECT_NEAR(res.at_year(2013).flows.start(0, Start::training), 7.5 * powers(9, 12), 1e-12);
}

// No in_training: the stationary pipeline of the first year's intake. With
// intake eta = 40 a year and survival s = 0.9^{1/4} a step, stage j holds
// eta dt s^j (stage 0 just entered), so the census holds
// sum_{j<12} 10 s^j trainees, every later census the same, and every step
// completes 10 s^12: eta (1 - a)^D = 40 * 0.729 a year from the first year.
// A training_intake lever (100 a year) replaces the programme's intake,
// from the opening pipeline on.
TEST(Training, StationaryOpeningPipelineAndIntakeLever) {
  for (const bool lever : {false, true}) {
    Scenario sc = training_scenario(4, 3, 40.0, 2014);
    sc.programmes[0].attrition = 0.1;
    if (lever) {
      Lever more = testing::constant_lever("more", LeverType::training_intake, 100.0);
      more.programme = "course";
      sc.levers = {more};
    }
    const double eta = lever ? 100.0 : 40.0;
    Simulation sim(std::move(sc));
    sim.run();
    const double s = std::pow(0.9, 0.25);
    double stock = 0.0;
    for (int j = 0; j < 12; ++j) stock += eta * 0.25 * std::pow(s, j);
    for (const YearResult& yr : sim.results().years) {
      EXPECT_NEAR(yr.trainees[0], stock, 1e-12 * stock) << yr.year << " lever " << lever;
      if (yr.has_flows) {
        EXPECT_NEAR(yr.completers[0], eta * 0.729, 1e-12 * eta) << yr.year << " lever " << lever;
      }
    }
  }
}

// training_intake replaces the intake path; with an empty opening pipeline
// the first step's intake is 100 dt = 25 in stage 0, completing 12 steps
// later as 25 (no attrition).
TEST(Training, IntakeLeverReplacesTheIntake) {
  Scenario sc = training_scenario(4, 3, 40.0, 2014);
  sc.programmes[0].in_training = {0.0, 0.0, 0.0};
  Lever more = testing::constant_lever("more", LeverType::training_intake, 100.0);
  more.programme = "course";
  sc.levers = {more};
  Simulation sim(std::move(sc));
  sim.step();
  EXPECT_NEAR(sim.pipeline()[0].sum(), 25.0, 1e-12);
  sim.run_to(2013);
  EXPECT_EQ(sim.results().at_year(2013).completers[0], 0.0);
  sim.step();  // step 12
  EXPECT_NEAR(sim.last_step_ledger().start(0, Start::training), 25.0, 1e-12);
}

}  // namespace
}  // namespace staffsim
