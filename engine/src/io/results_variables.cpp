// The results file's dimensions and variables (docs/results-format.md), in
// (year, role, sector[, extra]) order, computed from the annual Results.
#include "io/results_variables.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "staffsim/ledger.hpp"

namespace staffsim::io {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<const YearResult*> recorded(const Results& results) {
  std::vector<const YearResult*> out;
  for (const YearResult& y : results.years) {
    if (y.recorded) out.push_back(&y);
  }
  return out;
}

double ratio(double num, double den) { return den > 0.0 ? num / den : kNaN; }

// Vacancies in headcount-equivalent: vacant FTE over the cell's FTE factor.
double vacancies_hc(const YearResult& y, int rs) {
  return y.posts[rs] > 0.0 ? y.vacancies[rs] * y.posts_hc[rs] / y.posts[rs] : 0.0;
}

double wastage(const Ledger& f, int rs) {
  return f.leave(rs, Leave::retired) + f.leave(rs, Leave::exit) + f.leave(rs, Leave::aged_out);
}

double joiners(const Ledger& f, int rs) {
  return f.start(rs, Start::hire) + f.start(rs, Start::training);
}

// Builds and emits variables; `cell` ones are (year, role, sector), `extra`
// ones add one dimension, `programme` ones are (year, programme).
class Emitter {
 public:
  Emitter(const Results& results, const std::function<void(const Variable&)>& sink)
      : results_(results), years_(recorded(results)), sink_(sink) {}

  template <typename F>
  void cell(const char* name, const char* units, const char* long_name, bool flow, F f) const {
    Variable v{name, {"year", "role", "sector"}, units, long_name, {}};
    const int RS = results_.dims.n_role_sectors();
    v.values.reserve(years_.size() * static_cast<std::size_t>(RS));
    for (const YearResult* y : years_) {
      for (int rs = 0; rs < RS; ++rs) v.values.push_back(flow && !y->has_flows ? kNaN : f(*y, rs));
    }
    sink_(v);
  }

  // A (year, role, sector, dim) variable from a per-year (RS, n) table.
  template <typename F>
  void table(const char* name, const char* dim, const char* units, const char* long_name, bool flow,
             F f) const {
    Variable v{name, {"year", "role", "sector", dim}, units, long_name, {}};
    for (const YearResult* y : years_) {
      const Eigen::ArrayXXd t = f(*y);
      for (Eigen::Index rs = 0; rs < t.rows(); ++rs) {
        for (Eigen::Index x = 0; x < t.cols(); ++x) {
          v.values.push_back(flow && !y->has_flows ? kNaN : t(rs, x));
        }
      }
    }
    sink_(v);
  }

  void programme(const char* name, const char* units, const char* long_name,
                 Eigen::ArrayXd YearResult::*member) const {
    Variable v{name, {"year", "programme"}, units, long_name, {}};
    for (const YearResult* y : years_) {
      const Eigen::ArrayXd& a = y->*member;
      for (std::size_t p = 0; p < results_.programme_names.size(); ++p) {
        v.values.push_back(a.size() > 0 ? a[static_cast<Eigen::Index>(p)] : kNaN);
      }
    }
    sink_(v);
  }

 private:
  const Results& results_;
  std::vector<const YearResult*> years_;
  const std::function<void(const Variable&)>& sink_;
};

std::vector<std::string> band_labels(const AgeBands& bands) { return bands.labels; }

}  // namespace

std::string tenure_band_label(const Dimensions& dims, int band) {
  std::ostringstream s;
  s << dims.tenure_edges[static_cast<std::size_t>(band)];
  if (band + 1 < dims.n_bands()) {
    s << '-' << dims.tenure_edges[static_cast<std::size_t>(band) + 1];
  } else {
    s << '+';
  }
  return s.str();
}

