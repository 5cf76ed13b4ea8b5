// A table of broken scenarios, each one valid base (demand mode posts) with
// one edit, and the message each must produce: file:line:column (CSV:
// file:row), the parameter path, the value and the rule (DESIGN.md 3); each
// also through the CLI. Plus: a scenario with three independent problems
// reports all three. Need-mode cases: test_validation_demand.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "staffsim/scenario.hpp"
#include "support/validation_table.hpp"

namespace {

namespace fs = std::filesystem;

constexpr const char* kBase = R"(staffsim_scenario: 1
name: base
time:
  start_year: 2010
  end_year: 2015
  steps_per_year: 4
dimensions:
  roles: [care_worker, senior]
  sectors: [private, council]
  min_age: 20
  max_age: 29
  tenure_bands: [0, 0.5, 2, 5]
fte_factor: 0.9
workforce:
  total: 1000
  margins:
    - name: cells
      axes: [role, sector]
      table: stock.csv
    - name: ages
      axes: [age]
      values: {"20-24": 400, "25-29": 600}
posts:
  total: 950
supply:
  turnover:
    base:
      default: 0.2
      by_cell: {care_worker: {private: 0.3}}
      table: turnover.csv
    age_factor:
      reference: "25-29"
      bands: {"20-24": 1.4, "25-29": 1.0}
    tenure_factor: {reference: "5+", values: [2, 1.5, 1.2, 1]}
  retirement:
    by_age: {"27-28": 0.05, "29": 0.3}
  destinations:
    default: {exit: 0.7, same_sector: 0.3}
    by_cell:
      care_worker:
        private: {exit: 0.5, same_sector: 0.3, to_sector: {council: 0.1}, to_role: {senior: 0.1}}
  promotion:
    - {name: up, from: care_worker, to: senior, max_rate: 0.1, min_tenure: 2}
  training:
    - name: nvq
      role: care_worker
      duration: 1
      intake: 20
      intake_age: {"20-22": 1}
      sectors: {private: 0.5, council: 0.5}
  recruitment:
    sources:
      - {name: school, ages: {"20": 1}, cap: 40}
      - {name: changers, ages: {"20-29": 1}}
    default: {mode: fill_vacancies, fill_rate: 0.8, sources: {school: 0.4, changers: 0.6}}
costs:
  price_base_year: 2010
  pay: {default: 18000, by_role: {senior: 24000}}
  agency_share: 0.1
levers:
  keep:
    type: retention
    select: {roles: [care_worker]}
    path: {start_year: 2011, end_year: 2013, from_value: 1, to_value: 0.8}
)";

constexpr const char* kStock =
    "role,sector,value\n"
    "care_worker,private,500\n"
    "care_worker,council,200\n"
    "senior,private,100\n"
    "senior,council,200\n";

constexpr const char* kTurnover =
    "role,sector,value\n"
    "senior,council,0.1\n";

