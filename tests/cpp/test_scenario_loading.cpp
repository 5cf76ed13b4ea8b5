// A complete small scenario (every section, CSV tables for a cell table and a
// two-axis margin) loads into exactly the Scenario numbers computed by hand
// from docs/scenario-reference.md; `--set` changes one cell of a CSV table.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "staffsim/scenario.hpp"

namespace {

namespace fs = std::filesystem;

// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(fs::temp_directory_path() / ("staffsim_" + tag + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }
  [[nodiscard]] fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }

 private:
  fs::path path_;
};

constexpr const char* kScenario = R"(staffsim_scenario: 1
name: tiny
source: "hand-made test scenario"
time: {start_year: 2010, end_year: 2015, steps_per_year: 4}
dimensions:
  roles: [care_worker, senior]
  sectors: [private, council]
  min_age: 20
  max_age: 29
  tenure_bands: [0, 0.5, 2, 5]
fte_factor:
  assumed: "most staff part time"
  default: 0.8
  by_cell: {senior: {council: 1.0}}
workforce:
  total: 1000
  margins:
    - name: cells
      axes: [role, sector]
      table: stock.csv
    - name: ages
      axes: [age]
      values: {"20-24": 300, "25+": 600, not_recorded: 100}
    - name: role_age
      axes: [role, age]
      table: role_age.csv
      age_weights: {"22+": [1, 1, 1, 1, 1, 1, 1, 9]}
    - name: tenure
      axes: [tenure]
      values: {"0-1": 200, "1-3": 300, "5+": 500}
posts:
  unit: headcount
  total: {2010: 1100, 2015: 1320}
supply:
  turnover:
    unit: probability
    base: {default: 0.2, table: turnover.csv}
    age_factor: {reference: "25-29", bands: {"20-24": 3.0, "25-29": 2.0}}
    tenure_factor: {reference: "5+", values: [2.0, 1.5, 1.2, 0.5]}
  retirement:
    by_age: {"27-28": 0.1, "29": 0.5}
    by_role: {senior: {by_age: {"29": 0.25}}}
  destinations:
    default: {exit: 0.6, same_sector: 0.4}
    by_role:
      senior: {exit: 0.7, same_sector: 0.2, to_role: {care_worker: 0.1}}
    by_cell:
      care_worker:
        private:
          exit: 0.5
          same_sector: 0.2
          to_sector: {council: 0.2}
          to_role_sector: [{role: senior, sector: council, share: 0.1}]
  promotion:
    - {name: step_up, from: care_worker, to: senior, max_rate: 0.1, min_tenure: 2, sectors: [council]}
  training:
    - name: nvq
      role: care_worker
      duration: 1.5
      intake: {2010: 20, 2015: 30}
      intake_age: {"20-21": 3, "22-29": 1}
      attrition: 0.1
      retained: 0.9
      sectors: {private: 0.75, council: 0.25}
      in_training: [10, 5]
      cost_per_trainee_year: 5000
  recruitment:
    sources:
      - {name: school, ages: {"20": 1}, cap: 50}
      - {name: changers, ages: {"20-29": 1}}
    default: {mode: fill_vacancies, fill_rate: 0.8, sources: {school: 0.25, changers: 0.75}}
    by_role: {senior: {mode: none}}
    by_cell: {senior: {council: {mode: fixed, number: 12, sources: {changers: 1}}}}
levers:
  keep_staff:
    type: retention
    select: {roles: [care_worker]}
    path: {start_year: 2011, end_year: 2013, from_value: 1, to_value: 0.8}
  more_trainees: {type: training_intake, programme: nvq, path: {2012: 40}}
)";

constexpr const char* kStock =
    "role,sector,value\n"
    "care_worker,private,500\n"
    "care_worker,council,200\n"
    "senior,private,100\n"
    "senior,council,200\n";

constexpr const char* kTurnover =
    "role,sector,value\n"
    "# cells not listed take the default\n"
    "care_worker,private,0.3\n"
    "senior,council,0.1\n";

