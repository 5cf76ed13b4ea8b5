#pragma once
// What the fitting methods share: the scenario at a point of the free
// parameters, its target values, and the weighted residuals of the fitted
// targets. Internal header.
#include <Eigen/Core>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "staffsim/calibration.hpp"

namespace staffsim::calib {

// The calibration of one scenario: which targets are fitted, in what order.
class Problem {
 public:
  // ScenarioError when the scenario has no calibration block; UsageError
  // naming an unknown table or a selection that leaves nothing to fit.
  Problem(const Scenario& scenario, const std::vector<std::string>& fit_tables);

  [[nodiscard]] const Scenario& scenario() const { return scenario_; }
  [[nodiscard]] const CalibrationSpec& spec() const { return spec_; }
  [[nodiscard]] std::size_t n_free() const { return spec_.free.size(); }
  [[nodiscard]] const std::vector<std::size_t>& fitted() const { return fitted_; }
  [[nodiscard]] bool is_fitted(std::size_t target) const;

  // Every target's value at theta (the deterministic run).
  [[nodiscard]] std::vector<double> values(std::span<const double> theta) const;
  // Every target's value in a scenario built elsewhere (a prior draw).
  [[nodiscard]] std::vector<double> values_of(Scenario trial) const;
  // (model - observed) / sd of the fitted targets, from values().
  [[nodiscard]] Eigen::VectorXd residuals(const std::vector<double>& values) const;

  // The free parameters' starting point, lower and upper bounds.
  [[nodiscard]] Eigen::VectorXd initial() const;
  [[nodiscard]] Eigen::VectorXd lower() const;
  [[nodiscard]] Eigen::VectorXd upper() const;

  // The report's rows for a point: each target's model value and z.
  [[nodiscard]] std::vector<TargetFit> target_fits(const std::vector<double>& values) const;

 private:
  const Scenario& scenario_;
  const CalibrationSpec& spec_;
  std::vector<std::size_t> fitted_;
  int last_year_ = 0;
};

// Least squares (least_squares.cpp) and ABC (abc.cpp).
[[nodiscard]] CalibrationResult fit_least_squares(const Problem& problem,
                                                  const CalibrationOptions& options);
[[nodiscard]] CalibrationResult fit_abc(const Problem& problem, const CalibrationOptions& options);

// "name (path)" of free parameter j, for messages.
[[nodiscard]] std::string describe_free(const CalibrationSpec& spec, std::size_t j);

}  // namespace staffsim::calib
