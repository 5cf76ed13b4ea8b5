// Tenure progression (DESIGN.md 2.2 step 2): a fraction dt / w_k of the
// stayers in band k moves to k + 1, a geometric dwell with mean w_k.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::blank_scenario;
using testing::headcount_by_band;

constexpr double kH0 = 1000.0;

class DwellBySteps : public ::testing::TestWithParam<int> {};

// With leaving off, a cohort hired into band 0 is there at the start of step
// n with probability (1 - p)^n, p = dt / w_0; the expected number of
// step-starts in band 0 is sum_n (1 - p)^n = 1 / p = w_0 / dt. Band 1 holds
// the cohort for a second geometric dwell of mean w_1 / dt step-starts.
// Measured as sum_n H_band(n) / H_total(n) over the step-starts of a run long
// enough that the rest of the sum is below 1e-12 of it (50 years: at most
// (1 - 1/18)^600 for w_1 = 1.5 at 12 steps a year).
TEST_P(DwellBySteps, MeanDwellInBandIsWidthOverDt) {
  const int spy = GetParam();
  const double dt = 1.0 / spy;
  Scenario sc = blank_scenario(1, 1, spy, 16, 90, kH0, 2010, 2060);
  testing::set_opening_cohort(sc, 0, 0, 0, 0, kH0);
  Simulation sim(std::move(sc));
  const std::vector<double>& edges = sim.dims().tenure_edges;
  double dwell0 = 0.0;
  double dwell1 = 0.0;
  while (!sim.finished()) {
    const Eigen::ArrayXd bands = headcount_by_band(sim.dims(), sim.headcount());
    dwell0 += bands[0] / bands.sum();
    dwell1 += bands[1] / bands.sum();
    sim.step();
  }
  EXPECT_NEAR(dwell0, (edges[1] - edges[0]) / dt, 1e-9 * dwell0);
  EXPECT_NEAR(dwell1, (edges[2] - edges[1]) / dt, 1e-9 * dwell1);
  // Leaving off: the cohort is whole (it is 66 at the end, below max_age 90).
  EXPECT_NEAR(sim.headcount().sum(), kH0, 1e-9 * kH0);
}

INSTANTIATE_TEST_SUITE_P(StepsPerYear, DwellBySteps, ::testing::Values(1, 2, 4, 12));

// A band exactly dt wide empties in one step (dt / w = 1). Bands
// {0, 0.25, 1, 5} at dt = 0.25: step 1 moves everyone from band 0 to band 1;
// step 2 moves dt / 0.75 = 1/3 of band 1 to band 2.
TEST(Progression, BandExactlyDtWideEmptiesInOneStep) {
  Scenario sc = blank_scenario(1, 1, 4, 16, 74, kH0, 2010, 2012);
  sc.dims.tenure_edges = {0.0, 0.25, 1.0, 5.0};
  sc.turnover.tenure_factor.setOnes(1, 4);
  testing::set_opening_cohort(sc, 0, 0, 10, 0, kH0);
  Simulation sim(std::move(sc));
  sim.step();
  Eigen::ArrayXd bands = headcount_by_band(sim.dims(), sim.headcount());
  EXPECT_EQ(bands[0], 0.0);
  EXPECT_NEAR(bands[1], kH0, 1e-12 * kH0);
  sim.step();
  bands = headcount_by_band(sim.dims(), sim.headcount());
  EXPECT_EQ(bands[0], 0.0);
  EXPECT_NEAR(bands[1], kH0 * 2.0 / 3.0, 1e-12 * kH0);
  EXPECT_NEAR(bands[2], kH0 / 3.0, 1e-12 * kH0);
  EXPECT_EQ(bands[3], 0.0);
}

// At one step a year band 0 = [0, 1) and band 1 = [1, 2) are both dt wide:
// the cohort is in band 1 after one step and in band 2 after two.
TEST(Progression, OneStepAYearWithYearWideBands) {
  Scenario sc = blank_scenario(1, 1, 1, 16, 74, kH0, 2010, 2013);
  ASSERT_EQ(sc.dims.tenure_edges, (std::vector<double>{0.0, 1.0, 2.0, 5.0}));
  testing::set_opening_cohort(sc, 0, 0, 10, 0, kH0);
  Simulation sim(std::move(sc));
  sim.step();
  EXPECT_NEAR(headcount_by_band(sim.dims(), sim.headcount())[1], kH0, 1e-12 * kH0);
  sim.step();
  EXPECT_NEAR(headcount_by_band(sim.dims(), sim.headcount())[2], kH0, 1e-12 * kH0);
}

// Only stayers progress, after the exits: with h = 0.4 at dt = 0.25 a step
// keeps s = e^{-0.1}; bands {0, 0.5, 2, 5} give p_0 = 1/2, p_1 = 1/6.
//   step 1: band 0 = H0 s / 2, band 1 = H0 s / 2
//   step 2: band 0 = H0 s^2 / 4,
//           band 1 = H0 s^2 (1/2 (1 - 1/6) + 1/4), band 2 = H0 s^2 / 12
TEST(Progression, StayersProgressAfterExits) {
  Scenario sc = blank_scenario(1, 1, 4, 16, 74, kH0, 2010, 2012);
  testing::set_opening_cohort(sc, 0, 0, 10, 0, kH0);
  sc.turnover.base(0, 0) = 0.4;
  Simulation sim(std::move(sc));
  const double s = std::exp(-0.1);
  sim.step();
  Eigen::ArrayXd bands = headcount_by_band(sim.dims(), sim.headcount());
  EXPECT_NEAR(bands[0], kH0 * s / 2.0, 1e-12 * kH0);
  EXPECT_NEAR(bands[1], kH0 * s / 2.0, 1e-12 * kH0);
  sim.step();
  bands = headcount_by_band(sim.dims(), sim.headcount());
  EXPECT_NEAR(bands[0], kH0 * s * s / 4.0, 1e-12 * kH0);
  EXPECT_NEAR(bands[1], kH0 * s * s * (0.5 * 5.0 / 6.0 + 0.25), 1e-12 * kH0);
  EXPECT_NEAR(bands[2], kH0 * s * s / 12.0, 1e-12 * kH0);
  EXPECT_EQ(bands[3], 0.0);
}

}  // namespace
}  // namespace staffsim