// Each role bands ages its own way; a not_recorded age spreads over its role.
constexpr const char* kRoleAge =
    "role,age,value\n"
    "care_worker,20-21,40\n"
    "care_worker,22+,160\n"
    "senior,20-29,50\n"
    "senior,not_recorded,7\n";

class ScenarioLoading : public ::testing::Test {
 protected:
  TempDir dir{"loading"};
  fs::path file = dir.write("tiny.yaml", kScenario);
  void SetUp() override {
    (void)dir.write("stock.csv", kStock);
    (void)dir.write("turnover.csv", kTurnover);
    (void)dir.write("role_age.csv", kRoleAge);
  }
};

constexpr double kTol = 1e-12;

TEST_F(ScenarioLoading, TopLevelTimeAndDimensions) {
  const staffsim::Scenario sc = staffsim::load_scenario(file);
  // Every year path covers 2010-2015 and the programme gives in_training.
  EXPECT_TRUE(sc.warnings.empty()) << sc.warnings.front().format();
  EXPECT_EQ(sc.name, "tiny");
  EXPECT_EQ(sc.time.start_year, 2010);
  EXPECT_EQ(sc.time.end_year, 2015);
  EXPECT_EQ(sc.time.steps_per_year, 4);
  EXPECT_EQ(sc.time.census_month, 11);  // default
  EXPECT_EQ(sc.dims.roles, (std::vector<std::string>{"care_worker", "senior"}));
  EXPECT_EQ(sc.dims.sectors, (std::vector<std::string>{"private", "council"}));
  EXPECT_EQ(sc.dims.n_ages(), 10);
  EXPECT_EQ(sc.dims.tenure_edges, (std::vector<double>{0, 0.5, 2, 5}));
  // default 0.8, by_cell senior/council 1.0
  EXPECT_EQ(sc.fte_factor(0, 0), 0.8);
  EXPECT_EQ(sc.fte_factor(0, 1), 0.8);
  EXPECT_EQ(sc.fte_factor(1, 0), 0.8);
  EXPECT_EQ(sc.fte_factor(1, 1), 1.0);
  EXPECT_NO_THROW(sc.check());
}

TEST_F(ScenarioLoading, OpeningStockMarginsSpreadToEngineAxes) {
  const staffsim::Scenario sc = staffsim::load_scenario(file);
  EXPECT_EQ(sc.opening.total, 1000.0);
  ASSERT_EQ(sc.opening.margins.size(), 4U);
  const auto& cells = sc.opening.margins[0];
  ASSERT_EQ(cells.axes,
            (std::vector<staffsim::Axis>{staffsim::Axis::role, staffsim::Axis::sector}));
  // Row-major over (role, sector).
  EXPECT_EQ(cells.values(0), 500.0);
  EXPECT_EQ(cells.values(1), 200.0);
  EXPECT_EQ(cells.values(2), 100.0);
  EXPECT_EQ(cells.values(3), 200.0);
  // "20-24": 300 over 5 ages = 60 each; "25+" runs to max_age 29: 600 / 5 = 120
  // each; not_recorded (100) spreads over the whole table in proportion to
  // the 900 recorded: 60 + 100 x 60/900 = 200/3, 120 + 100 x 120/900 = 400/3.
  const auto& ages = sc.opening.margins[1];
  ASSERT_EQ(ages.values.size(), 10);
  for (int a = 0; a < 5; ++a) EXPECT_NEAR(ages.values(a), 200.0 / 3.0, kTol) << a;
  for (int a = 5; a < 10; ++a) EXPECT_NEAR(ages.values(a), 400.0 / 3.0, kTol) << a;
  EXPECT_NEAR(ages.values.sum(), 1000.0, kTol);
  // Tenure by overlap, uniform within a range, bands [0,.5) [.5,2) [2,5) [5,inf):
  // "0-1": 200 -> 100 + 100; "1-3": 300 -> [1,2) 150 + [2,3) 150; "5+": 500.
  // (role, age) from CSV, row-major: care_worker 20-21 -> 20 each; "22+"
  // (ages 22..29) by age_weights 1 x7 and 9 (sum 16): 10 each, 90 at 29;
  // senior 20-29 -> 5 each, and senior,not_recorded,7 over the senior row in
  // proportion (7 x 5/50 = 0.7 each): 5.7; care_worker is untouched.
  const auto& role_age = sc.opening.margins[2];
  ASSERT_EQ(role_age.axes,
            (std::vector<staffsim::Axis>{staffsim::Axis::role, staffsim::Axis::age}));
  ASSERT_EQ(role_age.values.size(), 20);
  EXPECT_NEAR(role_age.values(0), 20.0, kTol);
  EXPECT_NEAR(role_age.values(1), 20.0, kTol);
  for (int a = 2; a < 9; ++a) EXPECT_NEAR(role_age.values(a), 10.0, kTol) << a;
  EXPECT_NEAR(role_age.values(9), 90.0, kTol);
  for (int a = 10; a < 20; ++a) EXPECT_NEAR(role_age.values(a), 5.7, kTol) << a;
  const auto& tenure = sc.opening.margins[3];
  ASSERT_EQ(tenure.values.size(), 4);
  EXPECT_NEAR(tenure.values(0), 100.0, kTol);
  EXPECT_NEAR(tenure.values(1), 250.0, kTol);
  EXPECT_NEAR(tenure.values(2), 150.0, kTol);
  EXPECT_NEAR(tenure.values(3), 500.0, kTol);
}

