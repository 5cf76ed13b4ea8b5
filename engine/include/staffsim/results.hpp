#pragma once
// Annual results (DESIGN.md 2.1 census convention): stocks at each census
// point, flows summed over the steps of the year ending there. The first year
// carries stocks only; its flows are NaN (fill values).
#include <Eigen/Core>
#include <string>
#include <vector>

#include "staffsim/dimensions.hpp"
#include "staffsim/ledger.hpp"

namespace staffsim {

struct YearResult {
  int year = 0;
  bool recorded = false;             // the census has been reached
  bool has_flows = false;            // false for start_year
  Eigen::ArrayXd headcount;          // (RS)
  Eigen::ArrayXd fte;                // (RS)
  Eigen::ArrayXd posts;              // (RS) FTE
  Eigen::ArrayXd posts_hc;           // (RS) posts / fte_factor
  Eigen::ArrayXd vacancies;          // (RS) max(0, posts - FTE), FTE
  Eigen::ArrayXXd age_profile;       // (RS, A) headcount by single age at the census
  Eigen::ArrayXXd tenure_profile;    // (RS, K)
  Ledger flows;                      // summed over the year's steps
  Eigen::ArrayXd trainees;           // (programmes) in training at the census
  Eigen::ArrayXd completers;         // (programmes) completing in the year (before retention)
  Eigen::ArrayXd unfilled_requests;  // (RS) recruitment requests not granted by capped sources
};

struct Results {
  Dimensions dims;
  std::vector<std::string> source_names;
  std::vector<std::string> programme_names;
  // One entry per census year of the run, allocated up front (so step() does
  // not allocate); entries not yet reached have recorded == false.
  std::vector<YearResult> years;

  [[nodiscard]] int recorded_years() const;

  [[nodiscard]] const YearResult& at_year(int year) const;  // throws UsageError
};

}  // namespace staffsim
