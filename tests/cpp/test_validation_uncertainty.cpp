// Validation of the `uncertainty:` block and the `stochastic:` key
// (DESIGN.md 2.7, 3): a table of broken scenarios, each one edit of a valid
// base with an uncertainty block, and the exact message each must produce
// with its position, through load_scenario and through the CLI (the pattern
// of test_validation.cpp). Plus: problems of several entries are reported
// together.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "staffsim/scenario.hpp"
#include "support/uncertainty_case.hpp"
#include "support/validation_table.hpp"

namespace {

using Case = staffsim::testing::ValidationCase;

// The shared case (support/uncertainty_case.hpp) with a valid block that
// every broken case below edits; lines numbers in the messages count from
// the shared case's first line.
const std::string kBase = std::string(staffsim::testing::kUncertaintyBase) + R"(stochastic: false
uncertainty:
  - name: level
    path: supply.turnover.base[care_worker,*]
    distribution: normal
    mean: 1.0
    sd: 0.1
    lower: 0.5
    mode: scale
  - name: cap
    path: supply.recruitment.sources[school].cap
    distribution: uniform
    lower: 20
    upper: 60
  - name: agency
    path: costs.agency_share[senior,*]
    distribution: dirichlet
    alpha: [2, 3]
  - name: choice
    path: supply.turnover.base[senior,private]
    distribution: discrete
    values: [0.1, 0.2]
    weights: [0.5, 0.5]
  - name: posterior
    sample: posterior.csv
)";

const char* const kStock = staffsim::testing::kUncertaintyStock;

