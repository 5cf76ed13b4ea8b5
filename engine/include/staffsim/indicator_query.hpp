#pragma once
// One number of a run's annual results, named the way a commissioner states
// a target: an indicator in a census year over a grouping of roles and
// sectors, e.g. `vacancy_rate[2025]`, `leavers[2009, sector=independent]`,
// `tenure_share[2009, band=0-1]`. Calibration targets, cross-validation
// predictions and goal seeking all read results through it.
#include <string>
#include <string_view>
#include <vector>

#include "staffsim/results.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

struct IndicatorQuery {
  // A summary measure (headcount, fte, posts_hc, vacancies_hc, vacancy_rate,
  // gap_fte, starters, leavers, turnover_rate, starter_rate, wastage, ...;
  // posts, vacancies and gap are aliases of the headcount-equivalent and FTE
  // forms) or a share of the selected headcount in one band: age_band_share,
  // age_band_nmds_share, tenure_share.
  std::string indicator;
  int year = 0;
  std::vector<std::string> roles;    // empty: every role
  std::vector<std::string> sectors;  // empty: every sector
  std::string band;                  // the band label of a share indicator

  // Canonical text: `indicator[year, role=a|b, sector=c, band=x]`.
  [[nodiscard]] std::string text() const;
};

// Parses `indicator[year]` or `indicator[year, role=a|b, sector=c, band=x]`.
// UsageError naming the text and the rule.
[[nodiscard]] IndicatorQuery parse_indicator_query(std::string_view text);

// The indicator names a query accepts (aliases included), for messages.
[[nodiscard]] const std::vector<std::string>& indicator_names();

// Units of the indicator: "people", "FTE", "1" (a rate or share) or "GBP".
[[nodiscard]] std::string indicator_unit(const IndicatorQuery& query);

// True for counts and money (which `summary --observed` multiplies by the
// coverage), false for rates and shares.
[[nodiscard]] bool scales_with_coverage(const IndicatorQuery& query);

// "" when the query fits the scenario (a known indicator, labels of its
// roles, sectors and bands, a year of the run and, for flows and money, not
// the first year), else the rule it breaks.
[[nodiscard]] std::string check_query(const IndicatorQuery& query, const Scenario& scenario);

// The query's value in `results` (which must have reached its year). NaN
// when the selection is empty (a rate over no staff). UsageError when the
// query does not fit the results (check_query's rules).
[[nodiscard]] double evaluate(const IndicatorQuery& query, const Results& results);

}  // namespace staffsim
