// Two results files side by side (DESIGN.md 5, `staffsim compare`): the
// summary's figures for each year and group of either file, with the
// difference b - a and the relative change (b - a) / |a|.
#include <cmath>
#include <cstdio>
#include <limits>

#include "io/table_text.hpp"
#include "staffsim/summary.hpp"

namespace staffsim {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// One figure of one (year, group) in both files.
struct Pair {
  int year = 0;
  std::string group;
  const Measure* measure = nullptr;
  double a = kNaN;
  double b = kNaN;
  [[nodiscard]] double difference() const { return b - a; }
  [[nodiscard]] double relative() const {
    return std::isfinite(a) && a != 0.0 ? (b - a) / std::abs(a) : kNaN;
  }
};

const AnnualRow* find_row(const std::vector<AnnualRow>& rows, int year, const std::string& group) {
  for (const AnnualRow& r : rows) {
    if (r.year == year && r.group == group) return &r;
  }
  return nullptr;
}

// Rows of `a` in their order, then rows only `b` has; a file without the
// row gives NaN ("-").
std::vector<Pair> pair_up(const std::vector<AnnualRow>& a, const std::vector<AnnualRow>& b) {
  std::vector<const AnnualRow*> keys;
  keys.reserve(a.size() + b.size());
  for (const AnnualRow& r : a) keys.push_back(&r);
  for (const AnnualRow& r : b) {
    if (find_row(a, r.year, r.group) == nullptr) keys.push_back(&r);
  }
  std::vector<Pair> out;
  for (const AnnualRow* key : keys) {
    const AnnualRow* ra = find_row(a, key->year, key->group);
    const AnnualRow* rb = find_row(b, key->year, key->group);
    for (const Measure& m : summary_measures()) {
      out.push_back({key->year, key->group, &m, ra != nullptr ? ra->*m.field : kNaN,
                     rb != nullptr ? rb->*m.field : kNaN});
    }
  }
  return out;
}

// Rates print as percentages, everything else with one decimal.
std::string value_text(const Measure& m, double v) {
  return m.unit == "1" ? io::cell(100.0 * v, "%.2f%%") : io::cell(v, "%.1f");
}

std::string text_table(const ResultsFile& fa, const ResultsFile& fb, const SummaryOptions& options,
                       const std::vector<Pair>& pairs) {
  std::string out = "staffsim compare, by " + std::string(to_string(options.by)) +
                    (options.observed ? " (observed)" : "") + "\n";
  out += "a: " + fa.info.path + " (" + fa.info.scenario_name + ")\n";
  out += "b: " + fb.info.path + " (" + fb.info.scenario_name + ")\n";
  char line[160];
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const Pair& p = pairs[i];
    if (i == 0 || p.year != pairs[i - 1].year || p.group != pairs[i - 1].group) {
      const std::string title = p.group + " " + std::to_string(p.year);
      std::snprintf(line, sizeof line, "\n%-27s %13s %13s %13s %8s\n", title.c_str(), "a", "b",
                    "b - a", "change");
      out += line;
    }
    const std::string label(p.measure->label);
    std::snprintf(line, sizeof line, "  %-25s %13s %13s %13s %8s\n", label.c_str(),
                  value_text(*p.measure, p.a).c_str(), value_text(*p.measure, p.b).c_str(),
                  value_text(*p.measure, p.difference()).c_str(),
                  io::cell(100.0 * p.relative(), "%.1f%%").c_str());
    out += line;
  }
  out +=
      "\nrates in percent (their difference in percentage points); money in GBP at each file's\n"
      "price base year; change: (b - a) / |a|.\n";
  return out;
}

std::string csv_table(const std::vector<Pair>& pairs) {
  std::string out = "year,group,measure,unit,a,b,difference,relative_difference\n";
  for (const Pair& p : pairs) {
    out += std::to_string(p.year) + "," + io::csv_field(p.group) + "," +
           std::string(p.measure->key) + "," + std::string(p.measure->unit) + "," +
           io::csv_number(p.a) + "," + io::csv_number(p.b) + "," + io::csv_number(p.difference()) +
           "," + io::csv_number(p.relative()) + "\n";
  }
  return out;
}

std::string json_file(const ResultsFile& f) {
  return "{\"file\": " + io::json_string(f.info.path) +
         ", \"scenario_name\": " + io::json_string(f.info.scenario_name) +
         ", \"coverage\": " + io::json_number(f.info.coverage) +
         ", \"price_base_year\": " + std::to_string(f.results.price_base_year) + "}";
}

std::string json_table(const ResultsFile& fa, const ResultsFile& fb, const SummaryOptions& options,
                       const std::vector<Pair>& pairs) {
  std::string out = "{\n  \"a\": " + json_file(fa) + ",\n  \"b\": " + json_file(fb) +
                    ",\n  \"by\": " + io::json_string(to_string(options.by)) +
                    ",\n  \"observed\": " + (options.observed ? "true" : "false") +
                    ",\n  \"rows\": [";
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const Pair& p = pairs[i];
    out += std::string(i ? "," : "") + "\n    {\"year\": " + std::to_string(p.year) +
           ", \"group\": " + io::json_string(p.group) +
           ", \"measure\": " + io::json_string(p.measure->key) +
           ", \"unit\": " + io::json_string(p.measure->unit) + ", \"a\": " + io::json_number(p.a) +
           ", \"b\": " + io::json_number(p.b) +
           ", \"difference\": " + io::json_number(p.difference()) +
           ", \"relative_difference\": " + io::json_number(p.relative()) + "}";
  }
  return out + "\n  ]\n}\n";
}

}  // namespace

std::string format_comparison(const ResultsFile& a, const ResultsFile& b,
                              const SummaryOptions& options) {
  // A year in neither file is a usage error; in one file only, a row of "-".
  if (options.year) {
    bool found = false;
    for (const ResultsFile* f : {&a, &b}) {
      for (const YearResult& y : f->results.years) found = found || y.year == *options.year;
    }
    if (!found) (void)a.results.at_year(*options.year);
  }
  const auto rows_of = [&](const ResultsFile& f) {
    std::vector<AnnualRow> rows;
    for (const AnnualRow& r : summary_rows(f, SummaryOptions{options.by, {}, options.observed})) {
      if (!options.year || r.year == *options.year) rows.push_back(r);
    }
    return rows;
  };
  const std::vector<Pair> pairs = pair_up(rows_of(a), rows_of(b));
  switch (options.format) {
    case TableFormat::table:
      return text_table(a, b, options, pairs);
    case TableFormat::csv:
      return csv_table(pairs);
    case TableFormat::json:
      return json_table(a, b, options, pairs);
  }
  return {};
}

}  // namespace staffsim
