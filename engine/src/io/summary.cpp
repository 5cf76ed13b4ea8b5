// The commissioner's summary of a results file (DESIGN.md 5): which figures,
// for which rows, and their text table, CSV and JSON forms.
#include "staffsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/table_text.hpp"
#include "staffsim/errors.hpp"

namespace staffsim {

namespace {

using io::cell;

// A column of a text table: heading, width, printf format and divisor.
struct Column {
  const char* heading;
  int width;
  const char* format;
  double AnnualRow::*field;
  double divisor = 1.0;
};

// Three tables of at most 80 columns: stocks at the census, flows in the
// year to it, retirement and money. Rates print as percentages, money in
// thousands.
const std::vector<std::vector<Column>>& table_columns() {
  static const std::vector<std::vector<Column>> tables{
      {{"staff", 9, "%.0f", &AnnualRow::headcount},
       {"FTE", 9, "%.0f", &AnnualRow::fte},
       {"posts", 9, "%.0f", &AnnualRow::posts_hc},
       {"vacancy", 9, "%.0f", &AnnualRow::vacancies_hc},
       {"vac%", 6, "%.1f", &AnnualRow::vacancy_rate, 0.01},
       {"gap FTE", 9, "%.0f", &AnnualRow::gap_fte}},
      {{"starters", 8, "%.0f", &AnnualRow::starters},
       {"leavers", 8, "%.0f", &AnnualRow::leavers},
       {"turn%", 6, "%.1f", &AnnualRow::turnover_rate, 0.01},
       {"start%", 6, "%.1f", &AnnualRow::starter_rate, 0.01},
       {"wastage", 8, "%.0f", &AnnualRow::wastage},
       {"joiners", 8, "%.0f", &AnnualRow::joiners},
       {"waste%", 6, "%.1f", &AnnualRow::wastage_rate, 0.01},
       {"join%", 6, "%.1f", &AnnualRow::joiner_rate, 0.01}},
      {{"retired", 8, "%.0f", &AnnualRow::retired},
       {"retire5y", 8, "%.0f", &AnnualRow::retirement_outlook_5},
       {"retire10", 8, "%.0f", &AnnualRow::retirement_outlook_10},
       {"pay bill", 11, "%.0f", &AnnualRow::pay_bill, 1e3},
       {"recruit", 9, "%.0f", &AnnualRow::recruitment_cost, 1e3},
       {"cover", 9, "%.0f", &AnnualRow::vacancy_cover_cost, 1e3},
       {"training", 9, "%.0f", &AnnualRow::training_cost, 1e3}}};
  return tables;
}

std::string pad_left(const std::string& text, int width) {
  const auto w = static_cast<std::size_t>(width);
  return text.size() >= w ? text : std::string(w - text.size(), ' ') + text;
}

std::string text_table(const ResultsFile& file, const SummaryOptions& options,
                       const std::vector<AnnualRow>& rows) {
  std::string out = "staffsim summary: " + file.info.scenario_name + "\n";
  out += "file: " + file.info.path + "\n";
  out += "format " + file.info.format_version + ", written by staffsim " +
         file.info.staffsim_version + " at " + file.info.created_utc + "\n";
  out += "by " + std::string(to_string(options.by));
  out += (options.observed ? "; observed part: figures x coverage "
                           : "; whole sector (data coverage ") +
         io::csv_number(file.info.coverage) + (options.observed ? "" : ")");
  out += "\n";
  for (std::size_t first = 0; first < rows.size();) {
    const std::string& group = rows[first].group;
    std::size_t last = first;
    while (last < rows.size() && rows[last].group == group) ++last;
    out += "\n" + group + "\n";
    for (const std::vector<Column>& columns : table_columns()) {
      std::string line = "year";
      for (const Column& c : columns) line += " " + pad_left(c.heading, c.width);
      out += line + "\n";
      for (std::size_t i = first; i < last; ++i) {
        line = std::to_string(rows[i].year);
        for (const Column& c : columns) {
          line += " " + pad_left(cell(rows[i].*c.field / c.divisor, c.format), c.width);
        }
        out += line + "\n";
      }
    }
    first = last;
  }
  out +=
      "\nstaff: headcount at the census; posts, vacancy: headcount-equivalent;\n"
      "gap: FTE - posts (negative: a shortfall).\n"
      "In the year to the census: starters and leavers (NMDS-SC, promotion excluded),\n"
      "wastage (retired + exit + aged out), joiners (hires + training completers);\n"
      "rates on the headcount at the census.\n"
      "retire5y/10: of the staff at the census, expected to retire within 5/10 years.\n";
  out += file.results.price_base_year > 0
             ? "money: GBP thousands in the year, " + std::to_string(file.results.price_base_year) +
                   " prices; training: totals only.\n"
             : "money: the scenario gives no costs.\n";
  return out;
}

std::string csv_table(const std::vector<AnnualRow>& rows) {
  std::string out = "year,group";
  for (const Measure& m : summary_measures()) out += "," + std::string(m.key);
  out += "\n";
  for (const AnnualRow& r : rows) {
    out += std::to_string(r.year) + "," + io::csv_field(r.group);
    for (const Measure& m : summary_measures()) out += "," + io::csv_number(r.*m.field);
    out += "\n";
  }
  return out;
}

std::string json_table(const ResultsFile& file, const SummaryOptions& options,
                       const std::vector<AnnualRow>& rows) {
  std::string out = "{\n  \"file\": " + io::json_string(file.info.path) +
                    ",\n  \"scenario_name\": " + io::json_string(file.info.scenario_name) +
                    ",\n  \"format_version\": " + io::json_string(file.info.format_version) +
                    ",\n  \"by\": " + io::json_string(to_string(options.by)) +
                    ",\n  \"observed\": " + (options.observed ? "true" : "false") +
                    ",\n  \"coverage\": " + io::json_number(file.info.coverage) +
                    ",\n  \"price_base_year\": " + std::to_string(file.results.price_base_year) +
                    ",\n  \"units\": {";
  const std::vector<Measure>& measures = summary_measures();
  for (std::size_t i = 0; i < measures.size(); ++i) {
    out += (i ? ", " : "") + io::json_string(measures[i].key) + ": " +
           io::json_string(measures[i].unit);
  }
  out += "},\n  \"rows\": [";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += std::string(i ? "," : "") + "\n    {\"year\": " + std::to_string(rows[i].year) +
           ", \"group\": " + io::json_string(rows[i].group);
    for (const Measure& m : measures) {
      out += ", " + io::json_string(m.key) + ": " + io::json_number(rows[i].*m.field);
    }
    out += "}";
  }
  return out + "\n  ]\n}\n";
}

}  // namespace

