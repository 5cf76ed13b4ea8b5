// Demand, costs and outputs load into exactly the arrays computed by hand
// from docs/scenario-reference.md: a need-mode scenario (two client groups,
// three age groups, three services, two roles, two sectors, every demand
// lever), index mode, coverage scaling, and the defaults of costs and outputs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "staffsim/scenario.hpp"
#include "support/cli_runner.hpp"

namespace {

using staffsim::testing::TempDir;

// Time, dimensions, opening stock and supply shared by every scenario here.
constexpr const char* kCommon = R"(staffsim_scenario: 1
time: {start_year: 2010, end_year: 2015}
dimensions: {roles: [care_worker, senior], sectors: [private, council]}
fte_factor: 0.8
workforce:
  total: 1000
  margins:
    - {name: roles, axes: [role], values: {care_worker: 800, senior: 200}}
    - {name: sectors, axes: [sector], values: {private: 700, council: 300}}
)";

constexpr const char* kSupply = R"(supply:
  turnover: {base: 0.2}
  training:
    - {name: nvq, role: care_worker, duration: 1, intake: {2010: 20, 2015: 30},
       intake_age: {"18-24": 1}, sectors: {private: 1}, in_training: [10]}
  recruitment:
    sources:
      - {name: school, ages: {"16-18": 1}, cap: 40}
      - {name: abroad, ages: {"25-34": 1}}
    default: {mode: fill_vacancies, fill_rate: 0.8, sources: {school: 0.5, abroad: 0.5}}
    by_role: {senior: {mode: fixed, number: 12, sources: {abroad: 1}}}
)";

constexpr const char* kNeed = R"(demand:
  mode: need
  opening_vacancies: {rate: {default: 0.05, by_cell: {senior: {council: 0.1}}}}
  client_groups: [older_people, younger_adults]
  age_groups:
    - {name: adults, ages: "18-64", population: 3.0e6}
    - {name: "65-84", ages: "65-84", population: {2010: 7.4e6, 2020: 9.0e6}}
    - {ages: "85+", population: 1.2e6}
  services: [residential, home_care, direct_payment]
  prevalence: {table: prevalence.csv, older_people: {"85+": 0.2}}
  mix:
    older_people: {residential: 0.3, home_care: 0.5, direct_payment: 0.2}
    younger_adults: {home_care: 0.4, direct_payment: 0.6}
  ratio:
    residential: {care_worker: 0.6, senior: 0.1}
    home_care: {care_worker: 0.2}
    direct_payment: {care_worker: 0.3}
  provider:
    residential: {private: 0.8, council: 0.2}
    home_care: {private: 0.7, council: 0.3}
    direct_payment: {private: 1}
costs:
  price_base_year: 2010
  pay: {by_role: {care_worker: 18000, senior: 24000}}
  agency_share: 0.1
levers:
  more_dp:
    type: personalisation
    select: {client_groups: [older_people]}
    to_service: direct_payment
    from_services: [residential, home_care]
    path: {start_year: 2012, end_year: 2015, from_value: 0.2, to_value: 0.4}
  richer: {type: intensity, select: {services: [home_care]}, path: 1.1}
  prevent: {type: prevention, select: {client_groups: [older_people], age_groups: ["85+"]}, path: 0.9}
  telecare: {type: productivity, select: {services: [residential], roles: [care_worker]}, path: 1.05}
  outsource:
    type: outsourcing
    select: {services: [residential]}
    from_sector: council
    to_sectors: [private]
    path: {2010: 0, 2015: 0.5}
  cap_seniors: {type: demand_scale, select: {roles: [senior]}, path: 1.0}
)";

// The CSV rows override the map: older_people/85+ is 0.25, not 0.2.
constexpr const char* kPrevalence =
    "client_group,age_group,value\n"
    "older_people,65-84,0.05\n"
    "older_people,85+,0.25\n"
    "younger_adults,adults,0.01\n";

class DemandLoading : public ::testing::Test {
 protected:
  TempDir dir;
  staffsim::Scenario load(const std::string& text,
                          const std::vector<staffsim::Override>& sets = {}) {
    (void)dir.write("prevalence.csv", kPrevalence);
    return staffsim::load_scenario(dir.write("s.yaml", text), sets);
  }
};

