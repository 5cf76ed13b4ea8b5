#pragma once
// What a Simulation derives once from its Scenario and reuses every step:
// effective hazards, progression fractions, the promotion order, and the
// per-step scratch buffers (so step() allocates nothing). Internal header.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "random/philox_stream.hpp"
#include "random/samplers.hpp"
#include "staffsim/ledger.hpp"
#include "staffsim/scenario.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim::detail {

// Where each flow's process-noise streams sit (DESIGN.md 2.7, docs/model.md
// "Random numbers"). A stream is RandomStream(seed, draw, noise, step + 1,
// cell) with `cell` one of the flat indices below, so it names the step, the
// cell AND the flow; nothing depends on the order cells are visited in, and
// variants of a sweep read the same numbers (common random numbers). With N =
// RS*A*K stock cells and c = Dimensions::cell(r, s, a, k):
//   exits        + c                  leavers, retired of the leavers
//   progression  + c                  stayers moving up a band
//   destinations + rs*A + a           turnover leavers over exit and moves
//   promotion    + route*S + s        count, then the eligible people chosen
//   programme[p] + j*A + a            survivors of stage j (the last: completers)
//                + stages*A           intake count, then its ages
//                + stages*A + 1 + a   completers of age a over sectors (and not retained)
//   requests     + rs                 request count, then its sources
//   budgets      + source             a binding cap's budget, then who is granted
//   hire_ages    + rs*n_sources + j   hires of (rs, source j) over ages
// Step index 0 is the opening (the stock and pipeline are integerised from
// the real-valued fit): cell rs for the stock of (r,s), RS + p for programme
// p's pipeline.
struct NoiseLayout {
  std::uint32_t exits = 0;
  std::uint32_t progression = 0;
  std::uint32_t destinations = 0;
  std::uint32_t promotion = 0;
  std::vector<std::uint32_t> programme;
  std::uint32_t requests = 0;
  std::uint32_t budgets = 0;
  std::uint32_t hire_ages = 0;
  std::uint32_t end = 0;  // one past the last
};

// Binomial(n, p) for the per-cell flows of a step: with few people, the sum
// of n Bernoulli(p) trials (exact, one uniform each, and cheaper than
// inversion's exp and log1p); otherwise random::binomial. p outside (0, 1)
// draws nothing.
inline constexpr std::int64_t kBernoulliTrialsUpTo = 2;
inline std::int64_t cell_binomial(random::RandomStream& rng, std::int64_t n, double p) {
  if (n == 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  if (n <= kBernoulliTrialsUpTo) {
    std::int64_t x = 0;
    for (std::int64_t i = 0; i < n; ++i) x += rng.uniform() < p ? 1 : 0;
    return x;
  }
  return random::binomial(rng, n, p);
}

// The noise streams of one step of one draw.
struct Noise {
  std::uint64_t seed = 0;
  std::uint64_t draw = 0;
  std::uint32_t step = 0;  // step index + 1; 0 is the opening
  [[nodiscard]] random::RandomStream stream(std::uint32_t cell) const {
    return {seed, draw, random::Stream::noise, step, cell};
  }
};

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
  Eigen::ArrayXd progress;        // (K) dt / w_k; 0 for the open band
  Eigen::ArrayXd progress_cells;  // (A*K) progress tiled over ages, cell by cell
  // Per-step factors of constant inputs, computed once rather than every
  // step (each is the very expression the flows used to evaluate):
  Eigen::ArrayXd route_step_rate;     // per route: 1 - (1 - max_rate)^dt
  Eigen::ArrayXd fill_fraction;       // (RS) fill_vacancies: 1 - e^{-lambda dt}
  Eigen::ArrayXd programme_survival;  // per programme: (1 - attrition)^dt
  // Per sector: destination roles, highest first, from the routes serving it.
  std::vector<std::vector<Role>> promotion_order;
  std::vector<std::vector<int>> routes_into;  // per role: indices into sc.promotion
  std::vector<int> source_of_lever;           // per lever: source index or -1
  std::vector<int> programme_of_lever;        // per lever: programme index or -1
  // Process noise: stream layout; per rs the destination weights
  // (exit_share, move shares...); per programme the weights of a completer's
  // fate (retained * sector share per sector, then not retained).
  NoiseLayout noise;
  std::vector<Eigen::ArrayXd> destination_weights;
  std::vector<Eigen::ArrayXd> completion_weights;
};