TEST_F(ScenarioLoading, PostsTotalSplitByOpeningHeadcountThenConvertedToFte) {
  const staffsim::Scenario sc = staffsim::load_scenario(file);
  ASSERT_EQ(sc.posts.fte.size(), 4U);
  // Headcount shares from the (role, sector) margin: .5 .2 .1 .2; posts in
  // headcount 1100 -> 550 220 110 220, times fte_factor .8 .8 .8 1.0.
  const double want2010[] = {440.0, 176.0, 88.0, 220.0};
  const double want2015[] = {528.0, 211.2, 105.6, 264.0};  // 1320 split alike
  for (std::size_t rs = 0; rs < 4; ++rs) {
    const auto& p = sc.posts.fte[rs];
    ASSERT_EQ(p.years, (std::vector<double>{2010, 2015})) << rs;
    EXPECT_NEAR(p.values[0], want2010[rs], 1e-9) << rs;
    EXPECT_NEAR(p.values[1], want2015[rs], 1e-9) << rs;
  }
}

TEST_F(ScenarioLoading, TurnoverProbabilitiesBecomeHazardsAndFactorsAreNormalised) {
  const staffsim::Scenario sc = staffsim::load_scenario(file);
  // h = -ln(1 - q): default 0.2, CSV rows care_worker/private 0.3, senior/council 0.1.
  EXPECT_NEAR(sc.turnover.base(0, 0), -std::log(0.7), kTol);
  EXPECT_NEAR(sc.turnover.base(0, 1), -std::log(0.8), kTol);
  EXPECT_NEAR(sc.turnover.base(1, 0), -std::log(0.8), kTol);
  EXPECT_NEAR(sc.turnover.base(1, 1), -std::log(0.9), kTol);
  EXPECT_FALSE(sc.turnover.base_is_stock_average);
  // Age factor 3.0 / 2.0 over reference 2.0: 1.5 for 20-24, 1 for 25-29.
  ASSERT_EQ(sc.turnover.age_factor.rows(), 2);
  ASSERT_EQ(sc.turnover.age_factor.cols(), 10);
  for (int r = 0; r < 2; ++r) {
    for (int a = 0; a < 5; ++a) EXPECT_NEAR(sc.turnover.age_factor(r, a), 1.5, kTol);
    for (int a = 5; a < 10; ++a) EXPECT_NEAR(sc.turnover.age_factor(r, a), 1.0, kTol);
  }
  // Tenure factors [2, 1.5, 1.2, 0.5] over the reference band 5+ (0.5).
  const double tenure[] = {4.0, 3.0, 2.4, 1.0};
  for (int r = 0; r < 2; ++r) {
    for (int k = 0; k < 4; ++k) EXPECT_NEAR(sc.turnover.tenure_factor(r, k), tenure[k], kTol);
  }
}

