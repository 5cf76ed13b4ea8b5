// Destinations of turnover leavers (DESIGN.md 2.2 steps 1 and 3): retirees
// leave; turnover leavers split by shares into exit, same_sector (another
// employer, same cell), to_sector s', to_role r' and to_role_sector (r', s');
// movers arrive at tenure band 0 with their age, and the ledger records the
// matching kind at the origin and at the destination.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::blank_scenario;

constexpr double kDt = 0.25;
constexpr double kBase = 0.2;
constexpr double kQ = 0.05;

// Three roles x three sectors; everyone starts in (role 1, sector 2): 1000 at
// age index 30 in the open band 3 and 400 at index 45 in band 2. Moves are
// written the way the loader writes them: only the field a kind names is set
// (same_sector names neither; to_sector only the sector; to_role only the
// role), the rest left at 0, so the engine must resolve the target from the
// origin cell.
Scenario split_scenario() {
  Scenario sc = blank_scenario(3, 3, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(1, 2, 30, 3))] = 1000.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(1, 2, 45, 2))] = 400.0;
  testing::set_opening_stock(sc, H);
  sc.turnover.base(1, 2) = kBase;
  sc.retirement.q.row(1).setConstant(kQ);
  DestinationSplit split;
  split.exit_share = 0.1;
  split.moves = {Move{MoveKind::same_sector, 0, 0, 0.2}, Move{MoveKind::to_sector, 0, 0, 0.3},
                 Move{MoveKind::to_role, 2, 0, 0.25}, Move{MoveKind::to_role_sector, 0, 1, 0.15}};
  sc.destinations[static_cast<std::size_t>(sc.dims.rs(1, 2))] = split;
  return sc;
}

double at(const Simulation& sim, Role r, Sector s, int a, Band k) {
  return sim.headcount()[static_cast<Eigen::Index>(sim.dims().cell(r, s, a, k))];
}

// One step (with the birthday: indices 30 -> 31, 45 -> 46). With
// x = (h + h_ret) dt, h = 0.2, h_ret = -ln(1 - 0.05):
//   turnover leavers at an age  L_a = H_a (1 - e^{-x}) h / (h + h_ret),
//   retirees                    R_a = H_a (1 - e^{-x}) h_ret / (h + h_ret).
// Targets from (1,2): same_sector -> (1,2), to_sector 0 -> (1,0),
// to_role 2 -> (2,2), to_role_sector (0,1) -> (0,1), each at band 0, same age.
TEST(Destinations, LeaversLandInTheirCellsAtBandZeroWithTheirAge) {
  Simulation sim(split_scenario());
  sim.step();
  const double hr = -std::log(1.0 - kQ);
  const double leave_p = 1.0 - std::exp(-(kBase + hr) * kDt);
  const double L31 = 1000.0 * leave_p * kBase / (kBase + hr);
  const double L46 = 400.0 * leave_p * kBase / (kBase + hr);
  const double tol = 1e-12 * 1000.0;

  struct Target {
    Role r;
    Sector s;
    double share;
  };
  for (const Target t :
       {Target{1, 2, 0.2}, Target{1, 0, 0.3}, Target{2, 2, 0.25}, Target{0, 1, 0.15}}) {
    EXPECT_NEAR(at(sim, t.r, t.s, 31, 0), t.share * L31, tol) << t.r << "," << t.s;
    EXPECT_NEAR(at(sim, t.r, t.s, 46, 0), t.share * L46, tol) << t.r << "," << t.s;
  }
  // Stayers of the origin: band 3 is open; band 2 (width 3) sends dt / 3 up.
  const double stay = 1.0 - leave_p;
  EXPECT_NEAR(at(sim, 1, 2, 31, 3), 1000.0 * stay, tol);
  EXPECT_NEAR(at(sim, 1, 2, 46, 2), 400.0 * stay * (1.0 - kDt / 3.0), tol);
  EXPECT_NEAR(at(sim, 1, 2, 46, 3), 400.0 * stay * kDt / 3.0, tol);

  // Nothing anywhere else: the total is what the cells above hold, and it
  // fell by exactly the retirees and the exits.
  const double listed = (0.2 + 0.3 + 0.25 + 0.15) * (L31 + L46) + 1400.0 * stay;
  EXPECT_NEAR(sim.headcount().sum(), listed, tol);
  EXPECT_NEAR(sim.headcount().sum(),
              1400.0 - 1400.0 * leave_p * hr / (kBase + hr) - 0.1 * (L31 + L46), tol);
  // The other ages hold no one.
  const Eigen::ArrayXd by_age = testing::headcount_by_age(sim.dims(), sim.headcount());
  EXPECT_NEAR(by_age.sum(), by_age[31] + by_age[46], 1e-12);
}