std::vector<Dimension> results_dimensions(const Results& results) {
  const Dimensions& d = results.dims;
  std::vector<Dimension> dims;
  Dimension year{"year", "census year (stocks at its census point, flows in the year to it)",
                 "year"};
  for (const YearResult* y : recorded(results)) year.years.push_back(y->year);
  dims.push_back(year);
  dims.push_back({"role", "role", "1", d.roles, {}});
  dims.push_back({"sector", "sector", "1", d.sectors, {}});
  dims.push_back({"age_band", "age band", "1", band_labels(results.age_band), {}});
  dims.push_back(
      {"age_band_nmds", "age band as NMDS-SC reports it", "1", band_labels(results.age_band_nmds)});
  Dimension tenure{"tenure_band", "tenure band (years with the employer in the role)", "1"};
  for (int k = 0; k < d.n_bands(); ++k) tenure.labels.push_back(tenure_band_label(d, k));
  dims.push_back(tenure);
  Dimension origin{"origin", "where starters come from", "1"};
  for (int k = 0; k < kStartKinds; ++k) {
    origin.labels.emplace_back(to_string(static_cast<Start>(k)));
  }
  dims.push_back(origin);
  Dimension destination{"destination", "where leavers go", "1"};
  for (int k = 0; k < kLeaveKinds; ++k) {
    destination.labels.emplace_back(to_string(static_cast<Leave>(k)));
  }
  dims.push_back(destination);
  dims.push_back({"client_group", "client group (need-based demand)", "1", results.client_groups});
  dims.push_back({"source", "recruitment source", "1", results.source_names});
  dims.push_back({"programme", "training programme", "1", results.programme_names});
  return dims;
}

std::vector<LabelBounds> label_bounds(const Results& results) {
  std::vector<LabelBounds> out;
  for (const auto& [dim, bands] : {std::pair{"age_band", &results.age_band},
                                   std::pair{"age_band_nmds", &results.age_band_nmds}}) {
    LabelBounds lo{std::string(dim) + "_min_age",
                   dim,
                   "year",
                   std::string("youngest age (completed years) in the band"),
                   {}};
    LabelBounds hi{std::string(dim) + "_max_age",
                   dim,
                   "year",
                   std::string("oldest age (completed years) in the band"),
                   {}};
    for (const auto& [a, b] : bands->ranges) {
      lo.values.push_back(a);
      hi.values.push_back(b);
    }
    out.push_back(lo);
    out.push_back(hi);
  }
  return out;
}

Variable tenure_band_edges(const Results& results) {
  Variable v{"tenure_band_lower_edge",
             {"tenure_band"},
             "year",
             "lower edge of the tenure band (the last band is open)",
             {}};
  v.values = results.dims.tenure_edges;
  return v;
}

