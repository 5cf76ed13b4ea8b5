// Annual indicators (DESIGN.md 2.6) aggregated over a grouping, and the
// commissioner's text table.
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>

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

}  // namespace

AnnualRow aggregate_cells(const Dimensions& d, const YearResult& y,
                          const std::function<bool(int)>& selected, std::string group) {
  AnnualRow row;
  row.year = y.year;
  row.group = std::move(group);
  // Training has no sector: its cost belongs to the total only.
  bool every_cell = true;
  for (int rs = 0; rs < d.n_role_sectors(); ++rs) every_cell = every_cell && selected(rs);
  const double nan = std::nan("");
  row.starters = row.leavers = row.wastage = row.joiners = row.retired = y.has_flows ? 0.0 : nan;
  row.pay_bill = row.recruitment_cost = row.vacancy_cover_cost = y.has_flows ? 0.0 : nan;
  row.training_cost = y.has_flows && every_cell ? y.training_cost.sum() : nan;
  for (int rs = 0; rs < d.n_role_sectors(); ++rs) {
    if (!selected(rs)) continue;
    row.headcount += y.headcount[rs];
    row.fte += y.fte[rs];
    row.posts_hc += y.posts_hc[rs];
    row.posts_fte += y.posts[rs];
    row.vacancies_fte += y.vacancies[rs];
    const double phi = y.headcount[rs] > 0.0
                           ? y.fte[rs] / y.headcount[rs]
                           : (y.posts_hc[rs] > 0 ? y.posts[rs] / y.posts_hc[rs] : 1.0);
    row.vacancies_hc += y.vacancies[rs] / phi;
    row.gap_fte += y.fte[rs] - y.posts[rs];
    row.retirement_outlook_5 += y.retirement_outlook_5[rs];
    row.retirement_outlook_10 += y.retirement_outlook_10[rs];
    if (!y.has_flows) continue;
    row.pay_bill += y.pay_bill[rs];
    row.recruitment_cost += y.recruitment_cost[rs];
    row.vacancy_cover_cost += y.vacancy_cover_cost[rs];
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
  row.wastage_rate = row.headcount > 0.0 ? row.wastage / row.headcount : nan;
  row.joiner_rate = row.headcount > 0.0 ? row.joiners / row.headcount : nan;
  return row;
}

namespace {

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
    for (int g = 0; g < groups; ++g) {
      const std::string group = by == Grouping::total  ? std::string("total")
                                : by == Grouping::role ? d.roles[static_cast<std::size_t>(g)]
                                                       : d.sectors[static_cast<std::size_t>(g)];
      rows.push_back(aggregate_cells(
          d, y, [&](int rs) { return in_group(d, by, g, rs); }, group));
    }
  }
  return rows;
}

std::string format_annual_table(const std::vector<AnnualRow>& rows, const std::string& title) {
  std::string out = title + "\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-4s %-7s %7s %7s %7s %5s %7s %7s %5s %7s %7s\n", "year",
                "group", "staff", "posts", "vacancy", "vac%", "starter", "leaver", "turn%",
                "wastage", "joiner");
  out += line;
  for (const AnnualRow& r : rows) {
    std::string group = r.group.substr(0, 7);
    std::snprintf(line, sizeof line, "%-4d %-7s %7s %7s %7s %5s %7s %7s %5s %7s %7s\n", r.year,
                  group.c_str(), cell(r.headcount, "%.0f").c_str(),
                  cell(r.posts_hc, "%.0f").c_str(), cell(r.vacancies_hc, "%.0f").c_str(),
                  cell(100.0 * r.vacancy_rate, "%.1f").c_str(), cell(r.starters, "%.0f").c_str(),
                  cell(r.leavers, "%.0f").c_str(), cell(100.0 * r.turnover_rate, "%.1f").c_str(),
                  cell(r.wastage, "%.0f").c_str(), cell(r.joiners, "%.0f").c_str());
    out += line;
  }
  out +=
      "staff: headcount at the census; posts, vacancy: headcount-equivalent;\n"
      "starter, leaver: NMDS-SC employer flows in the year (promotion excluded);\n"
      "wastage: retired + exit + aged out; joiner: hires + training completers.\n";
  return out;
}

std::string format_retirement_and_money_table(const std::vector<AnnualRow>& rows,
                                              int price_base_year) {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%-4s %-8s %7s %8s %8s %10s %9s %9s %9s\n", "year", "group",
                "retired", "retire5y", "retire10", "pay bill", "recruit", "cover", "training");
  out += line;
  for (const AnnualRow& r : rows) {
    const std::string group = r.group.substr(0, 8);
    std::snprintf(
        line, sizeof line, "%-4d %-8s %7s %8s %8s %10s %9s %9s %9s\n", r.year, group.c_str(),
        cell(r.retired, "%.0f").c_str(), cell(r.retirement_outlook_5, "%.0f").c_str(),
        cell(r.retirement_outlook_10, "%.0f").c_str(), cell(r.pay_bill / 1e6, "%.2fm").c_str(),
        cell(r.recruitment_cost / 1e6, "%.3fm").c_str(),
        cell(r.vacancy_cover_cost / 1e6, "%.3fm").c_str(),
        cell(r.training_cost / 1e6, "%.3fm").c_str());
    out += line;
  }
  out +=
      "retired: in the year; retire5y/10: expected to retire (or pass the oldest\n"
      "age) within 5/10 years of the census.\n";
  if (price_base_year > 0) {
    out += "money: in the year, millions at " + std::to_string(price_base_year) +
           " prices; recruit: hires and employer\nmoves in; cover: agency cover of vacancies.\n";
  } else {
    out += "money: the scenario gives no costs.\n";
  }
  return out;
}

}  // namespace staffsim
