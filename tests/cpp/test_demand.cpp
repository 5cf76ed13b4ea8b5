// Demand (DESIGN.md 2.3) and the demand levers (2.5): need-based posts on a
// hand-computed case, the base-year calibration posts0 = phi H0 / (1 - rate),
// every demand lever under every path shape, personalisation and
// outsourcing, client-group attribution and index mode. The calibration
// rules themselves are in test_demand_calibration.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "staffsim/simulation.hpp"
#include "support/demand_case.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::demand_case;
using testing::DemandEffects;
using testing::hand_raw;
using testing::HandRaw;
using testing::kPosts0CwDp;
using testing::kPosts0CwInd;
using testing::kPosts0PaDp;
using testing::shaped_path;

constexpr int kCwInd = 0;  // rs of (care_worker, independent)
constexpr int kCwDp = 1;
constexpr int kPaInd = 2;
constexpr int kPaDp = 3;

double sigma(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// DESIGN.md 2.5, written independently of the engine: a path from 2012 to
// 2016; `step` switches after start_year; logistic with k = 10.
double expected_lever(PathShape shape, double from, double to, double year) {
  const double x = std::clamp((year - 2012.0) / 4.0, 0.0, 1.0);
  switch (shape) {
    case PathShape::step:
      return year > 2012.0 ? to : from;
    case PathShape::logistic:
      return from +
             (to - from) * (sigma(10.0 * (x - 0.5)) - sigma(-5.0)) / (sigma(5.0) - sigma(-5.0));
    default:
      return from + (to - from) * x;
  }
}

// posts = raw scale demand_scale with scale = posts0 / raw0 (levers neutral in 2010).
void expect_posts(const YearResult& yr, const HandRaw& raw, double demand_scale = 1.0) {
  const HandRaw raw0 = hand_raw(2010.0);
  const double tol = 1e-12;
  EXPECT_TRUE(testing::near_rel(yr.posts[kCwInd],
                                kPosts0CwInd * raw.cw_ind / raw0.cw_ind * demand_scale, tol))
      << yr.year << " care_worker,independent " << yr.posts[kCwInd];
  EXPECT_TRUE(testing::near_rel(yr.posts[kCwDp], kPosts0CwDp * raw.cw_dp / raw0.cw_dp, tol))
      << yr.year << " care_worker,direct_payment " << yr.posts[kCwDp];
  EXPECT_EQ(yr.posts[kPaInd], 0.0) << yr.year;
  EXPECT_TRUE(testing::near_rel(yr.posts[kPaDp], kPosts0PaDp * raw.pa_dp / raw0.pa_dp, tol))
      << yr.year << " personal_assistant,direct_payment " << yr.posts[kPaDp];
}

// x = 1/4, 1/2, 3/4 of a 2012-2016 ramp from 1 to 0.6, k = 10. By hand:
// (sigma(-2.5) - sigma(-5)) / (sigma(5) - sigma(-5)) = (0.0758582 - 0.0066929)
// / 0.9866143 = 0.0701037; x = 1/2 is the midpoint by symmetry and 3/4 the
// mirror image, 1 - 0.0701037.
TEST(LeverPaths, ShapesFollowTheDesignFormulas) {
  const LeverPath logistic = shaped_path(PathShape::logistic, 2012, 2016, 1.0, 0.6);
  EXPECT_NEAR(logistic.at(2013.0), 1.0 - 0.4 * 0.0701037, 1e-7);
  EXPECT_NEAR(logistic.at(2014.0), 0.8, 1e-15);
  EXPECT_NEAR(logistic.at(2015.0), 1.0 - 0.4 * (1.0 - 0.0701037), 1e-7);
  for (const double y : {2010.0, 2012.0, 2013.0, 2014.0, 2015.0, 2016.0, 2019.0}) {
    EXPECT_NEAR(logistic.at(y), expected_lever(PathShape::logistic, 1.0, 0.6, y), 1e-15) << y;
  }
  const LeverPath linear = shaped_path(PathShape::linear, 2012, 2016, 1.0, 0.6);
  EXPECT_DOUBLE_EQ(linear.at(2011.0), 1.0);
  EXPECT_DOUBLE_EQ(linear.at(2013.0), 0.9);
  EXPECT_DOUBLE_EQ(linear.at(2014.0), 0.8);
  EXPECT_DOUBLE_EQ(linear.at(2017.0), 0.6);
  // step switches after start_year: from at 2012 itself, to just after.
  const LeverPath step = shaped_path(PathShape::step, 2012, 2016, 1.0, 0.6);
  EXPECT_EQ(step.at(2012.0), 1.0);
  EXPECT_EQ(step.at(2012.0 + 1.0 / 12.0), 0.6);
  EXPECT_EQ(step.at(2013.0), 0.6);
}

// The case of support/demand_case.hpp by hand. Users u0 (older_people) =
// 0.1 g0 + 0.4 g1, u1 = 0.01 g0 + 0.02 g1; service users U_v = sum_c u_c mix:
//   2010: g = 1000 | 200: u = 180 | 14; U = 61 | 92.8 | 40.2
//     cw,ind = 0.8*61 + 0.5*0.75*92.8 = 48.8 + 34.8 = 83.6
//     cw,dp  = 0.5*0.25*92.8 + 0.2*40.2 = 11.6 + 8.04 = 19.64;  pa,dp = 0.6*40.2 = 24.12
//   2015: g = 1100 | 250: u = 210 | 16; U = 71 | 108.2 | 46.8
//     cw,ind = 56.8 + 40.575 = 97.375; cw,dp = 13.525 + 9.36 = 22.885; pa,dp = 28.08
//   2020: g = 1200 | 300: u = 240 | 18; U = 81 | 123.6 | 53.4
//     cw,ind = 64.8 + 46.35 = 111.15; cw,dp = 15.45 + 10.68 = 26.13; pa,dp = 32.04
// 2022 holds the 2020 populations. posts = posts0 raw / raw0.
TEST(NeedDemand, PostsFollowTheHandArithmetic) {
  const struct {
    int year;
    double cw_ind, cw_dp, pa_dp;
  } expected[] = {{2010, 83.6, 19.64, 24.12},
                  {2015, 97.375, 22.885, 28.08},
                  {2020, 111.15, 26.13, 32.04},
                  {2022, 111.15, 26.13, 32.04}};
  Simulation sim(demand_case());
  sim.run();
  for (const auto& e : expected) {
    const HandRaw raw = hand_raw(e.year);  // the helper agrees with the literals
    EXPECT_NEAR(raw.cw_ind, e.cw_ind, 1e-12);
    EXPECT_NEAR(raw.cw_dp, e.cw_dp, 1e-12);
    EXPECT_NEAR(raw.pa_dp, e.pa_dp, 1e-12);
    const YearResult& yr = sim.results().at_year(e.year);
    const double rel = 1e-12;
    EXPECT_TRUE(testing::near_rel(yr.posts[kCwInd], kPosts0CwInd * e.cw_ind / 83.6, rel));
    EXPECT_TRUE(testing::near_rel(yr.posts[kCwDp], kPosts0CwDp * e.cw_dp / 19.64, rel));
    EXPECT_TRUE(testing::near_rel(yr.posts[kPaDp], kPosts0PaDp * e.pa_dp / 24.12, rel));
    EXPECT_EQ(yr.posts[kPaInd], 0.0);
  }
  // Between census points (2012: g = 1040 | 220, u = 192 | 14.8): the helper's
  // linear populations, checked once by hand: U_res = 57.6 + 7.4 = 65.
  const YearResult& y2012 = sim.results().at_year(2012);
  expect_posts(y2012, hand_raw(2012.0));
  EXPECT_NEAR(0.3 * 192.0 + 0.5 * 14.8, 65.0, 1e-12);
  EXPECT_FALSE(sim.results().posts_by_construction);
}

// posts0 = phi H0 / (1 - rate): vacancies / posts = rate exactly, in FTE and
// in headcount terms ((posts_hc - H) / posts_hc), e.g. cw,ind: posts0 =
// 80 / 0.9 = 88.89 FTE = 111.1 heads for 100 people: 11.1 / 111.1 = 0.1.
TEST(NeedDemand, OpeningVacancyRateIsReproducedInEveryCell) {
  Simulation sim(demand_case());
  const YearResult& yr = sim.results().at_year(2010);
  const double rate[] = {0.10, 0.20, 0.0, 0.05};
  for (const int rs : {kCwInd, kCwDp, kPaDp}) {
    EXPECT_NEAR(yr.vacancies[rs] / yr.posts[rs], rate[rs], 1e-14) << rs;
    EXPECT_NEAR((yr.posts_hc[rs] - yr.headcount[rs]) / yr.posts_hc[rs], rate[rs], 1e-14) << rs;
  }
  EXPECT_NEAR(yr.posts[kCwInd], 80.0 / 0.9, 1e-12);
  EXPECT_NEAR(yr.posts_hc[kCwInd], 100.0 / 0.9, 1e-12);
  EXPECT_NEAR(yr.posts[kCwDp], 18.75, 1e-12);
  EXPECT_NEAR(yr.posts[kPaDp], 18.0 / 0.95, 1e-12);
  EXPECT_EQ(yr.posts[kPaInd], 0.0);
  EXPECT_EQ(yr.vacancies[kPaInd], 0.0);
}

// ---- Every demand lever x every shape -----------------------------------

struct LeverCase {
  const char* name;
  LeverType type;
  double from, to;
  void (*select)(Lever&);
  void (*apply)(DemandEffects&, double);
};

const LeverCase kLeverCases[] = {
    {"prevention", LeverType::prevention, 1.0, 0.5,
     [](Lever& l) {
       l.client_groups = {0};
       l.age_groups = {1};
     },
     [](DemandEffects& e, double v) { e.prevention = v; }},
    {"personalisation", LeverType::personalisation, 0.2, 0.6,
     [](Lever& l) {
       l.client_groups = {0};
       l.to_service = 2;
       l.from_services = {0, 1};
     },
     [](DemandEffects& e, double v) { e.personalisation = v; }},
    {"intensity", LeverType::intensity, 1.0, 1.5, [](Lever& l) { l.services = {0}; },
     [](DemandEffects& e, double v) { e.intensity = v; }},
    {"productivity", LeverType::productivity, 1.0, 1.25,
     [](Lever& l) {
       l.services = {1};
       l.roles = {0};
     },
     [](DemandEffects& e, double v) { e.productivity = v; }},
    {"outsourcing", LeverType::outsourcing, 0.0, 0.4,
     [](Lever& l) {
       l.services = {1};
       l.from_sector = 0;
       l.to_sectors = {1};
     },
     [](DemandEffects& e, double v) { e.outsourcing = v; }},
    {"demand_scale", LeverType::demand_scale, 1.0, 0.8,
     [](Lever& l) {
       l.roles = {0};
       l.sectors = {0};
     },
     [](DemandEffects& e, double v) { e.demand_scale = v; }},
};

class DemandLevers : public ::testing::TestWithParam<std::tuple<int, PathShape>> {};

// Each lever runs 2012-2016 from its neutral value; at 2010 (calibration),
// 2012 (start), 2013/2014/2015 (x = 1/4, 1/2, 3/4), 2016 (end) and 2018
// (held) the posts equal the hand formula of demand_case.cpp at the lever
// value of DESIGN.md 2.5.
TEST_P(DemandLevers, PostsFollowTheLeverPath) {
  const auto [index, shape] = GetParam();
  const LeverCase& lc = kLeverCases[index];
  Scenario sc = demand_case();
  Lever lever =
      testing::path_lever(lc.name, lc.type, shaped_path(shape, 2012, 2016, lc.from, lc.to));
  lc.select(lever);
  sc.levers.push_back(lever);
  Simulation sim(std::move(sc));
  sim.run();
  for (const int year : {2010, 2012, 2013, 2014, 2015, 2016, 2018}) {
    const double v = expected_lever(shape, lc.from, lc.to, year);
    DemandEffects e;
    lc.apply(e, v);
    SCOPED_TRACE(std::string(lc.name) + " at " + std::to_string(year) + " = " + std::to_string(v));
    expect_posts(sim.results().at_year(year), hand_raw(year, e), e.demand_scale);
  }
}

INSTANTIATE_TEST_SUITE_P(AllShapes, DemandLevers,
                         ::testing::Combine(::testing::Range(0, 6),
                                            ::testing::Values(PathShape::linear, PathShape::step,
                                                              PathShape::logistic)),
                         [](const auto& p) {
                           const PathShape shape = std::get<1>(p.param);
                           return std::string(kLeverCases[std::get<0>(p.param)].name) +
                                  (shape == PathShape::linear ? "_linear"
                                   : shape == PathShape::step ? "_step"
                                                              : "_logistic");
                         });

// Intensity > 1 raises posts, productivity > 1 lowers them (constant from 2011).
TEST(NeedDemand, IntensityRaisesAndProductivityLowersPosts) {
  const YearResult base = run_scenario(demand_case()).at_year(2014);
  for (const auto type : {LeverType::intensity, LeverType::productivity}) {
    Scenario sc = demand_case();
    sc.levers.push_back(
        testing::path_lever("l", type, shaped_path(PathShape::step, 2011, 2011, 1.0, 1.3)));
    const YearResult yr = run_scenario(sc).at_year(2014);
    for (const int rs : {kCwInd, kCwDp, kPaDp}) {
      if (type == LeverType::intensity) {
        EXPECT_GT(yr.posts[rs], base.posts[rs]) << rs;
      } else {
        EXPECT_LT(yr.posts[rs], base.posts[rs]) << rs;
      }
    }
  }
}

// ---- Personalisation and outsourcing ------------------------------------

// One client group of 200 users (1000 people x 0.2), mix residential 0.25,
// home_care 0.5, direct_payment 0.25; an `assessor` needs 1 FTE per user of
// every service (so its posts count users), a PA 0.8 per direct-payment user
// (provided by the direct_payment sector). H0 = raw for the assessor (scale
// 1), 20 PAs for raw 40 (scale 0.5, effective ratio 0.8 x 0.5 = 0.4).
// Personalisation to 0.4 after 2011: residential and home care scale by
// (0.75 - 0.15) / 0.75 = 0.8, so U = 40 | 80 | 80: the assessor's posts
// 120 + 80 = 200 (users conserved) and the PAs 20 + 0.4 x 30 moved users = 32.
// A target below the base share (0.1) changes nothing: mix' = max(mix, pi).
TEST(NeedDemand, PersonalisationConservesUsersAndMovesPostsToPersonalAssistants) {
  for (const double target : {0.4, 0.1}) {
    Scenario sc = testing::blank_scenario(2, 2, 4, 16, 74, 1.0, 2010, 2013);
    sc.dims.roles = {"assessor", "personal_assistant"};
    sc.dims.sectors = {"private", "direct_payment"};
    testing::use_need_demand(sc, 1, 1, 3);
    NeedDemand& need = sc.demand.need;
    need.age_groups[0].population = YearPath::constant(1000.0);
    need.prevalence(0, 0) = 0.2;
    need.mix << 0.25, 0.5, 0.25;
    need.ratio << 1.0, 0.0, 1.0, 0.0, 1.0, 0.8;
    need.provider << 1.0, 0.0, 1.0, 0.0, 0.0, 1.0;
    Eigen::ArrayXd H = testing::empty_stock(sc);
    H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 20, 3))] = 150.0;
    H[static_cast<Eigen::Index>(sc.dims.cell(0, 1, 20, 3))] = 50.0;
    H[static_cast<Eigen::Index>(sc.dims.cell(1, 1, 20, 3))] = 20.0;
    testing::set_opening_stock(sc, H);
    Lever lever = testing::path_lever("personal_budgets", LeverType::personalisation,
                                      shaped_path(PathShape::step, 2011, 2011, 0.25, target));
    lever.to_service = 2;
    lever.from_services = {0, 1};
    sc.levers.push_back(lever);
    const Results res = run_scenario(sc);
    const YearResult& before = res.at_year(2011);
    EXPECT_NEAR(before.posts[0], 150.0, 1e-12);
    EXPECT_NEAR(before.posts[1], 50.0, 1e-12);
    EXPECT_NEAR(before.posts[3], 20.0, 1e-12);
    for (const int year : {2012, 2013}) {
      const YearResult& yr = res.at_year(year);
      const bool moves = target > 0.25;
      EXPECT_NEAR(yr.posts[0] + yr.posts[1], 200.0, 1e-12) << year;
      EXPECT_NEAR(yr.posts[0], moves ? 120.0 : 150.0, 1e-12) << year;
      EXPECT_NEAR(yr.posts[1], moves ? 80.0 : 50.0, 1e-12) << year;
      EXPECT_NEAR(yr.posts[3], moves ? 20.0 + 0.4 * 30.0 : 20.0, 1e-12) << year;
      EXPECT_EQ(yr.posts[2], 0.0);
    }
  }
}

