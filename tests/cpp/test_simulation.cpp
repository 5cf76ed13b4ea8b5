// The Simulation object (DESIGN.md 2.1 census convention, 1 "no global
// mutable state"): clock and run_to semantics, usage errors, annual results
// (start_year stocks only; stocks at census points; flows summed over the
// year's steps), independence of simulations, step() vs run().
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/random_scenario.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

// A small scenario with every kind of flow: turnover, moves, recruitment.
Scenario busy_scenario() {
  Scenario sc = testing::blank_scenario(2, 2, 4, 16, 74, 1000.0, 2010, 2013);
  sc.turnover.base.setConstant(0.2);
  sc.retirement.q.rightCols(10).setConstant(0.2);
  for (auto& split : sc.destinations) split = {0.5, {{MoveKind::same_sector, 0, 0, 0.5}}};
  testing::add_source_at_age(sc, "school", 4);
  for (auto& rule : sc.recruitment) {
    rule.mode = RecruitMode::fill_vacancies;
    rule.fill_rate = 0.8;
  }
  testing::set_posts(sc, 0, 0, 300.0);
  return sc;
}

bool same(const Eigen::ArrayXXd& a, const Eigen::ArrayXXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a == b).all();
}

// Bit-for-bit equality of two results (flows only where recorded).
::testing::AssertionResult identical(const Results& a, const Results& b) {
  if (a.years.size() != b.years.size()) return ::testing::AssertionFailure() << "year count";
  for (std::size_t i = 0; i < a.years.size(); ++i) {
    const YearResult& x = a.years[i];
    const YearResult& y = b.years[i];
    const bool stocks = x.recorded == y.recorded && same(x.headcount, y.headcount) &&
                        same(x.fte, y.fte) && same(x.posts, y.posts) &&
                        same(x.vacancies, y.vacancies) && same(x.age_profile, y.age_profile) &&
                        same(x.tenure_profile, y.tenure_profile) && same(x.trainees, y.trainees);
    const bool flows =
        x.has_flows == y.has_flows &&
        (!x.has_flows ||
         (same(x.flows.leavers, y.flows.leavers) && same(x.flows.starters, y.flows.starters) &&
          same(x.flows.hires_by_source, y.flows.hires_by_source) &&
          same(x.completers, y.completers) && same(x.unfilled_requests, y.unfilled_requests)));
    if (!stocks || !flows) return ::testing::AssertionFailure() << "year " << x.year << " differs";
  }
  return ::testing::AssertionSuccess();
}

TEST(Simulation, ClockAndRunToSemantics) {
  Simulation sim(busy_scenario());  // 2010-2013, 4 steps a year
  EXPECT_EQ(sim.step_index(), 0);
  EXPECT_EQ(sim.current_year(), 2010.0);
  EXPECT_FALSE(sim.finished());
  EXPECT_EQ(sim.results().recorded_years(), 1);

  sim.run_to(2011);
  EXPECT_EQ(sim.step_index(), 4);
  EXPECT_EQ(sim.current_year(), 2011.0);
  EXPECT_EQ(sim.results().recorded_years(), 2);
  sim.run_to(2011);  // already there: nothing happens
  EXPECT_EQ(sim.step_index(), 4);

  sim.step();
  EXPECT_EQ(sim.step_index(), 5);
  EXPECT_EQ(sim.current_year(), 2011.25);
  EXPECT_EQ(sim.results().recorded_years(), 2);
  EXPECT_THROW(sim.run_to(2011), UsageError);  // backwards
  EXPECT_THROW(sim.run_to(2014), UsageError);  // past the end
  EXPECT_THROW(sim.run_to(2009), UsageError);
  EXPECT_EQ(sim.step_index(), 5);  // a refused run_to changes nothing

  sim.run();
  EXPECT_TRUE(sim.finished());
  EXPECT_EQ(sim.step_index(), 12);
  EXPECT_EQ(sim.current_year(), 2013.0);
  EXPECT_EQ(sim.results().recorded_years(), 4);
  EXPECT_THROW(sim.step(), UsageError);
  EXPECT_EQ(sim.step_index(), 12);
  EXPECT_NO_THROW(sim.run_to(2013));
  EXPECT_NO_THROW(sim.run());
  EXPECT_EQ(sim.step_index(), 12);
}

TEST(Simulation, ResultsOnlyForReachedYears) {
  Simulation sim(busy_scenario());
  EXPECT_NO_THROW((void)sim.results().at_year(2010));
  EXPECT_THROW((void)sim.results().at_year(2011), UsageError);  // not reached yet
  EXPECT_THROW((void)sim.results().at_year(2009), UsageError);  // not in the run
  ASSERT_EQ(sim.results().years.size(), 4u);
  EXPECT_FALSE(sim.results().years[1].recorded);
  sim.run_to(2011);
  EXPECT_TRUE(sim.results().years[1].recorded);
  EXPECT_NO_THROW((void)sim.results().at_year(2011));
}

