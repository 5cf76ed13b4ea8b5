// Simulation::set_lever (DESIGN.md 2.5, 8): at a census t0 the instance's
// path becomes "old path for t <= t0, value after", so a run that sets a
// lever at a census equals a scenario whose lever path is a `step` at that
// year. Names that are not levers, and values outside a type's domain, are
// refused; setting twice keeps the first value between the two times.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "staffsim/simulation.hpp"
#include "support/demand_case.hpp"
#include "support/scenario_factory.hpp"

namespace staffsim {
namespace {

using testing::shaped_path;

// The demand case (need mode, 2010-2022, quarterly) with every flow on:
// turnover 0.2 with moves between sectors, retirement from 60 (q = 0.01 at
// 60 rising by 0.01 a year of age), fill_vacancies
// from one source, a one-year apprenticeship into care_worker, costs; and
// five levers at constant values: retention_all (1), prevention_85 (1, older
// people aged 85+), apprentices (training_intake, 20 a year),
// personal_budgets (personalisation at the base share 0.2) and
// later_retirement (retirement_shift, 0 years).
Scenario busy_need_scenario() {
  Scenario sc = testing::demand_case(4);
  // 20 more care workers aged 56, who reach retirement ages during the run.
  sc.opening.margins.front().values[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 40, 3))] = 20.0;
  sc.opening.total += 20.0;
  sc.turnover.base.setConstant(0.2);
  for (int a = 44; a < sc.dims.n_ages(); ++a) sc.retirement.q.col(a).setConstant(0.01 * (a - 43));
  for (auto& split : sc.destinations) split = {0.7, {{MoveKind::same_sector, 0, 0, 0.3}}};
  sc.destinations[0] = {0.7, {{MoveKind::to_sector, 0, 1, 0.3}}};
  testing::add_source_at_age(sc, "school", 4);
  for (auto& rule : sc.recruitment) {
    rule.mode = RecruitMode::fill_vacancies;
    rule.fill_rate = 0.8;
  }
  Programme prog = testing::make_programme(sc, "apprenticeship", 0, 1, 20.0, 3);
  prog.cost_per_trainee_year = 5000.0;
  prog.cost_per_completer = 800.0;
  sc.programmes.push_back(prog);
  sc.costs.price_base_year = 2010;
  sc.costs.pay.setConstant(2, 2, 20000.0);
  sc.costs.cost_per_hire.setConstant(2, 2, 3600.0);
  sc.costs.agency_share.setConstant(2, 2, 0.3);
  sc.costs.agency_premium.setConstant(2, 2, 1.5);
  sc.levers.push_back(testing::constant_lever("retention_all", LeverType::retention, 1.0));
  Lever prevention = testing::constant_lever("prevention_85", LeverType::prevention, 1.0);
  prevention.client_groups = {0};
  prevention.age_groups = {1};
  sc.levers.push_back(prevention);
  Lever intake = testing::constant_lever("apprentices", LeverType::training_intake, 20.0);
  intake.programme = "apprenticeship";
  sc.levers.push_back(intake);
  Lever budgets = testing::constant_lever("personal_budgets", LeverType::personalisation, 0.2);
  budgets.client_groups = {0};
  budgets.to_service = 2;
  budgets.from_services = {0, 1};
  sc.levers.push_back(budgets);
  sc.levers.push_back(
      testing::constant_lever("later_retirement", LeverType::retirement_shift, 0.0));
  return sc;
}

Lever& lever_named(Scenario& sc, const std::string& name) {
  for (Lever& l : sc.levers) {
    if (l.name == name) return l;
  }
  throw std::logic_error("no lever " + name);
}

// Every element equal to relative 1e-12 (NaN equals NaN: first-year flows).
::testing::AssertionResult close(const Eigen::ArrayXXd& a, const Eigen::ArrayXXd& b,
                                 const char* what, int year) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    return ::testing::AssertionFailure() << what << " shape, " << year;
  }
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double x = a.data()[i];
    const double y = b.data()[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (!testing::near_rel(x, y, 1e-12)) {
      return ::testing::AssertionFailure()
             << what << "[" << i << "] in " << year << ": " << x << " vs " << y;
    }
  }
  return ::testing::AssertionSuccess();
}