TEST_F(ScenarioLoading, RetirementPerSingleAgeWithRoleReplacement) {
  const staffsim::Scenario sc = staffsim::load_scenario(file);
  ASSERT_EQ(sc.retirement.q.cols(), 10);
  for (int a = 0; a < 7; ++a) EXPECT_EQ(sc.retirement.q(0, a), 0.0) << a;  // ages 20..26
  EXPECT_EQ(sc.retirement.q(0, 7), 0.1);                                   // 27
  EXPECT_EQ(sc.retirement.q(0, 8), 0.1);                                   // 28
  EXPECT_EQ(sc.retirement.q(0, 9), 0.5);                                   // 29
  for (int a = 0; a < 9; ++a) EXPECT_EQ(sc.retirement.q(1, a), 0.0) << a;
  EXPECT_EQ(sc.retirement.q(1, 9), 0.25);
}

TEST_F(ScenarioLoading, DestinationsMostSpecificLevelWins) {
  using staffsim::MoveKind;
  const staffsim::Scenario sc = staffsim::load_scenario(file);
  ASSERT_EQ(sc.destinations.size(), 4U);
  // (care_worker, private): by_cell, moves in the order same_sector,
  // to_sector, to_role, to_role_sector.
  const auto& cp = sc.destinations[0];
  EXPECT_EQ(cp.exit_share, 0.5);
  ASSERT_EQ(cp.moves.size(), 3U);
  EXPECT_EQ(cp.moves[0].kind, MoveKind::same_sector);
  EXPECT_EQ(cp.moves[0].share, 0.2);
  EXPECT_EQ(cp.moves[1].kind, MoveKind::to_sector);
  EXPECT_EQ(cp.moves[1].to_sector, 1);
  EXPECT_EQ(cp.moves[1].share, 0.2);
  EXPECT_EQ(cp.moves[2].kind, MoveKind::to_role_sector);
  EXPECT_EQ(cp.moves[2].to_role, 1);
  EXPECT_EQ(cp.moves[2].to_sector, 1);
  EXPECT_EQ(cp.moves[2].share, 0.1);
  // (care_worker, council): default.
  const auto& cc = sc.destinations[1];
  EXPECT_EQ(cc.exit_share, 0.6);
  ASSERT_EQ(cc.moves.size(), 1U);
  EXPECT_EQ(cc.moves[0].kind, MoveKind::same_sector);
  EXPECT_EQ(cc.moves[0].share, 0.4);
  // senior, both sectors: by_role.
  for (std::size_t rs : {2U, 3U}) {
    const auto& s = sc.destinations[rs];
    EXPECT_EQ(s.exit_share, 0.7);
    ASSERT_EQ(s.moves.size(), 2U);
    EXPECT_EQ(s.moves[1].kind, MoveKind::to_role);
    EXPECT_EQ(s.moves[1].to_role, 0);
    EXPECT_EQ(s.moves[1].share, 0.1);
  }
}

