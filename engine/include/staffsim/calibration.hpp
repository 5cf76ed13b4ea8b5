#pragma once
// Calibration (DESIGN.md 5, issue 9): the scenario's `calibration:` block
// names observed figures (targets) and the parameters left free to fit them
// within bounds. `calibrate` fits them by Levenberg-Marquardt (weighted least
// squares) or by approximate Bayesian computation (ABC-SMC over parallel
// draws keyed as an ensemble's), says by name which parameters the
// targets cannot pin down, and writes the fitted scenario as a file that
// `extends:` the input. `cross_validate` fits on some tables of targets and
// predicts the others.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "staffsim/indicator_query.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim {

// One observed figure: an indicator in a census year over a grouping, with
// its standard error (`sd:`) or a tolerance (`tolerance:`, the half-width
// the fit must land within). Either one weighs the target's residual:
// z = (model - observed) / sd.
struct CalibrationTarget {
  std::string name;  // `name:` (a map of band values adds `[band]`)
  IndicatorQuery query;
  double observed = 0.0;
  double sd = 1.0;            // the standard error, or the tolerance
  bool is_tolerance = false;  // given as `tolerance:`
  // `basis: observed`: the figure covers only `demand.coverage` of the
  // workforce, as the source does (`summary --observed`): the model's count
  // is multiplied by the coverage before it is compared. Rates are not.
  bool observed_basis = false;
  std::string table = "default";  // the source table it comes from (`table:`)
  std::string source;             // provenance, as written
  std::string at;                 // file:line:column where it was written
};

// One free parameter: a path of the scenario (DESIGN.md 2.7 grammar) whose
// value (`mode: value`) or factor (`mode: scale`) the fit chooses in
// [lower, upper]; `balance:` names a number that absorbs the change so a row
// of shares still sums to 1.
struct FreeParameter {
  std::string name;  // `name:`, else the path
  std::string path;
  bool scale = false;
  double lower = 0.0;
  double upper = 1.0;
  double initial = 0.0;  // `initial:`, else the scenario's value (1 in scale mode)
  std::string balance;   // path, or empty
  std::string at;        // file:line:column
};

// Read from the merged tree by load_scenario (engine/src/scenario/
// calibration_load.cpp); null when the scenario has no `calibration:` block.
class ParameterUncertainty;
struct CalibrationSpec {
  std::vector<FreeParameter> free;
  std::vector<CalibrationTarget> targets;
  // The free parameters as uniform entries over their bounds, in `free`
  // order: draw(base, seed, d, theta) builds the scenario at theta (every
  // rule of a written value holds), draw(base, seed, d, {}) samples the
  // uniform prior.
  std::shared_ptr<const ParameterUncertainty> space;
};

enum class CalibrationMethod { least_squares, abc };

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::least_squares;
  // Fit only the targets of these tables (empty: every table); the others
  // are predicted and reported.
  std::vector<std::string> fit_tables;
  // Least squares.
  int max_evaluations = 400;
  // ABC-SMC: the budget of model runs (a quarter of it, at least the
  // population, for the first generation's prior draws), the population
  // size, seed and threads.
  std::uint64_t abc_draws = 20000;
  std::uint64_t abc_accept = 200;
  std::uint64_t seed = 1;
  int threads = 0;  // 0: TBB's default
};

struct TargetFit {
  std::string name;
  std::string query;  // IndicatorQuery::text()
  std::string table;
  bool fitted = false;  // used in the fit (else predicted)
  double observed = 0.0;
  double sd = 0.0;
  bool is_tolerance = false;
  double model = 0.0;  // the calibrated scenario's value (ABC: at the posterior mean)
  double z = 0.0;      // (model - observed) / sd
  // Within the tolerance (|model - observed| <= tolerance), or within 2 sd.
  [[nodiscard]] bool within() const;
};