using Case = staffsim::testing::ValidationCase;

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"yaml_syntax", "base.yaml", "  end_year: 2015", "  end_year: [2015", "base.yaml", "",
       "YAML syntax error"},
      {"unknown_key_did_you_mean", "base.yaml", "  turnover:", "  turnovr:", "base.yaml",
       "turnovr:", "supply.turnovr: unknown key; did you mean 'turnover'?"},
      {"wrong_type_number", "base.yaml", "  total: 1000", "  total: many", "base.yaml", "many",
       "workforce.total = many: expected a number"},
      {"wrong_type_label_list", "base.yaml", "  roles: [care_worker, senior]",
       "  roles: care_worker", "base.yaml", "care_worker\n",
       "dimensions.roles = care_worker: expected a list of labels"},
      {"negative_hazard", "base.yaml", "{private: 0.3}", "{private: -0.2}", "base.yaml", "-0.2}",
       "supply.turnover.base[care_worker,private] = -0.2: a hazard rate must be >= 0"},
      {"probability_not_below_1", "base.yaml", "\"29\": 0.3", "\"29\": 1.0", "base.yaml",
       "1.0}\n  destinations", "supply.retirement.by_age.29 = 1: a probability must be in [0, 1)"},
      {"destination_shares_not_1", "base.yaml", "{exit: 0.7,", "{exit: 0.6,", "base.yaml",
       "{exit: 0.6", "supply.destinations.default = sum 0.9: shares must sum to 1 (within 1e-9)"},
      {"recruitment_shares_not_1", "base.yaml", "changers: 0.6}", "changers: 0.5}", "base.yaml",
       "{school: 0.4", "supply.recruitment.default.sources = sum 0.9: shares must sum to 1"},
      {"unknown_csv_label", "turnover.csv", "senior,council", "senoir,council", "turnover.csv",
       "senoir", "supply.turnover.base = senoir: unknown role; did you mean 'senior'?"},
      {"unknown_yaml_label", "base.yaml", "to: senior,", "to: seniour,", "base.yaml", "seniour",
       "supply.promotion[up].to = seniour: unknown role; did you mean 'senior'?"},
      {"missing_csv_file", "base.yaml", "table: turnover.csv", "table: turnovers.csv", "base.yaml",
       "turnovers.csv", "supply.turnover.base.table = turnovers.csv: CSV file not found"},
      {"negative_stock", "stock.csv", "senior,private,100", "senior,private,-100", "stock.csv",
       "senior,private", "workforce.margins[cells] = -100: a count must be >= 0"},
      {"band_narrower_than_step", "base.yaml", "steps_per_year: 4", "steps_per_year: 1",
       "base.yaml", "0.5, 2, 5]",
       "dimensions.tenure_bands[1] = 0.5: the tenure band 0-0.5 is narrower than one step (dt = 1 "
       "years)"},
      {"non_finite_number", "base.yaml", "fte_factor: 0.9", "fte_factor: .nan", "base.yaml", ".nan",
       "fte_factor = .nan: a number must be finite"},
      {"infinite_number", "base.yaml", "max_rate: 0.1", "max_rate: .inf", "base.yaml", ".inf",
       "supply.promotion[up].max_rate = .inf: a number must be finite"},
      {"end_before_start", "base.yaml", "end_year: 2015", "end_year: 2005", "base.yaml", "2005",
       "time.end_year = 2005: end_year must be > start_year (2010)"},
      {"bad_steps_per_year", "base.yaml", "steps_per_year: 4", "steps_per_year: 3", "base.yaml",
       "3\n", "time.steps_per_year = 3: must be 1, 2, 4 or 12"},
      {"ages_min_not_below_max", "base.yaml", "max_age: 29", "max_age: 20", "base.yaml",
       "20\n  tenure", "dimensions.max_age = 20: min_age (20) must be < max_age"},
      {"extends_cycle",
       "base.yaml",
       "name: base",
       "name: base\nextends: child.yaml",
       "base.yaml",
       "child.yaml",
       "extends = child.yaml: a cycle in extends",
       {},
       {{"child.yaml", "staffsim_scenario: 1\nextends: base.yaml\n"}}},
      {"promotion_cycle", "base.yaml", "min_tenure: 2}",
       "min_tenure: 2}\n    - {name: down, from: senior, to: care_worker, max_rate: 0.1}",
       "base.yaml", "{name: up",
       "supply.promotion[up]: promotion routes form a cycle: care_worker -> senior -> "
       "care_worker"},
      {"move_to_same_sector", "base.yaml", "to_sector: {council: 0.1}", "to_sector: {private: 0.1}",
       "base.yaml", "0.1}, to_role",
       "supply.destinations.by_cell.care_worker.private.to_sector.private = 0.1: a move to the "
       "leaver's own sector; use same_sector"},
      {"move_to_same_role", "base.yaml", "to_role: {senior: 0.1}", "to_role: {care_worker: 0.1}",
       "base.yaml", "0.1}}",
       "supply.destinations.by_cell.care_worker.private.to_role.care_worker = 0.1: a move to the "
       "leaver's own role; use same_sector"},
      {"default_move_to_own_sector", "base.yaml", "{exit: 0.7, same_sector: 0.3}",
       "{exit: 0.7, same_sector: 0.2, to_sector: {council: 0.1}}", "base.yaml",
       "0.1}}\n    by_cell",
       "supply.destinations.default.to_sector.council = 0.1: a move to the leaver's own sector; "
       "use "
       "same_sector (applies to care_worker in council)"},
      {"min_tenure_not_a_band_edge", "base.yaml", "min_tenure: 2", "min_tenure: 3", "base.yaml",
       "3}\n  training",
       "supply.promotion[up].min_tenure = 3: min_tenure must be a tenure band edge (0, 0.5, "
       "2, 5)"},
      {"bad_path_in_set",
       "base.yaml",
       "",
       "",
       "--set",
       "",
       "bad path 'supply..turnover': empty segment at character 8",
       {{"supply..turnover", "1"}}},
      {"unknown_label_in_set_selector",
       "base.yaml",
       "",
       "",
       "--set",
       "",
       "supply.turnover.base[care_wrker,private] = care_wrker: unknown role; did you mean "
       "'care_worker'?",
       {{"supply.turnover.base[care_wrker,private]", "0.3"}}},
      {"wrong_selector_count_in_set",
       "base.yaml",
       "",
       "",
       "--set",
       "",
       "supply.turnover.base[care_worker]: a cell table takes 2 selectors (role, sector), found 1",
       {{"supply.turnover.base[care_worker]", "0.3"}}},
      {"set_value_out_of_domain",
       "base.yaml",
       "",
       "",
       "--set",
       "",
       "supply.turnover.base[senior,*] = -1: a hazard rate must be >= 0",
       {{"supply.turnover.base[senior,*]", "-1"}}},
      {"selector_on_a_scalar",
       "base.yaml",
       "",
       "",
       "--set",
       "",
       "time.end_year[a,b]: selectors apply to cell tables (role, sector) and to named list items "
       "only",
       {{"time.end_year[a,b]", "2020"}}},
      {"duration_not_multiple_of_dt", "base.yaml", "duration: 1", "duration: 1.1", "base.yaml",
       "1.1",
       "supply.training[nvq].duration = 1.1: a duration must be a multiple of the step (dt "
       "= 0.25 years)"},
      {"unknown_lever_type", "base.yaml", "type: retention", "type: retension", "base.yaml",
       "retension", "levers.keep.type = retension: unknown lever type; did you mean 'retention'?"},
      {"lever_value_out_of_domain", "base.yaml", "to_value: 0.8", "to_value: -0.5", "base.yaml",
       "-0.5", "levers.keep.path.to_value = -0.5: a retention factor must be > 0"},
      {"pay_lever_out_of_domain",
       "base.yaml",
       "type: retention\n    select: {roles: [care_worker]}",
       "type: pay\n    elasticity: -0.5\n    select: {roles: [care_worker]}",
       "--set",
       "",
       "levers.keep.path.from_value = -1: a pay change must be > -1",
       {{"levers.keep.path.from_value", "-1"}}},
      {"lever_path_shape_unknown", "base.yaml", "to_value: 0.8}", "to_value: 0.8, shape: wavy}",
       "base.yaml", "wavy",
       "levers.keep.path.shape = wavy: expected one of linear, step, logistic"},
      {"lever_unknown_programme", "base.yaml", "    type: retention",
       "    type: retention\n  more: {type: training_intake, programme: nvqq, path: 30}\n  x:\n    "
       "type: retention",
       "base.yaml", "nvqq", "levers.more.programme = nvqq: unknown programme; did you mean 'nvq'?"},
      {"lever_unknown_source", "base.yaml", "    type: retention",
       "    type: retention\n  abroad: {type: international_recruitment, recruitment_source: "
       "overseas, path: "
       "0.1}\n  x:\n    type: retention",
       "base.yaml", "overseas",
       "levers.abroad.recruitment_source = overseas: unknown recruitment source"},
      {"overlapping_age_ranges", "base.yaml", "{\"27-28\": 0.05", "{\"27-29\": 0.05", "base.yaml",
       "\"29\"",
       "supply.retirement.by_age.29 = 29: age ranges of one table must not overlap "
       "(overlaps 27-29)"},
      {"age_range_outside_min_max", "base.yaml", "{\"27-28\": 0.05", "{\"27-35\": 0.05",
       "base.yaml", "\"27-35\"",
       "supply.retirement.by_age.27-35 = 27-35: an age range must lie within [min_age, max_age] = "
       "[20, 29]"},
      {"age_factor_bands_missing_ages", "base.yaml", "bands: {\"20-24\": 1.4,",
       "bands: {\"21-24\": 1.4,", "base.yaml", "{\"21-24\"",
       "supply.turnover.age_factor.bands = 20-20: age factor bands must cover every age"},
      {"missing_required_key", "base.yaml", "  start_year: 2010\n", "", "base.yaml", "end_year",
       "time.start_year: missing required key"},
      {"version_not_1", "base.yaml", "staffsim_scenario: 1", "staffsim_scenario: 2", "base.yaml",
       "2\n", "staffsim_scenario = 2: unsupported input format version"},
      {"duplicate_role_label", "base.yaml", "[care_worker, senior]",
       "[care_worker, senior, senior]", "base.yaml", "senior]",
       "dimensions.roles[2] = senior: duplicate role label"},
      {"source_cap_negative", "base.yaml", "cap: 40", "cap: -5", "base.yaml", "-5",
       "supply.recruitment.sources[school].cap = -5: a source cap (people a year) must be >= 0"},
      {"tenure_factor_wrong_length", "base.yaml", "values: [2, 1.5, 1.2, 1]",
       "values: [2, 1.5, 1.2]", "base.yaml", "[2, 1.5",
       "supply.turnover.tenure_factor.values = 3 values: expected one factor per tenure band (4)"},
      {"fill_rate_not_below_1", "base.yaml", "fill_rate: 0.8", "fill_rate: 1", "base.yaml",
       "1, sources", "supply.recruitment.default.fill_rate = 1: a fill rate must be in [0, 1)"},
      {"unknown_axis", "base.yaml", "axes: [age]", "axes: [ages]", "base.yaml", "[ages]",
       "workforce.margins[ages].axes = ages: unknown axis (expected role, sector, age or tenure); "
       "did "
       "you mean 'age'?"},
      {"duplicate_csv_row", "stock.csv", "senior,council,200",
       "senior,council,200\nsenior,council,5", "stock.csv", "senior,council,5",
       "workforce.margins[cells]: duplicate row for these labels"},
      {"lever_on_unknown_role", "base.yaml", "roles: [care_worker]}\n    path",
       "roles: [care_workr]}\n    path", "base.yaml", "care_workr",
       "levers.keep.select.roles[0] = care_workr: unknown role; did you mean 'care_worker'?"},
      {"lever_end_before_start", "base.yaml", "end_year: 2013,", "end_year: 2010,", "base.yaml",
       "2010, from_value",
       "levers.keep.path.end_year = 2010: end_year must be > start_year (2011)"},
      {"pay_lever_at_minus_one", "base.yaml", "type: retention\n    select: {roles: [care_worker]}",
       "type: pay\n    elasticity: -0.5\n    select: {roles: [care_worker]}\n    path: -1\n  "
       "old:\n    type: retention",
       "base.yaml", "-1\n", "levers.keep.path = -1: a pay change must be > -1"},
      {"demand_lever_in_posts_mode", "base.yaml", "levers:\n",
       "levers:\n  richer: {type: intensity, path: 1.1}\n", "base.yaml", "intensity",
       "levers.richer.type = intensity: a need-based demand lever needs demand.mode: need (the "
       "mode is posts)"},
      {"negative_pay", "base.yaml", "senior: 24000", "senior: -24000", "base.yaml", "-24000",
       "costs.pay.by_role.senior = -24000: pay (a year per FTE) must be >= 0"},
      {"agency_share_above_1", "base.yaml", "agency_share: 0.1", "agency_share: 1.5", "base.yaml",
       "1.5\nlevers", "costs.agency_share = 1.5: a share must be in [0, 1]"},
      {"costs_without_price_base_year", "base.yaml", "  price_base_year: 2010\n", "", "base.yaml",
       "pay: {default", "costs.price_base_year: missing required key"},
      {"age_band_outside_ages", "base.yaml",
       "costs:", "outputs: {age_bands: [\"0-24\", \"25+\", \"75+\"]}\ncosts:", "base.yaml",
       "\"75+\"", "outputs.age_bands[2] = 75+: a band must overlap [min_age, max_age] = [20, 29]"},
      {"age_bands_with_a_gap", "base.yaml",
       "costs:", "outputs: {age_bands: [\"20-24\", \"27+\"]}\ncosts:", "base.yaml", "\"27+\"",
       "outputs.age_bands[1] = 27+: bands must cover every age from min_age to max_age: ages "
       "25-26 are in no band"},
      {"posts_missing_in_posts_mode", "base.yaml", "posts:\n  total: 950\n", "", "base.yaml",
       "staffsim_scenario", "posts: missing required key"},
      {"not_recorded_without_recorded_cells", "stock.csv", "senior,private,100\nsenior,council,200",
       "senior,private,0\nsenior,council,0\nsenior,not_recorded,30", "stock.csv",
       "senior,not_recorded",
       "workforce.margins[cells] = senior,not_recorded: a not_recorded row is spread over the "
       "recorded cells of senior, and no recorded row has a count there"},
      {"retirement_shift_selects_sectors", "base.yaml", "levers:\n",
       "levers:\n  later: {type: retirement_shift, select: {roles: [senior], sectors: [council]}, "
       "path: 1}\n",
       "base.yaml", "sectors: [council]}, path",
       "levers.later.select.sectors: a retirement_shift lever does not select by sectors "
       "(retirement is per role)"},
      {"two_intake_levers_on_one_programme", "base.yaml", "levers:\n",
       "levers:\n  more: {type: training_intake, programme: nvq, path: 30}\n  extra: {type: "
       "training_intake, programme: nvq, path: 40}\n",
       "base.yaml", "{type: training_intake, programme: nvq, path: 40}",
       "levers.extra: levers `more` and `extra` both set the intake of programme nvq (a "
       "training_intake lever replaces it); use one lever"},
      {"need_key_in_posts_mode", "base.yaml",
       "costs:", "demand: {coverage: 0.5, services: [home_care]}\ncosts:", "base.yaml", "services",
       "demand.services: not used in demand mode posts"},
  };
  return all;
}