void expect_same_results(const Results& a, const Results& b, int from_year) {
  ASSERT_EQ(a.years.size(), b.years.size());
  for (std::size_t i = 0; i < a.years.size(); ++i) {
    const YearResult& x = a.years[i];
    const YearResult& y = b.years[i];
    if (x.year < from_year) continue;
    ASSERT_TRUE(x.recorded && y.recorded) << x.year;
    EXPECT_TRUE(close(x.headcount, y.headcount, "headcount", x.year));
    EXPECT_TRUE(close(x.fte, y.fte, "fte", x.year));
    EXPECT_TRUE(close(x.posts, y.posts, "posts", x.year));
    EXPECT_TRUE(close(x.vacancies, y.vacancies, "vacancies", x.year));
    EXPECT_TRUE(close(x.age_profile, y.age_profile, "age_profile", x.year));
    EXPECT_TRUE(close(x.tenure_profile, y.tenure_profile, "tenure_profile", x.year));
    EXPECT_TRUE(close(x.flows.leavers, y.flows.leavers, "leavers", x.year));
    EXPECT_TRUE(close(x.flows.starters, y.flows.starters, "starters", x.year));
    EXPECT_TRUE(close(x.flows.hires_by_source, y.flows.hires_by_source, "hires", x.year));
    EXPECT_TRUE(close(x.trainees, y.trainees, "trainees", x.year));
    EXPECT_TRUE(close(x.completers, y.completers, "completers", x.year));
    EXPECT_TRUE(close(x.posts_by_client_group, y.posts_by_client_group, "by_group", x.year));
    EXPECT_TRUE(close(x.retirement_outlook_5, y.retirement_outlook_5, "outlook_5", x.year));
    EXPECT_TRUE(close(x.retirement_outlook_10, y.retirement_outlook_10, "outlook_10", x.year));
    EXPECT_TRUE(close(x.pay_bill, y.pay_bill, "pay_bill", x.year));
    EXPECT_TRUE(close(x.recruitment_cost, y.recruitment_cost, "recruitment", x.year));
    EXPECT_TRUE(close(x.vacancy_cover_cost, y.vacancy_cover_cost, "cover", x.year));
    EXPECT_TRUE(close(x.training_cost, y.training_cost, "training", x.year));
  }
}

struct SetCase {
  const char* lever;
  double old_value, new_value;
  int same_from;  // first year whose results must match
};

class SetLeverAtCensus : public ::testing::TestWithParam<SetCase> {};

// set_lever(lever, new) at the 2014 census == a path step(2014: old -> new),
// which switches after 2014: identical results for every later year. Only
// retirement_shift reaches back: the outlooks recorded at 2014 and before
// look ahead past 2014 with the path known when they were recorded, so for
// it the match starts in 2015; the other levers match in every year. The
// change is real: 2016 differs from the run that never sets the lever.
TEST_P(SetLeverAtCensus, EqualsAStepPathAtThatYear) {
  const SetCase& c = GetParam();
  Simulation set(busy_need_scenario());
  set.run_to(2014);
  set.set_lever(c.lever, c.new_value);
  set.run();
  Scenario stepped = busy_need_scenario();
  lever_named(stepped, c.lever).path =
      shaped_path(PathShape::step, 2014, 2014, c.old_value, c.new_value);
  const Results expected = run_scenario(stepped);
  expect_same_results(set.results(), expected, c.same_from);
  const Results unchanged = run_scenario(busy_need_scenario());
  const double moved =
      (set.results().at_year(2016).headcount - unchanged.at_year(2016).headcount).abs().sum() +
      (set.results().at_year(2016).posts - unchanged.at_year(2016).posts).abs().sum();
  EXPECT_GT(moved, 1e-3) << c.lever;
}