TEST(Destinations, LedgerKindsMatchAtOriginAndDestination) {
  Simulation sim(split_scenario());
  sim.step();
  const Dimensions& d = sim.dims();
  const Ledger& l = sim.last_step_ledger();
  const double hr = -std::log(1.0 - kQ);
  const double out = 1400.0 * (1.0 - std::exp(-(kBase + hr) * kDt));
  const double L = out * kBase / (kBase + hr);
  const double tol = 1e-12 * 1000.0;
  const int origin = d.rs(1, 2);
  EXPECT_NEAR(l.leave(origin, Leave::retired), out * hr / (kBase + hr), tol);
  EXPECT_NEAR(l.leave(origin, Leave::exit), 0.1 * L, tol);
  EXPECT_NEAR(l.leave(origin, Leave::same_sector), 0.2 * L, tol);
  EXPECT_NEAR(l.leave(origin, Leave::to_sector), 0.3 * L, tol);
  EXPECT_NEAR(l.leave(origin, Leave::to_role), 0.25 * L, tol);
  EXPECT_NEAR(l.leave(origin, Leave::to_role_sector), 0.15 * L, tol);
  EXPECT_NEAR(l.start(origin, Start::same_sector), 0.2 * L, tol);
  EXPECT_NEAR(l.start(d.rs(1, 0), Start::from_sector), 0.3 * L, tol);
  EXPECT_NEAR(l.start(d.rs(2, 2), Start::from_role), 0.25 * L, tol);
  EXPECT_NEAR(l.start(d.rs(0, 1), Start::from_role_sector), 0.15 * L, tol);
  // Those four entries are the only starters and the origin the only leaver.
  const double starters = l.starters.sum();
  EXPECT_NEAR(starters, 0.9 * L, tol);
  for (int rs = 0; rs < d.n_role_sectors(); ++rs) {
    if (rs != origin) {
      EXPECT_EQ(l.leavers.row(rs).sum(), 0.0) << "rs " << rs;
    }
  }
  // Every cell balances: its change is its ledger net.
  const Eigen::ArrayXd after = testing::headcount_by_rs(d, sim.headcount());
  for (int rs = 0; rs < d.n_role_sectors(); ++rs) {
    const double before = rs == origin ? 1400.0 : 0.0;
    EXPECT_NEAR(after[rs], before + l.net(rs), 1e-12 * 1400.0) << "rs " << rs;
  }
}

// Each origin cell uses its own split: (0,0) sends every turnover leaver to
// another employer in its own cell, (1,1) every one to role 0 in sector 1.
// The moved people restart at band 0, so next step a share dt / w_0 = 1/2 of
// them progresses to band 1.
TEST(Destinations, SplitsArePerCellAndMoversRestartTenure) {
  Scenario sc = blank_scenario(2, 2, 4, 16, 74, 1.0, 2010, 2012);
  Eigen::ArrayXd H = testing::empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 20, 3))] = 100.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(1, 1, 40, 3))] = 100.0;
  testing::set_opening_stock(sc, H);
  sc.turnover.base(0, 0) = 0.4;
  sc.turnover.base(1, 1) = 0.4;
  sc.destinations[0] = DestinationSplit{0.0, {Move{MoveKind::same_sector, 0, 0, 1.0}}};
  sc.destinations[3] = DestinationSplit{0.0, {Move{MoveKind::to_role, 0, 0, 1.0}}};
  Simulation sim(std::move(sc));
  sim.step();
  const double L = 100.0 * (1.0 - std::exp(-0.4 * kDt));
  EXPECT_NEAR(at(sim, 0, 0, 21, 0), L, 1e-12);
  EXPECT_NEAR(at(sim, 0, 1, 41, 0), L, 1e-12);
  EXPECT_NEAR(testing::headcount_by_rs(sim.dims(), sim.headcount())[2], 0.0, 0.0);  // (1,0)
  EXPECT_NEAR(sim.headcount().sum(), 200.0, 1e-12);  // every leaver moved
  sim.step();
  // (0,1) has no turnover: its movers of step 0 (at band 0) all stay and
  // half of them move up; band 0 keeps the other half.
  EXPECT_NEAR(at(sim, 0, 1, 41, 1), L * 0.5, 1e-12);
  EXPECT_NEAR(at(sim, 0, 1, 41, 0), L * 0.5 + L * std::exp(-0.4 * kDt), 1e-12);
}

}  // namespace
}  // namespace staffsim
