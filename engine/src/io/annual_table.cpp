// Annual indicators (DESIGN.md 2.6) aggregated over a grouping, and the
// commissioner's text table.
#include <cmath>
#include <cstdio>
#include <string>

#include "staffsim/annual_table.hpp"

namespace staffsim {

namespace {

bool in_group(const Dimensions& d, Grouping by, int g, int rs) {
  switch (by) {
    case Grouping::total:
      return true;
    case Grouping::role:
      return rs / d.n_sectors() == g;
    case Grouping::sector:
      return rs % d.n_sectors() == g;
  }
  return false;
}

AnnualRow aggregate(const Dimensions& d, const YearResult& y, Grouping by, int g) {
  AnnualRow row;
  row.year = y.year;
  row.group = by == Grouping::total  ? std::string("total")
              : by == Grouping::role ? d.roles[static_cast<std::size_t>(g)]
                                     : d.sectors[static_cast<std::size_t>(g)];
  const double nan = std::nan("");
  row.starters = row.leavers = row.wastage = row.joiners = row.retired = y.has_flows ? 0.0 : nan;
  for (int rs = 0; rs < d.n_role_sectors(); ++rs) {
    if (!in_group(d, by, g, rs)) continue;
    row.headcount += y.headcount[rs];
    row.fte += y.fte[rs];
    row.posts_hc += y.posts_hc[rs];
    const double phi = y.headcount[rs] > 0.0
                           ? y.fte[rs] / y.headcount[rs]
                           : (y.posts_hc[rs] > 0 ? y.posts[rs] / y.posts_hc[rs] : 1.0);
    row.vacancies_hc += y.vacancies[rs] / phi;
    row.gap_fte += y.fte[rs] - y.posts[rs];
    if (!y.has_flows) continue;
    const Ledger& f = y.flows;
    row.starters += f.nmds_starters(rs);
    row.leavers += f.nmds_leavers(rs);
    row.retired += f.leave(rs, Leave::retired);
    row.wastage +=
        f.leave(rs, Leave::retired) + f.leave(rs, Leave::exit) + f.leave(rs, Leave::aged_out);
    row.joiners += f.start(rs, Start::hire) + f.start(rs, Start::training);
  }
  row.vacancy_rate = row.posts_hc > 0.0 ? row.vacancies_hc / row.posts_hc : nan;
  row.turnover_rate = row.headcount > 0.0 ? row.leavers / row.headcount : nan;
  row.starter_rate = row.headcount > 0.0 ? row.starters / row.headcount : nan;
  return row;
}

std::string cell(double v, const char* fmt) {
  if (std::isnan(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

}  // namespace

std::vector<AnnualRow> annual_rows(const Results& results, Grouping by) {
  const Dimensions& d = results.dims;
  const int groups = by == Grouping::total ? 1 : by == Grouping::role ? d.n_roles() : d.n_sectors();
  std::vector<AnnualRow> rows;
  for (const YearResult& y : results.years) {
    if (!y.recorded) continue;
    for (int g = 0; g < groups; ++g) rows.push_back(aggregate(d, y, by, g));
  }
  return rows;
}

std::string format_annual_table(const std::vector<AnnualRow>& rows, const std::string& title) {
  std::string out = title + "\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-4s %-8s %8s %8s %8s %6s %7s %7s %6s %7s %7s\n", "year",
                "group", "staff", "posts", "vacancy", "vac%", "starter", "leaver", "turn%",
                "wastage", "joiner");
  out += line;
  for (const AnnualRow& r : rows) {
    std::string group = r.group.substr(0, 8);
    std::snprintf(line, sizeof line, "%-4d %-8s %8s %8s %8s %6s %7s %7s %6s %7s %7s\n", r.year,
                  group.c_str(), cell(r.headcount, "%.0f").c_str(),
                  cell(r.posts_hc, "%.0f").c_str(), cell(r.vacancies_hc, "%.0f").c_str(),
                  cell(100.0 * r.vacancy_rate, "%.1f").c_str(), cell(r.starters, "%.0f").c_str(),
                  cell(r.leavers, "%.0f").c_str(), cell(100.0 * r.turnover_rate, "%.1f").c_str(),
                  cell(r.wastage, "%.0f").c_str(), cell(r.joiners, "%.0f").c_str());
    out += line;
  }
  out +=
      "staff: headcount at the census; posts, vacancy: headcount-equivalent; starters and\n"
      "leavers: NMDS-SC employer flows in the year to the census (promotion excluded);\n"
      "wastage: retired + exit + aged out; joiners: hires + training completers.\n";
  return out;
}

}  // namespace staffsim
