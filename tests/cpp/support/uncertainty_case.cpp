#include "support/uncertainty_case.hpp"

namespace staffsim::testing {

const char* const kUncertaintyBase = R"(staffsim_scenario: 1
name: unc
time: {start_year: 2010, end_year: 2015, steps_per_year: 4}
dimensions:
  roles: [care_worker, senior]
  sectors: [private, council]
  min_age: 20
  max_age: 29
  tenure_bands: [0, 0.5, 2, 5]
workforce:
  total: 1000
  margins:
    - name: cells
      axes: [role, sector]
      table: stock.csv
posts:
  total: 950
supply:
  turnover:
    base:
      default: 0.2
      by_cell: {care_worker: {private: 0.3}}
  recruitment:
    sources:
      - {name: school, ages: {"20": 1}, cap: 40}
      - {name: changers, ages: {"20-29": 1}}
    default: {mode: fill_vacancies, fill_rate: 0.8, sources: {school: 0.4, changers: 0.6}}
costs:
  price_base_year: 2010
  pay: 18000
  agency_share: {default: 0.1, by_cell: {senior: {council: 0.3}}}
levers:
  keep:
    type: retention
    path: {start_year: 2011, end_year: 2013, from_value: 1, to_value: 0.8}
)";

const char* const kUncertaintyStock =
    "role,sector,value\n"
    "care_worker,private,500\n"
    "care_worker,council,200\n"
    "senior,private,100\n"
    "senior,council,200\n";

}  // namespace staffsim::testing