TEST_F(DemandLoading, NeedModeTablesLoadExactly) {
  const staffsim::Scenario sc = load(std::string(kCommon) + kSupply + kNeed);
  using staffsim::DemandMode;
  const auto& need = sc.demand.need;
  EXPECT_EQ(sc.demand.mode, DemandMode::need);
  EXPECT_EQ(sc.demand.coverage, 1.0);
  EXPECT_TRUE(sc.posts.fte.empty());  // posts come from demand
  EXPECT_EQ(need.client_groups, (std::vector<std::string>{"older_people", "younger_adults"}));
  EXPECT_EQ(need.services,
            (std::vector<std::string>{"residential", "home_care", "direct_payment"}));
  ASSERT_EQ(need.age_groups.size(), 3U);
  EXPECT_EQ(need.age_groups[0].name, "adults");
  EXPECT_EQ(need.age_groups[0].min_age, 18);
  EXPECT_EQ(need.age_groups[0].max_age, 64);
  EXPECT_EQ(need.age_groups[1].name, "65-84");
  EXPECT_DOUBLE_EQ(need.age_groups[1].population.at(2015), 8.2e6);
  EXPECT_EQ(need.age_groups[2].name, "85+");  // the name defaults to the ages
  EXPECT_EQ(need.age_groups[2].min_age, 85);
  EXPECT_EQ(need.age_groups[2].max_age, 120);
  EXPECT_EQ(need.age_groups[2].population.at(2030), 1.2e6);
  Eigen::ArrayXXd prevalence(2, 3);
  prevalence << 0.0, 0.05, 0.25, 0.01, 0.0, 0.0;
  EXPECT_TRUE((need.prevalence == prevalence).all()) << need.prevalence;
  Eigen::ArrayXXd mix(2, 3);
  mix << 0.3, 0.5, 0.2, 0.0, 0.4, 0.6;
  EXPECT_TRUE((need.mix == mix).all()) << need.mix;
  Eigen::ArrayXXd ratio(3, 2);
  ratio << 0.6, 0.1, 0.2, 0.0, 0.3, 0.0;
  EXPECT_TRUE((need.ratio == ratio).all()) << need.ratio;
  Eigen::ArrayXXd provider(3, 2);
  provider << 0.8, 0.2, 0.7, 0.3, 1.0, 0.0;
  EXPECT_TRUE((need.provider == provider).all()) << need.provider;
  EXPECT_TRUE(need.effective_ratio_roles.empty());
  Eigen::ArrayXXd vacancy(2, 2);
  vacancy << 0.05, 0.05, 0.05, 0.1;
  EXPECT_TRUE((sc.demand.opening_vacancy_rate == vacancy).all());
  EXPECT_TRUE(sc.warnings.empty());
  EXPECT_NO_THROW(sc.check());
}

// DESIGN.md 2.3: a role with demand but no opening stock loads when its
// ratio is declared the effective staff per user.
TEST_F(DemandLoading, EffectiveRatioRolesNameRolesWithoutStock) {
  std::string text = std::string(kCommon) + kSupply + kNeed;
  text.replace(text.find("senior: 200}"), 12, "senior: 0}");
  text.replace(text.find("  client_groups:"), 0, "  effective_ratio_roles: [senior]\n");
  const staffsim::Scenario sc = load(text);
  EXPECT_EQ(sc.demand.need.effective_ratio_roles, (std::vector<staffsim::Role>{1}));
}