// One role, sectors local_authority | private | voluntary; 100 users, mix
// residential 0.4 | home_care 0.6, ratio 1 | 0.5, provider residential
// 0.5 | 0.3 | 0.2, home_care 0.2 | 0.5 | 0.3. raw = 20 + 6 | 12 + 15 | 8 + 9
// = 26 | 27 | 17 = H0 (scale 1). Outsourcing of residential from the local
// authority to private and voluntary, 0 -> 0.5 linear over 2011-2013: a
// fraction f of the LA's BASE share 0.5 moves, split 0.3 : 0.2 = 0.6 : 0.4.
//   2012, f = 0.25: 0.125 moves: LA 0.375, private 0.375, voluntary 0.25;
//     posts = 15 + 6 | 15 + 15 | 10 + 9 = 21 | 30 | 19
//   2013+, f = 0.5: 0.25 moves: 0.25 | 0.45 | 0.3; posts 16 | 33 | 21
// Home care (not selected) keeps its shares; the total 70 is conserved.
TEST(NeedDemand, OutsourcingMovesTheBaseShareProRata) {
  Scenario sc = testing::blank_scenario(1, 3, 4, 16, 74, 1.0, 2010, 2014);
  sc.dims.sectors = {"local_authority", "private", "voluntary"};
  testing::use_need_demand(sc, 1, 1, 2);
  NeedDemand& need = sc.demand.need;
  need.age_groups[0].population = YearPath::constant(1000.0);
  need.prevalence(0, 0) = 0.1;
  need.mix << 0.4, 0.6;
  need.ratio << 1.0, 0.5;
  need.provider << 0.5, 0.3, 0.2, 0.2, 0.5, 0.3;
  Eigen::ArrayXd H = testing::empty_stock(sc);
  const double h0[] = {26.0, 27.0, 17.0};
  for (int s = 0; s < 3; ++s) H[static_cast<Eigen::Index>(sc.dims.cell(0, s, 20, 3))] = h0[s];
  testing::set_opening_stock(sc, H);
  Lever lever = testing::path_lever("outsource", LeverType::outsourcing,
                                    shaped_path(PathShape::linear, 2011, 2013, 0.0, 0.5));
  lever.services = {0};
  lever.from_sector = 0;
  lever.to_sectors = {1, 2};
  sc.levers.push_back(lever);
  const Results res = run_scenario(sc);
  const struct {
    int year;
    double la, pr, vol;
  } expected[] = {{2011, 26, 27, 17}, {2012, 21, 30, 19}, {2013, 16, 33, 21}, {2014, 16, 33, 21}};
  for (const auto& e : expected) {
    const YearResult& yr = res.at_year(e.year);
    EXPECT_NEAR(yr.posts[0], e.la, 1e-12) << e.year;
    EXPECT_NEAR(yr.posts[1], e.pr, 1e-12) << e.year;
    EXPECT_NEAR(yr.posts[2], e.vol, 1e-12) << e.year;
  }
}

