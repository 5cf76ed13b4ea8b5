#include "support/demand_case.hpp"

#include <algorithm>

#include "support/scenario_factory.hpp"

namespace staffsim::testing {

Scenario demand_case(int steps_per_year) {
  Scenario sc = blank_scenario(2, 2, steps_per_year, 16, 74, 1.0, 2010, 2022);
  sc.dims.roles = {"care_worker", "personal_assistant"};
  sc.dims.sectors = {"independent", "direct_payment"};
  use_need_demand(sc, 2, 2, 3);
  NeedDemand& need = sc.demand.need;
  need.client_groups = {"older_people", "learning_disability"};
  need.services = {"residential", "home_care", "direct_payment"};
  need.age_groups[0].name = "65-84";
  need.age_groups[0].min_age = 65;
  need.age_groups[0].max_age = 84;
  need.age_groups[0].population = year_table({{2010, 1000.0}, {2020, 1200.0}});
  need.age_groups[1].name = "85+";
  need.age_groups[1].min_age = 85;
  need.age_groups[1].max_age = 200;
  need.age_groups[1].population = year_table({{2010, 200.0}, {2020, 300.0}});
  need.prevalence << 0.10, 0.40,  //
      0.01, 0.02;
  need.mix << 0.3, 0.5, 0.2,  //
      0.5, 0.2, 0.3;
  need.ratio << 0.8, 0.0,  //
      0.5, 0.0,            //
      0.2, 0.6;
  need.provider << 1.0, 0.0,  //
      0.75, 0.25,             //
      0.0, 1.0;
  sc.fte_factor << 0.8, 0.5,  //
      1.0, 0.6;
  sc.demand.opening_vacancy_rate << 0.10, 0.20,  //
      0.0, 0.05;
  Eigen::ArrayXd H = empty_stock(sc);
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 0, 20, 3))] = 100.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(0, 1, 20, 3))] = 30.0;
  H[static_cast<Eigen::Index>(sc.dims.cell(1, 1, 20, 3))] = 30.0;
  set_opening_stock(sc, H);
  return sc;
}

// DESIGN.md 2.3 written out for this case:
//   users[c]    = sum_g pop[g] prevalence[c,g] prevention(c,g)
//   U[v]        = sum_c users[c] mix'[c,v]
//   raw[r,s]    = sum_v U[v] ratio[v,r] intensity(v) / productivity(v,r) provider'[v,s]
HandRaw hand_raw(double year, const DemandEffects& e) {
  // Populations: linear between the 2010 and 2020 labels, held after.
  const double t = std::clamp(year - 2010.0, 0.0, 10.0);
  const double g0 = 1000.0 + 20.0 * t;
  const double g1 = 200.0 + 10.0 * t;
  // Prevention multiplies prevalence of (older_people, 85+) only.
  const double u0 = 0.10 * g0 + 0.40 * g1 * e.prevention;
  const double u1 = 0.01 * g0 + 0.02 * g1;
  // Personalisation of older_people: mix'[DP] = max(0.2, pi); the from
  // services (residential 0.3 + home_care 0.5 = 0.8) scaled down pro rata.
  const double rise = std::clamp(e.personalisation - 0.2, 0.0, 0.8);
  const double keep = (0.8 - rise) / 0.8;
  const double U_res = 0.3 * keep * u0 + 0.5 * u1;
  const double U_hc = 0.5 * keep * u0 + 0.2 * u1;
  const double U_dp = (0.2 + rise) * u0 + 0.3 * u1;
  // Outsourcing moves a fraction o of independent's base home-care share
  // (0.75) to direct_payment, the only to-sector.
  const double hc_ind = 0.75 * (1.0 - e.outsourcing);
  const double hc_dp = 0.25 + 0.75 * e.outsourcing;
  HandRaw raw;
  raw.cw_ind = 0.8 * e.intensity * U_res + 0.5 / e.productivity * hc_ind * U_hc;
  raw.cw_dp = 0.5 / e.productivity * hc_dp * U_hc + 0.2 * U_dp;
  raw.pa_dp = 0.6 * U_dp;
  return raw;
}

}  // namespace staffsim::testing