TEST_F(DemandLoading, DemandLeversCarryTheirSelections) {
  const staffsim::Scenario sc = load(std::string(kCommon) + kSupply + kNeed);
  using staffsim::LeverType;
  ASSERT_EQ(sc.levers.size(), 6U);
  const auto& dp = sc.levers[0];
  EXPECT_EQ(dp.type, LeverType::personalisation);
  EXPECT_EQ(dp.client_groups, (std::vector<int>{0}));
  EXPECT_EQ(dp.to_service, 2);
  EXPECT_EQ(dp.from_services, (std::vector<int>{0, 1}));
  EXPECT_DOUBLE_EQ(dp.path.at(2013.5), 0.3);
  EXPECT_EQ(sc.levers[1].type, LeverType::intensity);
  EXPECT_EQ(sc.levers[1].services, (std::vector<int>{1}));
  EXPECT_EQ(sc.levers[2].type, LeverType::prevention);
  EXPECT_EQ(sc.levers[2].client_groups, (std::vector<int>{0}));
  EXPECT_EQ(sc.levers[2].age_groups, (std::vector<int>{2}));
  EXPECT_EQ(sc.levers[3].services, (std::vector<int>{0}));
  EXPECT_EQ(sc.levers[3].roles, (std::vector<int>{0}));
  const auto& out = sc.levers[4];
  EXPECT_EQ(out.type, LeverType::outsourcing);
  EXPECT_EQ(out.from_sector, 1);
  EXPECT_EQ(out.to_sectors, (std::vector<int>{0}));
  EXPECT_DOUBLE_EQ(out.path.at(2015), 0.5);
  EXPECT_EQ(sc.levers[5].type, LeverType::demand_scale);
  EXPECT_EQ(sc.levers[5].roles, (std::vector<int>{1}));
}

TEST_F(DemandLoading, SetChangesCellsOfNeedTablesAndCosts) {
  const staffsim::Scenario sc =
      load(std::string(kCommon) + kSupply + kNeed,
           {{"demand.mix[younger_adults,home_care|direct_payment]", "0.5"},
            {"costs.pay[care_worker,*]", "20000"},
            {"levers.more_dp.path.from_value", "0.1"}});
  EXPECT_EQ(sc.demand.need.mix(1, 1), 0.5);
  EXPECT_EQ(sc.demand.need.mix(1, 2), 0.5);
  EXPECT_EQ(sc.costs.pay(0, 0), 20000.0);
  EXPECT_EQ(sc.costs.pay(0, 1), 20000.0);
  EXPECT_EQ(sc.costs.pay(1, 0), 24000.0);
  // A target below the base share (0.2) is a warning (DESIGN.md 3).
  ASSERT_EQ(sc.warnings.size(), 1U);
  EXPECT_NE(sc.warnings[0].rule.find("below the base share of direct_payment for older_people"),
            std::string::npos)
      << sc.warnings[0].format();
}

TEST_F(DemandLoading, CostsGivenAndDefaults) {
  const staffsim::Scenario sc = load(std::string(kCommon) + kSupply + kNeed);
  EXPECT_EQ(sc.costs.price_base_year, 2010);
  Eigen::ArrayXXd pay(2, 2);
  pay << 18000, 18000, 24000, 24000;
  EXPECT_TRUE((sc.costs.pay == pay).all());
  EXPECT_TRUE((sc.costs.cost_per_hire == 3600.0).all());  // CIPD, 003:243
  EXPECT_TRUE((sc.costs.agency_share == 0.1).all());
  EXPECT_TRUE((sc.costs.agency_premium == 1.0).all());
  // Without `costs`: no money (price_base_year 0, empty arrays).
  const staffsim::Scenario none = load(std::string(kCommon) + kSupply + "posts: {total: 900}\n");
  EXPECT_EQ(none.costs.price_base_year, 0);
  EXPECT_EQ(none.costs.pay.size(), 0);
  EXPECT_EQ(none.costs.cost_per_hire.size(), 0);
  EXPECT_EQ(none.costs.agency_share.size(), 0);
  EXPECT_EQ(none.costs.agency_premium.size(), 0);
}