constexpr const char* kPosterior =
    "draw,levers.keep.path.to_value\n"
    "0,0.8\n"
    "1,0.9\n";

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"unknown_key", "base.yaml", "    mode: scale\n", "    mode: scale\n    indepndent: true\n",
       "base.yaml", "indepndent",
       "uncertainty[level].indepndent: unknown key; did you mean 'independent'?"},
      {"bad_distribution_name", "base.yaml", "distribution: normal", "distribution: normla",
       "base.yaml", "normla",
       "uncertainty[level].distribution = normla: expected one of normal, lognormal, uniform, "
       "triangular, beta, discrete, dirichlet; did you mean 'normal'?"},
      {"missing_parameter", "base.yaml", "    sd: 0.1\n", "", "base.yaml", "name: level",
       "uncertainty[level].sd: missing required key"},
      {"missing_distribution", "base.yaml", "    distribution: uniform\n", "", "base.yaml",
       "name: cap", "uncertainty[cap].distribution: missing required key"},
      {"neither_path_nor_sample", "base.yaml", "    sample: posterior.csv\n",
       "    distribution: uniform\n", "base.yaml", "name: posterior",
       "uncertainty[posterior]: an entry needs `path` and `distribution`, or `sample`"},
      {"parameter_of_another_distribution", "base.yaml", "    upper: 60\n",
       "    upper: 60\n    sd: 3\n", "base.yaml", "sd: 3",
       "uncertainty[cap].sd: not a parameter of a uniform distribution (it takes lower, upper)"},
      {"sd_not_positive", "base.yaml", "sd: 0.1", "sd: 0", "base.yaml", "0\n    lower",
       "uncertainty[level].sd = 0: sd must be > 0"},
      {"lower_not_below_upper", "base.yaml", "upper: 60", "upper: 10", "base.yaml",
       "10\n  - name: agency", "uncertainty[cap].upper = 10: must be > lower (20)"},
      {"truncation_without_probability", "base.yaml", "lower: 0.5", "lower: 50\n    upper: 60",
       "base.yaml", "50\n    upper: 60",
       "uncertainty[level].lower = 50: the interval [lower, upper] has no probability under this "
       "distribution"},
      {"peak_outside_the_range", "base.yaml", "distribution: uniform\n    lower: 20\n    upper: 60",
       "distribution: triangular\n    lower: 20\n    peak: 70\n    upper: 60", "base.yaml", "70\n",
       "uncertainty[cap].peak = 70: the peak must lie in [lower, upper] = [20, 60]"},
      {"lognormal_lower_negative", "base.yaml",
       "distribution: uniform\n    lower: 20\n    upper: 60",
       "distribution: lognormal\n    mu: 3.5\n    sigma: 0.2\n    lower: -1", "base.yaml", "-1\n",
       "uncertainty[cap].lower = -1: must be >= 0 (a lognormal value is positive)"},
      {"bad_mode", "base.yaml", "mode: scale", "mode: multiply", "base.yaml", "multiply",
       "uncertainty[level].mode = multiply: expected one of value, scale"},
      {"independent_not_boolean", "base.yaml", "    mode: scale\n",
       "    mode: scale\n    independent: maybe\n", "base.yaml", "maybe",
       "uncertainty[level].independent = maybe: expected true or false"},
      {"untruncated_normal_on_a_hazard", "base.yaml", "    lower: 0.5\n", "", "base.yaml", "normal",
       "uncertainty[level].distribution = normal: the support leaves the domain of "
       "supply.turnover.base[care_worker,private] (at -inf: a hazard rate must be >= 0); "
       "truncate it with lower/upper"},
      // One end out of the domain: the message points at that bound.
      {"uniform_support_leaves_the_domain", "base.yaml", "lower: 20", "lower: -10", "base.yaml",
       "-10",
       "uncertainty[cap].lower = -10: the support leaves the domain of "
       "supply.recruitment.sources[school].cap (at -10: a source cap (people a year) must be >= "
       "0); narrow lower/upper"},
      {"discrete_value_out_of_domain", "base.yaml", "values: [0.1, 0.2]", "values: [0.1, -0.2]",
       "base.yaml", "-0.2",
       "uncertainty[choice].values[1] = -0.2: with this value, "
       "supply.turnover.base[senior,private] = -0.2: a hazard rate must be >= 0"},
      {"unknown_path", "base.yaml", "path: supply.turnover.base[care_worker,*]",
       "path: supply.turnovr.base[care_worker,*]", "base.yaml", "supply.turnovr",
       "uncertainty[level].path = supply.turnovr.base[care_worker,*]: unknown key 'turnovr' in "
       "supply; did you mean 'turnover'?"},
      {"unknown_label_in_selector", "base.yaml", "path: supply.turnover.base[care_worker,*]",
       "path: supply.turnover.base[care_wroker,*]", "base.yaml", "supply.turnover.base[care_wr",
       "supply.turnover.base[care_wroker,*] = care_wroker: unknown role; did you mean "
       "'care_worker'?"},
      {"selectors_on_a_number", "base.yaml", "path: supply.recruitment.sources[school].cap",
       "path: time.end_year[a,b]", "base.yaml", "time.end_year[a,b]",
       "time.end_year[a,b]: selectors apply to cell tables (role, sector) and to named list "
       "items only"},
      {"path_to_a_non_number", "base.yaml", "path: supply.recruitment.sources[school].cap",
       "path: supply.recruitment.sources[school]", "base.yaml", "supply.recruitment.sources[s",
       "uncertainty[cap].path = supply.recruitment.sources[school]: the path ends on a map at "
       "supply.recruitment.sources[school], not a number; pick a number or table cells (e.g. "
       "supply.turnover.base[care_worker,*])"},
      {"overlapping_value_entries", "base.yaml", "  - name: posterior\n",
       "  - name: again\n    path: supply.turnover.base[*,private]\n    distribution: discrete\n"
       "    values: [0.3]\n  - name: posterior\n",
       "base.yaml", "supply.turnover.base[*,private]",
       "uncertainty[again].path = supply.turnover.base[*,private]: overlaps uncertainty[choice]: "
       "both set supply.turnover.base[senior,private] by value (overlapping mode: value entries "
       "are an error; use mode: scale or select other elements)"},
      {"dirichlet_length_mismatch", "base.yaml", "alpha: [2, 3]", "alpha: [2, 3, 4]", "base.yaml",
       "[2, 3, 4]",
       "uncertainty[agency].alpha = 3 values: expected one per selected element, in selection "
       "order (2: costs.agency_share[senior,private], costs.agency_share[senior,council])"},
      {"dirichlet_alpha_not_positive", "base.yaml", "alpha: [2, 3]", "alpha: [2, 0]", "base.yaml",
       "0]", "uncertainty[agency].alpha[1] = 0: alpha must be > 0"},
      {"dirichlet_independent", "base.yaml", "    alpha: [2, 3]\n",
       "    alpha: [2, 3]\n    independent: true\n", "base.yaml", "true\n",
       "uncertainty[agency].independent = true: not with a dirichlet distribution"},
      {"discrete_with_mode_scale", "base.yaml", "    weights: [0.5, 0.5]\n",
       "    weights: [0.5, 0.5]\n    mode: scale\n", "base.yaml", "scale\n  - name: posterior",
       "uncertainty[choice].mode = scale: a discrete distribution takes mode value only"},
      {"weights_not_summing_to_1", "base.yaml", "weights: [0.5, 0.5]", "weights: [0.5, 0.4]",
       "base.yaml", "[0.5, 0.4]",
       "uncertainty[choice].weights = sum 0.9: shares must sum to 1 (within 1e-9)"},
      {"weights_wrong_length", "base.yaml", "weights: [0.5, 0.5]", "weights: [1]", "base.yaml",
       "[1]", "uncertainty[choice].weights = 1 weights: expected one weight per value (2)"},
      {"negative_weight", "base.yaml", "weights: [0.5, 0.5]", "weights: [1.5, -0.5]", "base.yaml",
       "-0.5", "uncertainty[choice].weights[1] = -0.5: a weight must be >= 0"},
      {"duplicate_entry_name", "base.yaml", "  - name: cap\n", "  - name: level\n", "base.yaml",
       "level\n    path: supply.recruitment",
       "uncertainty[level].name = level: two entries have this name (uncertainty[level] too; the "
       "default is the path or the sample file): give each a distinct name"},
      {"sample_file_missing", "base.yaml", "sample: posterior.csv", "sample: posterio.csv",
       "base.yaml", "posterio.csv",
       "uncertainty[posterior].sample = posterio.csv: CSV file not found"},
      {"sample_bad_column", "posterior.csv", "levers.keep.path.to_value",
       "levers.keep.path.to_valeu", "posterior.csv", "draw,",
       "uncertainty[posterior].sample = levers.keep.path.to_valeu: unknown key 'to_valeu' in "
       "levers.keep.path; did you mean 'to_value'?"},
      {"sample_non_number", "posterior.csv", "1,0.9", "1,abc", "posterior.csv", "1,abc",
       "uncertainty[posterior].sample[levers.keep.path.to_value] = abc: expected a number"},
      {"sample_draw_column_out_of_order", "posterior.csv", "1,0.9", "5,0.9", "posterior.csv",
       "5,0.9",
       "uncertainty[posterior].sample[draw] = 5: the draw column must number the rows 0, 1, 2, "
       "... (row 1 after the header is draw 1)"},
      {"sample_row_0_out_of_domain", "posterior.csv", "0,0.8", "0,-0.8", "posterior.csv", "0,-0.8",
       "uncertainty[posterior].sample: draw 0 breaks a rule: levers.keep.path.to_value = -0.8: a "
       "retention factor must be > 0"},
      {"sample_with_distribution_keys", "base.yaml", "    sample: posterior.csv\n",
       "    sample: posterior.csv\n    sd: 1\n", "base.yaml", "sd: 1",
       "uncertainty[posterior].sd: not used with `sample` (a sample entry takes name, sample, "
       "mode)"},
      {"stochastic_maybe", "base.yaml", "stochastic: false", "stochastic: maybe", "base.yaml",
       "maybe", "stochastic = maybe: expected true or false"},
      {"top_level_key_did_you_mean", "base.yaml", "stochastic: false", "stochastik: false",
       "base.yaml", "stochastik", "stochastik: unknown key; did you mean 'stochastic'?"},
      {"set_reaches_an_entry",
       "base.yaml",
       "",
       "",
       "--set",
       "",
       "uncertainty[cap].upper = 5: must be > lower (20)",
       {{"uncertainty[cap].upper", "5"}}},
  };
  return all;
}

