#include "indicators.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace staffsim::detail {

void OutlookScratch::resize(int R, int A) {
  log_survival.setZero(R, A);
  log_survival_5.setZero(R, A);
  hazard.setZero(R, A);
  shift.setZero(R);
  retiring_5.setZero(R, A);
  retiring_10.setZero(R, A);
  shares_fixed = false;
}

namespace {

// With retirement_shift levers the hazards change step by step: accumulate
// h_ret,m dt over the steps m of the next 10 years, keeping the 5-year sum.
void walk_outlook_steps(const Model& m, int census_step, OutlookScratch& scratch) {
  const int spy = m.sc.time.steps_per_year;
  const double inf = std::numeric_limits<double>::infinity();
  scratch.log_survival.setZero();
  for (int j = 0; j < 10 * spy; ++j) {
    const double year = m.sc.time.year_at_step_end(census_step + j);
    const int years_on = j / spy;  // birthdays passed: the first step of each year
    for (Role r = 0; r < m.R; ++r) {
      const double shift = m.on.retirement ? retirement_shift(m, r, year) : 0.0;
      if (j == 0 || shift != scratch.shift[r]) {
        for (int a = 0; a < m.A; ++a) {
          scratch.hazard(r, a) = m.on.retirement ? retirement_hazard(m, r, a, shift) : 0.0;
        }
        scratch.shift[r] = shift;
      }
      for (int a = 0; a < m.A; ++a) {
        const int age_now = a + 1 + years_on;
        scratch.log_survival(r, a) =
            age_now >= m.A ? inf : scratch.log_survival(r, a) + scratch.hazard(r, age_now) * m.dt;
      }
    }
    if (j == 5 * spy - 1) scratch.log_survival_5 = scratch.log_survival;
  }
}

// outlook_n = sum over ages of H (1 - e^{-log survival}).
void sum_outlook(const Model& m, const Eigen::ArrayXd& H, const OutlookScratch& scratch,
                 Eigen::ArrayXd& outlook_5, Eigen::ArrayXd& outlook_10) {
  const Dimensions& d = m.sc.dims;
  for (Role r = 0; r < m.R; ++r) {
    for (Sector s = 0; s < m.S; ++s) {
      const int rs = d.rs(r, s);
      const double* block = H.data() + d.block(r, s);
      double o5 = 0.0;
      double o10 = 0.0;
      for (int a = 0; a < m.A; ++a) {
        double people = 0.0;
        for (int k = 0; k < m.K; ++k) people += block[a * m.K + k];
        if (people == 0.0) continue;
        o5 += people * scratch.retiring_5(r, a);
        o10 += people * scratch.retiring_10(r, a);
      }
      outlook_5[rs] = o5;
      outlook_10[rs] = o10;
    }
  }
}

// The shares retiring by role and age from the log survivals.
void retiring_shares(const Model& m, OutlookScratch& scratch) {
  for (Role r = 0; r < m.R; ++r) {
    for (int a = 0; a < m.A; ++a) {
      scratch.retiring_5(r, a) = -std::expm1(-scratch.log_survival_5(r, a));
      scratch.retiring_10(r, a) = -std::expm1(-scratch.log_survival(r, a));
    }
  }
}

// Constant hazards by age: a year's steps at age index i contribute
// h_ret[i] * (steps_per_year * dt) = h_ret[i], so n years from the census
// sum h_ret over ages a+1 .. a+n (prefix sums), or pass max_age.
void constant_log_survival(const Model& m, OutlookScratch& scratch) {
  const double inf = std::numeric_limits<double>::infinity();
  for (Role r = 0; r < m.R; ++r) {
    for (int a = 0; a < m.A; ++a) {
      auto sum_years = [&](int n) {
        if (a + n > m.A - 1) return inf;
        return m.on.retirement ? m.h_ret_cumulative(r, a + n + 1) - m.h_ret_cumulative(r, a + 1)
                               : 0.0;
      };
      scratch.log_survival_5(r, a) = sum_years(5);
      scratch.log_survival(r, a) = sum_years(10);
    }
  }
}

}  // namespace

void retirement_outlook(const Model& m, const Eigen::ArrayXd& H, int census_step,
                        OutlookScratch& scratch, Eigen::ArrayXd& outlook_5,
                        Eigen::ArrayXd& outlook_10) {
  if (!m.retirement_shifts) {
    if (!scratch.shares_fixed) {
      constant_log_survival(m, scratch);
      retiring_shares(m, scratch);
      scratch.shares_fixed = true;
    }
  } else {
    walk_outlook_steps(m, census_step, scratch);
    retiring_shares(m, scratch);
  }
  sum_outlook(m, H, scratch, outlook_5, outlook_10);
}

void MoneyAccumulator::resize(int RS, int programmes) {
  pay_bill.setZero(RS);
  vacancy_cover.setZero(RS);
  trainee_years.setZero(programmes);
}

void MoneyAccumulator::clear() {
  pay_bill.setZero();
  vacancy_cover.setZero();
  trainee_years.setZero();
}

void accumulate_money(const Model& m, const Eigen::ArrayXd& fte, const Eigen::ArrayXd& posts,
                      const std::vector<Eigen::ArrayXd>& pipeline, double year,
                      MoneyAccumulator& money) {
  const Costs& c = m.sc.costs;
  if (c.pay.size() > 0) {
    for (Role r = 0; r < m.R; ++r) {
      for (Sector s = 0; s < m.S; ++s) {
        const int rs = m.sc.dims.rs(r, s);
        const double pay = c.pay(r, s) * pay_factor(m, r, s, year);
        money.pay_bill[rs] += fte[rs] * pay * m.dt;
        if (c.agency_share.size() > 0) {
          const double vacant = std::max(0.0, posts[rs] - fte[rs]);
          money.vacancy_cover[rs] +=
              vacant * c.agency_share(r, s) * pay * c.agency_premium(r, s) * m.dt;
        }
      }
    }
  }
  for (std::size_t p = 0; p < pipeline.size(); ++p) {
    money.trainee_years[static_cast<Eigen::Index>(p)] += pipeline[p].sum() * m.dt;
  }
}

}  // namespace staffsim::detail
