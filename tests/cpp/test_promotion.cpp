// Promotion, pull (DESIGN.md 2.2 step 4): per sector, destination roles in
// topological order, highest first. For destination r':
//   V = max(0, posts(t + dt) - FTE) / phi[r', s], FTE measured now;
//   route i: C_i = E_i (1 - (1 - max_rate_i)^dt), E_i = origin headcount in
//   bands whose lower edge >= min_tenure; promoted_i = C_i min(1, V / sum C),
//   taken from eligible cells in proportion; the promoted keep their age and
//   enter r' at band 0. Ledger: origin `promoted`, destination `promotion`.
// Every test here has no leaving, no hiring and no training; bands
// {0, 0.5, 2, 5} at dt = 1/4 (band 0 sends 1/2 up, band 1 1/6, band 2 1/12,
// before promotion). Ages move up one index in the first step (birthday).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::blank_scenario;

constexpr double kDt = 0.25;

double at(const Simulation& sim, Role r, Sector s, int a, Band k) {
  return sim.headcount()[static_cast<Eigen::Index>(sim.dims().cell(r, s, a, k))];
}

void put(Scenario& sc, Eigen::ArrayXd& H, Role r, Sector s, int a, Band k, double n) {
  H[static_cast<Eigen::Index>(sc.dims.cell(r, s, a, k))] = n;
}

