#pragma once
// The annual indicators a commissioner reads first (DESIGN.md 2.6, 5), totals
// over roles and sectors or by one grouping, and the text table the CLI prints.
#include <functional>
#include <string>
#include <vector>

#include "staffsim/results.hpp"

namespace staffsim {

enum class Grouping { total, role, sector };

struct AnnualRow {
  int year = 0;
  std::string group;  // "total", a role or a sector
  double headcount = 0.0;
  double fte = 0.0;
  double posts_hc = 0.0;  // posts in headcount-equivalent
  double posts_fte = 0.0;
  double vacancies_hc = 0.0;  // vacancies in headcount-equivalent
  double vacancies_fte = 0.0;
  double vacancy_rate = 0.0;  // vacancies_hc / posts_hc
  double gap_fte = 0.0;       // FTE - posts (negative is a shortfall)
  // Flows of the year ending at this census (NaN for the first year).
  double starters = 0.0;       // NMDS-SC starters: every origin but promotion
  double leavers = 0.0;        // NMDS-SC leavers: every destination but promotion
  double turnover_rate = 0.0;  // leavers / headcount at the census
  double starter_rate = 0.0;
  double wastage = 0.0;       // retired + exit + aged_out
  double joiners = 0.0;       // hires + training completers
  double wastage_rate = 0.0;  // on the same base as the turnover rate
  double joiner_rate = 0.0;
  double retired = 0.0;
  double retirement_outlook_5 = 0.0;  // expected to retire within 5 years of the census
  double retirement_outlook_10 = 0.0;
  // Money over the year (NaN for the first year), price base year prices.
  double pay_bill = 0.0;
  double recruitment_cost = 0.0;
  double vacancy_cover_cost = 0.0;
  double training_cost = 0.0;  // totals only (programmes have no sector)
};

[[nodiscard]] std::vector<AnnualRow> annual_rows(const Results& results, Grouping by);

// One row over the (role, sector) cells `selected` picks (by Dimensions::rs
// index), labelled `group`; training cost only when every cell is picked.
[[nodiscard]] AnnualRow aggregate_cells(const Dimensions& d, const YearResult& y,
                                        const std::function<bool(int)>& selected,
                                        std::string group);

// A fixed-width table that fits 80 columns: supply, posts and flows.
[[nodiscard]] std::string format_annual_table(const std::vector<AnnualRow>& rows,
                                              const std::string& title);
// A second 80-column table: retirement and money (blank when the scenario
// gives no costs).
[[nodiscard]] std::string format_retirement_and_money_table(const std::vector<AnnualRow>& rows,
                                                            int price_base_year);

}  // namespace staffsim
