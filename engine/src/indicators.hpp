#pragma once
// Indicators computed from the state at census points and accumulated over
// steps (DESIGN.md 2.6): the retirement outlook in closed form and the money.
// Internal header.
#include <Eigen/Core>

#include "model.hpp"

namespace staffsim::detail {

// Buffers for the retirement outlook, sized once.
struct OutlookScratch {
  Eigen::ArrayXXd log_survival;    // (R, A) accumulated h_ret dt by age at the census
  Eigen::ArrayXXd log_survival_5;  // (R, A) after 5 years
  Eigen::ArrayXXd hazard;          // (R, A) h_ret at the current shift
  Eigen::ArrayXd shift;            // (R) shift the hazard row was built for
  // (R, A) share retiring within 5 and 10 years, 1 - e^{-log survival}: by
  // role and age only, so computed once per census rather than per sector,
  // and once per run when no lever shifts retirement (`shares_fixed`).
  Eigen::ArrayXXd retiring_5;
  Eigen::ArrayXXd retiring_10;
  bool shares_fixed = false;
  void resize(int R, int A);
};

// outlook_n = sum H[r,s,a] (1 - prod_m e^{-h_ret,m dt}) over the steps m of
// the n years after the census that ends step `census_step` - 1, with the age
// index the engine uses in each step and the retirement_shift lever at each
// step's t_m + dt; passing max_age counts as retiring. Equals a forward run
// with every flow but retirement and aged-out switched off.
void retirement_outlook(const Model& m, const Eigen::ArrayXd& H, int census_step,
                        OutlookScratch& scratch, Eigen::ArrayXd& outlook_5,
                        Eigen::ArrayXd& outlook_10);

// Money accumulated over the steps of a year.
struct MoneyAccumulator {
  Eigen::ArrayXd pay_bill;       // (RS)
  Eigen::ArrayXd vacancy_cover;  // (RS)
  Eigen::ArrayXd trainee_years;  // (programmes)
  void resize(int RS, int programmes);
  void clear();
};

// Adds one step's pay bill, vacancy cover and trainee-years (stocks at the
// end of the step times dt, at the step's pay levers).
void accumulate_money(const Model& m, const Eigen::ArrayXd& fte, const Eigen::ArrayXd& posts,
                      const std::vector<Eigen::ArrayXd>& pipeline, double year,
                      MoneyAccumulator& money);

}  // namespace staffsim::detail
