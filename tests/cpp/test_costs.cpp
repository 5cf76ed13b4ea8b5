// Money (DESIGN.md 2.6), integrated over the steps of each year, hand-computed
// on small cases: pay bill = sum_steps FTE pay (1 + pay lever) dt; recruitment
// cost = (external hires + employer moves in) x cost per hire, promotions and
// training completers excluded; vacancy cover = sum_steps max(0, posts - FTE)
// x agency share x pay x agency premium x dt; training cost = trainee-years x
// cost per trainee-year + completers x cost per completer. Stocks are taken
// at the end of each step, where its levers and posts are evaluated
// (t_m + dt). The first year carries no money (NaN); no costs give zeros.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

void expect_first_year_nan(const Results& res) {
  const YearResult& first = res.at_year(res.years.front().year);
  EXPECT_FALSE(first.has_flows);
  EXPECT_TRUE(first.pay_bill.isNaN().all());
  EXPECT_TRUE(first.recruitment_cost.isNaN().all());
  EXPECT_TRUE(first.vacancy_cover_cost.isNaN().all());
  EXPECT_TRUE(first.training_cost.isNaN().all());
}

void set_costs(Scenario& sc) {
  const int R = sc.dims.n_roles();
  const int S = sc.dims.n_sectors();
  sc.costs.price_base_year = sc.time.start_year;
  sc.costs.pay.setZero(R, S);
  sc.costs.cost_per_hire.setZero(R, S);
  sc.costs.agency_share.setZero(R, S);
  sc.costs.agency_premium.setZero(R, S);
}

// One role x two sectors, quarterly, no leaving. Sector 0: 100 people at
// phi 0.8, 40 hires a year (10 a step); sector 1: 50 people at phi 1. Pay
// 20000 | 25000; a pay lever on sector 0 ramps 0 -> 0.1 over 2010-2012
// (0.05 a year), evaluated at each step's end.
//   2011, sector 0: H = 110, 120, 130, 140 -> FTE 88, 96, 104, 112, pay
//     factors 1.0125, 1.025, 1.0375, 1.05: 88 x 1.0125 + 96 x 1.025 +
//     104 x 1.0375 + 112 x 1.05 = 89.1 + 98.4 + 107.9 + 117.6 = 413;
//     x 20000 x 0.25 = 2,065,000
//   2012: FTE 120, 128, 136, 144 x 1.0625, 1.075, 1.0875, 1.1 = 127.5 + 137.6
//     + 147.9 + 158.4 = 571.4; x 5000 = 2,857,000
//   2013: FTE 152, 160, 168, 176 x 1.1 = 721.6; x 5000 = 3,608,000
//   sector 1: 50 x 25000 = 1,250,000 every year.
TEST(Costs, PayBillIntegratesFteTimesPayWithThePayLever) {
  Scenario sc = testing::blank_scenario(1, 2, 4, 16, 74, 1.0, 2010, 2013);
  sc.fte_factor << 0.8, 1.0;
  Eigen::ArrayXd H = testing::empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 20, 3))] = 100.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 1, 20, 3))] = 50.0;
  testing::set_opening_stock(sc, H);
  testing::add_source_at_age(sc, "school", 4);
  sc.recruitment[0].mode = RecruitMode::fixed_number;
  sc.recruitment[0].number = 40.0;
  set_costs(sc);
  sc.costs.pay << 20000.0, 25000.0;
  Lever pay = testing::path_lever("pay_rise", LeverType::pay,
                                  testing::shaped_path(PathShape::linear, 2010, 2012, 0.0, 0.1));
  pay.sectors = {0};
  sc.levers.push_back(pay);
  const Results res = run_scenario(sc);
  expect_first_year_nan(res);
  EXPECT_NEAR(res.at_year(2011).pay_bill[0], 2065000.0, 1e-6);
  EXPECT_NEAR(res.at_year(2012).pay_bill[0], 2857000.0, 1e-6);
  EXPECT_NEAR(res.at_year(2013).pay_bill[0], 3608000.0, 1e-6);
  for (const int year : {2011, 2012, 2013}) {
    EXPECT_NEAR(res.at_year(year).pay_bill[1], 1250000.0, 1e-6) << year;
    // No agency share: no vacancy cover.
    EXPECT_EQ(res.at_year(year).vacancy_cover_cost[0], 0.0);
  }
}

