// Calibration (issue 9): synthetic round trips with observation noise
// (least squares and ABC), identifiability warnings, the shipped Central
// Bedfordshire calibration and cross-validation, the calibrated scenario
// file, and the messages for bad calibration input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "random/philox_stream.hpp"
#include "random/samplers.hpp"
#include "staffsim/calibration.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/simulation.hpp"
#include "support/cli_runner.hpp"

namespace staffsim {
namespace {

using testing::read_file;
using testing::run_cli;
using testing::TempDir;

const std::string kFolder =
    std::string(STAFFSIM_SOURCE_DIR) + "/scenarios/central_bedfordshire_2009/";
const std::string kCalibration = kFolder + "calibration.yaml";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string all_messages(const ScenarioError& e) { return e.what(); }

const ParameterFit& parameter(const CalibrationResult& fit, const std::string& name) {
  for (const auto& p : fit.parameters) {
    if (p.name == name) return p;
  }
  throw std::runtime_error("no parameter " + name);
}

const TargetFit& target(const CalibrationResult& fit, const std::string& name) {
  for (const auto& t : fit.targets) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("no target " + name);
}

bool warns_about(const CalibrationResult& fit, const std::string& a, const std::string& b = "") {
  return std::any_of(fit.warnings.begin(), fit.warnings.end(), [&](const std::string& w) {
    return contains(w, a) && (b.empty() || contains(w, b));
  });
}

// ---- The shipped calibration -------------------------------------------------

TEST(Calibration, CentralBedfordshireReproducesIts2009Targets) {
  const Scenario sc = load_scenario(kCalibration);
  ASSERT_TRUE(sc.calibration);
  const CalibrationResult fit = calibrate(sc);
  EXPECT_TRUE(fit.converged);
  EXPECT_TRUE(fit.warnings.empty()) << fit.warnings.front();
  // Each point is run once: the checks at the start and the optimum reuse
  // the search's runs (25 runs when they did not).
  EXPECT_LE(fit.evaluations, 20);
  for (const auto& t : fit.targets) {
    EXPECT_TRUE(t.fitted) << t.name;
    EXPECT_TRUE(t.within()) << t.name << ": model " << t.model << ", observed " << t.observed;
    EXPECT_NEAR(t.model, t.observed, 1e-6) << t.name;
  }
  // The values the scenario was tuned to by hand (comments there), and the
  // rounded values it ships with.
  EXPECT_NEAR(parameter(fit, "turnover_base").value, 0.18698, 5e-6);
  EXPECT_NEAR(parameter(fit, "fill_rate").value, 0.54411, 5e-6);
  EXPECT_NEAR(parameter(fit, "turnover_base").value, parameter(fit, "turnover_base").initial, 5e-5);
  EXPECT_NEAR(parameter(fit, "fill_rate").value, parameter(fit, "fill_rate").initial, 5e-4);
  for (const auto& p : fit.parameters) {
    EXPECT_TRUE(p.identified) << p.name;
    EXPECT_FALSE(p.at_bound) << p.name;
    EXPECT_GT(p.std_error, 0.0) << p.name;
    EXPECT_LT(p.std_error, 0.01 * (p.upper - p.lower)) << p.name;
  }
}

TEST(Calibration, StokeOnTrentFlowsPerEmployerOnTheObservedBasis) {
  // Eight tuned values (turnover and fill rate of four employers) against
  // eight counts on the NMDS-SC basis (63% coverage, 004:278-294).
  const Scenario sc = load_scenario(std::string(STAFFSIM_SOURCE_DIR) +
                                    "/scenarios/stoke_on_trent_2011/flows_2010.yaml");
  const CalibrationResult fit = calibrate(sc);
  EXPECT_TRUE(fit.converged);
  EXPECT_TRUE(fit.warnings.empty()) << fit.warnings.front();
  ASSERT_EQ(fit.targets.size(), 8u);
  for (const auto& t : fit.targets) EXPECT_NEAR(t.model, t.observed, 1e-6) << t.name;
  // The Newton solutions recorded beside the tuned values.
  EXPECT_NEAR(parameter(fit, "turnover_private").value, 0.127101, 5e-7);
  EXPECT_NEAR(parameter(fit, "turnover_voluntary").value, 0.079475, 5e-7);
  EXPECT_NEAR(parameter(fit, "turnover_local_authority").value, 0.207356, 5e-7);
  EXPECT_NEAR(parameter(fit, "turnover_nhs").value, 0.058910, 5e-7);
  // The whole-workforce count is the observed one over the coverage.
  Simulation sim(scenario_at(sc, {}));
  sim.run();
  IndicatorQuery q{"starters", 2011, {}, {"private"}, ""};
  const std::vector<double> at_start = target_values(sc, {});
  EXPECT_NEAR(evaluate(q, sim.results()) * 0.63, at_start[0], 1e-9);
}

TEST(Calibration, CalibratedFileExtendsTheInputAndReproducesTheTargets) {
  const TempDir dir;
  const Scenario sc = load_scenario(kCalibration);
  const CalibrationResult fit = calibrate(sc);
  const auto out = dir.path() / "calibrated.yaml";
  write_calibrated_scenario(sc, fit, out);
  const std::string text = read_file(out);
  EXPECT_TRUE(contains(text, "extends: \"")) << text;
  EXPECT_TRUE(contains(text, "calibration.yaml\"")) << text;
  EXPECT_TRUE(contains(text, "\"supply.turnover.base.default\": ")) << text;
  EXPECT_TRUE(contains(text, "# leavers_2009")) << text;  // the report, as comments

  const Scenario calibrated = load_scenario(out);
  const std::vector<double> values = target_values(calibrated, {});
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_NEAR(values[i], calibrated.calibration->targets[i].observed, 1e-6)
        << calibrated.calibration->targets[i].name;
  }
  // The same run as the fit's optimum, bit for bit: the overrides carry the
  // fitted values exactly.
  std::vector<double> theta;
  for (const auto& p : fit.parameters) theta.push_back(p.value);
  EXPECT_EQ(values, target_values(sc, theta));
}

// ---- Synthetic round trips ---------------------------------------------------

constexpr double kNoiseSd = 5.0;  // people, on each count

// A child of the shipped calibration whose four targets are `observed`
// with standard error kNoiseSd instead of a tolerance, plus `extra` YAML.
std::string synthetic(const std::vector<double>& observed, const std::string& extra_free = "",
                      const std::string& extra_targets = "") {
  const char* names[] = {"leavers_2009", "starters_2009", "staff_2009", "vacancies_2009"};
  std::string y = "staffsim_scenario: 1\nextends: " + kCalibration + "\ncalibration:\n";
  if (!extra_free.empty()) y += "  free:\n" + extra_free;
  y += "  targets:\n";
  for (std::size_t i = 0; i < 4; ++i) {
    y += "    - name: " + std::string(names[i]) +
         "\n      observed: " + std::to_string(observed[i]) +
         "\n      tolerance: null\n      sd: " + std::to_string(kNoiseSd) + "\n";
  }
  return y + extra_targets;
}

// Observation noise: N(0, kNoiseSd^2) per target from Philox stream `set`.
std::vector<double> noisy(const std::vector<double>& truth, std::uint32_t set) {
  random::RandomStream rng(2024, set, random::Stream::parameters, 0, 0);
  std::vector<double> out;
  for (const double v : truth) out.push_back(v + kNoiseSd * random::standard_normal(rng));
  return out;
}

struct RoundTrip {
  std::vector<double> theta;  // the truth
  std::vector<double> observed;
  Scenario scenario;
};

RoundTrip round_trip(const TempDir& dir, std::vector<double> theta, std::uint32_t set,
                     const std::string& extra_free = "", const std::string& extra_targets = "",
                     double extra_sd = kNoiseSd) {
  // The truth is simulated from a scenario with the same free parameters
  // and targets (the observations' values do not matter for simulating).
  std::string placeholder_free = extra_targets;
  for (std::size_t i = 4; i < 10; ++i) {
    const std::string marker = "OBS" + std::to_string(i);
    const auto at = placeholder_free.find(marker);
    if (at != std::string::npos) placeholder_free.replace(at, marker.size(), "0");
  }
  const auto truth_file = dir.write("truth" + std::to_string(set) + ".yaml",
                                    synthetic({445, 326, 2158, 179}, extra_free, placeholder_free));
  const Scenario truth_sc = load_scenario(truth_file);
  std::vector<double> values = target_values(truth_sc, theta);
  RoundTrip rt{theta, noisy({values.begin(), values.begin() + 4}, set), {}};
  std::string extra = extra_targets;
  // Extra targets are written with observed: 0 and replaced here (they
  // follow the four in order).
  for (std::size_t i = 4; i < values.size(); ++i) {
    random::RandomStream rng(2024, set, random::Stream::parameters, 1,
                             static_cast<std::uint32_t>(i));
    const double obs = values[i] + extra_sd * random::standard_normal(rng);
    const std::string marker = "observed: OBS" + std::to_string(i);
    extra.replace(extra.find(marker), marker.size(), "observed: " + std::to_string(obs));
    rt.observed.push_back(obs);
  }
  const auto file =
      dir.write("noisy" + std::to_string(set) + ".yaml", synthetic(rt.observed, extra_free, extra));
  rt.scenario = load_scenario(file);
  return rt;
}

const std::string kLaScale =
    "    - name: la_turnover_factor\n"
    "      path: supply.turnover.base[*,local_authority]\n"
    "      mode: scale\n"
    "      lower: 0.5\n"
    "      upper: 2.0\n";
const std::string kLeaversBySector =
    "    - name: leavers_la\n      indicator: leavers\n      year: 2009\n"
    "      sector: local_authority\n      observed: OBS4\n      sd: 5\n"
    "    - name: leavers_independent\n      indicator: leavers\n      year: 2009\n"
    "      sector: independent\n      observed: OBS5\n      sd: 5\n";

TEST(CalibrationRoundTrip, LeastSquaresRecoversKnownParametersFromNoisyTargets) {
  const TempDir dir;
  struct Case {
    std::vector<double> theta;
    std::string extra_free, extra_targets;
  };
  const std::vector<Case> cases = {
      {{0.15, 0.40}, "", ""},
      {{0.26, 0.75}, "", ""},
      {{0.21, 0.30, 1.4}, kLaScale, kLeaversBySector},
  };
  for (std::uint32_t set = 0; set < cases.size(); ++set) {
    const auto& c = cases[set];
    const RoundTrip rt = round_trip(dir, c.theta, set, c.extra_free, c.extra_targets);
    const CalibrationResult fit = calibrate(rt.scenario);
    ASSERT_EQ(fit.parameters.size(), c.theta.size());
    EXPECT_TRUE(fit.converged) << "set " << set;
    for (std::size_t j = 0; j < c.theta.size(); ++j) {
      const auto& p = fit.parameters[j];
      EXPECT_TRUE(p.identified) << "set " << set << " " << p.name;
      // Within 3.5 standard errors of the truth (noise is 1 sd per target),
      // and the standard error says something (a tenth of the range).
      EXPECT_NEAR(p.value, c.theta[j], 3.5 * p.std_error)
          << "set " << set << " " << p.name << " se " << p.std_error;
      EXPECT_LT(p.std_error, 0.1 * (p.upper - p.lower)) << "set " << set << " " << p.name;
      // Not merely left where it started.
      EXPECT_GT(std::abs(p.value - p.initial), 3.0 * p.std_error) << "set " << set << " " << p.name;
    }
    // Noise of 1 sd per target: the misfit is chi-squared-like, not 0 and not huge.
    EXPECT_LT(fit.misfit, 30.0) << "set " << set;
  }
}

TEST(CalibrationRoundTrip, AgeShareTargetsFitTheRecruitmentMix) {
  // A share target (NMDS-SC age band 18-29 in 2009) pins down the share of
  // hires who are school leavers; career changers take up the change
  // (balance), so the source shares still sum to 1.
  const TempDir dir;
  const std::string free =
      "    - name: school_leavers\n"
      "      path: supply.recruitment.default.sources.school_leavers\n"
      "      balance: supply.recruitment.default.sources.career_changers\n"
      "      lower: 0.0\n      upper: 0.6\n";
  const std::string young =
      "    - name: young_share\n      indicator: age_band_nmds_share\n      year: 2009\n"
      "      band: 18-29\n      observed: OBS4\n      sd: 0.002\n";
  const std::vector<double> truth{0.19, 0.56, 0.45};
  const RoundTrip rt = round_trip(dir, truth, 20, free, young, 0.002);
  const CalibrationResult fit = calibrate(rt.scenario);
  ASSERT_EQ(fit.parameters.size(), 3u);
  for (std::size_t j = 0; j < truth.size(); ++j) {
    const auto& p = fit.parameters[j];
    EXPECT_TRUE(p.identified) << p.name;
    EXPECT_NEAR(p.value, truth[j], 3.5 * p.std_error) << p.name << " se " << p.std_error;
  }
  EXPECT_GT(std::abs(parameter(fit, "school_leavers").value - 0.2), 0.1);
  EXPECT_LT(parameter(fit, "school_leavers").std_error, 0.05);
  EXPECT_TRUE(target(fit, "young_share").within());
}

TEST(CalibrationRoundTrip, AgeFactorsAreFreeByQuotedKeys) {
  // An age band is a map key that is not a name: the path quotes it, and so
  // does the calibrated file's override, which must load back.
  const TempDir dir;
  const std::string free =
      "    - name: young_factor\n"
      "      path: 'supply.turnover.age_factor.bands.\"18-29\"'\n"
      "      lower: 0.8\n      upper: 3.0\n";
  const std::string young =
      "    - name: young_share\n      indicator: age_band_nmds_share\n      year: 2009\n"
      "      band: 18-29\n      observed: OBS4\n      sd: 0.002\n";
  const std::vector<double> truth{0.19, 0.56, 2.2};
  const RoundTrip rt = round_trip(dir, truth, 21, free, young, 0.002);
  const CalibrationResult fit = calibrate(rt.scenario);
  const ParameterFit& p = parameter(fit, "young_factor");
  EXPECT_TRUE(p.identified);
  EXPECT_NEAR(p.value, 2.2, 3.5 * p.std_error) << "se " << p.std_error;
  EXPECT_LT(p.std_error, 0.3);
  const auto out = dir.path() / "fitted.yaml";
  write_calibrated_scenario(rt.scenario, fit, out);
  EXPECT_TRUE(contains(read_file(out), "\"supply.turnover.age_factor.bands.\\\"18-29\\\"\": "))
      << read_file(out);
  std::vector<double> theta;
  for (const auto& q : fit.parameters) theta.push_back(q.value);
  EXPECT_EQ(target_values(load_scenario(out), {}), target_values(rt.scenario, theta));
}

TEST(CalibrationRoundTrip, AbcPosteriorCoversKnownParameters) {
  const TempDir dir;
  const std::vector<std::vector<double>> truths = {{0.15, 0.40}, {0.26, 0.75}, {0.20, 0.60}};
  for (std::uint32_t set = 0; set < truths.size(); ++set) {
    const RoundTrip rt = round_trip(dir, truths[set], 10 + set);
    CalibrationOptions o;
    o.method = CalibrationMethod::abc;
    o.abc_draws = 5000;
    o.abc_accept = 60;
    o.seed = 7 + set;
    const CalibrationResult fit = calibrate(rt.scenario, o);
    const CalibrationResult ls = calibrate(rt.scenario);
    ASSERT_EQ(fit.posterior.size(), 60u);
    for (std::size_t j = 0; j < truths[set].size(); ++j) {
      std::cout << "[abc] set " << set << " " << fit.parameters[j].name << " truth "
                << truths[set][j] << " mean " << fit.parameters[j].value << " sd "
                << fit.parameters[j].std_error << " [" << fit.parameters[j].q05 << ", "
                << fit.parameters[j].q95 << "]; least squares " << ls.parameters[j].value << " se "
                << ls.parameters[j].std_error << "; eps " << fit.abc_epsilon << " " << fit.abc_stop
                << "\n";
    }
    for (std::size_t j = 0; j < truths[set].size(); ++j) {
      const auto& p = fit.parameters[j];
      EXPECT_LE(p.q05, truths[set][j]) << "set " << set << " " << p.name;
      EXPECT_GE(p.q95, truths[set][j]) << "set " << set << " " << p.name;
      EXPECT_TRUE(p.identified) << "set " << set << " " << p.name;
      // The posterior is the data's, not the threshold's: with the stated
      // observation error in the simulations it approaches the Gaussian
      // posterior least squares describes (its standard error is that
      // posterior's sd), centred on the optimum.
      const auto& q = ls.parameters[j];
      EXPECT_GT(p.std_error, 0.7 * q.std_error) << "set " << set << " " << p.name;
      EXPECT_LT(p.std_error, 2.0 * q.std_error) << "set " << set << " " << p.name;
      EXPECT_NEAR(p.value, q.value, q.std_error) << "set " << set << " " << p.name;
    }
    // The thresholds fell generation by generation, from the prior's
    // distances towards the observation error's (about 2 for 4 targets).
    ASSERT_GE(fit.abc_epsilons.size(), 3u);
    for (std::size_t g = 1; g < fit.abc_epsilons.size(); ++g) {
      EXPECT_LT(fit.abc_epsilons[g], fit.abc_epsilons[g - 1]) << "set " << set;
    }
    EXPECT_LT(fit.abc_epsilon, 5.0) << "set " << set;
  }
}

TEST(CalibrationRoundTrip, AbcIsTheSameOnOneAndTwoThreads) {
  CalibrationOptions o;
  o.method = CalibrationMethod::abc;
  o.abc_draws = 200;
  o.abc_accept = 20;
  const Scenario sc = load_scenario(kCalibration);
  o.threads = 1;
  const CalibrationResult one = calibrate(sc, o);
  o.threads = 2;
  const CalibrationResult two = calibrate(sc, o);
  EXPECT_EQ(one.posterior, two.posterior);
  EXPECT_EQ(one.abc_epsilon, two.abc_epsilon);
}

TEST(CalibrationRoundTrip, AbcPosteriorIsASampleFileTheCalibratedScenarioDraws) {
  const TempDir dir;
  const Scenario sc = load_scenario(kCalibration);
  CalibrationOptions o;
  o.method = CalibrationMethod::abc;
  o.abc_draws = 300;
  o.abc_accept = 25;
  const CalibrationResult fit = calibrate(sc, o);
  const auto csv = dir.path() / "posterior.csv";
  const auto yaml = dir.path() / "calibrated.yaml";
  write_posterior_csv(sc, fit, csv);
  write_calibrated_scenario(sc, fit, yaml, csv);
  const Scenario calibrated = load_scenario(yaml);
  ASSERT_TRUE(calibrated.uncertainty);
  EXPECT_EQ(max_draws(calibrated), 25u);
  for (std::uint64_t d : {0u, 7u, 24u}) {
    const ParameterDraw pd = draw_scenario(calibrated, 1, d);
    EXPECT_NEAR(pd.scenario.turnover.base(0, 0), fit.posterior[d][0], 1e-15) << d;
    EXPECT_NEAR(pd.scenario.recruitment[0].fill_rate, fit.posterior[d][1], 1e-15) << d;
  }
}

// ---- Identifiability ----------------------------------------------------------

// The shipped calibration with the share of turnover leavers who move to
// another employer free too; exit takes up the change.
std::string with_move_share() {
  return "staffsim_scenario: 1\nextends: " + kCalibration +
         "\ncalibration:\n  free:\n"
         "    - name: move_share\n"
         "      path: supply.destinations.default.same_sector\n"
         "      balance: supply.destinations.default.exit\n"
         "      lower: 0.0\n      upper: 0.6\n";
}

TEST(CalibrationIdentifiability, MoveShareAgainstTheFlowsIsNamedNotFitted) {
  // The share of turnover leavers who move to another employer in the area:
  // it changes starters only as the fill rate does, so the flows pin down a
  // combination of the two (issue 9 requires the warning).
  const TempDir dir;
  const auto file = dir.write("moves.yaml", with_move_share());
  const Scenario sc = load_scenario(file);
  const CalibrationResult fit = calibrate(sc);
  const ParameterFit& moves = parameter(fit, "move_share");
  EXPECT_FALSE(moves.identified);
  EXPECT_TRUE(std::isinf(moves.std_error));
  EXPECT_EQ(moves.value, moves.initial);  // held, not an arbitrary optimiser stop
  EXPECT_TRUE(warns_about(fit, "move_share", "fill_rate")) << fit.warnings.front();
  EXPECT_TRUE(warns_about(fit, "move_share", "not identified"));
  // The others are still fitted, and the targets reproduced.
  EXPECT_TRUE(parameter(fit, "turnover_base").identified);
  EXPECT_TRUE(parameter(fit, "fill_rate").identified);
  for (const auto& t : fit.targets) EXPECT_TRUE(t.within()) << t.name;
}

TEST(CalibrationIdentifiability, BalanceKeepsTheShareRowSummingToOne) {
  const TempDir dir;
  const auto file = dir.write("moves.yaml", with_move_share());
  const Scenario sc = load_scenario(file);
  const Scenario at = scenario_at(sc, std::vector<double>{0.187, 0.544, 0.55});
  // Manager in the council takes the default split: exit 0.65 - 0.25, same 0.55.
  const int rs = at.dims.rs(*at.dims.find_role("manager"), *at.dims.find_sector("local_authority"));
  const DestinationSplit& split = at.destinations[static_cast<std::size_t>(rs)];
  double total = split.exit_share;
  for (const auto& m : split.moves) total += m.share;
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_NEAR(split.exit_share, 0.40, 1e-12);
}

TEST(CalibrationIdentifiability, ParameterNoTargetDependsOnIsFlat) {
  const TempDir dir;
  const auto file = dir.write("flat.yaml", "staffsim_scenario: 1\nextends: " + kCalibration +
                                               "\ncalibration:\n  free:\n"
                                               "    - name: fte_factor_free\n"
                                               "      path: fte_factor.default\n"
                                               "      lower: 0.5\n      upper: 1.0\n");
  // Posts are stated in headcount: the FTE factor moves no headcount target.
  const CalibrationResult fit = calibrate(load_scenario(file));
  EXPECT_FALSE(parameter(fit, "fte_factor_free").identified);
  EXPECT_TRUE(warns_about(fit, "fte_factor_free", "do not depend on it"));
}

// ---- Cross-validation -----------------------------------------------------------

TEST(CrossValidation, FlowsPredictTheCensusYearsInJobAndBedfordshireTurnover) {
  const Scenario sc = load_scenario(kFolder + "crossval.yaml");
  const CalibrationResult cv = cross_validate(sc, {"flows_12_months"});
  EXPECT_TRUE(target(cv, "leavers_2009").fitted);
  EXPECT_TRUE(target(cv, "starters_2009").fitted);
  // Predicted, not fitted: the census by identity; Bedfordshire's 21%
  // within 2 points (002:562).
  const TargetFit& beds = target(cv, "pan_bedfordshire_turnover");
  EXPECT_FALSE(beds.fitted);
  EXPECT_NEAR(beds.model, 0.21, 0.02);
  EXPECT_TRUE(beds.within());
  EXPECT_NEAR(target(cv, "staff_2009").model, 2158, 0.5);
  EXPECT_NEAR(target(cv, "vacancies_2009").model, 179, 0.5);
  // Years in job: predicted shares sum to 1 and are reported with errors;
  // the stationary model misses the table (scenarios/README.md says why).
  double share = 0.0;
  int bands = 0;
  for (const auto& t : cv.targets) {
    if (t.table != "years_in_job") continue;
    EXPECT_FALSE(t.fitted);
    share += t.model;
    ++bands;
  }
  EXPECT_EQ(bands, 7);
  EXPECT_NEAR(share, 1.0, 1e-9);
  const std::string report = format_calibration_report(cv);
  EXPECT_TRUE(contains(report, "predicted, within")) << report;
  EXPECT_TRUE(contains(report, "error")) << report;
}

TEST(CrossValidation, NeedsATableToPredict) {
  const Scenario sc = load_scenario(kFolder + "crossval.yaml");
  EXPECT_THROW((void)cross_validate(sc, {}), UsageError);
  try {
    (void)cross_validate(sc, {"flows_12_month"});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_TRUE(contains(e.what(), "fit table 'flows_12_month'")) << e.what();
    EXPECT_TRUE(contains(e.what(), "flows_12_months")) << e.what();
  }
}

// ---- Bad calibration input ------------------------------------------------------

std::string load_error(const TempDir& dir, const std::string& block) {
  const auto file = dir.write(
      "bad.yaml", "staffsim_scenario: 1\nextends: " + kCalibration + "\ncalibration:\n" + block);
  try {
    (void)load_scenario(file);
  } catch (const ScenarioError& e) {
    return all_messages(e);
  }
  return "(loaded without error)";
}

TEST(CalibrationInput, UnknownIndicatorNamesTheTargetAndSuggests) {
  const TempDir dir;
  const std::string m = load_error(dir,
                                   "  targets:\n    - name: quits\n      indicator: leaver\n"
                                   "      year: 2009\n      observed: 445\n      sd: 5\n");
  EXPECT_TRUE(contains(m, "bad.yaml:")) << m;
  EXPECT_TRUE(contains(m, "calibration.targets[quits]")) << m;
  EXPECT_TRUE(contains(m, "unknown indicator 'leaver'; did you mean 'leavers'?")) << m;
}

TEST(CalibrationInput, TargetYearOutsideTheRunAndFlowsOfTheFirstYear) {
  const TempDir dir;
  std::string m = load_error(dir,
                             "  targets:\n    - name: late\n      indicator: headcount\n"
                             "      year: 2012\n      observed: 2000\n      sd: 5\n");
  EXPECT_TRUE(contains(m, "year 2012 is outside the run (2008-2009)")) << m;
  m = load_error(dir,
                 "  targets:\n    - name: early\n      indicator: leavers\n"
                 "      year: 2008\n      observed: 400\n      sd: 5\n");
  EXPECT_TRUE(contains(m, "the first year 2008 has none")) << m;
}

TEST(CalibrationInput, UnknownLabelAndMissingWeight) {
  const TempDir dir;
  std::string m =
      load_error(dir,
                 "  targets:\n    - name: nhs\n      indicator: headcount\n"
                 "      year: 2009\n      sector: nhs\n      observed: 10\n      sd: 1\n");
  EXPECT_TRUE(contains(m, "unknown sector 'nhs'")) << m;
  m = load_error(dir,
                 "  targets:\n    - name: noweight\n      indicator: headcount\n"
                 "      year: 2009\n      observed: 2158\n");
  EXPECT_TRUE(contains(m, "calibration.targets[noweight]")) << m;
  EXPECT_TRUE(contains(m, "give exactly one of sd")) << m;
}

TEST(CalibrationInput, ImpossibleBoundsAreRefusedWithTheBuildersRule) {
  const TempDir dir;
  // A fill rate of 1 or more is outside its domain.
  std::string m = load_error(dir, "  free:\n    - name: fill_rate\n      upper: 1.2\n");
  EXPECT_TRUE(contains(m, "calibration.free[fill_rate]")) << m;
  EXPECT_TRUE(contains(m, "supply.recruitment.default.fill_rate")) << m;
  EXPECT_TRUE(contains(m, "narrow lower/upper")) << m;
  // lower >= upper.
  m = load_error(dir, "  free:\n    - name: turnover_base\n      lower: 0.7\n");
  EXPECT_TRUE(contains(m, "calibration.free[turnover_base].upper")) << m;
  EXPECT_TRUE(contains(m, "must be > lower")) << m;
  // A starting point outside the bounds.
  m = load_error(dir, "  free:\n    - name: turnover_base\n      lower: 0.3\n      upper: 0.5\n");
  EXPECT_TRUE(contains(m, "calibration.free[turnover_base].initial = 0.187")) << m;
  EXPECT_TRUE(contains(m, "must lie within [lower, upper] = [0.3, 0.5]")) << m;
}

TEST(CalibrationInput, UnknownPathAndKey) {
  const TempDir dir;
  const std::string m =
      load_error(dir,
                 "  free:\n    - name: ghost\n      path: supply.turnover.bse.default\n"
                 "      lower: 0\n      upper: 1\n      guess: 0.5\n");
  EXPECT_TRUE(contains(m, "calibration.free[ghost].path")) << m;
  EXPECT_TRUE(contains(m, "supply.turnover.bse.default")) << m;
  EXPECT_TRUE(contains(m, "bad.yaml:9:7: calibration.free[ghost].guess: unknown key")) << m;
  EXPECT_TRUE(contains(m, "did you mean 'base'?")) << m;
  // Reported once, not again by the uncertainty reader the free parameters
  // go through.
  EXPECT_EQ(m.find("guess"), m.rfind("guess")) << m;
}

TEST(CalibrationInput, TargetNoFreeParameterMovesIsRefusedByName) {
  const TempDir dir;
  // Posts are an input (fixed at 2,337): no free parameter moves them.
  const auto file =
      dir.write("posts.yaml", "staffsim_scenario: 1\nextends: " + kCalibration +
                                  "\ncalibration:\n  targets:\n"
                                  "    - name: posts_2009\n      indicator: posts\n"
                                  "      year: 2009\n      observed: 2337\n      sd: 1\n");
  const Scenario sc = load_scenario(file);
  try {
    (void)calibrate(sc);
    FAIL() << "calibrated a target no parameter moves";
  } catch (const ScenarioError& e) {
    EXPECT_TRUE(contains(e.what(), "calibration.targets[posts_2009] = posts_hc[2009]") ||
                contains(e.what(), "calibration.targets[posts_2009] = posts[2009]"))
        << e.what();
    EXPECT_TRUE(contains(e.what(), "no free parameter moves this target")) << e.what();
  }
}

TEST(CalibrationInput, ScenarioWithoutABlock) {
  const Scenario sc = load_scenario(kFolder + "projection.yaml");
  try {
    (void)calibrate(sc);
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_TRUE(contains(e.what(), "has no calibration: block")) << e.what();
  }
}

// ---- CLI -------------------------------------------------------------------------

TEST(CalibrateCli, WritesTheCalibratedScenarioAndReport) {
  const TempDir dir;
  const auto out = dir.path() / "cb_calibrated.yaml";
  const auto r = run_cli({"calibrate", kCalibration, "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "turnover_base")) << r.out;
  EXPECT_TRUE(contains(r.out, "leavers_2009")) << r.out;
  EXPECT_TRUE(std::filesystem::exists(out));
  const auto run = run_cli({"run", out.string(), "-o", (dir.path() / "r.h5").string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "2009 total      2158    2337     179")) << run.out;
}

TEST(CalibrateCli, TheSetOverridesOfTheFittedScenarioAreKept) {
  // The file must be the scenario that was fitted: --set values included.
  const TempDir dir;
  const auto out = dir.path() / "fit.yaml";
  const auto r = run_cli({"calibrate", kCalibration, "--set",
                          "supply.turnover.base[care_worker,*]=0.15", "-o", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(read_file(out), "\"supply.turnover.base[care_worker,*]\": 0.15\n"));
  const Scenario calibrated = load_scenario(out);
  const std::vector<double> values = target_values(calibrated, {});
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_NEAR(values[i], calibrated.calibration->targets[i].observed, 1e-6) << i;
  }
}

TEST(CalibrateCli, BadInputExitsThreeAndWritesNothing) {
  const TempDir dir;
  const auto bad = dir.write("bad.yaml", "staffsim_scenario: 1\nextends: " + kCalibration +
                                             "\ncalibration:\n  free:\n"
                                             "    - name: fill_rate\n      upper: 1.2\n");
  const auto out = dir.path() / "out.yaml";
  const auto r = run_cli({"calibrate", bad.string(), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "calibration.free[fill_rate]")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  const auto same = run_cli({"calibrate", kCalibration, "-o", kCalibration});
  EXPECT_EQ(same.exit_code, 2) << same.err;
  EXPECT_TRUE(contains(same.err, "cannot replace it")) << same.err;
  const auto method = run_cli({"calibrate", kCalibration, "--method", "newton"});
  EXPECT_EQ(method.exit_code, 2);
  EXPECT_TRUE(contains(method.err, "--method = 'newton'")) << method.err;
}

TEST(CrossvalCli, PrintsPredictionsWithErrors) {
  const auto r = run_cli(
      {"crossval", kFolder + "crossval.yaml", "--fit", "flows_12_months", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "\"name\": \"pan_bedfordshire_turnover\"")) << r.out;
  EXPECT_TRUE(contains(r.out, "\"fitted\": false")) << r.out;
  const auto none = run_cli({"crossval", kFolder + "crossval.yaml"});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_TRUE(contains(none.err, "--fit")) << none.err;
}

}  // namespace
}  // namespace staffsim
