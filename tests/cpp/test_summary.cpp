// `staffsim summary` and `staffsim compare` (DESIGN.md 5) against values
// worked out by hand for a one-cell scenario, in all three formats.
//
// Scenario a: 1,000 carers aged 20-29 in November 2010, fte_factor 0.5, one
// step a year, posts 1,000 (headcount-equivalent) throughout, turnover a
// probability of 0.1 a year, everyone leaving exits; no hires, no retirement
// (nobody reaches max_age 74 by 2012). Then, census by census:
//   2010: staff 1000, FTE 500, vacancies 0;
//   2011: leavers 0.1 x 1000 = 100, staff 900, FTE 450, vacancies 100 (50 FTE),
//         vacancy rate 10%, gap 450 - 500 = -50 FTE, turnover 100/900 = 11.1%;
//   2012: leavers 90, staff 810, vacancies 190 (rate 19%), turnover 90/810.
// Money at one step a year (stocks at the end of the step x dt = 1):
//   pay bill 2011 = 450 FTE x 20,000 = 9,000,000; 2012: 405 x 20,000 = 8,100,000;
//   vacancy cover 2011 = 50 FTE x 0.5 agency x 20,000 x 1.5 = 750,000.
// Scenario b: the same with turnover 0.2: 2011 staff 800, leavers 200.
// Scenario c: scenario a with demand.coverage 0.8: the loader scales the
// stock and posts by 1/0.8, so `--observed` gives back scenario a's figures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

namespace staffsim::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScenarioA = R"(staffsim_scenario: 1
name: tiny_a
source: "hand-made test scenario"
time: {start_year: 2010, end_year: 2012, steps_per_year: 1}
dimensions:
  roles: [carer]
  sectors: [council]
  min_age: 18
  max_age: 74
  tenure_bands: [0, 1, 2, 5]
fte_factor: {default: 0.5}
workforce:
  total: 1000
  margins:
    - axes: [age]
      values: {"20-29": 1000}
posts:
  unit: headcount
  total: 1000
supply:
  turnover:
    unit: probability
    base: {default: TURNOVER}
costs:
  price_base_year: 2010
  pay: {default: 20000}
  agency_share: {default: 0.5}
  agency_premium: {default: 1.5}
)";

std::string scenario(const std::string& name, const std::string& turnover,
                     const std::string& extra = "") {
  std::string text = kScenarioA;
  text.replace(text.find("tiny_a"), 6, name);
  text.replace(text.find("TURNOVER"), 8, turnover);
  return text + extra;
}

std::vector<std::string> tokens(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

// Lines of `text` starting with `prefix`, as tokens.
std::vector<std::vector<std::string>> lines_starting(const std::string& text,
                                                     const std::string& prefix) {
  std::istringstream in(text);
  std::vector<std::vector<std::string>> out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) out.push_back(tokens(line));
  }
  return out;
}

// The number after `"key": ` in the first JSON object containing `anchor`.
double json_value(const std::string& json, const std::string& anchor, const std::string& key) {
  const std::size_t at = json.find(anchor);
  if (at == std::string::npos) return -1e300;
  const std::size_t k = json.find("\"" + key + "\": ", at);
  if (k == std::string::npos || k > json.find('}', at)) return -1e300;
  const std::string rest = json.substr(k + key.size() + 4);
  return rest.rfind("null", 0) == 0 ? std::nan("") : std::strtod(rest.c_str(), nullptr);
}