TEST_F(ScenarioLoading, PromotionTrainingRecruitmentAndLevers) {
  const staffsim::Scenario sc = staffsim::load_scenario(file);
  ASSERT_EQ(sc.promotion.size(), 1U);
  const auto& route = sc.promotion[0];
  EXPECT_EQ(route.name, "step_up");
  EXPECT_EQ(route.from, 0);
  EXPECT_EQ(route.to, 1);
  EXPECT_EQ(route.max_rate, 0.1);
  EXPECT_EQ(route.min_band, 2);  // min_tenure 2 is the lower edge of band 2-5
  EXPECT_EQ(route.sectors, (std::vector<staffsim::Sector>{1}));

  ASSERT_EQ(sc.programmes.size(), 1U);
  const auto& p = sc.programmes[0];
  EXPECT_EQ(p.role, 0);
  EXPECT_EQ(p.duration_steps, 6);  // 1.5 years / 0.25
  EXPECT_EQ(p.intake.shape, staffsim::PathShape::table);
  EXPECT_EQ(p.intake.at(2010), 20.0);
  EXPECT_NEAR(p.intake.at(2012.5), 25.0, kTol);
  // Weights 3 over ages 20-21 (1.5 each) and 1 over 22-29 (0.125 each), sum 4.
  ASSERT_EQ(p.intake_age.size(), 10);
  EXPECT_NEAR(p.intake_age(0), 0.375, kTol);
  EXPECT_NEAR(p.intake_age(1), 0.375, kTol);
  for (int a = 2; a < 10; ++a) EXPECT_NEAR(p.intake_age(a), 0.03125, kTol);
  EXPECT_EQ(p.attrition, 0.1);
  EXPECT_EQ(p.retained, 0.9);
  EXPECT_EQ(p.sector_shares(0), 0.75);
  EXPECT_EQ(p.sector_shares(1), 0.25);
  EXPECT_EQ(p.in_training, (std::vector<double>{10, 5}));
  EXPECT_EQ(p.cost_per_trainee_year, 5000.0);
  EXPECT_EQ(p.cost_per_completer, 0.0);

  ASSERT_EQ(sc.sources.size(), 2U);
  EXPECT_EQ(sc.sources[0].name, "school");
  EXPECT_EQ(sc.sources[0].age_dist(0), 1.0);
  EXPECT_EQ(sc.sources[0].age_dist.sum(), 1.0);
  ASSERT_TRUE(sc.sources[0].cap.has_value());
  EXPECT_EQ(*sc.sources[0].cap, 50.0);
  EXPECT_FALSE(sc.sources[1].cap.has_value());
  for (int a = 0; a < 10; ++a) EXPECT_NEAR(sc.sources[1].age_dist(a), 0.1, kTol);

  using staffsim::RecruitMode;
  ASSERT_EQ(sc.recruitment.size(), 4U);
  for (std::size_t rs : {0U, 1U}) {  // care_worker: default
    EXPECT_EQ(sc.recruitment[rs].mode, RecruitMode::fill_vacancies);
    EXPECT_EQ(sc.recruitment[rs].fill_rate, 0.8);
    EXPECT_EQ(sc.recruitment[rs].source_shares(0), 0.25);
    EXPECT_EQ(sc.recruitment[rs].source_shares(1), 0.75);
  }
  EXPECT_EQ(sc.recruitment[2].mode, RecruitMode::none);          // senior/private: by_role
  EXPECT_EQ(sc.recruitment[3].mode, RecruitMode::fixed_number);  // senior/council: by_cell
  EXPECT_EQ(sc.recruitment[3].number, 12.0);
  EXPECT_EQ(sc.recruitment[3].source_shares(0), 0.0);
  EXPECT_EQ(sc.recruitment[3].source_shares(1), 1.0);

  ASSERT_EQ(sc.levers.size(), 2U);
  const auto& keep = sc.levers[0];
  EXPECT_EQ(keep.name, "keep_staff");
  EXPECT_EQ(keep.type, staffsim::LeverType::retention);
  EXPECT_EQ(keep.roles, (std::vector<staffsim::Role>{0}));
  EXPECT_TRUE(keep.sectors.empty());
  EXPECT_EQ(keep.path.shape, staffsim::PathShape::linear);
  EXPECT_NEAR(keep.path.at(2012), 0.9, kTol);
  const auto& more = sc.levers[1];
  EXPECT_EQ(more.type, staffsim::LeverType::training_intake);
  EXPECT_EQ(more.programme, "nvq");
  EXPECT_EQ(more.path.at(2030), 40.0);
}

TEST_F(ScenarioLoading, SetChangesOneCellOfACsvTable) {
  const staffsim::Scenario sc =
      staffsim::load_scenario(file, {{"supply.turnover.base[care_worker,private]", "0.4"},
                                     {"supply.turnover.base[senior,private|council]", "0.5"}});
  EXPECT_NEAR(sc.turnover.base(0, 0), -std::log(0.6), kTol);  // the CSV said 0.3
  EXPECT_NEAR(sc.turnover.base(0, 1), -std::log(0.8), kTol);  // unchanged
  EXPECT_NEAR(sc.turnover.base(1, 0), -std::log(0.5), kTol);
  EXPECT_NEAR(sc.turnover.base(1, 1), -std::log(0.5), kTol);
}

