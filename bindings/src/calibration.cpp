// staffsim._core calibration functions (staffsim/calibration.hpp): fits,
// cross-validation, the model's target values at a point, and the fit's
// outputs (report text and JSON, the calibrated scenario, the posterior
// sample). A fit crosses to Python as a plain dict (the posterior as a NumPy
// array) and back the same way, so staffsim.calibration
// (bindings/staffsim/calibration.py) can hand the engine's writers a fit it
// made itself (method "scipy").
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "calibration/problem.hpp"
#include "staffsim/calibration.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::python {

namespace {

namespace fs = std::filesystem;

// "scipy" is a least-squares fit made in Python: the engine's writers treat
// it as one.
CalibrationMethod method_of(const std::string& name) {
  if (name == "least_squares" || name == "lm" || name == "scipy") {
    return CalibrationMethod::least_squares;
  }
  if (name == "abc") return CalibrationMethod::abc;
  throw UsageError("method = '" + name + "': one of least_squares, abc, scipy");
}

std::uint64_t non_negative(const char* name, std::int64_t v) {
  if (v < 0) throw UsageError(std::string(name) + " = " + std::to_string(v) + ": must be >= 0");
  return static_cast<std::uint64_t>(v);
}

CalibrationOptions options_of(const std::string& method, std::vector<std::string> fit_tables,
                              int max_evaluations, std::int64_t draws, std::int64_t accept,
                              std::int64_t seed, int threads) {
  CalibrationOptions o;
  o.method = method_of(method);
  if (method == "scipy") {
    throw UsageError("method = 'scipy': fitted in Python (staffsim.calibrate), not by the engine");
  }
  if (max_evaluations < 1) {
    throw UsageError("max_evaluations = " + std::to_string(max_evaluations) + ": must be >= 1");
  }
  if (threads < 0) {
    throw UsageError("threads = " + std::to_string(threads) + ": must be >= 0 (0: every core)");
  }
  o.fit_tables = std::move(fit_tables);
  o.max_evaluations = max_evaluations;
  o.abc_draws = non_negative("draws", draws);
  o.abc_accept = non_negative("accept", accept);
  o.seed = non_negative("seed", seed);
  o.threads = threads;
  return o;
}

py::array_t<double> posterior_array(const CalibrationResult& r) {
  const auto rows = static_cast<py::ssize_t>(r.posterior.size());
  const auto cols = static_cast<py::ssize_t>(r.parameters.size());
  py::array_t<double> out(std::vector<py::ssize_t>{rows, cols});
  double* p = out.mutable_data();
  for (const auto& row : r.posterior) {
    std::memcpy(p, row.data(), row.size() * sizeof(double));
    p += row.size();
  }
  return out;
}

py::dict to_dict(const CalibrationResult& r) {
  py::dict d;
  const bool abc = r.method == CalibrationMethod::abc;
  d["method"] = abc ? "abc" : "least_squares";
  py::list params;
  for (const ParameterFit& p : r.parameters) {
    py::dict q;
    q["name"] = p.name;
    q["path"] = p.path;
    q["value"] = p.value;
    q["initial"] = p.initial;
    q["lower"] = p.lower;
    q["upper"] = p.upper;
    q["std_error"] = p.std_error;
    q["q05"] = p.q05;
    q["q95"] = p.q95;
    q["at_bound"] = p.at_bound;
    q["identified"] = p.identified;
    params.append(q);
  }
  d["parameters"] = params;
  py::list targets;
  for (const TargetFit& t : r.targets) {
    py::dict q;
    q["name"] = t.name;
    q["query"] = t.query;
    q["table"] = t.table;
    q["fitted"] = t.fitted;
    q["observed"] = t.observed;
    q["sd"] = t.sd;
    q["is_tolerance"] = t.is_tolerance;
    q["model"] = t.model;
    q["z"] = t.z;
    q["within"] = t.within();
    targets.append(q);
  }
  d["targets"] = targets;
  d["misfit"] = r.misfit;
  d["evaluations"] = r.evaluations;
  d["converged"] = r.converged;
  d["warnings"] = r.warnings;
  d["posterior"] = abc ? py::object(posterior_array(r)) : py::object(py::none());
  d["abc_epsilon"] = abc ? py::object(py::float_(r.abc_epsilon)) : py::object(py::none());
  d["abc_epsilons"] = abc ? py::object(py::cast(r.abc_epsilons)) : py::object(py::none());
  d["abc_stop"] = abc ? py::object(py::str(r.abc_stop)) : py::object(py::none());
  return d;
}

// A fit from Python: a dict of to_dict()'s keys, or an object with them as
// attributes (staffsim.CalibrationResult and its parameter and target rows).
py::object field(const py::handle& obj, const char* name) {
  if (py::isinstance<py::dict>(obj)) return obj.cast<py::dict>()[name];
  return obj.attr(name);
}

CalibrationResult from_python(const py::handle& obj) {
  CalibrationResult r;
  r.method = method_of(field(obj, "method").cast<std::string>());
  for (const auto& q : field(obj, "parameters")) {
    ParameterFit p;
    p.name = field(q, "name").cast<std::string>();
    p.path = field(q, "path").cast<std::string>();
    p.value = field(q, "value").cast<double>();
    p.initial = field(q, "initial").cast<double>();
    p.lower = field(q, "lower").cast<double>();
    p.upper = field(q, "upper").cast<double>();
    p.std_error = field(q, "std_error").cast<double>();
    p.q05 = field(q, "q05").cast<double>();
    p.q95 = field(q, "q95").cast<double>();
    p.at_bound = field(q, "at_bound").cast<bool>();
    p.identified = field(q, "identified").cast<bool>();
    r.parameters.push_back(std::move(p));
  }
  for (const auto& q : field(obj, "targets")) {
    TargetFit t;
    t.name = field(q, "name").cast<std::string>();
    t.query = field(q, "query").cast<std::string>();
    t.table = field(q, "table").cast<std::string>();
    t.fitted = field(q, "fitted").cast<bool>();
    t.observed = field(q, "observed").cast<double>();
    t.sd = field(q, "sd").cast<double>();
    t.is_tolerance = field(q, "is_tolerance").cast<bool>();
    t.model = field(q, "model").cast<double>();
    t.z = field(q, "z").cast<double>();
    r.targets.push_back(std::move(t));
  }
  r.misfit = field(obj, "misfit").cast<double>();
  r.evaluations = field(obj, "evaluations").cast<int>();
  r.converged = field(obj, "converged").cast<bool>();
  for (const auto& w : field(obj, "warnings")) r.warnings.push_back(w.cast<std::string>());
  const py::object eps = field(obj, "abc_epsilon");
  if (!eps.is_none()) r.abc_epsilon = eps.cast<double>();
  const py::object epsilons = field(obj, "abc_epsilons");
  if (!epsilons.is_none()) r.abc_epsilons = epsilons.cast<std::vector<double>>();
  const py::object stop = field(obj, "abc_stop");
  if (!stop.is_none()) r.abc_stop = stop.cast<std::string>();
  const py::object post = field(obj, "posterior");
  if (!post.is_none()) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(post);
    if (!a || a.ndim() != 2 || a.shape(1) != static_cast<py::ssize_t>(r.parameters.size())) {
      throw UsageError("posterior: expected an array of shape (draws, free parameters)");
    }
    for (py::ssize_t i = 0; i < a.shape(0); ++i) {
      r.posterior.emplace_back(a.data(i, 0), a.data(i, 0) + a.shape(1));
    }
  }
  return r;
}

