#pragma once
// The resolved, validated scenario: everything a Simulation needs, in engine
// units (hazards per year, shares summing to 1, per-age arrays). Built by
// load_scenario() from YAML + CSV (engine/src/scenario/) or directly in code
// (tests). Plain data: a Simulation copies what it needs.
#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "staffsim/dimensions.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/levers.hpp"
#include "staffsim/time_grid.hpp"

namespace staffsim {

// ---- Opening stock (DESIGN.md 2.1) -------------------------------------
enum class Axis { role, sector, age, tenure };

// A table over a subset of the axes, already spread to single ages and to the
// engine's tenure bands by the loader, with "not recorded" rows spread over
// the recorded cells that share their other labels, in proportion. Values are
// flattened row-major over `axes` in the order given, each axis over its full
// index range.
struct StockMargin {
  std::vector<Axis> axes;
  Eigen::ArrayXd values;
  std::string origin;  // file:line, for messages
};

struct OpeningStock {
  double total = 0.0;  // the authority: every margin is scaled to it
  std::vector<StockMargin> margins;
};

// ---- Leaving (DESIGN.md 2.2 step 1) --------------------------------------
struct Turnover {
  Eigen::ArrayXXd base;           // (R, S) annual hazard at the reference bands
  Eigen::ArrayXXd age_factor;     // (R, A), 1 at the reference age band
  Eigen::ArrayXXd tenure_factor;  // (R, K), 1 at the reference tenure band
  // base_is: stock_average: base is the opening stock's mean hazard per (r,s).
  bool base_is_stock_average = false;
};

struct Retirement {
  Eigen::ArrayXXd q;  // (R, A) annual probability of retiring at each age, < 1
};

enum class MoveKind { same_sector, to_sector, to_role, to_role_sector };

struct Move {
  MoveKind kind = MoveKind::same_sector;
  Role to_role = 0;
  Sector to_sector = 0;
  double share = 0.0;
};

// Where the turnover leavers of one (r,s) go; exit_share + sum(moves) = 1.
struct DestinationSplit {
  double exit_share = 1.0;
  std::vector<Move> moves;
};

// ---- Promotion (step 4) --------------------------------------------------
struct PromotionRoute {
  std::string name;
  Role from = 0;
  Role to = 0;
  double max_rate = 0.0;        // annual share of eligible headcount
  Band min_band = 0;            // eligible bands: lower edge >= min_tenure
  std::vector<Sector> sectors;  // empty: every sector