class Summary : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& [name, text] :
         {std::pair{"a", scenario("tiny_a", "0.1")}, std::pair{"b", scenario("tiny_b", "0.2")},
          std::pair{"c", scenario("tiny_c", "0.1", "demand:\n  coverage: 0.8\n")}}) {
      const fs::path yaml = dir.write(std::string(name) + ".yaml", text);
      const CliResult r = run_cli({"run", yaml.string(), "-q", "-o", file(name)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  [[nodiscard]] std::string file(const std::string& name) const {
    return (dir.path() / (name + ".h5")).string();
  }
  [[nodiscard]] std::string out(const std::vector<std::string>& args) const {
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  TempDir dir;
};

TEST_F(Summary, TableHasTheHandWorkedFiguresIn80Columns) {
  const std::string text = out({"summary", file("a")});
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("file: ", 0) != 0) {  // a long path may not fit
      EXPECT_LE(line.size(), 80U) << line;
    }
  }
  const auto rows = lines_starting(text, "2011");
  ASSERT_EQ(rows.size(), 3U) << text;  // stocks, flows, retirement and money
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"2011", "900", "450", "1000", "100", "10.0", "-50"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2011", "0", "100", "11.1", "0.0", "100", "0",
                                               "11.1", "0.0"}));
  // Money in thousands: pay bill 9,000, cover 750.
  EXPECT_EQ(rows[2], (std::vector<std::string>{"2011", "0", "0", "0", "9000", "0", "750", "0"}));
  // The first year has no flows: dashes.
  EXPECT_EQ(lines_starting(text, "2010")[1],
            (std::vector<std::string>{"2010", "-", "-", "-", "-", "-", "-", "-", "-"}));
  EXPECT_NE(text.find("2010 prices"), std::string::npos);
}

TEST_F(Summary, CsvHasTheHandWorkedFigures) {
  const std::string csv = out({"summary", file("a"), "--format", "csv", "--year", "2012"});
  const auto lines = lines_starting(csv, "");
  ASSERT_EQ(lines.size(), 2U) << csv;
  std::vector<std::string> header;
  std::vector<std::string> values;
  std::istringstream h(lines[0][0]);
  std::istringstream v(lines[1][0]);
  for (std::string f; std::getline(h, f, ',');) header.push_back(f);
  for (std::string f; std::getline(v, f, ',');) values.push_back(f);
  ASSERT_EQ(header.size(), values.size());
  const auto value = [&](const std::string& key) {
    const auto it = std::find(header.begin(), header.end(), key);
    return it == header.end() ? -1e300 : std::strtod(values[it - header.begin()].c_str(), nullptr);
  };
  EXPECT_EQ(values[0], "2012");
  EXPECT_EQ(values[1], "total");
  EXPECT_NEAR(value("headcount"), 810.0, 1e-9);
  EXPECT_NEAR(value("vacancies_hc"), 190.0, 1e-9);
  EXPECT_NEAR(value("vacancy_rate"), 0.19, 1e-12);
  EXPECT_NEAR(value("leavers"), 90.0, 1e-9);
  EXPECT_NEAR(value("turnover_rate"), 90.0 / 810.0, 1e-12);
  EXPECT_NEAR(value("pay_bill"), 8.1e6, 1e-6);
  EXPECT_NEAR(value("vacancy_cover_cost"), 95 * 0.5 * 20000 * 1.5, 1e-6);
}

TEST_F(Summary, JsonHasTheHandWorkedFiguresAndNullForFirstYearFlows) {
  const std::string json = out({"summary", file("a"), "--format", "json", "--by", "role"});
  EXPECT_NE(json.find("\"by\": \"role\""), std::string::npos);
  EXPECT_NE(json.find("\"headcount\": \"people\""), std::string::npos);  // units
  const std::string y2010 = "\"year\": 2010, \"group\": \"carer\"";
  const std::string y2011 = "\"year\": 2011, \"group\": \"carer\"";
  EXPECT_NEAR(json_value(json, y2010, "headcount"), 1000.0, 1e-9);
  EXPECT_TRUE(std::isnan(json_value(json, y2010, "leavers"))) << json;
  EXPECT_NEAR(json_value(json, y2011, "headcount"), 900.0, 1e-9);
  EXPECT_NEAR(json_value(json, y2011, "fte"), 450.0, 1e-9);
  EXPECT_NEAR(json_value(json, y2011, "gap_fte"), -50.0, 1e-9);
  EXPECT_NEAR(json_value(json, y2011, "wastage"), 100.0, 1e-9);
  EXPECT_NEAR(json_value(json, y2011, "pay_bill"), 9e6, 1e-6);
}

