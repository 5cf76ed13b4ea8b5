// Opening stock (DESIGN.md 2.1): stationary tenure of the step operator,
// margins scaled to the total, IPF, infeasible tenure moved down.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "staffsim/opening_stock.hpp"

namespace staffsim {
namespace {

Dimensions make_dims(int n_roles, int n_sectors, int min_age, int max_age,
                     std::vector<double> edges) {
  Dimensions d;
  for (int r = 0; r < n_roles; ++r) d.roles.push_back("role" + std::to_string(r));
  for (int s = 0; s < n_sectors; ++s) d.sectors.push_back("sector" + std::to_string(s));
  d.min_age = min_age;
  d.max_age = max_age;
  d.tenure_edges = std::move(edges);
  return d;
}

Scenario make_scenario(Dimensions dims, double total) {
  Scenario sc;
  sc.dims = std::move(dims);
  sc.time.steps_per_year = 4;
  sc.opening.total = total;
  return sc;
}

void add_margin(Scenario& sc, std::vector<Axis> axes, std::vector<double> values,
                std::string origin) {
  StockMargin m;
  m.axes = std::move(axes);
  m.values =
      Eigen::Map<const Eigen::ArrayXd>(values.data(), static_cast<Eigen::Index>(values.size()));
  m.origin = std::move(origin);
  sc.opening.margins.push_back(std::move(m));
}

Eigen::ArrayXXd zero_base(const Scenario& sc) {
  return Eigen::ArrayXXd::Zero(sc.dims.n_roles(), sc.dims.n_sectors());
}

double at(const Scenario& sc, const Eigen::ArrayXd& h, Role r, Sector s, AgeIndex a, Band k) {
  return h(static_cast<Eigen::Index>(sc.dims.cell(r, s, a, k)));
}

// Sums of H over the axes not in `axes`, flattened row-major over `axes`
// (a margin's layout), compared with `values` scaled to the total.
void expect_margin(const Scenario& sc, const Eigen::ArrayXd& h, const std::vector<Axis>& axes,
                   const std::vector<double>& values, double tol) {
  const Dimensions& d = sc.dims;
  const int size[4] = {d.n_roles(), d.n_sectors(), d.n_ages(), d.n_bands()};
  std::vector<double> sums(values.size(), 0.0);
  for (Role r = 0; r < size[0]; ++r) {
    for (Sector s = 0; s < size[1]; ++s) {
      for (AgeIndex a = 0; a < size[2]; ++a) {
        for (Band k = 0; k < size[3]; ++k) {
          const int c[4] = {r, s, a, k};
          std::size_t e = 0;
          for (const Axis axis : axes) {
            const auto i = static_cast<std::size_t>(axis);
            e = e * static_cast<std::size_t>(size[i]) + static_cast<std::size_t>(c[i]);
          }
          sums[e] += at(sc, h, r, s, a, k);
        }
      }
    }
  }
  double sum = 0.0;
  for (const double v : values) sum += v;
  for (std::size_t e = 0; e < values.size(); ++e) {
    EXPECT_NEAR(sums[e], values[e] * sc.opening.total / sum, tol * sc.opening.total)
        << "entry " << e;
  }
}

void expect_rel(double actual, double expected, double tol) {
  EXPECT_NEAR(actual, expected, tol * std::abs(expected));
}

// Steps 1-3 of DESIGN.md 2.2 applied literally, many times, with η entrants a step.
Eigen::ArrayXd iterate_operator(const Dimensions& d, double dt, const Eigen::ArrayXd& h, int n) {
  const int K = d.n_bands();
  Eigen::ArrayXd x = Eigen::ArrayXd::Zero(K);
  for (int step = 0; step < n; ++step) {
    const Eigen::ArrayXd survivors = x * (-h * dt).exp();
    Eigen::ArrayXd next = survivors;
    for (Band k = 0; k + 1 < K; ++k) {
      const double moving = survivors(k) * dt / d.band_width(k);
      next(k) -= moving;
      next(k + 1) += moving;
    }
    next(0) += 7.0;  // entrants after progression
    x = next;
  }
  return x / x.sum();
}

TEST(StationaryTenure, ThreeBandClosedForm) {
  // Edges {0, 1, 3}, dt = 0.5: p = (0.5, 0.25, 0). Hazards chosen so that
  // s = e^{-h dt} = (1/2, 3/4, 4/5).
  // n0 = 1 / (1 − ½·½) = 4/3; n1 = ½·½·(4/3) / (1 − ¾·¾) = (1/3)/(7/16) = 16/21;
  // n2 = ¾·¼·(16/21) / (1 − 4/5) = (1/7)·5 = 5/7. Sum 59/21: shares 28, 16, 15 / 59.
  const Dimensions d = make_dims(1, 1, 16, 74, {0.0, 1.0, 3.0});
  Eigen::ArrayXd h(3);
  h << 2.0 * std::log(2.0), 2.0 * std::log(4.0 / 3.0), 2.0 * std::log(1.25);
  const Eigen::ArrayXd n = stationary_tenure(d, 0.5, h);
  expect_rel(n(0), 28.0 / 59.0, 1e-14);
  expect_rel(n(1), 16.0 / 59.0, 1e-14);
  expect_rel(n(2), 15.0 / 59.0, 1e-14);
}

TEST(StationaryTenure, MatchesBruteForceIterationOfTheStep) {
  // The slowest mode decays by s_3 = e^{-0.15 dt} a step, e^{-0.15} a year:
  // 400 years of steps leave e^{-60} of the start-up transient.
  const Dimensions d = make_dims(1, 1, 16, 74, {0.0, 0.5, 2.0, 5.0});
  Eigen::ArrayXd h(4);
  h << 0.9, 0.4, 0.25, 0.15;
  for (const int steps_per_year : {2, 4, 12}) {  // a yearly step is wider than [0, 0.5)
    const double dt = 1.0 / steps_per_year;
    const Eigen::ArrayXd closed = stationary_tenure(d, dt, h);
    const Eigen::ArrayXd brute = iterate_operator(d, dt, h, 400 * steps_per_year);
    for (Band k = 0; k < 4; ++k) expect_rel(closed(k), brute(k), 1e-12);
  }
}

TEST(StationaryTenure, BandAsWideAsTheStepMovesEveryoneOn) {
  // Edges {0, 0.25, 1}, dt = 0.25: p = (1, 1/3, 0); s = ½ everywhere.
  // n0 = 1 / (1 − ½·0) = 1; n1 = ½·1·1 / (1 − ½·⅔) = 3/4;
  // n2 = ½·⅓·¾ / (1 − ½) = 1/4. Sum 2: shares 1/2, 3/8, 1/8.
  const Dimensions d = make_dims(1, 1, 16, 74, {0.0, 0.25, 1.0});
  const Eigen::ArrayXd h = Eigen::ArrayXd::Constant(3, 4.0 * std::log(2.0));
  const Eigen::ArrayXd n = stationary_tenure(d, 0.25, h);
  expect_rel(n(0), 0.5, 1e-14);
  expect_rel(n(1), 0.375, 1e-14);
  expect_rel(n(2), 0.125, 1e-14);
  const Eigen::ArrayXd brute = iterate_operator(d, 0.25, h, 400);
  for (Band k = 0; k < 3; ++k) expect_rel(n(k), brute(k), 1e-12);
}

TEST(StationaryTenure, NoLeavingFromTheOpenBandPutsEveryoneThere) {
  // h = 0 in the open band: its mass grows without bound; the decision is the
  // limit h -> 0, everyone in the open band (a small h comes close to it).
  const Dimensions d = make_dims(1, 1, 16, 74, {0.0, 0.5, 2.0, 5.0});
  Eigen::ArrayXd h(4);
  h << 0.5, 0.5, 0.5, 0.0;
  const Eigen::ArrayXd n = stationary_tenure(d, 0.25, h);
  EXPECT_EQ(n.head(3).sum(), 0.0);
  EXPECT_EQ(n(3), 1.0);
  h(3) = 1e-9;
  EXPECT_GT(stationary_tenure(d, 0.25, h)(3), 1.0 - 1e-6);
  // No leaving from closed bands is fine: they are left by progression.
  h << 0.0, 0.0, 0.0, 0.2;
  const Eigen::ArrayXd closed_zero = stationary_tenure(d, 0.25, h);
  EXPECT_TRUE(closed_zero.isFinite().all());
  expect_rel(closed_zero.sum(), 1.0, 1e-14);
}

TEST(StationaryTenure, InductionCrisisShape) {
  // Tenure factor 3 in band 0 (hazard 0.9 there, 0.3 elsewhere) against a
  // flat 0.3, dt = 0.25. From the closed form, n1/n0 = s0 p0 / (1 − s1(1 − p1)):
  // only s0 changes, so (n1/n0) falls by exactly e^{-(0.9 − 0.3)·0.25} = e^{-0.15},
  // and n_k/n_1 (k >= 1) does not change. Fewer people reach band 1 for each
  // one in band 0, so band 0's share of the stock rises and later bands' fall.
  const Dimensions d = make_dims(1, 1, 16, 74, {0.0, 0.5, 2.0, 5.0});
  const Eigen::ArrayXd flat = stationary_tenure(d, 0.25, Eigen::ArrayXd::Constant(4, 0.3));
  Eigen::ArrayXd h = Eigen::ArrayXd::Constant(4, 0.3);
  h(0) = 0.9;
  const Eigen::ArrayXd crisis = stationary_tenure(d, 0.25, h);
  expect_rel((crisis(1) / crisis(0)) / (flat(1) / flat(0)), std::exp(-0.15), 1e-13);
  for (Band k = 2; k < 4; ++k) expect_rel(crisis(k) / crisis(1), flat(k) / flat(1), 1e-13);
  EXPECT_GT(crisis(0), flat(0));
  for (Band k = 1; k < 4; ++k) EXPECT_LT(crisis(k), flat(k));
}

TEST(OpeningStock, SingleAxisMarginsGiveTheScaledIndependenceProduct) {
  // Roles sum to 1,927 but the total is 2,277: each role is scaled by 2277/1927.
  // With one margin per axis, one IPF sweep from uniform gives
  // H = 2277 · (v_r/1927) · p_s · p_a · p_k exactly. Edges {0, 1}: band 1 is
  // infeasible at age index 0 (lower edge 1 is not < 0 + 1), so there it
  // joins band 0.
  Scenario sc = make_scenario(make_dims(2, 3, 16, 19, {0.0, 1.0}), 2277.0);
  add_margin(sc, {Axis::role}, {1200.0, 727.0}, "roles.yaml:3");
  add_margin(sc, {Axis::sector}, {500.0, 300.0, 200.0}, "sectors.yaml:3");
  add_margin(sc, {Axis::age}, {1.0, 1.0, 2.0, 4.0}, "ages.yaml:3");
  add_margin(sc, {Axis::tenure}, {3.0, 1.0}, "tenure.yaml:3");
  const Eigen::ArrayXd h = build_opening_stock(sc, zero_base(sc));
  const double pr[] = {1200.0 / 1927.0, 727.0 / 1927.0};
  const double ps[] = {0.5, 0.3, 0.2};
  const double pa[] = {0.125, 0.125, 0.25, 0.5};
  const double pk[] = {0.75, 0.25};
  for (Role r = 0; r < 2; ++r) {
    for (Sector s = 0; s < 3; ++s) {
      const double cell = 2277.0 * pr[r] * ps[s];
      expect_rel(at(sc, h, r, s, 0, 0), cell * pa[0], 1e-12);
      EXPECT_EQ(at(sc, h, r, s, 0, 1), 0.0);
      for (AgeIndex a = 1; a < 4; ++a) {
        for (Band k = 0; k < 2; ++k) expect_rel(at(sc, h, r, s, a, k), cell * pa[a] * pk[k], 1e-12);
      }
    }
  }
  expect_rel(h.sum(), 2277.0, 1e-12);
}

TEST(OpeningStock, RecordedRowsSpreadInProportion) {
  // 600 + 300 recorded, 100 "not recorded" dropped by the loader, total 1000:
  // each recorded role is scaled by 1000/900, keeping their 2:1 ratio.
  Scenario sc = make_scenario(make_dims(2, 1, 16, 30, {0.0}), 1000.0);
  add_margin(sc, {Axis::role}, {600.0, 300.0}, "roles.yaml:3");
  const Eigen::ArrayXd h = build_opening_stock(sc, zero_base(sc));
  EXPECT_NEAR(h.segment(0, 15).sum(), 600.0 * 1000.0 / 900.0, 1e-12 * 1000.0);
  EXPECT_NEAR(h.segment(15, 15).sum(), 300.0 * 1000.0 / 900.0, 1e-12 * 1000.0);
}

TEST(OpeningStock, NoAgeMarginIsUniformOverAges) {
  // Only a role×sector joint: every age of a cell holds J[r,s]·(total/ΣJ)/A.
  Scenario sc = make_scenario(make_dims(2, 2, 20, 29, {0.0, 0.5, 2.0, 5.0}), 500.0);
  add_margin(sc, {Axis::role, Axis::sector}, {10.0, 30.0, 40.0, 20.0}, "joint.csv:1");
  const Eigen::ArrayXd h = build_opening_stock(sc, Eigen::ArrayXXd::Constant(2, 2, 0.3));
  std::vector<double> by_age;  // (r, s, a): J[r,s] at every age
  for (const double j : {10.0, 30.0, 40.0, 20.0}) by_age.insert(by_age.end(), 10, j);
  expect_margin(sc, h, {Axis::role, Axis::sector, Axis::age}, by_age, 1e-12);
}

TEST(OpeningStock, JointAndAgeMarginsAreBothReproduced) {
  Scenario sc = make_scenario(make_dims(3, 2, 30, 34, {0.0}), 900.0);
  const std::vector<double> joint = {10.0, 0.0, 25.0, 5.0, 40.0, 20.0};
  const std::vector<double> ages = {1.0, 2.0, 3.0, 2.0, 1.0};
  add_margin(sc, {Axis::role, Axis::sector}, joint, "joint.csv:1");
  add_margin(sc, {Axis::age}, ages, "ages.yaml:7");
  const Eigen::ArrayXd h = build_opening_stock(sc, zero_base(sc));
  expect_margin(sc, h, {Axis::role, Axis::sector}, joint, 1e-10);
  expect_margin(sc, h, {Axis::age}, ages, 1e-10);
}

TEST(OpeningStock, OverlappingJointsFitTheConditionalIndependenceTable) {
  // Role×sector J and role×age G with the same role totals (40, 40): the IPF
  // fixed point from uniform keeps only the (r,s) and (r,a) interactions,
  // H[r,s,a] = J[r,s]·G[r,a] / J[r,·], here with total = 80 (no scaling).
  Scenario sc = make_scenario(make_dims(2, 2, 40, 42, {0.0}), 80.0);
  const double J[2][2] = {{10.0, 30.0}, {20.0, 20.0}};
  const double G[2][3] = {{10.0, 10.0, 20.0}, {5.0, 25.0, 10.0}};
  add_margin(sc, {Axis::role, Axis::sector}, {10.0, 30.0, 20.0, 20.0}, "rs.csv:1");
  add_margin(sc, {Axis::role, Axis::age}, {10.0, 10.0, 20.0, 5.0, 25.0, 10.0}, "ra.csv:1");
  const Eigen::ArrayXd h = build_opening_stock(sc, zero_base(sc));
  for (Role r = 0; r < 2; ++r) {
    for (Sector s = 0; s < 2; ++s) {
      for (AgeIndex a = 0; a < 3; ++a)
        expect_rel(at(sc, h, r, s, a, 0), J[r][s] * G[r][a] / 40.0, 1e-10);
    }
  }
}

TEST(OpeningStock, ThreeOverlappingJointsConverge) {
  // Margins taken from a table with a three-way interaction: a feasible
  // set with no closed form, so IPF must iterate; every margin matches.
  Scenario sc = make_scenario(make_dims(2, 3, 20, 23, {0.0}), 0.0);
  std::vector<double> rs(6, 0.0), ra(8, 0.0), sa(12, 0.0);
  double total = 0.0;
  for (int r = 0; r < 2; ++r) {
    for (int s = 0; s < 3; ++s) {
      for (int a = 0; a < 4; ++a) {
        const double t = 1.0 + r + 2.0 * s + 3.0 * a + 5.0 * r * s * a;
        rs[static_cast<std::size_t>(r * 3 + s)] += t;
        ra[static_cast<std::size_t>(r * 4 + a)] += t;
        sa[static_cast<std::size_t>(s * 4 + a)] += t;
        total += t;
      }
    }
  }
  sc.opening.total = total;
  add_margin(sc, {Axis::role, Axis::sector}, rs, "rs.csv:1");
  add_margin(sc, {Axis::role, Axis::age}, ra, "ra.csv:1");
  add_margin(sc, {Axis::sector, Axis::age}, sa, "sa.csv:1");
  const Eigen::ArrayXd h = build_opening_stock(sc, zero_base(sc));
  expect_margin(sc, h, {Axis::role, Axis::sector}, rs, 1e-10);
  expect_margin(sc, h, {Axis::role, Axis::age}, ra, 1e-10);
  expect_margin(sc, h, {Axis::sector, Axis::age}, sa, 1e-10);
}

TEST(OpeningStock, InfeasibleTenureMovesToTheHighestFeasibleBand) {
  // Ages 16..25, bands [0,.5) [.5,2) [2,5) [5,inf), uniform margins, total 400:
  // 10 in every (age, band) before the move. Band k is feasible at index i iff
  // its lower edge < i + 1: at i = 0, 1 the top feasible band is 1 (so
  // 10, 30, 0, 0); at i = 2..4 it is 2 (10, 10, 20, 0); from i = 5 all are.
  Scenario sc = make_scenario(make_dims(1, 1, 16, 25, {0.0, 0.5, 2.0, 5.0}), 400.0);
  add_margin(sc, {Axis::age}, std::vector<double>(10, 1.0), "ages.yaml:1");
  add_margin(sc, {Axis::tenure}, {1.0, 1.0, 1.0, 1.0}, "tenure.yaml:1");
  const Eigen::ArrayXd h = build_opening_stock(sc, zero_base(sc));
  const double young[] = {10.0, 30.0, 0.0, 0.0};
  const double middle[] = {10.0, 10.0, 20.0, 0.0};
  for (AgeIndex a = 0; a < 10; ++a) {
    for (Band k = 0; k < 4; ++k) {
      const double expected = a < 2 ? young[k] : a < 5 ? middle[k] : 10.0;
      EXPECT_NEAR(at(sc, h, 0, 0, a, k), expected, 1e-12) << "age index " << a << " band " << k;
    }
  }
  expect_rel(h.sum(), 400.0, 1e-12);
}

std::string message_of_build(const Scenario& sc) {
  try {
    (void)build_opening_stock(sc, zero_base(sc));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(OpeningStock, ContradictoryMarginsThrowNamingThem) {
  // The joint has no one in sector1; the sector margin wants half there.
  for (const bool joint_first : {true, false}) {
    Scenario sc = make_scenario(make_dims(2, 2, 20, 25, {0.0}), 100.0);
    if (joint_first)
      add_margin(sc, {Axis::role, Axis::sector}, {5.0, 0.0, 5.0, 0.0}, "joint.csv:4");
    add_margin(sc, {Axis::sector}, {1.0, 1.0}, "sectors.yaml:12");
    if (!joint_first)
      add_margin(sc, {Axis::role, Axis::sector}, {5.0, 0.0, 5.0, 0.0}, "joint.csv:4");
    const std::string message = message_of_build(sc);
    EXPECT_NE(message.find("joint.csv:4"), std::string::npos) << message;
    EXPECT_NE(message.find("sectors.yaml:12"), std::string::npos) << message;
    EXPECT_NE(message.find("sector=sector1"), std::string::npos) << message;
  }
}

TEST(OpeningStock, DisagreeingPositiveMarginsThrow) {
  // Two role margins 1:1 and 1:3 cannot both hold; IPF flips between them.
  Scenario sc = make_scenario(make_dims(2, 1, 20, 25, {0.0}), 100.0);
  add_margin(sc, {Axis::role}, {1.0, 1.0}, "a.yaml:1");
  add_margin(sc, {Axis::role}, {1.0, 3.0}, "b.yaml:1");
  const std::string message = message_of_build(sc);
  EXPECT_NE(message.find("a.yaml:1"), std::string::npos) << message;
  EXPECT_NE(message.find("b.yaml:1"), std::string::npos) << message;
}

TEST(OpeningStock, StationaryTenureUsesTheAgeAveragedHazard) {
  // People at age index 10 (weight 3) and 20 (weight 1): w = (3/4, 1/4). The
  // operator is the first year's, whose hazards use the age index at the
  // coming census: 11 and 21. age_factor 2 at index 11, 1 at 21; q = 0.1 at
  // 21 (h_ret = ln(10/9)); base 0.2; tenure factors (3, 1.5, 1, 1).
  // h_k = ¾·0.2·2·tf_k + ¼·(0.2·tf_k + ln(10/9)) = 0.35·tf_k + 0.25·ln(10/9).
  // Both ages get that split (all bands feasible). Factors at the opening
  // indices 10 and 20 play no part (set to 9 to show it).
  Scenario sc = make_scenario(make_dims(1, 1, 16, 40, {0.0, 0.5, 2.0, 5.0}), 120.0);
  std::vector<double> ages(25, 0.0);
  ages[10] = 3.0;
  ages[20] = 1.0;
  add_margin(sc, {Axis::age}, ages, "ages.yaml:1");
  sc.turnover.age_factor = Eigen::ArrayXXd::Ones(1, 25);
  sc.turnover.age_factor(0, 11) = 2.0;
  sc.turnover.age_factor(0, 10) = 9.0;
  sc.turnover.age_factor(0, 20) = 9.0;
  sc.turnover.tenure_factor.resize(1, 4);
  sc.turnover.tenure_factor << 3.0, 1.5, 1.0, 1.0;
  sc.retirement.q = Eigen::ArrayXXd::Zero(1, 25);
  sc.retirement.q(0, 21) = 0.1;
  sc.retirement.q(0, 20) = 0.9;
  const Eigen::ArrayXd h = build_opening_stock(sc, Eigen::ArrayXXd::Constant(1, 1, 0.2));
  const Eigen::ArrayXd hazard =
      0.35 * sc.turnover.tenure_factor.row(0).transpose() + 0.25 * std::log(10.0 / 9.0);
  const Eigen::ArrayXd split = stationary_tenure(sc.dims, 0.25, hazard);
  for (Band k = 0; k < 4; ++k) {
    expect_rel(at(sc, h, 0, 0, 10, k), 90.0 * split(k), 1e-12);
    expect_rel(at(sc, h, 0, 0, 20, k), 30.0 * split(k), 1e-12);
  }
  // Empty factor tables count as 1 and no retirement: the hazard is base alone.
  sc.turnover = Turnover{};
  sc.retirement = Retirement{};
  const Eigen::ArrayXd plain = build_opening_stock(sc, Eigen::ArrayXXd::Constant(1, 1, 0.2));
  const Eigen::ArrayXd base_split =
      stationary_tenure(sc.dims, 0.25, Eigen::ArrayXd::Constant(4, 0.2));
  for (Band k = 0; k < 4; ++k) expect_rel(at(sc, plain, 0, 0, 10, k), 90.0 * base_split(k), 1e-12);
}

TEST(OpeningStock, TotalIsConservedAndEverythingFiniteAndNonNegative) {
  Scenario sc = make_scenario(make_dims(3, 2, 16, 74, {0.0, 0.5, 2.0, 5.0}), 2277.0);
  add_margin(sc, {Axis::role, Axis::sector}, {100.0, 50.0, 0.0, 30.0, 12.0, 7.0}, "rs.csv:1");
  // Role×age with the joint's role totals (150, 30, 19), uneven age profiles.
  const double role_total[] = {150.0, 30.0, 19.0};
  std::vector<double> ra;
  for (int r = 0; r < 3; ++r) {
    std::vector<double> profile;
    double sum = 0.0;
    for (int a = 0; a < 59; ++a) {
      profile.push_back(1.0 + static_cast<double>((a * 7 + r * 3) % 11));
      sum += profile.back();
    }
    for (const double f : profile) ra.push_back(role_total[r] * f / sum);
  }
  add_margin(sc, {Axis::role, Axis::age}, ra, "ra.csv:1");
  sc.retirement.q = Eigen::ArrayXXd::Zero(3, 59);
  sc.retirement.q.rightCols(15).setConstant(0.2);
  const Eigen::ArrayXd h = build_opening_stock(sc, Eigen::ArrayXXd::Constant(3, 2, 0.25));
  ASSERT_EQ(static_cast<std::size_t>(h.size()), sc.dims.n_cells());
  EXPECT_TRUE(h.isFinite().all());
  EXPECT_TRUE((h >= 0.0).all());
  expect_rel(h.sum(), 2277.0, 1e-12);
  for (Band k = 2; k < 4; ++k) EXPECT_EQ(at(sc, h, 0, 0, 0, k), 0.0);  // age 16
}

}  // namespace
}  // namespace staffsim