// start_year: stocks only, flows NaN (fill values), has_flows false. Later
// years: stocks are the state at the census point (after the year's last
// step), flows the sum of the year's step ledgers.
TEST(Simulation, AnnualResultsFollowTheCensusConvention) {
  Simulation sim(busy_scenario());
  const Dimensions& d = sim.dims();
  const YearResult& first = sim.results().at_year(2010);
  EXPECT_FALSE(first.has_flows);
  EXPECT_TRUE(first.flows.leavers.isNaN().all());
  EXPECT_TRUE(first.flows.starters.isNaN().all());
  EXPECT_TRUE(first.flows.hires_by_source.isNaN().all());
  EXPECT_TRUE(first.headcount.isApprox(testing::headcount_by_rs(d, sim.headcount()), 1e-13));
  EXPECT_NEAR(first.headcount.sum(), 1000.0, 1e-9);

  for (int y = 2011; y <= 2013; ++y) {
    Ledger sum;
    sum.resize(d.n_role_sectors(), 1);
    for (int m = 0; m < 4; ++m) {
      sim.step();
      sum.add(sim.last_step_ledger());
    }
    const YearResult& yr = sim.results().at_year(y);
    EXPECT_TRUE(yr.has_flows);
    EXPECT_TRUE(yr.flows.leavers.isApprox(sum.leavers, 1e-14)) << y;
    EXPECT_TRUE(yr.flows.starters.isApprox(sum.starters, 1e-14)) << y;
    EXPECT_TRUE(yr.flows.hires_by_source.isApprox(sum.hires_by_source, 1e-14)) << y;
    EXPECT_GT(sum.leavers.sum(), 0.0);
    const Eigen::ArrayXd hc = testing::headcount_by_rs(d, sim.headcount());
    EXPECT_TRUE(yr.headcount.isApprox(hc, 1e-13)) << y;
    EXPECT_TRUE(yr.age_profile.rowwise().sum().isApprox(hc, 1e-14)) << y;
    EXPECT_TRUE(yr.tenure_profile.rowwise().sum().isApprox(hc, 1e-14)) << y;
    EXPECT_EQ(yr.posts[0], 300.0);
    EXPECT_EQ(yr.vacancies[0], std::max(0.0, 300.0 - yr.fte[0]));
  }
}

// No shared state: two different scenarios stepped alternately, and two run
// at the same time on two threads, give exactly what each gives alone.
TEST(Simulation, TwoSimulationsAreIndependent) {
  const Scenario a = testing::random_scenario(7);
  const Scenario b = testing::random_scenario(8);
  const Results alone_a = run_scenario(a);
  const Results alone_b = run_scenario(b);
  ASSERT_FALSE(identical(alone_a, alone_b));

  Simulation sa(a);
  Simulation sb(b);
  while (!sa.finished() || !sb.finished()) {
    if (!sa.finished()) sa.step();
    if (!sb.finished()) sb.step();
  }
  EXPECT_TRUE(identical(sa.results(), alone_a));
  EXPECT_TRUE(identical(sb.results(), alone_b));

  Results threaded_a;
  Results threaded_b;
  std::thread ta([&] { threaded_a = run_scenario(a); });
  std::thread tb([&] { threaded_b = run_scenario(b); });
  ta.join();
  tb.join();
  EXPECT_TRUE(identical(threaded_a, alone_a));
  EXPECT_TRUE(identical(threaded_b, alone_b));
}

// run(), run_to() year by year and a step() loop give identical results.
TEST(Simulation, RunAndStepLoopsGiveIdenticalResults) {
  for (std::uint64_t seed : {3u, 11u, 19u}) {
    const Scenario sc = testing::random_scenario(seed);
    Simulation by_run(sc);
    by_run.run();
    Simulation by_step(sc);
    while (!by_step.finished()) by_step.step();
    Simulation by_year(sc);
    for (int y = sc.time.start_year; y <= sc.time.end_year; ++y) by_year.run_to(y);
    EXPECT_TRUE(identical(by_run.results(), by_step.results())) << seed;
    EXPECT_TRUE(identical(by_run.results(), by_year.results())) << seed;
    EXPECT_TRUE((by_run.headcount() == by_step.headcount()).all()) << seed;
  }
}

// A moved-from Simulation's state lives on in the target.
TEST(Simulation, MoveKeepsTheState) {
  Simulation first(busy_scenario());
  first.run_to(2011);
  Simulation second(std::move(first));
  EXPECT_EQ(second.step_index(), 4);
  second.run();
  Simulation reference(busy_scenario());
  reference.run();
  EXPECT_TRUE(identical(second.results(), reference.results()));
}

}  // namespace
}  // namespace staffsim
