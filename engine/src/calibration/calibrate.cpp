// The public entry points of calibration: the method dispatch, cross-
// validation, and the fit's outputs (the calibrated scenario file, the
// posterior sample file, the report as text and JSON).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "io/table_text.hpp"
#include "io/temp_file.hpp"
#include "problem.hpp"
#include "scenario/uncertainty.hpp"
#include "staffsim/errors.hpp"

namespace staffsim {

namespace {

// A report cell: printf-formatted, "-" for NaN (io::cell).
std::string fmt(double v, const char* f = "%.6g") { return io::cell(v, f); }

const char* method_name(CalibrationMethod m) {
  return m == CalibrationMethod::abc ? "abc" : "least_squares";
}

// A YAML double-quoted string (paths hold brackets and commas).
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// `to` relative to the folder of `from_file` (what `extends:` and
// `sample:` resolve against), in generic form.
std::string relative_to(const std::filesystem::path& to, const std::filesystem::path& from_file) {
  const auto base = std::filesystem::absolute(from_file).parent_path();
  return std::filesystem::absolute(to).lexically_normal().lexically_relative(base).generic_string();
}

std::vector<double> fitted_values(const CalibrationResult& fit) {
  std::vector<double> theta;
  for (const auto& p : fit.parameters) theta.push_back(p.value);
  return theta;
}

}  // namespace

bool TargetFit::within() const {
  if (!std::isfinite(model)) return false;
  return is_tolerance ? std::abs(model - observed) <= sd : std::abs(z) <= 2.0;
}

CalibrationResult calibrate(const Scenario& scenario, const CalibrationOptions& options) {
  const calib::Problem problem(scenario, options.fit_tables);
  if (problem.fitted().empty()) {
    throw UsageError("calibrate: no target to fit");
  }
  return options.method == CalibrationMethod::abc ? calib::fit_abc(problem, options)
                                                  : calib::fit_least_squares(problem, options);
}

CalibrationResult cross_validate(const Scenario& scenario,
                                 const std::vector<std::string>& fit_tables,
                                 const CalibrationOptions& options) {
  if (fit_tables.empty()) {
    throw UsageError("crossval: name the tables to fit (--fit TABLE); the others are predicted");
  }
  CalibrationOptions o = options;
  o.fit_tables = fit_tables;
  CalibrationResult fit = calibrate(scenario, o);
  bool predicts = false;
  for (const auto& t : fit.targets) predicts = predicts || !t.fitted;
  if (!predicts) {
    throw UsageError(
        "crossval: every target's table is fitted; leave at least one table out to "
        "predict it");
  }
  return fit;
}

void write_posterior_csv(const Scenario& scenario, const CalibrationResult& fit,
                         const std::filesystem::path& file) {
  if (!scenario.calibration) throw UsageError("posterior: the scenario has no calibration block");
  if (fit.posterior.empty()) {
    throw UsageError("posterior: the fit has no posterior sample (use the abc method)");
  }
  const auto& spec = *scenario.calibration;
  for (const auto& f : spec.free) {
    if (f.scale || !f.balance.empty()) {
      throw UsageError("posterior: " + f.name +
                       " is fitted in scale mode or with balance:, which a sample: file cannot "
                       "carry (its columns set values); write it with mode: value and no balance");
    }
  }
  io::write_atomically(file, [&](std::ostream& os) {
    os << "draw";
    for (const auto& f : spec.free) os << ',' << io::csv_field(f.path);
    os << '\n';
    for (std::size_t d = 0; d < fit.posterior.size(); ++d) {
      os << d;
      for (const double v : fit.posterior[d]) os << ',' << io::csv_number(v);
      os << '\n';
    }
  });
}

std::string calibrated_yaml(const Scenario& scenario, const CalibrationResult& fit,
                            const std::filesystem::path& output,
                            const std::filesystem::path& posterior_csv,
                            const std::vector<Override>& sets) {
  if (!scenario.calibration) throw UsageError("calibrated: the scenario has no calibration block");
  const auto& spec = *scenario.calibration;
  const std::vector<double> theta = fitted_values(fit);
  std::string y = "staffsim_scenario: 1\n";
  y += "# Written by `staffsim calibrate` (" + std::string(method_name(fit.method)) +
       "): the input scenario with its free parameters at the fitted values.\n#\n# ";
  for (const char c : format_calibration_report(fit))
    y += c == '\n' ? std::string("\n# ") : std::string(1, c);
  y += "\n";
  y += "extends: " + quoted(relative_to(scenario.file, output)) + "\n";
  y += "name: " + quoted(scenario.name + "_calibrated") + "\n";
  y += "overrides:\n";
  const auto fitted = spec.space->assignments(theta);
  // The --set overrides of the fitted scenario, unless a fitted value
  // replaces them.
  for (const Override& o : sets) {
    const bool replaced =
        std::any_of(fitted.begin(), fitted.end(), [&](const auto& a) { return a.first == o.path; });
    if (!replaced) y += "  " + quoted(o.path) + ": " + o.value + "\n";
  }
  for (const auto& [path, value] : fitted) {
    y += "  " + quoted(path) + ": " + io::csv_number(value) + "\n";
  }
  if (!posterior_csv.empty()) {
    y += "uncertainty:\n";
    y += "  - name: calibration_posterior\n";
    y += "    sample: " + quoted(relative_to(posterior_csv, output)) + "\n";
    y += "    source: \"ABC posterior of staffsim calibrate (" +
         std::to_string(fit.posterior.size()) + " particles, ABC-SMC)\"\n";
  }
  return y;
}

void write_calibrated_scenario(const Scenario& scenario, const CalibrationResult& fit,
                               const std::filesystem::path& output,
                               const std::filesystem::path& posterior_csv,
                               const std::vector<Override>& sets) {
  const std::string yaml = calibrated_yaml(scenario, fit, output, posterior_csv, sets);
  io::write_atomically(output, [&](std::ostream& os) { os << yaml; });
}

std::string format_calibration_report(const CalibrationResult& fit) {
  std::string out;
  out += std::string("calibration (") +
         (fit.method == CalibrationMethod::abc ? "ABC-SMC" : "least squares") +
         "): " + std::to_string(fit.evaluations) +
         " model runs, misfit (sum of z^2 over fitted targets) " + fmt(fit.misfit, "%.4g") +
         (fit.converged ? "" : ", NOT converged") + "\n";
  if (fit.method == CalibrationMethod::abc) {
    std::string eps;
    for (const double e : fit.abc_epsilons) eps += (eps.empty() ? "" : ", ") + fmt(e, "%.3g");
    out += "posterior: " + std::to_string(fit.posterior.size()) + " particles after " +
           std::to_string(fit.abc_epsilons.size()) + " generations, distance thresholds " + eps +
           " (stopped: " + fit.abc_stop + ")\n";
  }
  char line[256];
  out += "\nparameter                       value      initial    lower      upper      ";
  out += fit.method == CalibrationMethod::abc ? "sd         90% interval\n" : "std error\n";
  for (const auto& p : fit.parameters) {
    std::string extra = fit.method == CalibrationMethod::abc
                            ? fmt(p.std_error) + "  [" + fmt(p.q05) + ", " + fmt(p.q95) + "]"
                            : (p.identified ? fmt(p.std_error) : "not identified");
    if (p.at_bound) extra += " (at bound)";
    std::snprintf(line, sizeof line, "%-30s  %-9s  %-9s  %-9s  %-9s  %s\n", p.name.c_str(),
                  fmt(p.value).c_str(), fmt(p.initial).c_str(), fmt(p.lower).c_str(),
                  fmt(p.upper).c_str(), extra.c_str());
    out += line;
  }
  out +=
      "\ntarget                                table             observed    model       error"
      "       z      \n";
  for (const auto& t : fit.targets) {
    const char* use = t.fitted ? (t.within() ? "fit" : "fit, MISSED")
                               : (t.within() ? "predicted, within" : "predicted, outside");
    std::snprintf(line, sizeof line, "%-36s  %-16s  %-10s  %-10s  %-10s  %-6s %s\n", t.name.c_str(),
                  t.table.c_str(), fmt(t.observed).c_str(), fmt(t.model).c_str(),
                  fmt(t.model - t.observed, "%+.4g").c_str(), fmt(t.z, "%.2f").c_str(), use);
    out += line;
  }
  out +=
      "error = model - observed; z = error / sd (or / tolerance); within: inside the tolerance "
      "or 2 sd.\n";
  if (!fit.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : fit.warnings) out += "  - " + w + "\n";
  }
  return out;
}

