// The ledger (DESIGN.md 2.2, 8): for a seeded generator of random scenarios,
// every step balances per (r,s) and in total,
//   H(t + dt) = H(t) + sum(starters) - sum(leavers)   (promotion included),
// to |lhs - rhs| <= 1e-12 max(1, |H|); nothing is ever negative; the annual
// flows in Results are the sums of the step ledgers; and every flow type is
// non-zero in at least a quarter of the scenarios (asserted, so the
// invariants are tested on flows that actually happen).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "staffsim/simulation.hpp"
#include "support/random_scenario.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

constexpr int kScenarios = 240;
constexpr double kTol = 1e-12;

// Which flows a run had (summed over every step and cell, > 0).
struct Coverage {
  std::array<int, kLeaveKinds> leave{};
  std::array<int, kStartKinds> start{};
  int capped_binding = 0;
};

bool close(double a, double b, double scale) {
  return std::abs(a - b) <= kTol * std::max({1.0, std::abs(scale)});
}

::testing::AssertionResult arrays_close(const Eigen::ArrayXXd& a, const Eigen::ArrayXXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    return ::testing::AssertionFailure() << "shapes differ";
  }
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      if (!close(a(i, j), b(i, j), std::max(std::abs(a(i, j)), std::abs(b(i, j))))) {
        return ::testing::AssertionFailure()
               << "(" << i << "," << j << "): " << a(i, j) << " vs " << b(i, j);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs one scenario step by step, checking every invariant; adds its flows
// to the coverage counts.
void check_scenario(std::uint64_t seed, Coverage& cov) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  Simulation sim(testing::random_scenario(seed));
  const Dimensions& d = sim.dims();
  const int RS = d.n_role_sectors();
  Ledger year;
  year.resize(RS, static_cast<int>(sim.scenario().sources.size()));
  Ledger run = year;
  Eigen::ArrayXd unfilled = Eigen::ArrayXd::Zero(RS);
  ASSERT_GE(sim.headcount().minCoeff(), 0.0);
  while (!sim.finished()) {
    const Eigen::ArrayXd before = testing::headcount_by_rs(d, sim.headcount());
    sim.step();
    const Eigen::ArrayXd after = testing::headcount_by_rs(d, sim.headcount());
    const Ledger& l = sim.last_step_ledger();
    for (int rs = 0; rs < RS; ++rs) {
      const double rhs = before[rs] + l.starters.row(rs).sum() - l.leavers.row(rs).sum();
      ASSERT_TRUE(close(after[rs], rhs, std::max(before[rs], after[rs])))
          << "step " << sim.step_index() << " rs " << rs << ": H " << after[rs] << " vs " << rhs
          << " (diff " << after[rs] - rhs << ")";
      ASSERT_NEAR(l.net(rs), l.starters.row(rs).sum() - l.leavers.row(rs).sum(), 1e-9);
    }
    const double rhs_total = before.sum() + l.starters.sum() - l.leavers.sum();
    ASSERT_TRUE(close(after.sum(), rhs_total, after.sum())) << "step " << sim.step_index();
    // Hires by source add up to the hire starters.
    for (int rs = 0; rs < RS; ++rs) {
      ASSERT_TRUE(close(l.hires_by_source.row(rs).sum(), l.start(rs, Start::hire),
                        l.start(rs, Start::hire)));
    }
    // Nothing negative: stocks, pipelines, flows.
    ASSERT_GE(sim.headcount().minCoeff(), 0.0) << "step " << sim.step_index();
    for (const Eigen::ArrayXd& T : sim.pipeline()) ASSERT_GE(T.minCoeff(), 0.0);
    ASSERT_GE(l.leavers.minCoeff(), 0.0);
    ASSERT_GE(l.starters.minCoeff(), 0.0);
    year.add(l);
    run.add(l);
    if (sim.step_index() % sim.scenario().time.steps_per_year == 0) {
      const YearResult& yr = sim.results().years[static_cast<std::size_t>(
          sim.step_index() / sim.scenario().time.steps_per_year)];
      ASSERT_TRUE(yr.recorded && yr.has_flows);
      ASSERT_TRUE(arrays_close(yr.flows.leavers, year.leavers)) << "year " << yr.year;
      ASSERT_TRUE(arrays_close(yr.flows.starters, year.starters)) << "year " << yr.year;
      ASSERT_TRUE(arrays_close(yr.flows.hires_by_source, year.hires_by_source));
      ASSERT_TRUE(arrays_close(yr.headcount, after)) << "year " << yr.year;
      ASSERT_GE(yr.unfilled_requests.minCoeff(), 0.0);
      unfilled += yr.unfilled_requests;
      year.clear();
    }
  }
  for (int k = 0; k < kLeaveKinds; ++k) cov.leave[k] += run.leavers.col(k).sum() > 0.0 ? 1 : 0;
  for (int k = 0; k < kStartKinds; ++k) cov.start[k] += run.starters.col(k).sum() > 0.0 ? 1 : 0;
  // A capped source bound: some request went unfilled.
  cov.capped_binding += unfilled.sum() > 1e-9 ? 1 : 0;
}

