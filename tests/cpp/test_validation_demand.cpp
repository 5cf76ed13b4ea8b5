// Validation of need-based demand, costs and the demand levers (DESIGN.md
// 2.3, 2.5, 3): a table of broken scenarios, each one edit of a valid
// need-mode base, and the exact message each must produce with its position,
// through load_scenario and through the CLI (test_validation.cpp holds the
// posts-mode table).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/validation_table.hpp"

namespace {

using Case = staffsim::testing::ValidationCase;

constexpr const char* kNeedBase = R"(staffsim_scenario: 1
name: need_base
time: {start_year: 2010, end_year: 2015}
dimensions: {roles: [care_worker, senior], sectors: [private, council], min_age: 18, max_age: 70}
workforce:
  total: 1000
  margins:
    - {name: roles, axes: [role], values: {care_worker: 800, senior: 200}}
    - {name: sectors, axes: [sector], values: {private: 700, council: 300}}
demand:
  mode: need
  coverage: 0.63
  opening_vacancies: {rate: 0.05}
  client_groups: [older_people, younger_adults]
  age_groups:
    - {name: adults, ages: "18-64", population: 3.0e6}
    - {name: "65-84", ages: "65-84", population: {2010: 7.4e6, 2020: 9.0e6}}
    - {name: "85+", ages: "85+", population: 1.2e6}
  services: [residential, home_care, direct_payment]
  prevalence:
    older_people: {"65-84": 0.05, "85+": 0.25}
    younger_adults: {adults: 0.01}
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
supply:
  turnover: {base: 0.2}
costs:
  price_base_year: 2010
  pay: 18000
levers:
  more_dp:
    type: personalisation
    select: {client_groups: [older_people]}
    to_service: direct_payment
    from_services: [residential, home_care]
    path: {start_year: 2012, end_year: 2015, from_value: 0.2, to_value: 0.4}
  outsource:
    type: outsourcing
    select: {services: [residential]}
    from_sector: council
    to_sectors: [private]
    path: 0.5
  prevent: {type: prevention, select: {age_groups: ["85+"]}, path: 0.9}
)";

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"two_outsourcing_levers_on_one_service", "base.yaml", "  prevent: {type: prevention",
       "  outsource_more: {type: outsourcing, select: {services: [residential]}, from_sector: "
       "council, to_sectors: [private], path: 0.2}\n  prevent: {type: prevention",
       "base.yaml", "{type: outsourcing, select",
       "levers.outsource_more: levers `outsource` and `outsource_more` both outsource service "
       "residential from council; use one lever"},
      {"negative_cost_per_hire", "base.yaml", "  pay: 18000", "  pay: 18000\n  cost_per_hire: -1",
       "base.yaml", "-1\nlevers", "costs.cost_per_hire = -1: a cost must be >= 0"},
      {"negative_agency_premium", "base.yaml", "  pay: 18000",
       "  pay: 18000\n  agency_premium: -0.5", "base.yaml", "-0.5",
       "costs.agency_premium = -0.5: an agency premium (agency cost / pay) must be >= 0"},
      {"price_base_year_out_of_range", "base.yaml", "price_base_year: 2010",
       "price_base_year: 1800", "base.yaml", "1800",
       "costs.price_base_year = 1800: a year must be in 1900..2200"},
      {"shortfall_threshold_out_of_range", "base.yaml",
       "levers:", "outputs: {shortfall_threshold: 1.5}\nlevers:", "base.yaml", "1.5}",
       "outputs.shortfall_threshold = 1.5: a shortfall threshold must be in [0, 1)"},
      {"index_in_need_mode", "base.yaml", "  coverage: 0.63", "  coverage: 0.63\n  index: 1.2",
       "base.yaml", "index: 1.2", "demand.index: not used in demand mode need"},
      {"overlapping_age_groups", "base.yaml", "{name: \"65-84\", ages: \"65-84\"",
       "{name: \"65+\", ages: \"65+\"", "base.yaml", "\"85+\", population",
       "demand.age_groups[85+].ages = 85+: age groups 65+ and 85+ overlap; use disjoint groups "
       "such as 65-84 and 85+"},
      {"mix_row_not_1", "base.yaml", "home_care: 0.5,", "home_care: 0.4,", "base.yaml",
       "{residential: 0.3",
       "demand.mix[older_people,*] = sum 0.9: shares must sum to 1 (within 1e-9)"},
      {"provider_row_not_1", "base.yaml", "council: 0.2}", "council: 0.1}", "base.yaml",
       "{private: 0.8",
       "demand.provider[residential,*] = sum 0.9: shares must sum to 1 (within 1e-9)"},
      {"mix_row_missing", "base.yaml",
       "    younger_adults: {home_care: 0.4, direct_payment: 0.6}\n", "", "base.yaml",
       "older_people: {residential",
       "demand.mix.younger_adults: missing row: every client group needs one (shares summing "
       "to 1)"},
      {"unknown_service", "base.yaml", "{home_care: 0.4,", "{home_cair: 0.4,", "base.yaml",
       "home_cair",
       "demand.mix.younger_adults = home_cair: unknown service; did you mean "
       "'home_care'?"},
      {"unknown_client_group", "base.yaml", "    older_people: {\"65-84\"",
       "    older_peple: {\"65-84\"", "base.yaml", "older_peple",
       "demand.prevalence = older_peple: unknown client group; did you mean 'older_people'?"},
      {"unknown_age_group_in_prevalence", "base.yaml", "{adults: 0.01}", "{adult: 0.01}",
       "base.yaml", "adult: 0.01",
       "demand.prevalence.younger_adults = adult: unknown age group; did you mean 'adults'?"},
      {"prevalence_over_1", "base.yaml", "{adults: 0.01}", "{adults: 0.01, \"85+\": 0.8}",
       "base.yaml", "older_people: {\"65-84\"",
       "demand.prevalence[*,85+] = sum 1.05: the prevalences of one age group must sum to <= 1 "
       "(a person is in one client group at most)"},
      {"negative_population", "base.yaml", "population: 1.2e6", "population: -5", "base.yaml", "-5",
       "demand.age_groups[85+].population = -5: a population must be >= 0"},
      {"age_group_beyond_120", "base.yaml", "ages: \"85+\"", "ages: \"85-130\"", "base.yaml",
       "\"85-130\"",
       "demand.age_groups[85+].ages = 85-130: ages of an age group must lie within "
       "0..120"},
      {"coverage_out_of_range", "base.yaml", "coverage: 0.63", "coverage: 1.5", "base.yaml", "1.5",
       "demand.coverage = 1.5: a coverage must be in (0, 1]"},
      {"coverage_zero", "base.yaml", "coverage: 0.63", "coverage: 0", "base.yaml", "0\n  opening",
       "demand.coverage = 0: a coverage must be in (0, 1]"},
      {"need_without_opening_vacancies", "base.yaml", "  opening_vacancies: {rate: 0.05}\n", "",
       "base.yaml", "mode: need",
       "demand.opening_vacancies: missing required key (demand mode need derives base posts "
       "fte_factor (H0 + V0) from the opening vacancies)"},
      {"vacancy_rate_not_below_1", "base.yaml", "{rate: 0.05}", "{rate: 1}", "base.yaml", "1}",
       "demand.opening_vacancies.rate = 1: a vacancy rate must be in [0, 1)"},
      {"posts_given_in_need_mode", "base.yaml",
       "supply:", "posts: {total: 900}\nsupply:", "base.yaml",
       "posts:", "posts: not used in demand mode need (posts come from demand); remove it"},
      {"unknown_demand_mode", "base.yaml", "mode: need", "mode: needs", "base.yaml", "needs",
       "demand.mode = needs: expected one of posts, need, index; did you mean 'need'?"},
      {"negative_ratio", "base.yaml", "{care_worker: 0.2}", "{care_worker: -0.2}", "base.yaml",
       "-0.2", "demand.ratio[home_care,care_worker] = -0.2: a ratio (FTE per user) must be >= 0"},
      {"negative_pay", "base.yaml", "pay: 18000", "pay: -1", "base.yaml", "-1\n",
       "costs.pay = -1: pay (a year per FTE) must be >= 0"},
      {"agency_share_above_1", "base.yaml", "pay: 18000", "pay: 18000\n  agency_share: 1.5",
       "base.yaml", "1.5", "costs.agency_share = 1.5: a share must be in [0, 1]"},
      {"two_personalisation_levers_on_one_group", "base.yaml", "  prevent:",
       "  dp_too: {type: personalisation, to_service: direct_payment, from_services: [home_care], "
       "path: 0.5}\n  prevent:",
       "base.yaml", "{type: personalisation",
       "levers.dp_too: levers `more_dp` and `dp_too` both set the personalisation share of "
       "client group older_people; use one lever"},
      {"personalisation_to_service_in_from_services", "base.yaml", "[residential, home_care]",
       "[residential, direct_payment]", "base.yaml", "direct_payment]\n    path",
       "levers.more_dp.from_services[1] = direct_payment: from_services must not contain "
       "to_service (users move from these to it)"},
      {"personalisation_without_to_service", "base.yaml", "    to_service: direct_payment\n", "",
       "base.yaml", "type: personalisation", "levers.more_dp.to_service: missing required key"},
      {"outsourcing_to_its_own_sector", "base.yaml", "to_sectors: [private]",
       "to_sectors: [council]", "base.yaml", "council]\n    path",
       "levers.outsource.to_sectors[0] = council: to_sectors must not contain from_sector "
       "(provision moves away from it)"},
      {"outsourcing_unknown_sector", "base.yaml", "from_sector: council", "from_sector: councl",
       "base.yaml", "councl",
       "levers.outsource.from_sector = councl: unknown sector; did you mean 'council'?"},
      {"select_key_not_used_by_type", "base.yaml", "select: {services: [residential]}",
       "select: {roles: [care_worker]}", "base.yaml", "roles: [care_worker]",
       "levers.outsource.select.roles: an outsourcing lever does not select by roles (it selects "
       "by services)"},
      {"lever_on_unknown_age_group", "base.yaml", "age_groups: [\"85+\"]", "age_groups: [\"80+\"]",
       "base.yaml", "\"80+\"", "levers.prevent.select.age_groups[0] = 80+: unknown age group"},
      {"lever_on_unknown_role", "base.yaml", "  prevent:",
       "  faster: {type: productivity, select: {roles: [senoir]}, path: 1.1}\n  prevent:",
       "base.yaml", "senoir",
       "levers.faster.select.roles[0] = senoir: unknown role; did you mean 'senior'?"},
      {"personalisation_share_above_1", "base.yaml", "to_value: 0.4}", "to_value: 1.4}",
       "base.yaml", "1.4}", "levers.more_dp.path.to_value = 1.4: a target share must be in [0, 1]"},
      {"prevention_factor_negative", "base.yaml", "path: 0.9}", "path: -0.9}", "base.yaml", "-0.9",
       "levers.prevent.path = -0.9: a factor must be >= 0"},
      {"role_without_stock_not_listed", "base.yaml", "senior: 200}", "senior: 0}", "base.yaml",
       "residential: {care_worker: 0.6",
       "demand.ratio[*,senior]: role senior has demand but no opening stock in any sector, so its "
       "staff per user cannot be calibrated: give its effective staff per user and list it in "
       "demand.effective_ratio_roles"},
      {"set_on_need_table_unknown_label",
       "base.yaml",
       "",
       "",
       "--set",
       "",
       "demand.mix[older_people,home_cair] = home_cair: unknown service; did you mean "
       "'home_care'?",
       {{"demand.mix[older_people,home_cair]", "0.5"}}},
  };
  return all;
}

const staffsim::testing::Files& base_files() {
  static const staffsim::testing::Files files{{"base.yaml", kNeedBase}};
  return files;
}

class DemandValidation : public ::testing::TestWithParam<Case> {};

TEST_P(DemandValidation, ReportsTheProblemWithPositionPathValueAndRule) {
  const staffsim::testing::CaseDir dir("validation_demand", GetParam().name);
  staffsim::testing::expect_load_reports(GetParam(), base_files(), dir.path());
}

TEST_P(DemandValidation, CliRefusesItAndWritesNothing) {
  const staffsim::testing::CaseDir dir("validation_demand_cli", GetParam().name);
  staffsim::testing::expect_cli_refuses(GetParam(), base_files(), dir.path());
}

TEST(DemandValidationBase, LoadsCleanly) {
  staffsim::testing::expect_base_loads(base_files(), "base.yaml", "validation_demand");
}

INSTANTIATE_TEST_SUITE_P(BrokenNeedScenarios, DemandValidation, ::testing::ValuesIn(cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