py::dict fit(const PyScenario& s, const std::string& method, std::vector<std::string> fit_tables,
             int max_evaluations, std::int64_t draws, std::int64_t accept, std::int64_t seed,
             int threads) {
  const CalibrationOptions o =
      options_of(method, std::move(fit_tables), max_evaluations, draws, accept, seed, threads);
  CalibrationResult r;
  {
    // Hundreds or thousands of model runs: other Python threads go on.
    py::gil_scoped_release release;
    r = calibrate(*s.scenario, o);
  }
  return to_dict(r);
}

py::dict crossval(const PyScenario& s, std::vector<std::string> fit_tables,
                  const std::string& method, int max_evaluations, std::int64_t draws,
                  std::int64_t accept, std::int64_t seed, int threads) {
  const CalibrationOptions o =
      options_of(method, fit_tables, max_evaluations, draws, accept, seed, threads);
  CalibrationResult r;
  {
    py::gil_scoped_release release;
    r = cross_validate(*s.scenario, fit_tables, o);
  }
  return to_dict(r);
}

py::array_t<double> values_at(const PyScenario& s, const py::object& theta) {
  std::vector<double> t;
  if (!theta.is_none()) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(theta);
    if (!a || a.ndim() != 1) throw UsageError("theta: expected a sequence of numbers");
    t.assign(a.data(), a.data() + a.size());
  }
  std::vector<double> v;
  {
    py::gil_scoped_release release;
    v = target_values(*s.scenario, t);
  }
  py::array_t<double> out(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(out.mutable_data(), v.data(), v.size() * sizeof(double));
  return out;
}