// Two roles x two sectors, one step a year. 100 people in (r0,s0) at 30 with
// annual hazard -ln(0.8): 20 leave in the step, 4 to each destination (exit,
// same_sector, sector s1, role r1, role r1 x sector s1). 7 hires into (r0,s0).
// A route r0 -> r1 in s0 (max_rate 0.1, any tenure) promotes 0.1 x (80 + 4)
// = 8.4 into 1000 open posts; a one-year programme (intake 6, stationary)
// brings 6 completers into (r1,s0). Cost per hire 1000 | 2000 | 3000 | 4000:
//   (r0,s0): hires 7 + same_sector 4 = 11 -> 11,000
//   (r0,s1): from_sector 4 -> 8,000
//   (r1,s0): from_role 4 -> 12,000 (not promotion 8.4, not training 6)
//   (r1,s1): from_role_sector 4 -> 16,000
TEST(Costs, RecruitmentCostCountsHiresAndEmployerMovesOnly) {
  Scenario sc = testing::blank_scenario(2, 2, 1, 16, 74, 1.0, 2010, 2011);
  testing::set_opening_cohort(sc, 0, 0, 14, 3, 100.0);
  sc.turnover.base(0, 0) = -std::log(0.8);
  sc.destinations[0] = {0.2,
                        {{MoveKind::same_sector, 0, 0, 0.2},
                         {MoveKind::to_sector, 0, 1, 0.2},
                         {MoveKind::to_role, 1, 0, 0.2},
                         {MoveKind::to_role_sector, 1, 1, 0.2}}};
  testing::add_source_at_age(sc, "school", 4);
  sc.recruitment[0].mode = RecruitMode::fixed_number;
  sc.recruitment[0].number = 7.0;
  testing::set_posts(sc, 1, 0, 1000.0);
  sc.promotion.push_back(PromotionRoute{"step_up", 0, 1, 0.1, 0, {0}});
  sc.programmes.push_back(testing::make_programme(sc, "course", 1, 1, 6.0, 3));
  set_costs(sc);
  sc.costs.cost_per_hire << 1000.0, 2000.0, 3000.0, 4000.0;
  const Results res = run_scenario(sc);
  expect_first_year_nan(res);
  const YearResult& yr = res.at_year(2011);
  // The flows are the ones derived above.
  EXPECT_NEAR(yr.flows.start(0, Start::hire), 7.0, 1e-12);
  EXPECT_NEAR(yr.flows.start(0, Start::same_sector), 4.0, 1e-12);
  EXPECT_NEAR(yr.flows.start(2, Start::promotion), 8.4, 1e-12);
  EXPECT_NEAR(yr.flows.start(2, Start::training), 6.0, 1e-12);
  EXPECT_NEAR(yr.recruitment_cost[0], 11000.0, 1e-8);
  EXPECT_NEAR(yr.recruitment_cost[1], 8000.0, 1e-8);
  EXPECT_NEAR(yr.recruitment_cost[2], 12000.0, 1e-8);
  EXPECT_NEAR(yr.recruitment_cost[3], 16000.0, 1e-8);
  EXPECT_TRUE((yr.pay_bill == 0.0).all());  // pay 0
}

// One role x two sectors, quarterly, nothing flows. Sector 0: 100 people,
// phi 1, posts 100 + 40 t; sector 1: 60 people at phi 0.5 (30 FTE), posts
// 20 + 10 t (2010-2012, held after). Posts at each step's end:
//   2011, s0: 110, 120, 130, 140 -> vacant 10, 20, 30, 40: 100 x 0.25 = 25
//     FTE-years x share 0.3 x pay 20000 x premium 1.5 = 225,000
//   2012, s0: vacant 50, 60, 70, 80 = 260 x 0.25 = 65 -> 585,000
//   2011, s1: 22.5 .. 30 <= 30 FTE: nothing
//   2012, s1: 32.5, 35, 37.5, 40 -> 2.5 + 5 + 7.5 + 10 = 25 x 0.25 = 6.25
//     x share 0.5 x pay 24000 x premium 1.2 = 90,000
TEST(Costs, VacancyCoverIntegratesVacantFte) {
  Scenario sc = testing::blank_scenario(1, 2, 4, 16, 74, 1.0, 2010, 2012);
  sc.fte_factor << 1.0, 0.5;
  Eigen::ArrayXd H = testing::empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 20, 3))] = 100.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 1, 20, 3))] = 60.0;
  testing::set_opening_stock(sc, H);
  sc.posts.fte[0] = testing::year_table({{2010, 100.0}, {2020, 500.0}});
  sc.posts.fte[1] = testing::year_table({{2010, 20.0}, {2012, 40.0}});
  set_costs(sc);
  sc.costs.pay << 20000.0, 24000.0;
  sc.costs.agency_share << 0.3, 0.5;
  sc.costs.agency_premium << 1.5, 1.2;
  const Results res = run_scenario(sc);
  expect_first_year_nan(res);
  EXPECT_NEAR(res.at_year(2011).vacancy_cover_cost[0], 225000.0, 1e-7);
  EXPECT_NEAR(res.at_year(2012).vacancy_cover_cost[0], 585000.0, 1e-7);
  EXPECT_EQ(res.at_year(2011).vacancy_cover_cost[1], 0.0);
  EXPECT_NEAR(res.at_year(2012).vacancy_cover_cost[1], 90000.0, 1e-7);
  EXPECT_NEAR(res.at_year(2012).pay_bill[1], 30.0 * 24000.0, 1e-6);
  EXPECT_TRUE((res.at_year(2012).recruitment_cost == 0.0).all());
}