TEST_F(Summary, ObservedMultipliesCountsByTheCoverageButNotRates) {
  const std::string json =
      out({"summary", file("c"), "--format", "json", "--year", "2011", "--observed"});
  EXPECT_NE(json.find("\"observed\": true"), std::string::npos);
  EXPECT_NE(json.find("\"coverage\": 0.8"), std::string::npos);
  const std::string row = "\"year\": 2011";
  EXPECT_NEAR(json_value(json, row, "headcount"), 900.0, 1e-9);
  EXPECT_NEAR(json_value(json, row, "leavers"), 100.0, 1e-9);
  EXPECT_NEAR(json_value(json, row, "vacancy_cover_cost"), 750000.0, 1e-6);
  EXPECT_NEAR(json_value(json, row, "turnover_rate"), 1.0 / 9.0, 1e-12);
  const std::string modelled = out({"summary", file("c"), "--format", "json", "--year", "2011"});
  EXPECT_NEAR(json_value(modelled, row, "headcount"), 1125.0, 1e-9);  // 900 / 0.8
}

TEST_F(Summary, CompareShowsBothFilesAndTheirDifferenceInEveryFormat) {
  const std::string table = out({"compare", file("a"), file("b"), "--year", "2011"});
  const auto staff = lines_starting(table, "  staff (headcount)");
  ASSERT_EQ(staff.size(), 1U) << table;
  EXPECT_EQ(staff[0], (std::vector<std::string>{"staff", "(headcount)", "900.0", "800.0", "-100.0",
                                                "-11.1%"}));
  const auto turnover = lines_starting(table, "  turnover rate");
  ASSERT_EQ(turnover.size(), 1U);
  EXPECT_EQ(turnover[0],
            (std::vector<std::string>{"turnover", "rate", "11.11%", "25.00%", "13.89%", "125.0%"}));

  const std::string csv = out({"compare", file("a"), file("b"), "--format", "csv"});
  EXPECT_EQ(csv.rfind("year,group,measure,unit,a,b,difference,relative_difference\n", 0), 0U);
  const std::size_t at = csv.find("\n2011,total,leavers,people,");
  ASSERT_NE(at, std::string::npos) << csv;
  std::istringstream fields(csv.substr(at + 27, csv.find('\n', at + 1) - at - 27));
  std::vector<double> numbers;
  for (std::string f; std::getline(fields, f, ',');)
    numbers.push_back(std::strtod(f.c_str(), nullptr));
  ASSERT_EQ(numbers.size(), 4U);
  EXPECT_NEAR(numbers[0], 100.0, 1e-9);  // a
  EXPECT_NEAR(numbers[1], 200.0, 1e-9);  // b
  EXPECT_NEAR(numbers[2], 100.0, 1e-9);  // b - a
  EXPECT_NEAR(numbers[3], 1.0, 1e-12);   // (b - a) / |a|
  EXPECT_NE(csv.find("\n2010,total,leavers,people,,,,\n"), std::string::npos);

  const std::string json = out({"compare", file("a"), file("b"), "--format", "json"});
  const std::string row = "\"year\": 2011, \"group\": \"total\", \"measure\": \"headcount\"";
  EXPECT_NEAR(json_value(json, row, "a"), 900.0, 1e-9);
  EXPECT_NEAR(json_value(json, row, "b"), 800.0, 1e-9);
  EXPECT_NEAR(json_value(json, row, "difference"), -100.0, 1e-9);
  EXPECT_NEAR(json_value(json, row, "relative_difference"), -1.0 / 9.0, 1e-12);
  EXPECT_NE(json.find("\"scenario_name\": \"tiny_b\""), std::string::npos);
}

TEST_F(Summary, BadOptionsAreUsageErrors) {
  EXPECT_EQ(run_cli({"summary", file("a"), "--by", "region"}).exit_code, 2);
  EXPECT_EQ(run_cli({"summary", file("a"), "--format", "xml"}).exit_code, 2);
  const CliResult year = run_cli({"summary", file("a"), "--year", "1999"});
  EXPECT_EQ(year.exit_code, 2);
  EXPECT_NE(year.err.find("no results for year 1999"), std::string::npos) << year.err;
  EXPECT_EQ(run_cli({"compare", file("a")}).exit_code, 2);
  EXPECT_EQ(run_cli({"summary"}).exit_code, 2);
}

TEST_F(Summary, RunDrawsNoProgressBarWhenStderrIsNotATerminal) {
  const CliResult r = run_cli({"run", (dir.path() / "a.yaml").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
}

}  // namespace
}  // namespace staffsim::testing