// The calibration block as the fit sees it with `fit_tables` (the engine's
// own checks: no block, an unknown table): the free parameters and the
// targets in the order target_values() returns them, each marked fitted or
// predicted.
py::dict spec_of(const PyScenario& s, const std::vector<std::string>& fit_tables) {
  const calib::Problem problem(*s.scenario, fit_tables);
  const CalibrationSpec& spec = problem.spec();
  py::list free;
  for (const FreeParameter& f : spec.free) {
    py::dict q;
    q["name"] = f.name;
    q["path"] = f.path;
    q["scale"] = f.scale;
    q["lower"] = f.lower;
    q["upper"] = f.upper;
    q["initial"] = f.initial;
    q["balance"] = f.balance;
    free.append(q);
  }
  py::list targets;
  for (std::size_t i = 0; i < spec.targets.size(); ++i) {
    const CalibrationTarget& t = spec.targets[i];
    py::dict q;
    q["name"] = t.name;
    q["query"] = t.query.text();
    q["table"] = t.table;
    q["fitted"] = problem.is_fitted(i);
    q["observed"] = t.observed;
    q["sd"] = t.sd;
    q["is_tolerance"] = t.is_tolerance;
    targets.append(q);
  }
  py::dict d;
  d["free"] = free;
  d["targets"] = targets;
  return d;
}

}  // namespace

void register_calibration(py::module_& m) {
  m.def("calibrate", &fit, py::arg("scenario"), py::arg("method") = "least_squares",
        py::arg("fit_tables") = std::vector<std::string>{},
        py::arg("max_evaluations") = CalibrationOptions{}.max_evaluations,
        py::arg("draws") = CalibrationOptions{}.abc_draws,
        py::arg("accept") = CalibrationOptions{}.abc_accept,
        py::arg("seed") = CalibrationOptions{}.seed, py::arg("threads") = 0,
        "Fit the scenario's `calibration:` free parameters to its targets "
        "(method 'least_squares' or 'abc'), as a dict (staffsim.calibrate wraps it). The GIL is "
        "released during the fit.");
  m.def("cross_validate", &crossval, py::arg("scenario"), py::arg("fit_tables"),
        py::arg("method") = "least_squares",
        py::arg("max_evaluations") = CalibrationOptions{}.max_evaluations,
        py::arg("draws") = CalibrationOptions{}.abc_draws,
        py::arg("accept") = CalibrationOptions{}.abc_accept,
        py::arg("seed") = CalibrationOptions{}.seed, py::arg("threads") = 0,
        "Fit on the targets of `fit_tables` and predict the others, as calibrate()'s dict. "
        "The GIL is released during the fit.");
  m.def("target_values", &values_at, py::arg("scenario"), py::arg("theta") = py::none(),
        "Every target's model value (calibration_spec() order) with the free parameters at "
        "`theta` (None: as written), from the deterministic run.");
  m.def("calibration_spec", &spec_of, py::arg("scenario"),
        py::arg("fit_tables") = std::vector<std::string>{},
        "The free parameters and targets of the scenario's `calibration:` block, each target "
        "marked fitted for `fit_tables` (empty: every table).");
  m.def(
      "calibrated_yaml",
      [](const PyScenario& s, const py::object& result, const fs::path& output,
         const fs::path& posterior_csv) {
        return calibrated_yaml(*s.scenario, from_python(result), output, posterior_csv,
                               s.overrides);
      },
      py::arg("scenario"), py::arg("result"), py::arg("output"), py::arg("posterior_csv") = "",
      "The calibrated scenario's YAML: `extends:` the input (relative to `output`) with the "
      "fitted values as `overrides:`, and an `uncertainty:` sample of `posterior_csv` if given.");
  m.def(
      "write_calibrated_scenario",
      [](const PyScenario& s, const py::object& result, const fs::path& output,
         const fs::path& posterior_csv) {
        write_calibrated_scenario(*s.scenario, from_python(result), output, posterior_csv,
                                  s.overrides);
      },
      py::arg("scenario"), py::arg("result"), py::arg("output"), py::arg("posterior_csv") = "",
      "calibrated_yaml() written to `output` (replaced only once complete).");
  m.def(
      "write_posterior_csv",
      [](const PyScenario& s, const py::object& result, const fs::path& file) {
        write_posterior_csv(*s.scenario, from_python(result), file);
      },
      py::arg("scenario"), py::arg("result"), py::arg("file"),
      "The ABC posterior as a `sample:` CSV file (a draw column, one column per free "
      "parameter's path).");
  m.def(
      "format_calibration_report",
      [](const py::object& result) { return format_calibration_report(from_python(result)); },
      py::arg("result"), "The fit's report as text (as `staffsim calibrate` prints it).");
  m.def(
      "calibration_report_json",
      [](const py::object& result) { return calibration_report_json(from_python(result)); },
      py::arg("result"), "The fit's report as JSON text (`staffsim calibrate --format json`).");
}

}  // namespace staffsim::python