TEST(Ledger, RandomScenariosBalanceEveryStepAndCoverEveryFlow) {
  Coverage cov;
  for (std::uint64_t seed = 1; seed <= kScenarios; ++seed) {
    check_scenario(seed, cov);
    if (HasFatalFailure()) return;
  }
  const int quarter = (kScenarios + 3) / 4;
  for (int k = 0; k < kLeaveKinds; ++k) {
    EXPECT_GE(cov.leave[k], quarter) << "leavers " << to_string(static_cast<Leave>(k)) << ": "
                                     << cov.leave[k] << " of " << kScenarios;
  }
  for (int k = 0; k < kStartKinds; ++k) {
    EXPECT_GE(cov.start[k], quarter) << "starters " << to_string(static_cast<Start>(k)) << ": "
                                     << cov.start[k] << " of " << kScenarios;
  }
  EXPECT_GE(cov.capped_binding, quarter) << "a capped source binding: " << cov.capped_binding;
  // Paired kinds: every move out is a move in somewhere.
  EXPECT_EQ(cov.leave[int(Leave::to_role_sector)], cov.start[int(Start::from_role_sector)]);
  EXPECT_EQ(cov.leave[int(Leave::promoted)], cov.start[int(Start::promotion)]);
  std::string report = "coverage of " + std::to_string(kScenarios) + " scenarios:";
  for (int k = 0; k < kLeaveKinds; ++k) {
    report +=
        " " + std::string(to_string(static_cast<Leave>(k))) + "=" + std::to_string(cov.leave[k]);
  }
  for (int k = 0; k < kStartKinds; ++k) {
    report +=
        " +" + std::string(to_string(static_cast<Start>(k))) + "=" + std::to_string(cov.start[k]);
  }
  report += " capped=" + std::to_string(cov.capped_binding);
  RecordProperty("coverage", report);
  std::printf("%s\n", report.c_str());
}

// A step moves flows between cells but the total ledger identity also holds
// summed over the whole run: H(end) = H(0) + all starters - all leavers.
TEST(Ledger, WholeRunBalancesFromResults) {
  for (std::uint64_t seed = 1000; seed < 1020; ++seed) {
    Simulation sim(testing::random_scenario(seed));
    sim.run();
    const Results& res = sim.results();
    Eigen::ArrayXd net = Eigen::ArrayXd::Zero(sim.dims().n_role_sectors());
    for (const YearResult& yr : res.years) {
      if (!yr.has_flows) continue;
      for (int rs = 0; rs < net.size(); ++rs) net[rs] += yr.flows.net(rs);
    }
    const Eigen::ArrayXd expected = res.years.front().headcount + net;
    const Eigen::ArrayXd& got = res.years.back().headcount;
    for (int rs = 0; rs < net.size(); ++rs) {
      EXPECT_TRUE(close(got[rs], expected[rs], 100.0 * got[rs])) << "seed " << seed << " rs " << rs;
    }
  }
}

}  // namespace
}  // namespace staffsim
