// Results files: the HDF5 results file of DESIGN.md 4 (io/results_h5_writer.cpp)
// or a CSV of annual indicators per (year, role, sector), both written through
// a temporary file that is renamed once complete.
#include "staffsim/results_writer.hpp"

#include <cmath>
#include <iomanip>
#include <ostream>

#include "io/results_h5.hpp"
#include "io/temp_file.hpp"
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
  out << ",retirement_outlook_5,retirement_outlook_10,pay_bill,recruitment_cost,"
         "vacancy_cover_cost\n";
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
        for (const double v : {y.retirement_outlook_5[rs], y.retirement_outlook_10[rs],
                               y.pay_bill[rs], y.recruitment_cost[rs], y.vacancy_cover_cost[rs]}) {
          out << ',';
          write_value(out, v);
        }
        out << '\n';
      }
    }
  }
}

}  // namespace

void write_results(const Results& results, const Scenario& scenario,
                   const std::filesystem::path& target, const WriteOptions& options) {
  const std::string ext = target.extension().string();
  if (ext == ".h5" || ext == ".hdf5" || ext == ".nc") {
    io::replace_via_temp_file(target, [&](const std::filesystem::path& temp) {
      io::write_results_hdf5(results, scenario, temp, options);
    });
  } else if (ext == ".csv") {
    io::write_atomically(target, [&](std::ostream& out) { write_csv(out, results); });
  } else {
    throw UsageError("cannot write '" + target.string() +
                     "': a results file ends in .h5 (HDF5, netCDF-4 compatible; also .nc, "
                     ".hdf5) or .csv");
  }
}

void write_ensemble_results(const EnsembleResults& results, const Scenario& scenario,
                            const std::filesystem::path& target, const WriteOptions& options) {
  const std::string ext = target.extension().string();
  if (ext != ".h5" && ext != ".hdf5" && ext != ".nc") {
    throw UsageError("cannot write '" + target.string() +
                     "': an ensemble's results file ends in .h5 (HDF5, netCDF-4 compatible; also "
                     ".nc, .hdf5)");
  }
  io::replace_via_temp_file(target, [&](const std::filesystem::path& temp) {
    io::write_ensemble_hdf5(results, scenario, temp, options);
  });
}

}  // namespace staffsim