// ---- Attribution to client groups and index mode -------------------------

// posts_by_client_group splits each cell's posts by the client groups' shares
// of raw: they sum to the posts, demand_scale included. By hand, pa,dp in
// 2010: older people's share of raw = 0.6 x 0.2 x 180 / 24.12 = 21.6 / 24.12.
TEST(NeedDemand, PostsByClientGroupSumToPosts) {
  Scenario sc = demand_case();
  Lever cap = testing::path_lever("cap", LeverType::demand_scale,
                                  shaped_path(PathShape::linear, 2012, 2016, 1.0, 0.7));
  cap.roles = {0};
  sc.levers.push_back(cap);
  Simulation sim(std::move(sc));
  sim.run();
  for (const int year : {2010, 2013, 2016, 2020}) {
    const YearResult& yr = sim.results().at_year(year);
    ASSERT_EQ(yr.posts_by_client_group.cols(), 2);
    for (int rs = 0; rs < 4; ++rs) {
      EXPECT_NEAR(yr.posts_by_client_group.row(rs).sum(), yr.posts[rs], 1e-12 * yr.posts[rs])
          << year << " rs " << rs;
    }
  }
  const YearResult& y2010 = sim.results().at_year(2010);
  EXPECT_NEAR(y2010.posts_by_client_group(kPaDp, 0), kPosts0PaDp * 21.6 / 24.12, 1e-12);
  EXPECT_NEAR(y2010.posts_by_client_group(kPaDp, 1), kPosts0PaDp * 2.52 / 24.12, 1e-12);
}