TEST_F(ScenarioLoading, OverridesBlockAndWildcardSelector) {
  const fs::path child = dir.write("child.yaml",
                                   "staffsim_scenario: 1\n"
                                   "extends: tiny.yaml\n"
                                   "overrides:\n"
                                   "  supply.turnover.base[*,council]: 0.05\n");
  const staffsim::Scenario sc = staffsim::load_scenario(child);
  EXPECT_EQ(sc.name, "tiny");  // inherited
  EXPECT_NEAR(sc.turnover.base(0, 0), -std::log(0.7), kTol);
  EXPECT_NEAR(sc.turnover.base(0, 1), -std::log(0.95), kTol);
  EXPECT_NEAR(sc.turnover.base(1, 1), -std::log(0.95), kTol);
}

TEST_F(ScenarioLoading, CheckRejectsABrokenProgrammaticScenario) {
  staffsim::Scenario sc = staffsim::load_scenario(file);
  sc.destinations[1].exit_share = 0.5;  // 0.5 + 0.4 no longer sums to 1
  sc.turnover.base(0, 0) = -0.1;
  try {
    sc.check();
    FAIL() << "check() accepted a broken scenario";
  } catch (const staffsim::ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("supply.destinations[care_worker,council] = sum 0.9: shares must sum to 1"),
              std::string::npos)
        << what;
    EXPECT_NE(
        what.find("supply.turnover.base[care_worker,private] = -0.1: a hazard rate must be >= 0"),
        std::string::npos)
        << what;
    EXPECT_EQ(e.problems().size(), 2U);
  }
}

// The scenario text with `from` replaced by `to` (first occurrence).
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The warnings' "path: rule" texts, in order.
std::vector<std::string> warning_texts(const staffsim::Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& w : sc.warnings) {
    EXPECT_EQ(w.severity, staffsim::Diagnostic::Severity::warning);
    EXPECT_GT(w.line, 0) << w.format();
    out.push_back(w.path + (w.value.empty() ? "" : " = " + w.value) + ": " + w.rule);
  }
  return out;
}

// DESIGN.md 2.1: "not recorded" rows are spread in proportion to the
// recorded ones that share their other labels. [sector, age], ages 20..29:
//   private 20-24: 100 -> 20 a age; private 25-29: 300 -> 60; council 20-29:
//   200 -> 20. Recorded total 600.
//   private,not_recorded,80: over private (400) -> +0.2 x: 20 -> +4, 60 -> +12.
//   not_recorded,20-24,60: over ages 20-24 of both sectors (100 + 100) ->
//   +0.3 x: +6 in every cell of ages 20-24.
//   not_recorded,not_recorded,100: over all 600 -> +x/6: +10/3 where 20, +10
//   where 60.
// So private 20-24: 20 + 4 + 6 + 10/3; private 25-29: 60 + 12 + 10 = 82;
// council 20-24: 20 + 6 + 10/3; council 25-29: 20 + 10/3. Sum 840, every row.
TEST_F(ScenarioLoading, NotRecordedRowsSpreadOverTheCellsSharingTheirOtherLabels) {
  (void)dir.write("sector_age.csv",
                  "sector,age,value\n"
                  "private,20-24,100\n"
                  "private,25-29,300\n"
                  "council,20-29,200\n"
                  "private,not_recorded,80\n"
                  "not_recorded,20-24,60\n"
                  "not_recorded,not_recorded,100\n");
  const std::string text = edited(kScenario,
                                  "      axes: [role, age]\n      table: role_age.csv\n"
                                  "      age_weights: {\"22+\": [1, 1, 1, 1, 1, 1, 1, 9]}\n",
                                  "      axes: [sector, age]\n      table: sector_age.csv\n");
  const staffsim::Scenario sc = staffsim::load_scenario(dir.write("sector_age.yaml", text));
  const auto& m = sc.opening.margins[2];
  ASSERT_EQ(m.axes, (std::vector<staffsim::Axis>{staffsim::Axis::sector, staffsim::Axis::age}));
  ASSERT_EQ(m.values.size(), 20);
  for (int a = 0; a < 5; ++a) {
    EXPECT_NEAR(m.values(a), 30.0 + 10.0 / 3.0, kTol) << a;       // private 20-24
    EXPECT_NEAR(m.values(5 + a), 82.0, kTol) << a;                // private 25-29
    EXPECT_NEAR(m.values(10 + a), 26.0 + 10.0 / 3.0, kTol) << a;  // council 20-24
    EXPECT_NEAR(m.values(15 + a), 20.0 + 10.0 / 3.0, kTol) << a;  // council 25-29
  }
  EXPECT_NEAR(m.values.sum(), 840.0, 1e-10);
  EXPECT_NO_THROW(sc.check());
}

