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
#include "staffsim/ensemble.hpp"
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

// ---- Ensembles -------------------------------------------------------------

// One figure of an ensemble over its draws: median and 90% interval (type 7
// quantiles 0.05, 0.5, 0.95) and mean; NaN where a draw has no value (the
// first year's flows).
struct EnsembleStat {
  const Measure* measure = nullptr;
  double median = 0.0;
  double low = 0.0;   // 5th percentile
  double high = 0.0;  // 95th percentile
  double mean = 0.0;
};

struct EnsembleRow {
  int year = 0;
  std::string group;
  std::vector<EnsembleStat> stats;  // the measures the per-draw core set gives
};

// Per year and group, each draw's figures aggregated as annual_rows() does,
// then summarised over the draws. `structure` gives the labels and years;
// observed scales counts by `coverage`.
[[nodiscard]] std::vector<EnsembleRow> ensemble_rows(const Results& structure,
                                                     const std::vector<DrawVariable>& per_draw,
                                                     std::uint64_t draws,
                                                     const SummaryOptions& options,
                                                     double coverage = 1.0);
[[nodiscard]] std::string format_ensemble_summary(const Results& structure,
                                                  const std::vector<DrawVariable>& per_draw,
                                                  std::uint64_t draws,
                                                  const SummaryOptions& options,
                                                  const std::string& title, double coverage = 1.0);

// Option values; UsageError listing the choices.
[[nodiscard]] Grouping parse_grouping(std::string_view text);
[[nodiscard]] TableFormat parse_table_format(std::string_view text);
[[nodiscard]] std::string_view to_string(Grouping by);

}  // namespace staffsim