std::string calibration_report_json(const CalibrationResult& fit) {
  using io::json_number;
  using io::json_string;
  std::string out = "{\n  \"method\": " + json_string(method_name(fit.method)) +
                    ",\n  \"evaluations\": " + std::to_string(fit.evaluations) +
                    ",\n  \"converged\": " + (fit.converged ? "true" : "false") +
                    ",\n  \"misfit\": " + json_number(fit.misfit) + ",\n  \"parameters\": [";
  for (std::size_t i = 0; i < fit.parameters.size(); ++i) {
    const auto& p = fit.parameters[i];
    out += std::string(i ? "," : "") + "\n    {\"name\": " + json_string(p.name) +
           ", \"path\": " + json_string(p.path) + ", \"value\": " + json_number(p.value) +
           ", \"initial\": " + json_number(p.initial) + ", \"lower\": " + json_number(p.lower) +
           ", \"upper\": " + json_number(p.upper) + ", \"std_error\": " + json_number(p.std_error) +
           ", \"q05\": " + json_number(p.q05) + ", \"q95\": " + json_number(p.q95) +
           ", \"at_bound\": " + (p.at_bound ? "true" : "false") +
           ", \"identified\": " + (p.identified ? "true" : "false") + "}";
  }
  out += "\n  ],\n  \"targets\": [";
  for (std::size_t i = 0; i < fit.targets.size(); ++i) {
    const auto& t = fit.targets[i];
    out += std::string(i ? "," : "") + "\n    {\"name\": " + json_string(t.name) +
           ", \"query\": " + json_string(t.query) + ", \"table\": " + json_string(t.table) +
           ", \"fitted\": " + (t.fitted ? "true" : "false") +
           ", \"observed\": " + json_number(t.observed) + ", \"sd\": " + json_number(t.sd) +
           ", \"is_tolerance\": " + (t.is_tolerance ? "true" : "false") +
           ", \"model\": " + json_number(t.model) + ", \"z\": " + json_number(t.z) +
           ", \"within\": " + (t.within() ? "true" : "false") + "}";
  }
  out += "\n  ],\n  \"warnings\": [";
  for (std::size_t i = 0; i < fit.warnings.size(); ++i) {
    out += std::string(i ? "," : "") + "\n    " + json_string(fit.warnings[i]);
  }
  out += "\n  ]";
  if (fit.method == CalibrationMethod::abc) {
    std::string eps;
    for (const double e : fit.abc_epsilons) eps += (eps.empty() ? "" : ", ") + json_number(e);
    out += ",\n  \"abc_epsilon\": " + json_number(fit.abc_epsilon) + ",\n  \"abc_epsilons\": [" +
           eps + "],\n  \"abc_stop\": " + json_string(fit.abc_stop) +
           ",\n  \"accepted\": " + std::to_string(fit.posterior.size());
  }
  return out + "\n}\n";
}

}  // namespace staffsim