// A not_recorded row whose cells hold no recorded count cannot be spread.
TEST_F(ScenarioLoading, NotRecordedRowWithoutRecordedCellsIsAnErrorNamingTheRow) {
  (void)dir.write("role_age.csv",
                  "role,age,value\n"
                  "care_worker,20-21,40\n"
                  "care_worker,22+,160\n"
                  "senior,20-29,0\n"
                  "senior,not_recorded,7\n");
  try {
    (void)staffsim::load_scenario(file);
    FAIL() << "accepted a not_recorded row with nothing to spread over";
  } catch (const staffsim::ScenarioError& e) {
    const std::string want = (dir.path() / "role_age.csv").generic_string() +
                             ":5: workforce.margins[role_age] = senior,not_recorded: a "
                             "not_recorded row is spread over the recorded cells of senior, and "
                             "no recorded row has a count there";
    EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
    EXPECT_EQ(e.problems().size(), 1U) << e.what();
  }
}

// DESIGN.md 2.4: without in_training the pipeline opens stationary "with a
// notice": a warning, and the scenario loads.
TEST_F(ScenarioLoading, ProgrammeWithoutInTrainingGivesANotice) {
  const std::string text = edited(kScenario, "      in_training: [10, 5]\n", "");
  const staffsim::Scenario sc = staffsim::load_scenario(dir.write("no_pipeline.yaml", text));
  EXPECT_TRUE(sc.programmes[0].in_training.empty());
  EXPECT_EQ(warning_texts(sc),
            (std::vector<std::string>{"supply.training[nvq].in_training: not given; the pipeline "
                                      "opens in the steady state of the first year's intake"}));
  EXPECT_EQ(sc.warnings[0].file, (dir.path() / "no_pipeline.yaml").string());
}

// DESIGN.md 2.1: year paths are held beyond their labels and validation warns
// when the run goes there, once per path. The programme's intake table is
// replaced by the training_intake lever (one label: a constant), so only
// posts.total warns.
TEST_F(ScenarioLoading, RunBeyondAYearPathWarnsOncePerPath) {
  const staffsim::Scenario sc = staffsim::load_scenario(
      dir.write("longer.yaml", edited(kScenario, "end_year: 2015,", "end_year: 2018,")));
  EXPECT_EQ(warning_texts(sc),
            (std::vector<std::string>{"posts.total: the run goes to 2018 but the values end in "
                                      "2015; held at the 2015 value beyond it"}));
  // Without the lever the intake table is used; a lever table starting after
  // and ending before the run warns about both ends.
  std::string text =
      edited(kScenario, "start_year: 2010, end_year: 2015,", "start_year: 2009, end_year: 2018,");
  text = edited(text, "  more_trainees: {type: training_intake, programme: nvq, path: {2012: 40}}",
                "  later: {type: retirement_shift, path: {2011: 0, 2013: 1}}");
  const staffsim::Scenario both = staffsim::load_scenario(dir.write("both.yaml", text));
  EXPECT_EQ(warning_texts(both),
            (std::vector<std::string>{
                "posts.total: the run covers 2009-2018 but the values cover 2010-2015; held at "
                "the 2010 value before and the 2015 value after",
                "levers.later.path: the run covers 2009-2018 but the values cover 2011-2013; "
                "held at the 2011 value before and the 2013 value after",
                "supply.training[nvq].intake: the run covers 2009-2018 but the values cover "
                "2010-2015; held at the 2010 value before and the 2015 value after"}));
  // A run that starts before the values only.
  const staffsim::Scenario early = staffsim::load_scenario(
      dir.write("early.yaml", edited(kScenario, "start_year: 2010,", "start_year: 2008,")));
  EXPECT_EQ(warning_texts(early),
            (std::vector<std::string>{"posts.total: the run starts in 2008 but the values begin "
                                      "in 2010; held at the 2010 value before it"}));
}