TEST_F(DemandLoading, OutputDefaultsFollowTheAges) {
  // dimensions default to ages 16..74: the NMDS-SC first band is 16-29
  // labelled 18-29, and 65+ ends at 74.
  const staffsim::Scenario sc = load(std::string(kCommon) + kSupply + "posts: {total: 900}\n");
  using Ranges = std::vector<std::pair<int, int>>;
  EXPECT_EQ(sc.outputs.age_band.labels,
            (std::vector<std::string>{"16-24", "25-34", "35-44", "45-54", "55-64", "65+"}));
  EXPECT_EQ(sc.outputs.age_band.ranges,
            (Ranges{{16, 24}, {25, 34}, {35, 44}, {45, 54}, {55, 64}, {65, 74}}));
  EXPECT_EQ(sc.outputs.age_band_nmds.labels,
            (std::vector<std::string>{"18-29", "30-39", "40-49", "50-59", "60-69", "70+"}));
  EXPECT_EQ(sc.outputs.age_band_nmds.ranges,
            (Ranges{{16, 29}, {30, 39}, {40, 49}, {50, 59}, {60, 69}, {70, 74}}));
  EXPECT_EQ(sc.outputs.shortfall_threshold, 0.10);
  EXPECT_EQ(sc.demand.mode, staffsim::DemandMode::posts);
  // Written bands are clipped to [min_age, max_age]; the first may start below.
  const staffsim::Scenario given =
      load(std::string(kCommon) + kSupply + "posts: {total: 900}\n" +
           "outputs: {age_bands: [\"0-39\", \"40+\"], shortfall_threshold: 0.2}\n");
  EXPECT_EQ(given.outputs.age_band.ranges, (Ranges{{16, 39}, {40, 74}}));
  EXPECT_EQ(given.outputs.age_band_nmds.labels.size(), 6U);  // still the default
  EXPECT_EQ(given.outputs.shortfall_threshold, 0.2);
}

TEST_F(DemandLoading, IndexModeByRoleAndCell) {
  const staffsim::Scenario sc = load(std::string(kCommon) + kSupply + R"(demand:
  mode: index
  opening_vacancies: {total: 50}
  index:
    default: {2010: 1.0, 2020: 1.5}
    by_role: {senior: 1}
    by_cell: {care_worker: {council: {2010: 1, 2015: 2}}}
)");
  EXPECT_EQ(sc.demand.mode, staffsim::DemandMode::index);
  ASSERT_EQ(sc.demand.index.size(), 4U);
  EXPECT_DOUBLE_EQ(sc.demand.index[0].at(2015), 1.25);  // care_worker, private: default
  EXPECT_DOUBLE_EQ(sc.demand.index[1].at(2015), 2.0);   // care_worker, council: by_cell
  EXPECT_DOUBLE_EQ(sc.demand.index[2].at(2015), 1.0);   // senior: by_role
  EXPECT_DOUBLE_EQ(sc.demand.index[3].at(2015), 1.0);
  // A total: 50 / (1000 + 50) in every cell.
  EXPECT_TRUE((sc.demand.opening_vacancy_rate == 50.0 / 1050.0).all());
  EXPECT_TRUE(sc.posts.fte.empty());
  EXPECT_NO_THROW(sc.check());
}

TEST_F(DemandLoading, CoverageScalesPeopleCountsNotRates) {
  const std::string text =
      std::string(kCommon) + kSupply + R"(posts: {total: {2010: 900, 2015: 1000}}
demand: {coverage: 0.5}
levers:
  more: {type: training_intake, programme: nvq, path: {2012: 40}}
  abroad_cap: {type: international_recruitment, recruitment_source: abroad, acts_on: cap, path: 100}
  abroad_share: {type: international_recruitment, recruitment_source: abroad, path: 0.6}
)";
  const staffsim::Scenario full = load(text);
  const std::string half_text =
      text.substr(0, text.find("demand: {coverage: 0.5}")) + text.substr(text.find("levers:"));
  const staffsim::Scenario base = load(half_text);
  EXPECT_EQ(full.demand.coverage, 0.5);
  EXPECT_EQ(full.opening.total, 2000.0);
  for (std::size_t rs = 0; rs < 4; ++rs) {
    EXPECT_DOUBLE_EQ(full.posts.fte[rs].at(2015), 2.0 * base.posts.fte[rs].at(2015)) << rs;
  }
  EXPECT_EQ(full.recruitment[2].number, 24.0);    // senior: fixed number 12 / 0.5
  EXPECT_EQ(full.recruitment[0].fill_rate, 0.8);  // a rate: unchanged
  EXPECT_EQ(*full.sources[0].cap, 80.0);
  EXPECT_DOUBLE_EQ(full.programmes[0].intake.at(2015), 60.0);
  EXPECT_EQ(full.programmes[0].in_training, (std::vector<double>{20.0}));
  EXPECT_EQ(full.levers[0].path.at(2012), 80.0);   // intake in people a year
  EXPECT_EQ(full.levers[1].path.at(2012), 200.0);  // a cap in people a year
  EXPECT_EQ(full.levers[2].path.at(2012), 0.6);    // a share: unchanged
  // The margins are shares of the total; they are not scaled.
  EXPECT_TRUE((full.opening.margins[0].values == base.opening.margins[0].values).all());
}