INSTANTIATE_TEST_SUITE_P(Levers, SetLeverAtCensus,
                         ::testing::Values(SetCase{"retention_all", 1.0, 0.7, 2010},
                                           SetCase{"prevention_85", 1.0, 0.6, 2010},
                                           SetCase{"apprentices", 20.0, 45.0, 2010},
                                           SetCase{"later_retirement", 0.0, 2.5, 2015}),
                         [](const auto& p) { return std::string(p.param.lever); });

// A name that is not a lever instance is refused, naming it and listing the
// levers; so is a lever's type name. Nothing changes: the run goes on as if
// never asked.
TEST(SetLever, RefusesANameThatIsNotALever) {
  Simulation sim(busy_need_scenario());
  sim.run_to(2012);
  for (const std::string name : {"retention_al", "turnover", "retention"}) {
    try {
      sim.set_lever(name, 0.8);
      ADD_FAILURE() << "set_lever accepted " << name;
    } catch (const UsageError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("'" + name + "'"), std::string::npos) << what;
      for (const char* lever : {"retention_all", "prevention_85", "apprentices", "personal_budgets",
                                "later_retirement"}) {
        EXPECT_NE(what.find(lever), std::string::npos) << what;
      }
    }
  }
  sim.run();
  expect_same_results(sim.results(), run_scenario(busy_need_scenario()), 2010);
}

// Each type's domain (DESIGN.md 2.5): retention a factor > 0, prevention a
// factor >= 0, training_intake people >= 0, personalisation a share in
// [0, 1]; NaN and infinities never. A refusal changes nothing; the boundary
// values themselves are accepted.
TEST(SetLever, RefusesValuesOutsideTheDomain) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const struct {
    const char* lever;
    double value;
  } bad[] = {{"retention_all", 0.0},    {"retention_all", -0.5},    {"retention_all", nan},
             {"retention_all", inf},    {"prevention_85", -0.1},    {"apprentices", -5.0},
             {"personal_budgets", 1.5}, {"personal_budgets", -0.1}, {"apprentices", nan}};
  Simulation sim(busy_need_scenario());
  sim.run_to(2012);
  for (const auto& b : bad) {
    EXPECT_THROW(sim.set_lever(b.lever, b.value), UsageError) << b.lever << " = " << b.value;
  }
  sim.run();
  expect_same_results(sim.results(), run_scenario(busy_need_scenario()), 2010);
  Simulation edge(busy_need_scenario());
  edge.run_to(2012);
  EXPECT_NO_THROW(edge.set_lever("prevention_85", 0.0));
  EXPECT_NO_THROW(edge.set_lever("apprentices", 0.0));
  EXPECT_NO_THROW(edge.set_lever("personal_budgets", 1.0));
}

// Twice: 0.8 at 2012, 0.6 at 2015. Between the two the first value holds,
// after 2015 the second: the same hazards as two multiplying retention levers
// step(2012: 1 -> 0.8) x step(2015: 1 -> 0.75).
TEST(SetLever, SettingTwiceKeepsTheFirstValueBetweenTheTwoTimes) {
  Simulation sim(busy_need_scenario());
  sim.run_to(2012);
  sim.set_lever("retention_all", 0.8);
  sim.run_to(2015);
  sim.set_lever("retention_all", 0.6);
  sim.run();
  Scenario two = busy_need_scenario();
  lever_named(two, "retention_all").path = shaped_path(PathShape::step, 2012, 2012, 1.0, 0.8);
  two.levers.push_back(testing::path_lever("retention_later", LeverType::retention,
                                           shaped_path(PathShape::step, 2015, 2015, 1.0, 0.75)));
  expect_same_results(sim.results(), run_scenario(two), 2010);
  EXPECT_EQ(sim.scenario().levers.front().path.at(2013.5), 0.8);
  EXPECT_EQ(sim.scenario().levers.front().path.at(2015.0), 0.8);
  EXPECT_EQ(sim.scenario().levers.front().path.at(2015.25), 0.6);
  EXPECT_EQ(sim.scenario().levers.front().path.at(2012.0), 1.0);
}

}  // namespace
}  // namespace staffsim
