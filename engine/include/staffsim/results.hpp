#pragma once
// Annual results (DESIGN.md 2.1 census convention): stocks at each census
// point, flows summed over the steps of the year ending there. The first year
// carries stocks only; its flows are NaN (fill values).
#include <Eigen/Core>
#include <string>
#include <vector>

#include "staffsim/dimensions.hpp"
#include "staffsim/ledger.hpp"
#include "staffsim/scenario.hpp"

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
  // Posts (FTE) attributed to client groups in proportion to their share of
  // raw demand in each (r,s) (need mode; empty otherwise).
  Eigen::ArrayXXd posts_by_client_group;  // (RS, C)
  // Retirement outlook (DESIGN.md 2.6): of those in post at this census, the
  // expected number who retire (or pass max_age) within 5 and 10 years.
  Eigen::ArrayXd retirement_outlook_5;   // (RS)
  Eigen::ArrayXd retirement_outlook_10;  // (RS)
  // Money integrated over the year's steps, in prices of the price base year
  // (NaN for the first year).
  Eigen::ArrayXd pay_bill;            // (RS) FTE x annual pay
  Eigen::ArrayXd recruitment_cost;    // (RS) (hires + employer moves in) x cost per hire
  Eigen::ArrayXd vacancy_cover_cost;  // (RS) vacant FTE x agency share x pay x agency premium
  Eigen::ArrayXd training_cost;       // (programmes) trainee-years and completers
};

struct Results {
  Dimensions dims;
  std::vector<std::string> source_names;
  std::vector<std::string> programme_names;
  std::vector<std::string> client_groups;  // need mode
  AgeBands age_band;
  AgeBands age_band_nmds;
  int price_base_year = 0;
  // Set when posts follow an index: a growth target reproduced through the
  // index holds by construction, and results say so (DESIGN.md 2.3).
  bool posts_by_construction = false;
  // Findings of the demand calibration (empty cells, the 2x spread).
  std::vector<Diagnostic> warnings;
  // One entry per census year of the run, allocated up front (so step() does
  // not allocate); entries not yet reached have recorded == false.
  std::vector<YearResult> years;

  [[nodiscard]] int recorded_years() const;
  [[nodiscard]] const YearResult& at_year(int year) const;  // throws UsageError
};

// Headcount by age band (RS, bands) from a year's single-age profile.
[[nodiscard]] Eigen::ArrayXXd age_band_profile(const YearResult& year, const Dimensions& dims,
                                               const AgeBands& bands);

}  // namespace staffsim