TEST_F(DemandLoading, CoverageScalesTheStockInNeedMode) {
  std::string text = std::string(kCommon) + kSupply + kNeed;
  text.replace(text.find("  mode: need\n"), 13, "  mode: need\n  coverage: 0.8\n");
  const staffsim::Scenario sc = load(text);
  EXPECT_EQ(sc.opening.total, 1250.0);
  EXPECT_DOUBLE_EQ(sc.demand.opening_vacancy_rate(1, 1), 0.1);  // a rate: unchanged
}

TEST_F(DemandLoading, CheckRejectsBrokenDemandBuiltInCode) {
  staffsim::Scenario sc = load(std::string(kCommon) + kSupply + kNeed);
  sc.demand.need.mix(0, 0) = 0.5;  // the older_people row now sums to 1.2
  sc.demand.need.age_groups[1].min_age = 80;
  sc.demand.need.age_groups[1].max_age = 90;  // overlaps 85+
  sc.costs.agency_share(0, 0) = 1.5;
  sc.levers[4].to_sectors = {1};  // outsourcing council to council
  try {
    sc.check();
    FAIL() << "check() accepted a broken scenario";
  } catch (const staffsim::ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("demand.mix[older_people,*] = sum 1.2: shares must sum to 1"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("age groups 65-84 and 85+ overlap"), std::string::npos) << what;
    EXPECT_NE(what.find("costs.agency_share[care_worker,private] = 1.5"), std::string::npos)
        << what;
    EXPECT_NE(what.find("levers.outsource.to_sectors = 1: to_sectors must not contain"),
              std::string::npos)
        << what;
    EXPECT_EQ(e.problems().size(), 4U) << what;
  }
}

// The warnings' "path: rule" texts, in order.
std::vector<std::string> warning_texts(const staffsim::Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& w : sc.warnings) out.push_back(w.path + ": " + w.rule);
  return out;
}

// DESIGN.md 2.1: a run beyond a year path's labels holds its last value, with
// a warning once per path: populations, the programme intake and the lever
// table end in 2020 or 2015, the run in 2025; the constant populations and
// levers (one value) never warn.
TEST_F(DemandLoading, RunBeyondPopulationsAndLeverTablesWarns) {
  std::string text = std::string(kCommon) + kSupply + kNeed;
  text.replace(text.find("end_year: 2015"), 14, "end_year: 2025");
  const staffsim::Scenario sc = load(text);
  EXPECT_EQ(warning_texts(sc),
            (std::vector<std::string>{
                "demand.age_groups[65-84].population: the run goes to 2025 but the values end "
                "in 2020; held at the 2020 value beyond it",
                "levers.outsource.path: the run goes to 2025 but the values end in 2015; held at "
                "the 2015 value beyond it",
                "supply.training[nvq].intake: the run goes to 2025 but the values end in 2015; "
                "held at the 2015 value beyond it"}));
  for (const auto& w : sc.warnings) EXPECT_GT(w.line, 0) << w.format();
}

// Index paths warn once per written path that some cell uses: the default
// ends in 2012 but every cell takes a by_role path, so only the by_cell path
// (ending 2015) and the intake warn for a run to 2018.
TEST_F(DemandLoading, IndexPathsWarnOnlyWhenACellUsesThem) {
  std::string text = std::string(kCommon) + kSupply + R"(demand:
  mode: index
  opening_vacancies: {total: 50}
  index:
    default: {2010: 1.0, 2012: 1.5}
    by_role: {care_worker: {2010: 1, 2020: 1.2}, senior: 1}
    by_cell: {senior: {council: {2010: 1, 2015: 2}}}
)";
  text.replace(text.find("end_year: 2015"), 14, "end_year: 2018");
  const staffsim::Scenario sc = load(text);
  EXPECT_EQ(warning_texts(sc),
            (std::vector<std::string>{"demand.index[senior,council]: the run goes to 2018 but the "
                                      "values end in 2015; held at the 2015 value beyond it",
                                      "supply.training[nvq].intake: the run goes to 2018 but the "
                                      "values end in 2015; held at the 2015 value beyond it"}));
}

}  // namespace
