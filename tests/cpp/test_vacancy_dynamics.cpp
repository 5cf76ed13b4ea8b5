// Vacancies under need-based demand (DESIGN.md 2.2 step 6, 2.3): the
// single-cell residual vacancy V* at 1, 4 and 12 steps a year with posts from
// a constant population, and the response of requests, hires and vacancies
// when the population (so posts) grows, step by step against the recurrence
// of step 6, with the ledger balancing every step.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

constexpr double kHazard = 0.2;     // turnover, every leaver exits
constexpr double kFillRate = 0.82;  // lambda = -ln(1 - 0.82)
constexpr double kPhi = 0.8;

// One role, one sector, one client group, one service, one age group of
// `pop` people with prevalence 0.1 and 1 FTE per user: raw = pop / 10.
// 900 people at age 26 (index 10), phi 0.8, opening vacancy rate 0.1:
// posts0 = 0.8 x 900 / 0.9 = 800 FTE (1000 heads) and scale = 800 / raw0.
// Hires at age 20; no retirement; h x 40 years keeps everyone below max_age.
Scenario one_cell(int spy, const YearPath& pop, int end_year) {
  Scenario sc = testing::blank_scenario(1, 1, spy, 16, 74, 1.0, 2010, end_year);
  sc.fte_factor(0, 0) = kPhi;
  testing::use_need_demand(sc, 1, 1, 1);
  sc.demand.need.age_groups[0].population = pop;
  sc.demand.need.prevalence(0, 0) = 0.1;
  sc.demand.need.ratio(0, 0) = 1.0;
  sc.demand.opening_vacancy_rate(0, 0) = 0.1;
  testing::set_opening_cohort(sc, 0, 0, 10, 3, 900.0);
  sc.turnover.base(0, 0) = kHazard;
  testing::add_source_at_age(sc, "school", 4);
  sc.recruitment[0].mode = RecruitMode::fill_vacancies;
  sc.recruitment[0].fill_rate = kFillRate;
  return sc;
}

// Posts (FTE) at `year` for a population path 10000 -> 12000 over 2010-2020:
// 800 x pop / 10000.
double growing_posts(double year) {
  const double t = std::clamp(year - 2010.0, 0.0, 10.0);
  return 800.0 * (10000.0 + 200.0 * t) / 10000.0;
}

class VacancyDynamics : public ::testing::TestWithParam<int> {};

// Constant population 10000: posts 800 FTE. In heads, with P = 1000,
// g = 1 - e^{-h dt}, f = 1 - e^{-lambda dt}, each step V' = (P g + V (1 - g))
// (1 - f) (exits, then a request of V f), whose fixed point is
// V* = P g (1 - f) / (f + g (1 - f)); in FTE, phi V*. It converges by
// (1 - g)(1 - f) <= 0.86 a step: 40 years leave < 1e-30 of V0 - V*.
TEST_P(VacancyDynamics, ResidualVacancyFromNeedBasedPosts) {
  const int spy = GetParam();
  const double dt = 1.0 / spy;
  Simulation sim(one_cell(spy, YearPath::constant(10000.0), 2050));
  sim.run();
  const double g = 1.0 - std::exp(-kHazard * dt);
  const double f = 1.0 - std::exp(std::log1p(-kFillRate) * dt);
  const double v_heads = 1000.0 * g * (1.0 - f) / (f + g * (1.0 - f));
  for (const int year : {2045, 2050}) {
    const YearResult& yr = sim.results().at_year(year);
    EXPECT_NEAR(yr.posts[0], 800.0, 1e-9);
    EXPECT_NEAR(yr.vacancies[0], kPhi * v_heads, 1e-9 * kPhi * v_heads) << year;
    EXPECT_NEAR(yr.headcount[0], 1000.0 - v_heads, 1e-9 * v_heads) << year;
    // In steady state each step's hires (V* + H* g) f, with V* + H* g =
    // V* / (1 - f) the vacancy before hiring, replace its exits H* g.
    const double hires = spy * (1000.0 - v_heads) * g;
    EXPECT_NEAR(yr.flows.start(0, Start::hire), hires, 1e-9 * hires) << year;
    EXPECT_NEAR(hires, spy * v_heads / (1.0 - f) * f, 1e-9 * hires);
  }
}