  // True when the route applies in sector `s` (no sector list: every sector).
  [[nodiscard]] bool serves(Sector s) const {
    for (const Sector x : sectors) {
      if (x == s) return true;
    }
    return sectors.empty();
  }
};

// ---- Training (DESIGN.md 2.4, step 5) ------------------------------------
struct Programme {
  std::string name;
  Role role = 0;
  int duration_steps = 0;           // duration in years / dt, exact
  LeverPath intake;                 // people a year; a training_intake lever replaces it
  Eigen::ArrayXd intake_age;        // (A) distribution of entrants' ages, sums to 1
  double attrition = 0.0;           // annual probability of dropping out
  double retained = 1.0;            // share of completers who join the area's workforce
  Eigen::ArrayXd sector_shares;     // (S) where retained completers join, sums to 1
  std::vector<double> in_training;  // trainees at start by year of course (size = years) or empty
  double cost_per_trainee_year = 0.0;
  double cost_per_completer = 0.0;
};

// ---- Recruitment (step 6) ------------------------------------------------
struct Source {
  std::string name;
  Eigen::ArrayXd age_dist;    // (A), sums to 1
  std::optional<double> cap;  // people a year, shared by every (r,s) using it
};

enum class RecruitMode { none, fill_vacancies, fixed_rate, fixed_number };

struct RecruitmentRule {
  RecruitMode mode = RecruitMode::none;
  double fill_rate = 0.0;        // share of a standing gap filled in a year, in [0,1)
  double rate = 0.0;             // fixed_rate: hires a year per head
  double number = 0.0;           // fixed_number: hires a year
  Eigen::ArrayXd source_shares;  // (n_sources), sums to 1
};

// ---- Posts and demand (DESIGN.md 2.3) ------------------------------------
// `demand.mode: posts`: posts are an input, FTE per (r,s) at census points.
struct Posts {
  // Per (r,s) (index Dimensions::rs) in FTE at census points.
  std::vector<YearPath> fte;
};

enum class DemandMode { posts, need, index };

// A disjoint population age group (65-84 and 85+, not 65+ and 85+).
struct AgeGroup {
  std::string name;
  int min_age = 0;      // inclusive
  int max_age = 0;      // inclusive; a large number for an open group
  YearPath population;  // people at census points
};

// Need-based demand:
//   users[c,v,t] = sum_g pop[g,t] prevalence[c,g] prevention(c,g,t) mix'[c,v,t]
//   raw[r,s,t]   = sum_c sum_v users ratio[v,r] intensity(v,t) / productivity(v,r,t)
//   provider'[v,s,t] posts[r,s,t] = raw scale[r,s] demand_scale(r,s,t)
struct NeedDemand {
  std::vector<std::string> client_groups;  // c
  std::vector<AgeGroup> age_groups;        // g
  std::vector<std::string> services;       // v
  Eigen::ArrayXXd prevalence;  // (C, G) users of client group c per person of age group g
  Eigen::ArrayXXd mix;         // (C, V) main service of users, rows sum to 1
  Eigen::ArrayXXd ratio;       // (V, R) FTE of role r per user of service v
  Eigen::ArrayXXd provider;    // (V, S) share of service v delivered by sector s, rows sum to 1
  // Roles with no base posts anywhere: their `ratio` is already the effective
  // staff per user (scale 1) - DESIGN.md 2.3 requires it to be given.
  std::vector<Role> effective_ratio_roles;
};

struct Demand {
  DemandMode mode = DemandMode::posts;
  NeedDemand need;
  // Index mode: posts[r,s,t] = posts0[r,s] index[r,s](t), per rs.
  std::vector<YearPath> index;
  // Opening vacancy rate V0 / (H0 + V0) per (r,s), headcount (need and index
  // modes): posts0 = fte_factor (H0 + V0) reproduces it exactly.
  Eigen::ArrayXXd opening_vacancy_rate;  // (R, S)
  // Share of the sector the data cover (DESIGN.md 2.3): opening stock,
  // vacancies, fixed hires, source caps and training intake are scaled by
  // 1/coverage by the loader; summary --observed multiplies back.
  double coverage = 1.0;
};

// ---- Money (DESIGN.md 2.6) ------------------------------------------------
struct Costs {
  int price_base_year = 0;         // prices of this year; 0 when no costs are given
  Eigen::ArrayXXd pay;             // (R, S) annual pay per FTE
  Eigen::ArrayXXd cost_per_hire;   // (R, S) per external hire or employer move in
  Eigen::ArrayXXd agency_share;    // (R, S) share of vacant FTE covered by agency staff
  Eigen::ArrayXXd agency_premium;  // (R, S) agency cost per FTE-year / pay
};

// ---- Output settings (DESIGN.md 2.6, 2.7) --------------------------------
struct AgeBands {
  std::vector<std::string> labels;
  std::vector<std::pair<int, int>> ranges;  // inclusive ages, clipped to [min_age, max_age]
};

struct Outputs {
  AgeBands age_band;       // 16-24, 25-34, 35-44, 45-54, 55-64, 65+
  AgeBands age_band_nmds;  // min_age-29 (labelled 18-29), 30-39, ..., 70+
  double shortfall_threshold = 0.10;
};

// The `uncertainty:` block (DESIGN.md 2.7), kept with what it needs to build
// each draw's scenario (engine/src/scenario/uncertainty.hpp). Immutable and
// shared between copies of a Scenario and between threads.
class ParameterUncertainty;
// The `calibration:` block (staffsim/calibration.hpp).
struct CalibrationSpec;

struct Scenario {
  std::string name;
  std::string description;
  std::filesystem::path file;  // the top-level scenario file
  TimeGrid time;
  Dimensions dims;