// Per-(r,s) exit probabilities, rebuilt only when that block's lever values
// change (levers are constant outside their ramps, so most steps reuse them).
struct ExitBlock {
  double multiplier = -1.0;
  double shift = 0.0;
  Eigen::ArrayXd stay;          // (A*K) e^{-(h + h_ret) dt}
  Eigen::ArrayXd retire_share;  // (A*K) h_ret / (h + h_ret)
};

// Blocks whose exits are summed together: each block's sums are chains of
// additions in a fixed order, and interleaving this many independent chains
// hides the adder's latency without changing any block's order.
inline constexpr int kExitGroup = 8;

struct Scratch {
  std::vector<ExitBlock> exit_blocks;  // per rs
  // Exits of a group of blocks (deterministic mode): retirements per cell
  // (kExitGroup * A*K), turnover leavers per age (kExitGroup * A), and one
  // block's stayers moving up and turnover leavers per cell (A*K).
  Eigen::ArrayXd exit_retired;
  Eigen::ArrayXd exit_leavers;
  Eigen::ArrayXd exit_up;
  Eigen::ArrayXd exit_turnover;
  Eigen::ArrayXd movers;           // (RS*A) arrivals at band 0 by age
  Eigen::ArrayXd fte;              // (RS)
  Eigen::ArrayXd posts;            // (RS) FTE at t + dt
  Eigen::ArrayXd requests;         // (RS) recruitment requests, people
  Eigen::ArrayXXd source_shares;   // (n_sources, RS) after levers
  Eigen::ArrayXd source_budget;    // (n_sources) cap * dt, or +inf
  Eigen::ArrayXd source_demand;    // (n_sources)
  Eigen::ArrayXd completers;       // (A)
  Eigen::ArrayXd unfilled;         // (RS) this step
  Eigen::ArrayXd start_headcount;  // (RS) headcount at the start of the step
  Eigen::ArrayXd route_capacity;   // (routes) promotion capacity C_i this step
  // Stochastic mode only (integer counts held exactly in doubles).
  std::vector<std::int64_t> counts;  // multinomial output, longest split
  Eigen::ArrayXd tally;              // (max(S, moves + 1)) per-destination sums
  Eigen::ArrayXXd asked;             // (n_sources, RS) requests per source
  Eigen::ArrayXXd hired;             // (n_sources, RS) granted
  void resize_for_noise(const Model& m);
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

// The same flows in stochastic mode (DESIGN.md 2.7): H and the pipeline hold
// integers; every flow is an integer drawn from `noise`'s streams; cells
// holding nobody draw nothing. Birthday and arrivals are shared.
void apply_exits_and_progression(const Model& m, Scratch& scratch, Eigen::ArrayXd& H,
                                 Ledger& ledger, double year, const Noise& noise);
void apply_promotion(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger,
                     const Noise& noise);
void apply_training(const Model& m, Scratch& scratch, std::vector<Eigen::ArrayXd>& pipeline,
                    Eigen::ArrayXd& H, Ledger& ledger, double year,
                    Eigen::ArrayXd& completers_by_programme, const Noise& noise);
void apply_recruitment(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger,
                       double year, const Noise& noise);

// Integerises a real-valued stock or pipeline (stochastic opening): `x` is
// split into runs of `run` cells, each rounded by systematic rounding with
// one uniform from stream `cell0 + run index` of step 0: every cell's and
// every run's expectation is exact, each within 1 of its real value, and no
// person is placed in a cell that held nobody.
void integerise(const Noise& opening, std::uint32_t cell0, const Eigen::ArrayXd& x,
                Eigen::Index run, Eigen::ArrayXd& out);

// FTE of every (r,s) from H.
void measure_fte(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& fte);
// Headcount of every (r,s) from H.
void measure_headcount(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& hc);
// Both from one pass (the same sums as the two above).
void measure_headcount_and_fte(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& hc,
                               Eigen::ArrayXd& fte);

// Build-time helpers.
Model make_model(Scenario sc, FlowSwitches on);
std::vector<Eigen::ArrayXd> opening_pipeline(const Model& m);

}  // namespace staffsim::detail