struct ParameterFit {
  std::string name;
  std::string path;
  double initial = 0.0;
  double value = 0.0;  // least squares: the optimum; ABC: the posterior mean
  double lower = 0.0;
  double upper = 0.0;
  // Least squares: the standard error from the weighted Jacobian at the
  // optimum ((J'J)^-1, infinite when the targets do not pin it down); ABC:
  // the posterior standard deviation.
  double std_error = std::numeric_limits<double>::quiet_NaN();
  double q05 = std::numeric_limits<double>::quiet_NaN();  // ABC: posterior 5% and 95%
  double q95 = std::numeric_limits<double>::quiet_NaN();
  bool at_bound = false;
  bool identified = true;
};

struct CalibrationResult {
  CalibrationMethod method = CalibrationMethod::least_squares;
  std::vector<ParameterFit> parameters;
  std::vector<TargetFit> targets;
  double misfit = 0.0;  // sum of z^2 over the fitted targets
  int evaluations = 0;
  bool converged = false;
  // Identifiability and fit findings, each naming the parameters or targets.
  std::vector<std::string> warnings;
  // ABC: the final population resampled to equal weights, one row per
  // particle, one column per free parameter (`posterior[d][j]`); the
  // distance threshold of each generation (the first: the largest distance
  // kept by rejection) and why the sequence stopped.
  std::vector<std::vector<double>> posterior;
  double abc_epsilon = 0.0;
  std::vector<double> abc_epsilons;
  std::string abc_stop;
};

// Fits the free parameters of `scenario.calibration` to its targets.
// ScenarioError when the scenario has no calibration block; UsageError for
// options that do not fit it (an unknown table); ScenarioError naming the
// target when no free parameter moves a fitted target.
[[nodiscard]] CalibrationResult calibrate(const Scenario& scenario,
                                          const CalibrationOptions& options = {});

// The model's value of every target (in `spec.targets` order) for the
// scenario at `theta` (one value per free parameter; empty: the scenario as
// written). The deterministic run: process noise and uncertainty are off.
[[nodiscard]] std::vector<double> target_values(const Scenario& scenario,
                                                std::span<const double> theta);

// The scenario at theta (the free parameters applied; no uncertainty, no
// process noise).
[[nodiscard]] Scenario scenario_at(const Scenario& scenario, std::span<const double> theta);

// The calibrated scenario: `extends:` the input file (relative to where the
// output is written) and sets each fitted value by `overrides:`, with the
// fit report as comments. `sets` are the `--set` overrides the scenario was
// loaded with: they come first, so the file is the scenario that was
// fitted. With an ABC posterior saved at `posterior_csv`, an `uncertainty:`
// entry samples it.
[[nodiscard]] std::string calibrated_yaml(const Scenario& scenario, const CalibrationResult& fit,
                                          const std::filesystem::path& output,
                                          const std::filesystem::path& posterior_csv = {},
                                          const std::vector<Override>& sets = {});

// calibrated_yaml() written to `output` through a temporary file (an
// existing file is replaced only once the new one is complete).
void write_calibrated_scenario(const Scenario& scenario, const CalibrationResult& fit,
                               const std::filesystem::path& output,
                               const std::filesystem::path& posterior_csv = {},
                               const std::vector<Override>& sets = {});

// The posterior as a `sample:` file: a header of the free parameters'
// paths, a draw column, one row per accepted draw. Written atomically.
void write_posterior_csv(const Scenario& scenario, const CalibrationResult& fit,
                         const std::filesystem::path& file);

// The report: parameters (value, bounds, standard error or interval), each
// target's observed and model values and z, the warnings.
[[nodiscard]] std::string format_calibration_report(const CalibrationResult& fit);
[[nodiscard]] std::string calibration_report_json(const CalibrationResult& fit);

// Cross-validation: fit on the targets of `fit_tables`, predict the rest.
// The result is calibrate()'s with `fitted` false on the predicted targets.
[[nodiscard]] CalibrationResult cross_validate(const Scenario& scenario,
                                               const std::vector<std::string>& fit_tables,
                                               const CalibrationOptions& options = {});

}  // namespace staffsim