const staffsim::testing::Files& base_files() {
  static const staffsim::testing::Files files{
      {"base.yaml", kBase}, {"stock.csv", kStock}, {"posterior.csv", kPosterior}};
  return files;
}

class UncertaintyValidation : public ::testing::TestWithParam<Case> {};

TEST_P(UncertaintyValidation, ReportsTheProblemWithPositionPathValueAndRule) {
  const staffsim::testing::CaseDir dir("validation_unc", GetParam().name);
  staffsim::testing::expect_load_reports(GetParam(), base_files(), dir.path());
}

TEST_P(UncertaintyValidation, CliRefusesItAndWritesNothing) {
  const staffsim::testing::CaseDir dir("validation_unc_cli", GetParam().name);
  staffsim::testing::expect_cli_refuses(GetParam(), base_files(), dir.path());
}

TEST(UncertaintyValidationBase, LoadsCleanly) {
  staffsim::testing::expect_base_loads(base_files(), "base.yaml", "validation_unc");
}

INSTANTIATE_TEST_SUITE_P(BrokenUncertainty, UncertaintyValidation, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// Problems in several entries come in one report.
TEST(UncertaintyValidationAll, EveryEntrysProblemIsReported) {
  const staffsim::testing::CaseDir dir("validation_unc", "all");
  std::string text = kBase;
  auto edit = [&](const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
  };
  edit("sd: 0.1", "sd: -1");
  edit("upper: 60", "upper: 10");
  edit("weights: [0.5, 0.5]", "weights: [0.5, 0.4]");
  edit("stochastic: false", "stochastic: maybe");
  std::ofstream(dir.path() / "base.yaml") << text;
  std::ofstream(dir.path() / "stock.csv") << kStock;
  std::ofstream(dir.path() / "posterior.csv") << kPosterior;
  try {
    (void)staffsim::load_scenario(dir.path() / "base.yaml");
    ADD_FAILURE() << "accepted";
  } catch (const staffsim::ScenarioError& e) {
    const std::string what = e.what();
    for (const char* want :
         {"uncertainty[level].sd = -1: sd must be > 0", "uncertainty[cap].upper = 10",
          "uncertainty[choice].weights = sum 0.9", "stochastic = maybe"}) {
      EXPECT_NE(what.find(want), std::string::npos) << want << "\n" << what;
    }
  }
}

}  // namespace