void for_each_variable(const Results& results, const std::function<void(const Variable&)>& sink) {
  const Emitter e(results, sink);
  const Dimensions& d = results.dims;
  const int min_age = d.min_age;
  // Stocks at the census point.
  e.cell("headcount", "people", "staff in post at the census (headcount)", false,
         [](const YearResult& y, int rs) { return y.headcount[rs]; });
  e.cell("fte", "FTE", "staff in post at the census, full-time equivalent", false,
         [](const YearResult& y, int rs) { return y.fte[rs]; });
  e.cell("posts", "FTE", "posts (demand) at the census, full-time equivalent", false,
         [](const YearResult& y, int rs) { return y.posts[rs]; });
  e.cell("posts_hc", "people", "posts in headcount-equivalent (posts / fte_factor)", false,
         [](const YearResult& y, int rs) { return y.posts_hc[rs]; });
  e.cell("vacancies", "FTE", "vacant posts at the census, max(0, posts - fte)", false,
         [](const YearResult& y, int rs) { return y.vacancies[rs]; });
  e.cell("vacancies_hc", "people", "vacant posts in headcount-equivalent", false,
         [](const YearResult& y, int rs) { return vacancies_hc(y, rs); });
  e.cell("vacancy_rate", "1", "vacancies / posts (FTE)", false,
         [](const YearResult& y, int rs) { return ratio(y.vacancies[rs], y.posts[rs]); });
  e.cell("vacancy_rate_hc", "1", "vacancies_hc / posts_hc (headcount-equivalent)", false,
         [](const YearResult& y, int rs) { return ratio(vacancies_hc(y, rs), y.posts_hc[rs]); });
  e.cell("gap", "FTE", "supply minus demand, fte - posts (negative: a shortfall)", false,
         [](const YearResult& y, int rs) { return y.fte[rs] - y.posts[rs]; });
  e.table("age_profile", "age_band", "people", "headcount by age band at the census", false,
          [&](const YearResult& y) { return age_band_profile(y, d, results.age_band); });
  e.table("age_profile_nmds", "age_band_nmds", "people",
          "headcount by NMDS-SC age band at the census", false,
          [&](const YearResult& y) { return age_band_profile(y, d, results.age_band_nmds); });
  e.cell("share_aged_55_plus", "1", "share of headcount aged 55 or over at the census", false,
         [&](const YearResult& y, int rs) {
           const int from = std::max(0, std::min(55 - min_age, d.n_ages()));
           return ratio(y.age_profile.row(rs).tail(d.n_ages() - from).sum(), y.headcount[rs]);
         });
  e.table("tenure_profile", "tenure_band", "people", "headcount by tenure band at the census",
          false, [](const YearResult& y) { return y.tenure_profile; });
  e.table("posts_by_client_group", "client_group", "FTE",
          "posts attributed to client groups by their share of raw demand", false,
          [](const YearResult& y) { return y.posts_by_client_group; });
  e.cell("retirement_outlook_5", "people",
         "of the staff at the census, expected to retire (or pass max_age) within 5 years", false,
         [](const YearResult& y, int rs) { return y.retirement_outlook_5[rs]; });
  e.cell("retirement_outlook_10", "people",
         "of the staff at the census, expected to retire (or pass max_age) within 10 years", false,
         [](const YearResult& y, int rs) { return y.retirement_outlook_10[rs]; });
  // Flows of the year ending at the census (NaN for the first year).
  e.table("leavers_by_destination", "destination", "people",
          "leavers in the year by destination (promoted included)", true,
          [](const YearResult& y) { return y.flows.leavers; });
  e.table("starters_by_origin", "origin", "people",
          "starters in the year by origin (promotion included)", true,
          [](const YearResult& y) { return y.flows.starters; });
  e.table("hires_by_source", "source", "people", "external hires in the year by recruitment source",
          true, [](const YearResult& y) { return y.flows.hires_by_source; });
  e.cell("leavers", "people", "NMDS-SC leavers in the year: every destination but promoted", true,
         [](const YearResult& y, int rs) { return y.flows.nmds_leavers(rs); });
  e.cell("starters", "people", "NMDS-SC starters in the year: every origin but promotion", true,
         [](const YearResult& y, int rs) { return y.flows.nmds_starters(rs); });
  e.cell(
      "turnover_rate", "1", "leavers / headcount at the census (NMDS-SC turnover)", true,
      [](const YearResult& y, int rs) { return ratio(y.flows.nmds_leavers(rs), y.headcount[rs]); });
  e.cell("starter_rate", "1", "starters / headcount at the census", true,
         [](const YearResult& y, int rs) {
           return ratio(y.flows.nmds_starters(rs), y.headcount[rs]);
         });
  e.cell("wastage", "people",
         "losses to the whole workforce in the year: retired + exit + aged_out", true,
         [](const YearResult& y, int rs) { return wastage(y.flows, rs); });
  e.cell("joiners", "people", "gains of the whole workforce in the year: hires + training", true,
         [](const YearResult& y, int rs) { return joiners(y.flows, rs); });
  e.cell("wastage_rate", "1", "wastage / headcount at the census", true,
         [](const YearResult& y, int rs) { return ratio(wastage(y.flows, rs), y.headcount[rs]); });
  e.cell("joiner_rate", "1", "joiners / headcount at the census", true,
         [](const YearResult& y, int rs) { return ratio(joiners(y.flows, rs), y.headcount[rs]); });
  e.cell("net_change", "people", "starters minus leavers in the year, promotions included", true,
         [](const YearResult& y, int rs) { return y.flows.net(rs); });
  e.cell("retired", "people", "retirements in the year (aged_out is a destination of its own)",
         true, [](const YearResult& y, int rs) { return y.flows.leave(rs, Leave::retired); });
  e.cell("unfilled_requests", "people",
         "recruitment requests in the year not granted by capped sources", true,
         [](const YearResult& y, int rs) { return y.unfilled_requests[rs]; });
  // Money over the year, prices of the price base year.
  e.cell("pay_bill", kMoneyUnits, "pay bill in the year: FTE x annual pay", true,
         [](const YearResult& y, int rs) { return y.pay_bill[rs]; });
  e.cell("recruitment_cost", kMoneyUnits,
         "recruitment cost in the year: (external hires + employer moves in) x cost per hire", true,
         [](const YearResult& y, int rs) { return y.recruitment_cost[rs]; });
  e.cell("vacancy_cover_cost", kMoneyUnits,
         "vacancy cover in the year: vacancies x agency share x pay x agency premium", true,
         [](const YearResult& y, int rs) { return y.vacancy_cover_cost[rs]; });
  // Training pipelines.
  e.programme("trainees", "people", "trainees in training at the census", &YearResult::trainees);
  e.programme("completers", "people", "trainees completing in the year (before retention)",
              &YearResult::completers);
  e.programme("training_cost", kMoneyUnits,
              "training cost in the year: trainee-years and completers",
              &YearResult::training_cost);
}

}  // namespace staffsim::io