  Eigen::ArrayXXd fte_factor;  // (R, S) mean contracted hours / full-time hours
  OpeningStock opening;
  Posts posts;  // demand.mode == posts
  Demand demand;
  Costs costs;
  Outputs outputs;

  Turnover turnover;
  Retirement retirement;
  std::vector<DestinationSplit> destinations;  // per rs
  std::vector<PromotionRoute> promotion;
  std::vector<Programme> programmes;
  std::vector<Source> sources;
  std::vector<RecruitmentRule> recruitment;  // per rs
  std::vector<Lever> levers;

  // Process noise (DESIGN.md 2.7, `stochastic: true`): integer headcounts and
  // sampled flows, from the noise stream of each draw.
  bool stochastic = false;
  // Uncertain parameters; null when the scenario has no `uncertainty:` block.
  std::shared_ptr<const ParameterUncertainty> uncertainty;
  // Targets and free parameters; null without a `calibration:` block. A run
  // ignores it; `staffsim calibrate` reads it.
  std::shared_ptr<const CalibrationSpec> calibration;

  // Provenance and presentation (filled by the loader).
  std::string resolved_yaml;         // the merged scenario as YAML text
  std::vector<Diagnostic> warnings;  // non-fatal findings of validation
  std::vector<std::pair<std::string, std::string>> input_sha256;  // file, hex digest

  // Checks the engine-level invariants of a scenario built in code (shapes,
  // shares, domains). load_scenario() reports the same problems with file
  // locations; this is the backstop for programmatic scenarios.
  void check() const;
};

// A `--set path=value` override, applied last (DESIGN.md 2.7 path grammar).
struct Override {
  std::string path;
  std::string value;  // YAML scalar or flow text
};

// Load, merge (extends, overrides), resolve and validate a scenario file.
// Throws ScenarioError listing every problem; IoError when a file is missing.
[[nodiscard]] Scenario load_scenario(const std::filesystem::path& file,
                                     const std::vector<Override>& sets = {});

// One draw's parameters (DESIGN.md 2.7): the scenario with every
// `uncertainty:` entry applied, in order, from the parameter stream of (seed,
// draw), and one number per entry for the results file: the sampled value
// (one value for all selected elements; the factor in scale mode), the index
// of a discrete choice, the value of a one-column `sample:`, or NaN (one
// value per element, a Dirichlet vector, a sample of several columns).
struct ParameterDraw {
  Scenario scenario;
  std::vector<double> values;  // per uncertainty entry
};

// The scenario of draw `draw` (a copy of `base` and no values when it has no
// uncertainty). `given` (an external design, e.g. a Latin hypercube) holds
// one value per entry - the value for all its elements, the factor in scale
// mode, or a discrete choice's index - or NaN where the entry samples as
// usual. Throws ScenarioError naming the draw, the entry and the rule when a
// value breaks a rule; UsageError when `given` does not fit the entries.
[[nodiscard]] ParameterDraw draw_scenario(const Scenario& base, std::uint64_t seed,
                                          std::uint64_t draw, std::span<const double> given = {});
// Names of the uncertainty entries (their `name:`, else their path), in order.
[[nodiscard]] std::vector<std::string> uncertain_parameter_names(const Scenario& scenario);
// Draws the scenario can give: the rows of a `sample:` file, else unlimited
// (UINT64_MAX).
[[nodiscard]] std::uint64_t max_draws(const Scenario& scenario);

// The resolved scenario as YAML, every value annotated with file:line:column.
[[nodiscard]] std::string show_scenario(const std::filesystem::path& file,
                                        const std::vector<Override>& sets = {});

}  // namespace staffsim