// Population 10000 -> 12000 over 2010-2020, held after: posts P(t) =
// 800 (1 + 0.02 t). Step 6 in heads: after exits H e^{-h dt}, the request
// is max(0, P(t + dt) - phi H e^{-h dt}) / phi x f (no cap: all hired):
//   H_{n+1} = H_n e^{-h dt} + max(0, P(t_n + dt) / phi - H_n e^{-h dt}) f.
// The engine follows this recurrence to 1e-11 at every census (headcount,
// vacancies max(0, P(Y) - phi H), hires summed over the year), and one step
// checked from the engine's own state before it; the ledger balances every
// step: H(t + dt) - H(t) = hires - exits.
TEST_P(VacancyDynamics, GrowingPostsDriveRequestsAndHires) {
  const int spy = GetParam();
  const double dt = 1.0 / spy;
  const double stay = std::exp(-kHazard * dt);
  const double f = 1.0 - std::exp(std::log1p(-kFillRate) * dt);
  Simulation sim(one_cell(spy, testing::year_table({{2010, 10000.0}, {2020, 12000.0}}), 2024));
  double H = 900.0;
  double hires_in_year = 0.0;
  for (int n = 0; n < sim.scenario().time.n_steps(); ++n) {
    const double t_end = 2010.0 + (n + 1) * dt;
    // The recurrence, by hand.
    const double after_exits = H * stay;
    const double request = std::max(0.0, growing_posts(t_end) / kPhi - after_exits) * f;
    const double H_next = after_exits + request;
    // The engine, from its state before the step.
    const double engine_before = sim.headcount().sum();
    const double engine_request =
        std::max(0.0, growing_posts(t_end) - kPhi * engine_before * stay) / kPhi * f;
    sim.step();
    const Ledger& ledger = sim.last_step_ledger();
    EXPECT_NEAR(ledger.start(0, Start::hire), engine_request, 1e-12 * engine_request) << n;
    EXPECT_NEAR(ledger.leave(0, Leave::exit), engine_before * (1.0 - stay), 1e-12 * engine_before)
        << n;
    const double engine_after = sim.headcount().sum();
    EXPECT_NEAR(engine_after - engine_before, ledger.net(0), 1e-12 * engine_after) << n;
    H = H_next;
    hires_in_year += request;
    if ((n + 1) % spy == 0) {
      const int year = 2010 + (n + 1) / spy;
      const YearResult& yr = sim.results().at_year(year);
      EXPECT_NEAR(yr.headcount[0], H, 1e-11 * H) << year;
      EXPECT_NEAR(yr.posts[0], growing_posts(year), 1e-11) << year;
      const double vacancies = std::max(0.0, growing_posts(year) - kPhi * H);
      EXPECT_NEAR(yr.vacancies[0], vacancies, 1e-10 * H) << year;
      EXPECT_NEAR(yr.flows.start(0, Start::hire), hires_in_year, 1e-11 * hires_in_year) << year;
      EXPECT_GT(yr.vacancies[0], 0.0);
      hires_in_year = 0.0;
    }
  }
  // Growth raises hires above the constant-posts run's in every growing year.
  Simulation flat(one_cell(spy, YearPath::constant(10000.0), 2024));
  flat.run();
  Simulation grow(one_cell(spy, testing::year_table({{2010, 10000.0}, {2020, 12000.0}}), 2024));
  grow.run();
  for (int year = 2011; year <= 2020; ++year) {
    EXPECT_GT(grow.results().at_year(year).flows.start(0, Start::hire),
              flat.results().at_year(year).flows.start(0, Start::hire))
        << year;
  }
}

// Started at the steady state it stays there: an opening vacancy rate of
// V* / 1000 with H0 = 1000 - V* gives posts0 = 0.8 H0 / (1 - V* / 1000) =
// 800, and every census of 2011-2020 holds V* to 1e-9.
TEST_P(VacancyDynamics, StaysAtTheResidualVacancy) {
  const int spy = GetParam();
  const double dt = 1.0 / spy;
  const double g = 1.0 - std::exp(-kHazard * dt);
  const double f = 1.0 - std::exp(std::log1p(-kFillRate) * dt);
  const double v_heads = 1000.0 * g * (1.0 - f) / (f + g * (1.0 - f));
  Scenario sc = one_cell(spy, YearPath::constant(10000.0), 2020);
  sc.demand.opening_vacancy_rate(0, 0) = v_heads / 1000.0;
  testing::set_opening_cohort(sc, 0, 0, 10, 3, 1000.0 - v_heads);
  Simulation sim(std::move(sc));
  sim.run();
  for (int year = 2010; year <= 2020; ++year) {
    const YearResult& yr = sim.results().at_year(year);
    EXPECT_NEAR(yr.posts[0], 800.0, 1e-9) << year;
    EXPECT_NEAR(yr.vacancies[0], kPhi * v_heads, 1e-9 * kPhi * v_heads) << year;
  }
}

INSTANTIATE_TEST_SUITE_P(StepsPerYear, VacancyDynamics, ::testing::Values(1, 4, 12));

}  // namespace
}  // namespace staffsim