const staffsim::testing::Files& base_files() {
  static const staffsim::testing::Files files{
      {"base.yaml", kBase}, {"stock.csv", kStock}, {"turnover.csv", kTurnover}};
  return files;
}

class Validation : public ::testing::TestWithParam<Case> {};

TEST_P(Validation, ReportsTheProblemWithPositionPathValueAndRule) {
  const staffsim::testing::CaseDir dir("validation", GetParam().name);
  staffsim::testing::expect_load_reports(GetParam(), base_files(), dir.path());
}

// The same scenario through `staffsim run -o`: exit 3, the same message on
// standard error, and no output (or temporary) file appears (DESIGN.md 3, 7).
TEST_P(Validation, CliRefusesItAndWritesNothing) {
  const staffsim::testing::CaseDir dir("validation_cli", GetParam().name);
  staffsim::testing::expect_cli_refuses(GetParam(), base_files(), dir.path());
}

// The base itself is valid (every case is one edit away from it).
TEST(ValidationBase, LoadsCleanly) {
  staffsim::testing::expect_base_loads(base_files(), "base.yaml", "validation");
}

INSTANTIATE_TEST_SUITE_P(BrokenScenarios, Validation, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// Validation reports every problem, not only the first (DESIGN.md 3).
TEST(ValidationAll, ThreeIndependentProblemsAreAllReported) {
  const fs::path dir =
      fs::temp_directory_path() / ("staffsim_validation_three_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string text = kBase;
  auto edit = [&](const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  };
  edit("{private: 0.3}", "{private: -0.2}");
  edit("fill_rate: 0.8", "fil_rate: 0.8");
  edit("cap: 40", "cap: -5");
  std::ofstream(dir / "base.yaml") << text;
  std::ofstream(dir / "stock.csv") << kStock;
  std::ofstream(dir / "turnover.csv") << kTurnover;
  try {
    (void)staffsim::load_scenario(dir / "base.yaml");
    ADD_FAILURE() << "accepted a scenario with three problems";
  } catch (const staffsim::ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("supply.turnover.base[care_worker,private] = -0.2"), std::string::npos)
        << what;
    EXPECT_NE(
        what.find("supply.recruitment.default.fil_rate: unknown key; did you mean 'fill_rate'?"),
        std::string::npos)
        << what;
    EXPECT_NE(what.find("supply.recruitment.sources[school].cap = -5"), std::string::npos) << what;
  }
  fs::remove_all(dir);
}

}  // namespace
