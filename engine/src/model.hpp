#pragma once
// What a Simulation derives once from its Scenario and reuses every step:
// effective hazards, progression fractions, the promotion order, and the
// per-step scratch buffers (so step() allocates nothing). Internal header.
#include <Eigen/Core>
#include <vector>

#include "staffsim/ledger.hpp"
#include "staffsim/scenario.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim::detail {

struct Model {
  Scenario sc;
  FlowSwitches on;
  double dt = 0.25;
  int R = 0, S = 0, A = 0, K = 0, RS = 0;
  Eigen::ArrayXXd base;   // (R, S) effective turnover base hazard
  Eigen::ArrayXXd h_ret;  // (R, A) retirement hazard without shift
  // (R, A + 1) prefix sums of h_ret over ages, and whether any lever shifts
  // retirement: without one, the retirement outlook has a closed form.
  Eigen::ArrayXXd h_ret_cumulative;
  bool retirement_shifts = false;
  Eigen::ArrayXd progress;  // (K) dt / w_k; 0 for the open band
  // Per sector: destination roles, highest first, from the routes serving it.
  std::vector<std::vector<Role>> promotion_order;
  std::vector<std::vector<int>> routes_into;  // per role: indices into sc.promotion
  std::vector<int> source_of_lever;           // per lever: source index or -1
  std::vector<int> programme_of_lever;        // per lever: programme index or -1
};

// Per-(r,s) exit probabilities, rebuilt only when that block's lever values
// change (levers are constant outside their ramps, so most steps reuse them).
struct ExitBlock {
  double multiplier = -1.0;
  double shift = 0.0;
  Eigen::ArrayXd stay;          // (A*K) e^{-(h + h_ret) dt}
  Eigen::ArrayXd retire_share;  // (A*K) h_ret / (h + h_ret)
};

struct Scratch {
  std::vector<ExitBlock> exit_blocks;  // per rs
  Eigen::ArrayXd movers;               // (RS*A) arrivals at band 0 by age
  Eigen::ArrayXd fte;                  // (RS)
  Eigen::ArrayXd posts;                // (RS) FTE at t + dt
  Eigen::ArrayXd requests;             // (RS) recruitment requests, people
  Eigen::ArrayXXd source_shares;       // (n_sources, RS) after levers
  Eigen::ArrayXd source_budget;        // (n_sources) cap * dt, or +inf
  Eigen::ArrayXd source_demand;        // (n_sources)
  Eigen::ArrayXd completers;           // (A)
  Eigen::ArrayXd unfilled;             // (RS) this step
  Eigen::ArrayXd start_headcount;      // (RS) headcount at the start of the step
  Eigen::ArrayXd route_capacity;       // (routes) promotion capacity C_i this step
};

// Lever values at a given year for one (r,s) or programme/source.
double retention_multiplier(const Model& m, Role r, Sector s, double year);
double retirement_shift(const Model& m, Role r, double year);
double programme_intake(const Model& m, int programme, double year);
// Pay relative to the scenario's pay: product of (1 + pay) over pay levers.
double pay_factor(const Model& m, Role r, Sector s, double year);
// Retirement hazard -ln(1 - q(a - shift)) at age index a (DESIGN.md 2.2).
double retirement_hazard(const Model& m, Role r, int a, double shift);

// Flows, in the order of DESIGN.md 2.2. Each updates H and the step ledger.
void apply_birthday(const Model& m, Eigen::ArrayXd& H, std::vector<Eigen::ArrayXd>& pipeline,
                    Ledger& ledger);
void apply_exits_and_progression(const Model& m, Scratch& scratch, Eigen::ArrayXd& H,
                                 Ledger& ledger, double year);
void apply_arrivals(const Model& m, const Scratch& scratch, Eigen::ArrayXd& H);
void apply_promotion(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger);
void apply_training(const Model& m, Scratch& scratch, std::vector<Eigen::ArrayXd>& pipeline,
                    Eigen::ArrayXd& H, Ledger& ledger, double year,
                    Eigen::ArrayXd& completers_by_programme);
void apply_recruitment(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger,
                       double year);

// FTE of every (r,s) from H.
void measure_fte(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& fte);
// Headcount of every (r,s) from H.
void measure_headcount(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& hc);

// Build-time helpers.
Model make_model(Scenario sc, FlowSwitches on);
std::vector<Eigen::ArrayXd> opening_pipeline(const Model& m);

}  // namespace staffsim::detail
