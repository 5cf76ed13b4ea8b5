#pragma once
// The hand-computed need-based demand case of test_demand*.cpp (DESIGN.md 2.3,
// 2.5): two client groups, three services, two sectors, two roles, two
// disjoint age groups with population paths. Its raw demand is written out
// by hand below (hand_raw), each term from the DESIGN formulas, so the tests
// compare the engine with arithmetic rather than with itself.
//
//   roles       care_worker (0), personal_assistant (1)
//   sectors     independent (0), direct_payment (1)
//   services    residential (0), home_care (1), direct_payment (2)
//   groups      older_people (0), learning_disability (1)
//   age groups  65-84 (0): 1000 in 2010, 1200 in 2020; 85+ (1): 200 -> 300
//   prevalence  older_people 0.10 | 0.40; learning_disability 0.01 | 0.02
//   mix         older_people 0.3 0.5 0.2; learning_disability 0.5 0.2 0.3
//   ratio       residential: cw 0.8; home_care: cw 0.5; direct_payment: cw 0.2, pa 0.6
//   provider    residential: ind 1; home_care: ind 0.75, dp 0.25; direct_payment: dp 1
//   fte_factor  cw: 0.8 | 0.5; pa: 1.0 | 0.6
//   H0          cw: 100 | 30; pa: 0 | 30 (age index 20, band 3; nothing flows)
//   vacancy     cw: 0.10 | 0.20; pa: 0 | 0.05
#include "staffsim/scenario.hpp"

namespace staffsim::testing {

// The scenario above, 2010-2022, no flows (headcount stays H0).
[[nodiscard]] Scenario demand_case(int steps_per_year = 4);

// Lever values acting in hand_raw (neutral by default).
struct DemandEffects {
  double prevention = 1.0;       // older_people x 85+
  double personalisation = 0.2;  // older_people's direct-payment target (base 0.2)
  double intensity = 1.0;        // residential
  double productivity = 1.0;     // home_care, care_worker
  double outsourcing = 0.0;      // home_care, independent -> direct_payment
  double demand_scale = 1.0;     // care_worker x independent (on posts, not raw)
};

// raw[r,s] of the three cells with demand (care_worker x independent,
// care_worker x direct_payment, personal_assistant x direct_payment) at `year`.
struct HandRaw {
  double cw_ind = 0.0;
  double cw_dp = 0.0;
  double pa_dp = 0.0;
};
[[nodiscard]] HandRaw hand_raw(double year, const DemandEffects& e = {});

// posts0 = phi H0 / (1 - vacancy rate) of the three cells.
inline constexpr double kPosts0CwInd = 0.8 * 100.0 / 0.9;
inline constexpr double kPosts0CwDp = 0.5 * 30.0 / 0.8;
inline constexpr double kPosts0PaDp = 0.6 * 30.0 / 0.95;

}  // namespace staffsim::testing