// A two-year programme at one step a year, attrition 0.1 (survival 0.9 a
// step), intake 40 a year until 2011, 60 from 2012. The opening pipeline is
// the stationary one of the 2010 intake: 40 | 36. Each step: completers =
// last stage x 0.9, the first stage moves up x 0.9, the intake enters:
//   2011: completers 32.4, pipeline 40 | 36 = 76 trainee-years
//         -> 76 x 5000 + 32.4 x 800 = 380,000 + 25,920 = 405,920
//   2012: completers 32.4, pipeline 60 | 36 = 96 -> 480,000 + 25,920 = 505,920
//   2013: completers 32.4, pipeline 60 | 54 = 114 -> 570,000 + 25,920 = 595,920
//   2014: completers 48.6, pipeline 114 -> 570,000 + 38,880 = 608,880
// Quarterly, a three-year programme with intake 30 holds 90 trainees
// throughout and completes 30 a year: 90 x 5000 + 30 x 800 = 474,000.
TEST(Costs, TrainingCostIsTraineeYearsAndCompleters) {
  Scenario sc = testing::blank_scenario(1, 1, 1, 16, 74, 1.0, 2010, 2014);
  Programme p = testing::make_programme(sc, "degree", 0, 2, 40.0, 3);
  p.intake.table = testing::year_table({{2011, 40.0}, {2012, 60.0}});
  p.attrition = 0.1;
  p.cost_per_trainee_year = 5000.0;
  p.cost_per_completer = 800.0;
  sc.programmes.push_back(p);
  const Results res = run_scenario(sc);
  expect_first_year_nan(res);
  const double expected[] = {405920.0, 505920.0, 595920.0, 608880.0};
  for (int year = 2011; year <= 2014; ++year) {
    EXPECT_NEAR(res.at_year(year).training_cost[0], expected[year - 2011], 1e-7) << year;
  }
  EXPECT_NEAR(res.at_year(2014).completers[0], 48.6, 1e-12);

  Scenario quarterly = testing::blank_scenario(1, 1, 4, 16, 74, 1.0, 2010, 2013);
  Programme q = testing::make_programme(quarterly, "nursing", 0, 3, 30.0, 3);
  q.cost_per_trainee_year = 5000.0;
  q.cost_per_completer = 800.0;
  quarterly.programmes.push_back(q);
  const Results qres = run_scenario(quarterly);
  for (const int year : {2011, 2012, 2013}) {
    EXPECT_NEAR(qres.at_year(year).training_cost[0], 474000.0, 1e-7) << year;
  }
}

// Without costs (and programmes without cost rates) every money indicator is
// zero, though there are hires, vacancies and trainees; the first year NaN.
TEST(Costs, AbsentCostsGiveZeros) {
  Scenario sc = testing::blank_scenario(1, 1, 4, 16, 74, 100.0, 2010, 2012);
  sc.turnover.base(0, 0) = 0.3;
  testing::add_source_at_age(sc, "school", 4);
  sc.recruitment[0].mode = RecruitMode::fill_vacancies;
  sc.recruitment[0].fill_rate = 0.5;
  sc.programmes.push_back(testing::make_programme(sc, "course", 0, 1, 10.0, 3));
  const Results res = run_scenario(sc);
  expect_first_year_nan(res);
  for (const int year : {2011, 2012}) {
    const YearResult& yr = res.at_year(year);
    EXPECT_GT(yr.flows.start(0, Start::hire), 0.0);
    EXPECT_GT(yr.vacancies[0], 0.0);
    EXPECT_EQ(yr.pay_bill[0], 0.0);
    EXPECT_EQ(yr.recruitment_cost[0], 0.0);
    EXPECT_EQ(yr.vacancy_cover_cost[0], 0.0);
    EXPECT_EQ(yr.training_cost[0], 0.0);
  }
}

}  // namespace
}  // namespace staffsim
