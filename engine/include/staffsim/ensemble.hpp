#pragma once
// Monte Carlo ensembles (DESIGN.md 2.7): many draws of one scenario, each
// with its own sampled parameters (`uncertainty:`) and process noise
// (`stochastic: true`), run in parallel with TBB. What comes out does not
// depend on the number of threads: each draw's numbers come from its own
// random streams, and every reduction runs over the draws in draw order.
//
// Per draw, the core set (headcount, FTE, posts, posts_hc, vacancies,
// starters, leavers, wastage, joiners at (year, role, sector)) is kept as
// float32; every results variable is summarised by quantiles (type 7), a mean
// and its Monte Carlo standard error; shortfall probabilities use the
// scenario's `outputs.shortfall_threshold`.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "staffsim/results.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

struct EnsembleOptions {
  std::uint64_t draws = 1;
  // The draws are first_draw .. first_draw + draws - 1: a block of a larger
  // ensemble (a task of a distributed sweep) gets the same numbers as the
  // same draws of the whole.
  std::uint64_t first_draw = 0;
  // An external design for the uncertainty entries (draw_scenario's
  // `given`): draws x entries values, row-major, NaN where an entry samples;
  // empty: every entry samples.
  std::vector<double> samples;
  std::uint64_t seed = 0;
  int threads = 0;  // 0: every core TBB sees
  // Quantile levels, in (0, 1), increasing.
  std::vector<double> quantiles{0.05, 0.25, 0.5, 0.75, 0.95};
  // Where per-draw values that are not kept may be spilled (a scratch file,
  // removed when the run ends); empty: the system's temporary folder.
  std::filesystem::path scratch_dir;
  // Per-draw values held in memory before they spill to the scratch file.
  std::uint64_t memory_budget_bytes = std::uint64_t{256} << 20;
  // Called after each block of draws with (draws done, draws); polled for
  // cancellation between blocks (true: the run stops with Interrupted).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  std::function<bool()> cancelled;
};

// A results variable over the draws: dims as in the single-run file
// (docs/results-format.md), values in C order over them.
struct VariableSummary {
  std::string name;
  std::vector<std::string> dims;
  std::string units;
  std::string long_name;
  std::vector<double> quantiles;  // (quantile, dims...)
  std::vector<double> mean;       // (dims...)
  std::vector<double> mean_se;    // (dims...) standard error of the mean; NaN for one draw
};

// A variable of the core set, one float32 value per draw: (draw, dims...).
struct DrawVariable {
  std::string name;
  std::vector<std::string> dims;  // without `draw`
  std::string units;
  std::string long_name;
  std::vector<float> values;
};

// A probability over the draws (dims: year[, role, sector]).
struct ProbabilityVariable {
  std::string name;
  std::vector<std::string> dims;
  std::string long_name;
  std::vector<double> values;
};

struct EnsembleResults {
  std::uint64_t draws = 0;
  std::uint64_t first_draw = 0;
  // An external design for the uncertainty entries (draw_scenario's
  // `given`): draws x entries values, row-major, NaN where an entry samples;
  // empty: every entry samples.
  std::vector<double> samples;
  std::uint64_t seed = 0;
  bool stochastic = false;
  std::vector<double> quantile_levels;
  double shortfall_threshold = 0.10;
  // Draw 0's results: the labels, the years, the demand calibration's warnings.
  Results first;
  std::vector<DrawVariable> per_draw;
  std::vector<VariableSummary> summaries;
  std::vector<ProbabilityVariable> probabilities;
  // Sampled parameters (DESIGN.md 2.7): (draw, parameter), from draw_scenario.
  std::vector<std::string> parameter_names;
  std::vector<double> parameter_values;

  [[nodiscard]] const DrawVariable& draw_variable(const std::string& name) const;
  [[nodiscard]] const VariableSummary& summary(const std::string& name) const;
};

// The names of the core set, in file order.
[[nodiscard]] const std::vector<std::string>& core_variable_names();

// True when a run of `scenario` with `draws` draws is an ensemble (more than
// one draw, uncertain parameters or process noise): its file has a `draw`
// dimension. Otherwise it is one deterministic run.
[[nodiscard]] bool is_ensemble(const Scenario& scenario, std::uint64_t draws);

// Runs the ensemble. Throws UsageError for draws = 0 or more draws than a
// `sample:` file has rows, ScenarioError when a draw's sampled parameters
// break a rule, Interrupted when cancelled.
[[nodiscard]] EnsembleResults run_ensemble(const Scenario& scenario,
                                           const EnsembleOptions& options);

// What a run will need (DESIGN.md 7): refused above the limits before it starts.
struct EnsembleEstimate {
  std::uint64_t peak_memory_bytes = 0;
  std::uint64_t file_bytes = 0;
};
[[nodiscard]] EnsembleEstimate estimate_ensemble(const Scenario& scenario,
                                                 const EnsembleOptions& options);

}  // namespace staffsim
