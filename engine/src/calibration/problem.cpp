// The scenario at a point of the free parameters, and the targets there.
// Every trial is built by the calibration space (the free parameters as
// uniform entries, scenario/calibration_load.cpp) through the validated
// builder, then run deterministically to the last target year.
#include "problem.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "scenario/uncertainty.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim {

Scenario scenario_at(const Scenario& scenario, std::span<const double> theta) {
  if (!scenario.calibration) {
    throw ScenarioError(scenario.file.generic_string() +
                        ": the scenario has no calibration: block (free parameters and targets)");
  }
  Scenario out;
  if (theta.empty()) {
    out = scenario;
  } else {
    const CalibrationSpec& spec = *scenario.calibration;
    if (theta.size() != spec.free.size()) {
      throw UsageError("theta: " + std::to_string(theta.size()) + " values, but the scenario has " +
                       std::to_string(spec.free.size()) + " free parameters");
    }
    out = spec.space->draw(scenario, 0, 0, theta).scenario;
  }
  // A trial is the deterministic run of the parameters: the fit compares
  // the model's expectation with the observations.
  out.uncertainty = nullptr;
  out.stochastic = false;
  out.calibration = scenario.calibration;
  return out;
}

std::vector<double> target_values(const Scenario& scenario, std::span<const double> theta) {
  const calib::Problem problem(scenario, {});
  return problem.values(theta);
}

namespace calib {

Problem::Problem(const Scenario& scenario, const std::vector<std::string>& fit_tables)
    : scenario_(scenario), spec_([&]() -> const CalibrationSpec& {
        if (!scenario.calibration) {
          throw ScenarioError(scenario.file.generic_string() +
                              ": the scenario has no calibration: block (free parameters and "
                              "targets)");
        }
        return *scenario.calibration;
      }()) {
  std::vector<std::string> tables;
  for (const auto& t : spec_.targets) {
    if (std::find(tables.begin(), tables.end(), t.table) == tables.end()) tables.push_back(t.table);
  }
  for (const auto& name : fit_tables) {
    if (std::find(tables.begin(), tables.end(), name) == tables.end()) {
      std::string list;
      for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
      throw UsageError("fit table '" + name + "': no target has table: " + name +
                       " (tables: " + list + ")");
    }
  }
  for (std::size_t i = 0; i < spec_.targets.size(); ++i) {
    const auto& t = spec_.targets[i];
    last_year_ = std::max(last_year_, t.query.year);
    if (fit_tables.empty() ||
        std::find(fit_tables.begin(), fit_tables.end(), t.table) != fit_tables.end()) {
      fitted_.push_back(i);
    }
  }
}

bool Problem::is_fitted(std::size_t target) const {
  return std::find(fitted_.begin(), fitted_.end(), target) != fitted_.end();
}

std::vector<double> Problem::values(std::span<const double> theta) const {
  return values_of(scenario_at(scenario_, theta));
}

std::vector<double> Problem::values_of(Scenario trial) const {
  trial.uncertainty = nullptr;
  trial.stochastic = false;
  Simulation sim(std::move(trial));
  sim.run_to(last_year_);
  std::vector<double> out;
  out.reserve(spec_.targets.size());
  const double coverage = scenario_.demand.coverage;
  for (const auto& t : spec_.targets) {
    const double v = evaluate(t.query, sim.results());
    out.push_back(t.observed_basis && scales_with_coverage(t.query) ? v * coverage : v);
  }
  return out;
}

Eigen::VectorXd Problem::residuals(const std::vector<double>& values) const {
  Eigen::VectorXd r(static_cast<Eigen::Index>(fitted_.size()));
  for (std::size_t k = 0; k < fitted_.size(); ++k) {
    const auto& t = spec_.targets[fitted_[k]];
    r(static_cast<Eigen::Index>(k)) = (values[fitted_[k]] - t.observed) / t.sd;
  }
  return r;
}

Eigen::VectorXd Problem::initial() const {
  Eigen::VectorXd v(static_cast<Eigen::Index>(n_free()));
  for (std::size_t j = 0; j < n_free(); ++j)
    v(static_cast<Eigen::Index>(j)) = spec_.free[j].initial;
  return v;
}

Eigen::VectorXd Problem::lower() const {
  Eigen::VectorXd v(static_cast<Eigen::Index>(n_free()));
  for (std::size_t j = 0; j < n_free(); ++j) v(static_cast<Eigen::Index>(j)) = spec_.free[j].lower;
  return v;
}

Eigen::VectorXd Problem::upper() const {
  Eigen::VectorXd v(static_cast<Eigen::Index>(n_free()));
  for (std::size_t j = 0; j < n_free(); ++j) v(static_cast<Eigen::Index>(j)) = spec_.free[j].upper;
  return v;
}

std::vector<TargetFit> Problem::target_fits(const std::vector<double>& values) const {
  std::vector<TargetFit> out;
  for (std::size_t i = 0; i < spec_.targets.size(); ++i) {
    const auto& t = spec_.targets[i];
    TargetFit f;
    f.name = t.name;
    f.query = t.query.text();
    f.table = t.table;
    f.fitted = is_fitted(i);
    f.observed = t.observed;
    f.sd = t.sd;
    f.is_tolerance = t.is_tolerance;
    f.model = values[i];
    f.z = (values[i] - t.observed) / t.sd;
    out.push_back(f);
  }
  return out;
}

std::string describe_free(const CalibrationSpec& spec, std::size_t j) {
  const auto& p = spec.free[j];
  return p.name == p.path ? p.name : p.name + " (" + p.path + ")";
}

}  // namespace calib
}  // namespace staffsim
