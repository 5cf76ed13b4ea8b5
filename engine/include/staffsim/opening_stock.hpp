#pragma once
// Opening stock (DESIGN.md 2.1): margins scaled to the stated total, a joint
// table by iterative proportional fitting, infeasible tenure moved down, and
// the stationary tenure of the engine's own step operator where none is given.
#include <Eigen/Core>

#include "staffsim/scenario.hpp"

namespace staffsim {

// Annual hazard of each tenure band for one (r,s), averaged over age with the
// cell's age distribution: the operator the stationary tenure uses.
struct BandHazards {
  Eigen::ArrayXd h;  // (K)
};

// Stationary distribution over tenure bands of the step operator with
// entrants into band 0, survival e^{-h_k dt} and progression dt / w_k.
// Returns shares summing to 1.
[[nodiscard]] Eigen::ArrayXd stationary_tenure(const Dimensions& dims, double dt,
                                               const Eigen::ArrayXd& band_hazard);

// Builds H0[r,s,a,k] (flat, Dimensions::cell) from the scenario's opening
// stock. `base_hazard` is the (R, S) turnover base to use for the stationary
// tenure (the engine passes its effective base; retirement is included at
// each age). Throws ScenarioError if margins contradict (e.g. a zero margin
// where another is positive) so that no feasible table exists.
[[nodiscard]] Eigen::ArrayXd build_opening_stock(const Scenario& scenario,
                                                 const Eigen::ArrayXXd& base_hazard);

}  // namespace staffsim
