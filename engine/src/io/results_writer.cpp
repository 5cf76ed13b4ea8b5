// Results files. For now one CSV of annual indicators per (year, role,
// sector); the HDF5 results file of DESIGN.md 4 replaces it behind the same
// function.
#include "staffsim/results_writer.hpp"

#include <cmath>
#include <iomanip>
#include <ostream>

#include "io/atomic_file.hpp"
#include "staffsim/errors.hpp"

namespace staffsim {

namespace {

void write_value(std::ostream& out, double v) {
  if (std::isnan(v)) {
    out << "";  // fill value: the first year has no flows
  } else {
    out << std::setprecision(17) << v;
  }
}

void write_csv(std::ostream& out, const Results& results) {
  const Dimensions& d = results.dims;
  out << "year,role,sector,headcount,fte,posts,posts_hc,vacancies";
  for (int l = 0; l < kLeaveKinds; ++l) out << ",leavers_" << to_string(static_cast<Leave>(l));
  for (int s = 0; s < kStartKinds; ++s) out << ",starters_" << to_string(static_cast<Start>(s));
  out << '\n';
  for (const YearResult& y : results.years) {
    if (!y.recorded) continue;
    for (int r = 0; r < d.n_roles(); ++r) {
      for (int s = 0; s < d.n_sectors(); ++s) {
        const int rs = d.rs(r, s);
        out << y.year << ',' << d.roles[static_cast<std::size_t>(r)] << ','
            << d.sectors[static_cast<std::size_t>(s)];
        for (const double v :
             {y.headcount[rs], y.fte[rs], y.posts[rs], y.posts_hc[rs], y.vacancies[rs]}) {
          out << ',';
          write_value(out, v);
        }
        for (int l = 0; l < kLeaveKinds; ++l) {
          out << ',';
          write_value(out, y.flows.leavers(rs, l));
        }
        for (int k = 0; k < kStartKinds; ++k) {
          out << ',';
          write_value(out, y.flows.starters(rs, k));
        }
        out << '\n';
      }
    }
  }
}

}  // namespace

void write_results(const Results& results, const Scenario& scenario,
                   const std::filesystem::path& target) {
  (void)scenario;
  if (target.extension() != ".csv") {
    throw UsageError("cannot write '" + target.string() +
                     "': results files are written as .csv (the HDF5 format comes next)");
  }
  io::write_atomically(target, [&](std::ostream& out) { write_csv(out, results); });
}

}  // namespace staffsim
