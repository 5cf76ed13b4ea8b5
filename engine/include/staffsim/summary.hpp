#pragma once
// The commissioner's summary of a results file (DESIGN.md 5) and the side by
// side comparison of two: supply (headcount, FTE), posts, vacancies and rate,
// gap, starters, leavers, turnover, wastage, joiners, retirement outlook and
// costs by year for a grouping, as an 80-column text table, CSV or JSON.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "staffsim/annual_table.hpp"
#include "staffsim/results_reader.hpp"

namespace staffsim {

enum class TableFormat { table, csv, json };

struct SummaryOptions {
  Grouping by = Grouping::total;
  std::optional<int> year;  // one census year; every year when empty
  // Multiply stocks, flows and money by the file's coverage (the share of
  // the sector the data cover, DESIGN.md 2.3); rates are unchanged.
  bool observed = false;
  TableFormat format = TableFormat::table;
};

// One figure: its key (CSV column, JSON name), label, unit and field.
struct Measure {
  std::string_view key;
  std::string_view label;
  std::string_view unit;  // people, FTE, 1 (a ratio), GBP
  double AnnualRow::*field;
  bool scales_with_coverage;  // counts and money; not rates
};

// Every figure of the summary, in the order the CSV and JSON give them.
[[nodiscard]] const std::vector<Measure>& summary_measures();

// annual_rows() of the file for the grouping, only `year` when given (a
// UsageError when the file has no such year), scaled when observed.
[[nodiscard]] std::vector<AnnualRow> summary_rows(const ResultsFile& file,
                                                  const SummaryOptions& options);

[[nodiscard]] std::string format_summary(const ResultsFile& file, const SummaryOptions& options);

// The same figures of `a` and `b` side by side with b - a and the relative
// change, matched by year and group.
[[nodiscard]] std::string format_comparison(const ResultsFile& a, const ResultsFile& b,
                                            const SummaryOptions& options);

// Option values; UsageError listing the choices.
[[nodiscard]] Grouping parse_grouping(std::string_view text);
[[nodiscard]] TableFormat parse_table_format(std::string_view text);
[[nodiscard]] std::string_view to_string(Grouping by);

}  // namespace staffsim