// A posts table warns once, naming its first held cell and counting the rest.
TEST_F(ScenarioLoading, PostsTableBeyondItsYearsWarnsOncePerTable) {
  (void)dir.write("posts.csv",
                  "role,sector,year,value\n"
                  "care_worker,private,2010,500\n"
                  "care_worker,private,2014,520\n"
                  "care_worker,council,2010,200\n"
                  "care_worker,council,2015,210\n"
                  "senior,private,2010,100\n"
                  "senior,private,2013,100\n"
                  "senior,council,2010,200\n"
                  "senior,council,2014,200\n");
  const std::string text =
      edited(kScenario, "  total: {2010: 1100, 2015: 1320}", "  table: posts.csv");
  const staffsim::Scenario sc = staffsim::load_scenario(dir.write("posts_table.yaml", text));
  EXPECT_EQ(warning_texts(sc),
            (std::vector<std::string>{
                "posts.table: the run goes to 2015 but the values of posts[care_worker,private] "
                "end in 2014; held at the 2014 value beyond it (and 2 other cells)"}));
}

// DESIGN.md 2.2 step 4: promotion runs per sector, so check() looks for a
// cycle per sector, as the loader does: care_worker -> senior only in council
// and senior -> care_worker only in private is no cycle.
TEST_F(ScenarioLoading, CheckFindsPromotionCyclesPerSector) {
  const std::string text = edited(kScenario, "sectors: [council]}\n",
                                  "sectors: [council]}\n"
                                  "    - {name: step_down, from: senior, to: care_worker, "
                                  "max_rate: 0.1, sectors: [private]}\n");
  staffsim::Scenario sc = staffsim::load_scenario(dir.write("two_ways.yaml", text));
  ASSERT_EQ(sc.promotion.size(), 2U);
  EXPECT_NO_THROW(sc.check());
  sc.promotion[1].sectors = {0, 1};  // now senior -> care_worker in council too
  try {
    sc.check();
    FAIL() << "check() accepted a promotion cycle in council";
  } catch (const staffsim::ScenarioError& e) {
    EXPECT_EQ(e.problems().size(), 1U) << e.what();
    EXPECT_NE(std::string(e.what()).find(
                  "supply.promotion: promotion routes form a cycle in sector council"),
              std::string::npos)
        << e.what();
  }
}

// check() repeats the lever rules of the loader: a retirement_shift lever has
// no sectors (retirement is per role), and a programme takes one
// training_intake lever.
TEST_F(ScenarioLoading, CheckRejectsSectorsOnRetirementShiftAndTwoIntakeLevers) {
  staffsim::Scenario sc = staffsim::load_scenario(file);
  staffsim::Lever later;
  later.name = "later";
  later.type = staffsim::LeverType::retirement_shift;
  later.sectors = {1};
  later.path = staffsim::LeverPath::constant(1.0);
  sc.levers.push_back(later);
  staffsim::Lever again = sc.levers[1];
  again.name = "again";
  sc.levers.push_back(again);
  try {
    sc.check();
    FAIL() << "check() accepted both";
  } catch (const staffsim::ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("levers.later.select.sectors: a retirement_shift lever does not select by "
                        "sectors (retirement is per role)"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("levers.again: levers `more_trainees` and `again` both set the intake of "
                        "programme nvq"),
              std::string::npos)
        << what;
    EXPECT_EQ(e.problems().size(), 2U) << what;
  }
}

}  // namespace