// Index mode: posts = posts0 index(t), posts0 = phi H0 / (1 - rate).
// (0,0): phi 0.5, H0 100, rate 0.2: posts0 = 62.5; index 1 in 2010 -> 1.5 in
// 2020: 2014 -> 1.2 x 62.5 = 75, 2018 -> 1.4 x 62.5 = 87.5.
// (0,1): phi 1, H0 50, rate 0: posts0 = 50; index 1 -> 0.8 in 2015, held:
// 2014 -> 0.84 x 50 = 42, 2018 -> 40. Results say the posts hold by construction.
TEST(IndexDemand, PostsFollowTheIndexByConstruction) {
  Scenario sc = testing::blank_scenario(1, 2, 4, 16, 74, 1.0, 2010, 2018);
  sc.demand.mode = DemandMode::index;
  sc.fte_factor << 0.5, 1.0;
  sc.demand.opening_vacancy_rate.resize(1, 2);
  sc.demand.opening_vacancy_rate << 0.2, 0.0;
  sc.demand.index = {testing::year_table({{2010, 1.0}, {2020, 1.5}}),
                     testing::year_table({{2010, 1.0}, {2015, 0.8}})};
  Eigen::ArrayXd H = testing::empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 20, 3))] = 100.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 1, 20, 3))] = 50.0;
  testing::set_opening_stock(sc, H);
  const Results res = run_scenario(sc);
  EXPECT_TRUE(res.posts_by_construction);
  EXPECT_NEAR(res.at_year(2010).posts[0], 62.5, 1e-12);
  EXPECT_NEAR(res.at_year(2010).vacancies[0] / res.at_year(2010).posts[0], 0.2, 1e-14);
  EXPECT_NEAR(res.at_year(2010).posts[1], 50.0, 1e-12);
  EXPECT_NEAR(res.at_year(2014).posts[0], 75.0, 1e-12);
  EXPECT_NEAR(res.at_year(2014).posts[1], 42.0, 1e-12);
  EXPECT_NEAR(res.at_year(2018).posts[0], 87.5, 1e-12);
  EXPECT_NEAR(res.at_year(2018).posts[1], 40.0, 1e-12);
}

}  // namespace
}  // namespace staffsim
