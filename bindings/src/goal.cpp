// staffsim._core.seek_goal: goal seeking (staffsim/goal.hpp) from Python.
// Returns a plain dict; staffsim.goal (bindings/staffsim/goal.py) turns it
// into the frozen GoalResult dataclass.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bindings.hpp"
#include "staffsim/goal.hpp"

namespace staffsim::python {

namespace {

py::dict to_dict(const GoalResult& r) {
  py::dict d;
  d["scenario"] = r.scenario;
  d["target"] = r.target.text();
  d["indicator"] = r.target.query.text();
  d["op"] = to_string(r.target.op);
  d["target_value"] = r.target.value;
  d["lever"] = r.lever;
  d["lever_type"] = r.lever_type;
  d["lever_value_is"] = r.path_text;
  d["met"] = r.met;
  d["no_change_needed"] = r.no_change_needed;
  d["value"] = r.value;
  d["indicator_value"] = r.indicator_value;
  d["current_value"] = r.current_value;
  d["current_indicator_value"] = r.current_indicator_value;
  d["lower"] = r.lower;
  d["upper"] = r.upper;
  d["lower_basis"] = to_string(r.lower_basis);
  d["upper_basis"] = to_string(r.upper_basis);
  d["range_text"] = r.range_text;
  d["tolerance"] = r.tolerance;
  d["evaluations"] = r.evaluations;
  d["message"] = r.message;
  d["notes"] = r.notes;
  py::list scan;
  for (const GoalScanPoint& p : r.scan) {
    scan.append(py::make_tuple(p.lever_value, p.indicator_value, p.meets));
  }
  d["scan"] = scan;
  d["report"] = format_goal(r);
  return d;
}

py::dict seek(const PyScenario& s, const std::string& lever, const std::string& target,
              std::optional<double> lower, std::optional<double> upper, double tolerance,
              int max_evaluations) {
  GoalOptions o;
  o.lever = lever;
  o.lower = lower;
  o.upper = upper;
  o.tolerance = tolerance;
  o.max_evaluations = max_evaluations;
  const GoalTarget t = parse_goal_target(target);
  GoalResult r;
  {
    // Dozens of runs of the scenario: other Python threads go on meanwhile.
    py::gil_scoped_release release;
    r = seek_goal(*s.scenario, t, o);
  }
  return to_dict(r);
}

}  // namespace

void register_goal(py::module_& m) {
  m.def("seek_goal", &seek, py::arg("scenario"), py::arg("lever"), py::arg("target"),
        py::arg("lower") = py::none(), py::arg("upper") = py::none(),
        py::arg("tolerance") = GoalOptions{}.tolerance,
        py::arg("max_evaluations") = GoalOptions{}.max_evaluations,
        "The value of lever `lever` at which `target` (e.g. 'vacancy_rate[2025] <= 0.05') "
        "holds, nearest its current value, as a dict (staffsim.goal wraps it). The GIL is "
        "released during the search.");
}

}  // namespace staffsim::python