const std::vector<Measure>& summary_measures() {
  using R = AnnualRow;
  static const std::vector<Measure> measures{
      {"headcount", "staff (headcount)", "people", &R::headcount, true},
      {"fte", "staff (FTE)", "FTE", &R::fte, true},
      {"posts_hc", "posts (headcount-eq.)", "people", &R::posts_hc, true},
      {"posts_fte", "posts (FTE)", "FTE", &R::posts_fte, true},
      {"vacancies_hc", "vacancies (headcount-eq.)", "people", &R::vacancies_hc, true},
      {"vacancies_fte", "vacancies (FTE)", "FTE", &R::vacancies_fte, true},
      {"vacancy_rate", "vacancy rate", "1", &R::vacancy_rate, false},
      {"gap_fte", "gap (FTE - posts)", "FTE", &R::gap_fte, true},
      {"starters", "starters", "people", &R::starters, true},
      {"leavers", "leavers", "people", &R::leavers, true},
      {"turnover_rate", "turnover rate", "1", &R::turnover_rate, false},
      {"starter_rate", "starter rate", "1", &R::starter_rate, false},
      {"wastage", "wastage", "people", &R::wastage, true},
      {"joiners", "joiners", "people", &R::joiners, true},
      {"wastage_rate", "wastage rate", "1", &R::wastage_rate, false},
      {"joiner_rate", "joiner rate", "1", &R::joiner_rate, false},
      {"retired", "retired", "people", &R::retired, true},
      {"retirement_outlook_5", "to retire within 5 years", "people", &R::retirement_outlook_5,
       true},
      {"retirement_outlook_10", "to retire within 10 years", "people", &R::retirement_outlook_10,
       true},
      {"pay_bill", "pay bill", "GBP", &R::pay_bill, true},
      {"recruitment_cost", "recruitment cost", "GBP", &R::recruitment_cost, true},
      {"vacancy_cover_cost", "vacancy cover cost", "GBP", &R::vacancy_cover_cost, true},
      {"training_cost", "training cost", "GBP", &R::training_cost, true}};
  return measures;
}

std::vector<AnnualRow> summary_rows(const ResultsFile& file, const SummaryOptions& options) {
  if (options.year) (void)file.results.at_year(*options.year);  // UsageError naming the range
  std::vector<AnnualRow> rows;
  for (AnnualRow& row : annual_rows(file.results, options.by)) {
    if (options.year && row.year != *options.year) continue;
    if (options.observed) {
      for (const Measure& m : summary_measures()) {
        if (m.scales_with_coverage) row.*m.field *= file.info.coverage;
      }
    }
    rows.push_back(std::move(row));
  }
  // Group by group, years in order within each (the text table's sections).
  const std::vector<std::string> order = options.by == Grouping::role ? file.results.dims.roles
                                         : options.by == Grouping::sector
                                             ? file.results.dims.sectors
                                             : std::vector<std::string>{"total"};
  const auto rank = [&](const AnnualRow& r) {
    return std::find(order.begin(), order.end(), r.group) - order.begin();
  };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const AnnualRow& a, const AnnualRow& b) { return rank(a) < rank(b); });
  return rows;
}

std::string format_summary(const ResultsFile& file, const SummaryOptions& options) {
  if (file.info.draws_dimension) {
    return format_ensemble_summary(
        file.results, file.per_draw, static_cast<std::uint64_t>(file.info.draws), options,
        "staffsim summary: " + file.info.scenario_name + "\nfile: " + file.info.path,
        file.info.coverage);
  }
  const std::vector<AnnualRow> rows = summary_rows(file, options);
  switch (options.format) {
    case TableFormat::table:
      return text_table(file, options, rows);
    case TableFormat::csv:
      return csv_table(rows);
    case TableFormat::json:
      return json_table(file, options, rows);
  }
  return {};
}

Grouping parse_grouping(std::string_view text) {
  if (text == "total") return Grouping::total;
  if (text == "role") return Grouping::role;
  if (text == "sector") return Grouping::sector;
  throw UsageError("--by '" + std::string(text) + "': expected role, sector or total");
}

TableFormat parse_table_format(std::string_view text) {
  if (text == "table") return TableFormat::table;
  if (text == "csv") return TableFormat::csv;
  if (text == "json") return TableFormat::json;
  throw UsageError("--format '" + std::string(text) + "': expected table, csv or json");
}

std::string_view to_string(Grouping by) {
  switch (by) {
    case Grouping::total:
      return "total";
    case Grouping::role:
      return "role";
    case Grouping::sector:
      return "sector";
  }
  return "total";
}

}  // namespace staffsim
