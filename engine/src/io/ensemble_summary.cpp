// The summary of an ensemble (DESIGN.md 5): for each year and group, the
// figures the core set gives per draw - supply, posts, vacancies, gap,
// starters, leavers, wastage, joiners and their rates - aggregated per draw
// exactly as a single run's table aggregates them, then their median, 90%
// interval (type 7 quantiles 0.05 and 0.95) and mean over the draws.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "io/table_text.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/summary.hpp"

namespace staffsim {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// The measures an ensemble summary gives: those the core set determines.
bool from_core_set(const Measure& m) {
  static const std::vector<std::string_view> keys{
      "headcount",    "fte",     "posts_hc",     "posts_fte",  "vacancies_hc",  "vacancies_fte",
      "vacancy_rate", "gap_fte", "starters",     "leavers",    "turnover_rate", "starter_rate",
      "wastage",      "joiners", "wastage_rate", "joiner_rate"};
  return std::find(keys.begin(), keys.end(), m.key) != keys.end();
}

std::vector<const Measure*> core_measures() {
  std::vector<const Measure*> out;
  for (const Measure& m : summary_measures()) {
    if (from_core_set(m)) out.push_back(&m);
  }
  return out;
}

const DrawVariable& find(const std::vector<DrawVariable>& per_draw, const std::string& name) {
  for (const DrawVariable& v : per_draw) {
    if (v.name == name) return v;
  }
  throw IoError("the ensemble has no per-draw variable '" + name + "'");
}

// The core set of one draw, by (year index, rs).
struct DrawCells {
  const float* headcount;
  const float* fte;
  const float* posts;
  const float* posts_hc;
  const float* vacancies;
  const float* starters;
  const float* leavers;
  const float* wastage;
  const float* joiners;
};

std::string group_name(const Dimensions& d, Grouping by, int g) {
  if (by == Grouping::role) return d.roles[static_cast<std::size_t>(g)];
  if (by == Grouping::sector) return d.sectors[static_cast<std::size_t>(g)];
  return "total";
}

bool in_group(const Dimensions& d, Grouping by, int g, int rs) {
  if (by == Grouping::role) return rs / d.n_sectors() == g;
  if (by == Grouping::sector) return rs % d.n_sectors() == g;
  return true;
}

// One draw's row for a year and group, aggregated as annual_rows() does.
AnnualRow draw_row(const Dimensions& d, const DrawCells& c, int year, std::size_t yi, bool flows,
                   Grouping by, int g) {
  AnnualRow row;
  row.year = year;
  row.group = group_name(d, by, g);
  const int RS = d.n_role_sectors();
  row.starters = row.leavers = row.wastage = row.joiners = flows ? 0.0 : kNaN;
  for (int rs = 0; rs < RS; ++rs) {
    if (!in_group(d, by, g, rs)) continue;
    const std::size_t i = yi * static_cast<std::size_t>(RS) + static_cast<std::size_t>(rs);
    const double hc = c.headcount[i];
    const double fte = c.fte[i];
    const double posts = c.posts[i];
    const double posts_hc = c.posts_hc[i];
    row.headcount += hc;
    row.fte += fte;
    row.posts_hc += posts_hc;
    row.posts_fte += posts;
    row.vacancies_fte += c.vacancies[i];
    const double phi = hc > 0.0 ? fte / hc : (posts_hc > 0 ? posts / posts_hc : 1.0);
    row.vacancies_hc += c.vacancies[i] / phi;
    row.gap_fte += fte - posts;
    if (!flows) continue;
    row.starters += c.starters[i];
    row.leavers += c.leavers[i];
    row.wastage += c.wastage[i];
    row.joiners += c.joiners[i];
  }
  const auto ratio = [](double a, double b) { return b > 0.0 ? a / b : kNaN; };
  row.vacancy_rate = ratio(row.vacancies_hc, row.posts_hc);
  row.turnover_rate = ratio(row.leavers, row.headcount);
  row.starter_rate = ratio(row.starters, row.headcount);
  row.wastage_rate = ratio(row.wastage, row.headcount);
  row.joiner_rate = ratio(row.joiners, row.headcount);
  return row;
}

// Type 7 quantile of sorted values.
double quantile_sorted(const std::vector<double>& x, double p) {
  if (x.empty()) return kNaN;
  const double h = static_cast<double>(x.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  return lo + 1 < x.size() ? x[lo] + frac * (x[lo + 1] - x[lo]) : x[lo];
}

std::string interval_cell(const EnsembleStat& s, const char* format, double divisor) {
  if (std::isnan(s.median)) return "-";  // a first year's flows
  return io::cell(s.median / divisor, format) + " [" + io::cell(s.low / divisor, format) + ", " +
         io::cell(s.high / divisor, format) + "]";
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

}  // namespace

std::vector<EnsembleRow> ensemble_rows(const Results& structure,
                                       const std::vector<DrawVariable>& per_draw,
                                       std::uint64_t draws, const SummaryOptions& options,
                                       double coverage) {
  const Dimensions& d = structure.dims;
  std::vector<const YearResult*> years;
  for (const YearResult& y : structure.years) {
    if (y.recorded) years.push_back(&y);
  }
  if (options.year) (void)structure.at_year(*options.year);
  const int groups = options.by == Grouping::role     ? d.n_roles()
                     : options.by == Grouping::sector ? d.n_sectors()
                                                      : 1;
  const std::size_t cells = years.size() * static_cast<std::size_t>(d.n_role_sectors());
  const std::vector<const Measure*> measures = core_measures();
  const char* names[] = {"headcount", "fte",     "posts",   "posts_hc", "vacancies",
                         "starters",  "leavers", "wastage", "joiners"};
  std::vector<const float*> base;
  for (const char* n : names) {
    const DrawVariable& v = find(per_draw, n);
    if (v.values.size() != cells * draws) {
      throw IoError(std::string("the ensemble's per-draw variable '") + n +
                    "' does not have the shape of its years, roles and sectors");
    }
    base.push_back(v.values.data());
  }
  std::vector<EnsembleRow> rows;
  for (int g = 0; g < groups; ++g) {
    for (std::size_t yi = 0; yi < years.size(); ++yi) {
      if (options.year && years[yi]->year != *options.year) continue;
      // values[m][draw]
      std::vector<std::vector<double>> values(measures.size());
      for (std::uint64_t draw = 0; draw < draws; ++draw) {
        const std::size_t off = draw * cells;
        const DrawCells c{base[0] + off, base[1] + off, base[2] + off, base[3] + off, base[4] + off,
                          base[5] + off, base[6] + off, base[7] + off, base[8] + off};
        AnnualRow row = draw_row(d, c, years[yi]->year, yi, years[yi]->has_flows, options.by, g);
        for (std::size_t m = 0; m < measures.size(); ++m) {
          double v = row.*(measures[m]->field);
          if (options.observed && measures[m]->scales_with_coverage) v *= coverage;
          values[m].push_back(v);
        }
      }
      EnsembleRow out{years[yi]->year, group_name(d, options.by, g), {}};
      for (std::size_t m = 0; m < measures.size(); ++m) {
        std::vector<double>& x = values[m];
        EnsembleStat s{measures[m], kNaN, kNaN, kNaN, kNaN};
        if (std::none_of(x.begin(), x.end(), [](double v) { return std::isnan(v); })) {
          double sum = 0.0;
          for (const double v : x) sum += v;
          s.mean = sum / static_cast<double>(x.size());
          std::sort(x.begin(), x.end());
          s.low = quantile_sorted(x, 0.05);
          s.median = quantile_sorted(x, 0.5);
          s.high = quantile_sorted(x, 0.95);
        }
        out.stats.push_back(s);
      }
      rows.push_back(std::move(out));
    }
  }
  return rows;
}

std::string format_ensemble_summary(const Results& structure,
                                    const std::vector<DrawVariable>& per_draw, std::uint64_t draws,
                                    const SummaryOptions& options, const std::string& title,
                                    double coverage) {
  const std::vector<EnsembleRow> rows =
      ensemble_rows(structure, per_draw, draws, options, coverage);
  if (options.format == TableFormat::csv) {
    std::string out = "year,group";
    if (!rows.empty()) {
      for (const EnsembleStat& s : rows.front().stats) {
        const std::string k(s.measure->key);
        out += "," + k + "_median," + k + "_p05," + k + "_p95," + k + "_mean";
      }
    }
    out += "\n";
    for (const EnsembleRow& r : rows) {
      out += std::to_string(r.year) + "," + io::csv_field(r.group);
      for (const EnsembleStat& s : r.stats) {
        out += "," + io::csv_number(s.median) + "," + io::csv_number(s.low) + "," +
               io::csv_number(s.high) + "," + io::csv_number(s.mean);
      }
      out += "\n";
    }
    return out;
  }
  if (options.format == TableFormat::json) {
    std::string out = "{\n  \"title\": " + io::json_string(title) +
                      ",\n  \"draws\": " + std::to_string(draws) +
                      ",\n  \"by\": " + io::json_string(to_string(options.by)) +
                      ",\n  \"interval\": [0.05, 0.95],\n  \"rows\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out += std::string(i ? "," : "") + "\n    {\"year\": " + std::to_string(rows[i].year) +
             ", \"group\": " + io::json_string(rows[i].group);
      for (const EnsembleStat& s : rows[i].stats) {
        out += ", " + io::json_string(s.measure->key) +
               ": {\"median\": " + io::json_number(s.median) +
               ", \"p05\": " + io::json_number(s.low) + ", \"p95\": " + io::json_number(s.high) +
               ", \"mean\": " + io::json_number(s.mean) + "}";
      }
      out += "}";
    }
    return out + "\n  ]\n}\n";
  }
  // Text: figures as "median [5%, 95%]", two tables of 80 columns.
  struct Col {
    std::string_view key;
    const char* heading;
    const char* format;
    double divisor;
  };
  const std::vector<std::vector<Col>> tables{{{"headcount", "staff", "%.0f", 1.0},
                                              {"posts_hc", "posts", "%.0f", 1.0},
                                              {"vacancy_rate", "vacancy %", "%.1f", 0.01}},
                                             {{"gap_fte", "gap FTE", "%.0f", 1.0},
                                              {"starters", "starters", "%.0f", 1.0},
                                              {"leavers", "leavers", "%.0f", 1.0}}};
  std::string out = title + "\n" + std::to_string(draws) +
                    " draws: median [90% interval: 5th, 95th percentile] by " +
                    std::string(to_string(options.by)) + "\n";
  const auto text = [](const EnsembleRow& r, const Col& c) {
    for (const EnsembleStat& s : r.stats) {
      if (s.measure->key == c.key) return interval_cell(s, c.format, c.divisor);
    }
    return std::string("-");
  };
  for (std::size_t first = 0; first < rows.size();) {
    std::size_t last = first;
    while (last < rows.size() && rows[last].group == rows[first].group) ++last;
    out += "\n" + rows[first].group + "\n";
    for (const std::vector<Col>& cols : tables) {
      // Each column as wide as its widest cell.
      std::vector<std::size_t> width;
      for (const Col& c : cols) {
        std::size_t w = std::string_view(c.heading).size();
        for (std::size_t i = first; i < last; ++i) w = std::max(w, text(rows[i], c).size());
        width.push_back(w);
      }
      std::string line = "year";
      for (std::size_t k = 0; k < cols.size(); ++k)
        line += "  " + pad_left(cols[k].heading, width[k]);
      out += line + "\n";
      for (std::size_t i = first; i < last; ++i) {
        line = std::to_string(rows[i].year);
        for (std::size_t k = 0; k < cols.size(); ++k) {
          line += "  " + pad_left(text(rows[i], cols[k]), width[k]);
        }
        out += line + "\n";
      }
    }
    first = last;
  }
  out +=
      "\nstaff: headcount at the census; posts: headcount-equivalent; vacancy %: of posts;\n"
      "gap: FTE - posts (negative: a shortfall); starters, leavers: in the year to the\n"
      "census (NMDS-SC). `staffsim summary --format csv` gives every figure and its mean.\n";
  return out;
}

}  // namespace staffsim
