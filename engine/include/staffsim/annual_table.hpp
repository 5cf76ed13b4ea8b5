#pragma once
// The annual indicators a commissioner reads first (DESIGN.md 2.6, 5), totals
// over roles and sectors or by one grouping, and the text table the CLI prints.
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
  double posts_hc = 0.0;      // posts in headcount-equivalent
  double vacancies_hc = 0.0;  // vacancies in headcount-equivalent
  double vacancy_rate = 0.0;  // vacancies_hc / posts_hc
  double gap_fte = 0.0;       // FTE - posts (negative is a shortfall)
  // Flows of the year ending at this census (NaN for the first year).
  double starters = 0.0;       // NMDS-SC starters: every origin but promotion
  double leavers = 0.0;        // NMDS-SC leavers: every destination but promotion
  double turnover_rate = 0.0;  // leavers / headcount at the census
  double starter_rate = 0.0;
  double wastage = 0.0;  // retired + exit + aged_out
  double joiners = 0.0;  // hires + training completers
  double retired = 0.0;
};

[[nodiscard]] std::vector<AnnualRow> annual_rows(const Results& results, Grouping by);

// A fixed-width table that fits 80 columns.
[[nodiscard]] std::string format_annual_table(const std::vector<AnnualRow>& rows,
                                              const std::string& title);

}  // namespace staffsim