// Roles A (0) and B (1) both promote into M (2), phi_M = 0.8.
//   A: 100 at (30, band 0), 50 at (30, band 3); route A->M max_rate 0.2, any band:
//      after progression 50 in band 0, 50 in band 1, 50 in band 3: E_A = 150.
//   B: 60 at (40, band 0), 80 at (40, band 3); route B->M max_rate 0.4, bands >= 1:
//      after progression 30 stay in band 0 (not eligible), 30 in band 1: E_B = 110.
//   M: 10 at (50, band 3), FTE 8. Posts 8 + 0.8 v give V = v people.
Scenario two_routes(double v) {
  Scenario sc = blank_scenario(3, 1, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  put(sc, H, 0, 0, 30, 0, 100.0);
  put(sc, H, 0, 0, 30, 3, 50.0);
  put(sc, H, 1, 0, 40, 0, 60.0);
  put(sc, H, 1, 0, 40, 3, 80.0);
  put(sc, H, 2, 0, 50, 3, 10.0);
  testing::set_opening_stock(sc, H);
  sc.fte_factor(2, 0) = 0.8;
  testing::set_posts(sc, 2, 0, 8.0 + 0.8 * v);
  sc.promotion = {PromotionRoute{"a_up", 0, 2, 0.2, 0, {}},
                  PromotionRoute{"b_up", 1, 2, 0.4, 1, {}}};
  return sc;
}

const double kCapA = 150.0 * (1.0 - std::pow(0.8, kDt));  // 8.1387...
const double kCapB = 110.0 * (1.0 - std::pow(0.6, kDt));  // 13.1877...

class TwoRoutes : public ::testing::TestWithParam<double> {};

// V = 10 < sum C = 21.33: each route gives C_i * 10 / sum C.
// V = 100 > sum C: each route gives its full capacity C_i.
TEST_P(TwoRoutes, CapacitiesShareTheVacanciesAndTakeProportionally) {
  const double v = GetParam();
  Simulation sim(two_routes(v));
  sim.step();
  const double fill = std::min(1.0, v / (kCapA + kCapB));
  const double pa = kCapA * fill;
  const double pb = kCapB * fill;
  const double tol = 1e-12 * 100.0;
  const Ledger& l = sim.last_step_ledger();
  EXPECT_NEAR(l.leave(0, Leave::promoted), pa, tol);
  EXPECT_NEAR(l.leave(1, Leave::promoted), pb, tol);
  EXPECT_NEAR(l.start(2, Start::promotion), pa + pb, tol);
  EXPECT_EQ(l.start(0, Start::promotion) + l.start(1, Start::promotion), 0.0);
  EXPECT_EQ(l.leave(2, Leave::promoted), 0.0);
  // Taken from every eligible cell in proportion: each keeps 1 - p / E.
  const double keep_a = 1.0 - pa / 150.0;
  const double keep_b = 1.0 - pb / 110.0;
  EXPECT_NEAR(at(sim, 0, 0, 31, 0), 50.0 * keep_a, tol);
  EXPECT_NEAR(at(sim, 0, 0, 31, 1), 50.0 * keep_a, tol);
  EXPECT_NEAR(at(sim, 0, 0, 31, 3), 50.0 * keep_a, tol);
  EXPECT_NEAR(at(sim, 1, 0, 41, 0), 30.0, tol);  // below min_tenure: untouched
  EXPECT_NEAR(at(sim, 1, 0, 41, 1), 30.0 * keep_b, tol);
  EXPECT_NEAR(at(sim, 1, 0, 41, 3), 80.0 * keep_b, tol);
  // The promoted keep their age and enter M at band 0.
  EXPECT_NEAR(at(sim, 2, 0, 31, 0), pa, tol);
  EXPECT_NEAR(at(sim, 2, 0, 41, 0), pb, tol);
  EXPECT_NEAR(at(sim, 2, 0, 51, 3), 10.0, tol);
  EXPECT_NEAR(testing::headcount_by_rs(sim.dims(), sim.headcount())[2], 10.0 + pa + pb, tol);
  if (v < kCapA + kCapB) {
    // The vacancy is exactly filled: FTE = posts.
    EXPECT_NEAR((10.0 + pa + pb) * 0.8, 8.0 + 0.8 * v, tol);
  }
}

INSTANTIATE_TEST_SUITE_P(Vacancies, TwoRoutes, ::testing::Values(10.0, 100.0));

// min_tenure by band: everyone in role 0 starts in band 0 and the route needs
// band 2 (lower edge 2 years). Step 0: 60 -> 30 in band 0, 30 in band 1,
// nobody eligible, nobody promoted although M has vacancies. Step 1: band 0
// 30 -> 15 + 15 up; band 1 keeps 25 and gets 15; 30 / 6 = 5 reach band 2:
// E = 5, promoted = 5 (1 - 0.6^dt) (V is large).
TEST(Promotion, OnlyBandsFromMinTenureAreEligible) {
  Scenario sc = blank_scenario(2, 1, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  put(sc, H, 0, 0, 40, 0, 60.0);
  testing::set_opening_stock(sc, H);
  testing::set_posts(sc, 1, 0, 100.0);
  sc.promotion = {PromotionRoute{"up", 0, 1, 0.4, 2, {}}};
  Simulation sim(std::move(sc));
  sim.step();
  EXPECT_EQ(sim.last_step_ledger().leave(0, Leave::promoted), 0.0);
  sim.step();
  const double p = 5.0 * (1.0 - std::pow(0.6, kDt));
  EXPECT_NEAR(sim.last_step_ledger().leave(0, Leave::promoted), p, 1e-12);
  EXPECT_NEAR(at(sim, 0, 0, 41, 2), 5.0 - p, 1e-12);
  EXPECT_NEAR(at(sim, 0, 0, 41, 1), 40.0, 1e-12);
  EXPECT_NEAR(at(sim, 1, 0, 41, 0), p, 1e-12);
}

// A cascade in one step: care (0) -> senior (1) -> manager (2), each route
// max_rate 0.5 (capacity share 1 - 0.5^{1/4} = 0.159), listed bottom-up so
// the order must come from the routes, not the list. Everyone in band 3.
// Sector 0: manager 9 of 10 posts: V = 1 <= C = 40 * 0.159 = 6.36, so one
// senior is promoted; that opens a senior post (40 posts, 39 people) and
// one care worker fills it (C = 200 * 0.159 = 31.8) in the same step.
// Sector 1 has the same people and no manager vacancy: nothing moves.
TEST(Promotion, CascadeFillsTheVacancyItOpensInTheSameStep) {
  Scenario sc = blank_scenario(3, 2, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  for (Sector s = 0; s < 2; ++s) {
    put(sc, H, 0, s, 20, 3, 200.0);
    put(sc, H, 1, s, 30, 3, 40.0);
    put(sc, H, 2, s, 40, 3, 9.0);
    testing::set_posts(sc, 1, s, 40.0);
    testing::set_posts(sc, 0, s, 200.0);
  }
  testing::set_opening_stock(sc, H);
  testing::set_posts(sc, 2, 0, 10.0);
  testing::set_posts(sc, 2, 1, 9.0);
  sc.promotion = {PromotionRoute{"care_up", 0, 1, 0.5, 0, {}},
                  PromotionRoute{"senior_up", 1, 2, 0.5, 0, {}}};
  Simulation sim(std::move(sc));
  sim.step();
  const Dimensions& d = sim.dims();
  const Ledger& l = sim.last_step_ledger();
  const double tol = 1e-12 * 200.0;
  EXPECT_NEAR(l.leave(d.rs(1, 0), Leave::promoted), 1.0, tol);
  EXPECT_NEAR(l.start(d.rs(2, 0), Start::promotion), 1.0, tol);
  EXPECT_NEAR(l.leave(d.rs(0, 0), Leave::promoted), 1.0, tol);
  EXPECT_NEAR(l.start(d.rs(1, 0), Start::promotion), 1.0, tol);
  EXPECT_NEAR(at(sim, 2, 0, 31, 0), 1.0, tol);   // the senior, age kept
  EXPECT_NEAR(at(sim, 1, 0, 31, 3), 39.0, tol);  // seniors left behind
  EXPECT_NEAR(at(sim, 1, 0, 21, 0), 1.0, tol);   // the care worker, new senior
  EXPECT_NEAR(at(sim, 0, 0, 21, 3), 199.0, tol);
  for (Role r = 0; r < 3; ++r) {
    EXPECT_EQ(l.leave(d.rs(r, 1), Leave::promoted), 0.0) << "sector 1, role " << r;
    EXPECT_EQ(l.start(d.rs(r, 1), Start::promotion), 0.0) << "sector 1, role " << r;
  }
}

// A route limited to sector 1 does not serve sector 0's vacancy.
TEST(Promotion, RouteServesOnlyItsSectors) {
  Scenario sc = blank_scenario(2, 2, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  for (Sector s = 0; s < 2; ++s) put(sc, H, 0, s, 30, 3, 100.0);
  testing::set_opening_stock(sc, H);
  testing::set_posts(sc, 1, 0, 50.0);
  testing::set_posts(sc, 1, 1, 50.0);
  sc.promotion = {PromotionRoute{"up", 0, 1, 0.2, 0, {1}}};
  Simulation sim(std::move(sc));
  sim.step();
  const Ledger& l = sim.last_step_ledger();
  EXPECT_EQ(l.leave(sim.dims().rs(0, 0), Leave::promoted), 0.0);
  EXPECT_NEAR(l.leave(sim.dims().rs(0, 1), Leave::promoted), 100.0 * (1.0 - std::pow(0.8, kDt)),
              1e-12);
}

}  // namespace
}  // namespace staffsim
