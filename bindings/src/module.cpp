// staffsim._core: the pybind11 layer over the engine (DESIGN.md 5). Thin:
// load a scenario, run it (the GIL released while the engine works), step a
// simulation; the engine's exceptions arrive as ValueError (invalid scenario,
// misuse), OSError (files) and KeyboardInterrupt, with the same messages.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "io/results_variables.hpp"
#include "staffsim/ensemble.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/simulation.hpp"

namespace staffsim::python {

namespace {

namespace fs = std::filesystem;

// ---- Scenario -------------------------------------------------------------

PyScenario load(const std::string& path, const std::string& base, std::vector<Override> sets) {
  fs::path file(path);
  // A relative path is relative to the folder it was given in; load it as
  // given (so messages and provenance name it as the user did) when that is
  // still the working folder.
  if (file.is_relative() && !base.empty()) {
    std::error_code ec;
    if (fs::current_path(ec) != fs::path(base) || ec) file = fs::path(base) / file;
  }
  Scenario sc;
  {
    py::gil_scoped_release release;
    sc = load_scenario(file, sets);
  }
  return PyScenario{std::make_shared<const Scenario>(std::move(sc)), path, base, std::move(sets)};
}

// Python values as `--set` YAML text (staffsim._overrides.yaml_text).
std::vector<Override> overrides_from(const py::object& mapping) {
  std::vector<Override> out;
  if (mapping.is_none()) return out;
  const py::object yaml_text = py::module_::import("staffsim._overrides").attr("yaml_text");
  for (const auto& item : py::reinterpret_borrow<py::dict>(py::dict(mapping))) {
    out.push_back(Override{py::str(item.first).cast<std::string>(),
                           yaml_text(item.second).cast<std::string>()});
  }
  return out;
}

std::vector<std::string> lever_names_of(const Scenario& sc) {
  std::vector<std::string> out;
  for (const Lever& l : sc.levers) out.push_back(l.name);
  return out;
}

std::vector<int> years_of(const Scenario& sc) {
  std::vector<int> out;
  for (int y = sc.time.start_year; y <= sc.time.end_year; ++y) out.push_back(y);
  return out;
}

// ---- Running --------------------------------------------------------------

// Polled by the engine between blocks of draws, on the calling thread: a
// pending Ctrl-C stops the run (Interrupted, raised as KeyboardInterrupt).
bool python_interrupted() {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) {
    PyErr_Clear();
    return true;
  }
  return false;
}

std::shared_ptr<PyResults> run(const PyScenario& s, std::int64_t draws, std::int64_t seed,
                               int threads, std::int64_t first_draw, py::object progress,
                               py::object samples) {
  if (draws < 1) throw UsageError("draws = " + std::to_string(draws) + ": at least one draw");
  if (seed < 0) throw UsageError("seed = " + std::to_string(seed) + ": must be >= 0");
  if (first_draw < 0) {
    throw UsageError("first_draw = " + std::to_string(first_draw) + ": must be >= 0");
  }
  if (threads < 0) {
    throw UsageError("threads = " + std::to_string(threads) + ": must be >= 0 (0: every core)");
  }
  auto out = std::make_shared<PyResults>();
  out->scenario = s.scenario;
  const Scenario& sc = *s.scenario;
  // An external design: (draws, uncertainty entries), NaN where an entry
  // samples; it crosses as one array.
  std::vector<double> design;
  if (!samples.is_none()) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(samples);
    const auto entries = static_cast<py::ssize_t>(uncertain_parameter_names(sc).size());
    if (!a || a.ndim() != 2 || a.shape(0) != draws || a.shape(1) != entries) {
      throw UsageError("samples: expected an array of shape (draws, uncertainty entries) = (" +
                       std::to_string(draws) + ", " + std::to_string(entries) + ")");
    }
    design.assign(a.data(), a.data() + a.size());
  }
  if (!is_ensemble(sc, static_cast<std::uint64_t>(draws)) && design.empty()) {
    py::gil_scoped_release release;
    out->data = run_scenario(sc);
    return out;
  }
  EnsembleOptions o;
  o.draws = static_cast<std::uint64_t>(draws);
  o.seed = static_cast<std::uint64_t>(seed);
  o.first_draw = static_cast<std::uint64_t>(first_draw);
  o.threads = threads;
  o.samples = std::move(design);
  o.cancelled = python_interrupted;
  if (!progress.is_none()) {
    o.progress = [&progress](std::uint64_t done, std::uint64_t total) {
      py::gil_scoped_acquire gil;
      progress(done, total);
    };
  }
  EnsembleResults res;
  {
    py::gil_scoped_release release;
    res = run_ensemble(sc, o);
  }
  out->data = std::move(res);
  return out;
}

// ---- Simulation -------------------------------------------------------------

// One draw stepped from Python. The engine object is not thread-safe: a
// mutex serialises calls that run with the GIL released.
class PySimulation {
 public:
  PySimulation(const PyScenario& s, std::int64_t seed, std::int64_t draw) : scenario_(s) {
    if (seed < 0) throw UsageError("seed = " + std::to_string(seed) + ": must be >= 0");
    if (draw < 0) throw UsageError("draw = " + std::to_string(draw) + ": must be >= 0");
    py::gil_scoped_release release;
    const DrawKey key{static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(draw)};
    // The draw's sampled parameters (the scenario itself when nothing is uncertain).
    ParameterDraw pd = draw_scenario(*scenario_.scenario, key.seed, key.draw);
    sim_.emplace(std::move(pd.scenario), FlowSwitches{}, key);
  }

  void step() {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    sim_->step();
  }
  void run_to(int year) {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    sim_->run_to(year);
  }
  void run() {
    py::gil_scoped_release release;
    const std::lock_guard lock(mutex_);
    sim_->run();
  }
  void set_lever(const std::string& name, double value) {
    const std::lock_guard lock(mutex_);
    sim_->set_lever(name, value);
  }
  std::vector<std::string> lever_names() const { return locked()->lever_names(); }
  bool finished() const { return locked()->finished(); }
  double current_year() const { return locked()->current_year(); }
  int step_index() const { return locked()->step_index(); }
  std::uint64_t seed() const { return locked()->key().seed; }
  std::uint64_t draw() const { return locked()->key().draw; }

  // H[role, sector, age, tenure band] (Dimensions::cell: band fastest).
  py::array_t<double> headcount() const {
    const std::lock_guard lock(mutex_);
    const Dimensions& d = sim_->dims();
    py::array_t<double> out(
        std::vector<py::ssize_t>{d.n_roles(), d.n_sectors(), d.n_ages(), d.n_bands()});
    const Eigen::ArrayXd& h = sim_->headcount();
    std::memcpy(out.mutable_data(), h.data(), static_cast<std::size_t>(h.size()) * sizeof(double));
    return out;
  }

  // Trainees per programme: (stage, age).
  std::vector<py::array_t<double>> pipeline() const {
    const std::lock_guard lock(mutex_);
    const int A = sim_->dims().n_ages();
    std::vector<py::array_t<double>> out;
    for (const Eigen::ArrayXd& t : sim_->pipeline()) {
      py::array_t<double> a(std::vector<py::ssize_t>{t.size() / A, A});
      std::memcpy(a.mutable_data(), t.data(), static_cast<std::size_t>(t.size()) * sizeof(double));
      out.push_back(std::move(a));
    }
    return out;
  }

  std::shared_ptr<PyResults> results() const {
    auto out = std::make_shared<PyResults>();
    out->scenario = scenario_.scenario;
    const std::lock_guard lock(mutex_);
    out->data = sim_->results();
    return out;
  }

  const PyScenario& scenario() const { return scenario_; }

 private:
  struct Locked {
    std::unique_lock<std::mutex> lock;
    const Simulation* sim;
    const Simulation* operator->() const { return sim; }
  };
  Locked locked() const { return Locked{std::unique_lock(mutex_), &*sim_}; }

  PyScenario scenario_;
  std::optional<Simulation> sim_;
  mutable std::mutex mutex_;
};

void bind_errors(py::module_& m) {
  // Subclasses of ValueError and OSError, so `except ValueError` works and a
  // caller can still tell an invalid scenario from misuse.
  py::register_exception<ScenarioError>(m, "ScenarioError", PyExc_ValueError);
  py::register_exception<UsageError>(m, "UsageError", PyExc_ValueError);
  py::register_exception<IoError>(m, "IoError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Interrupted&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });
}

void bind_scenario(py::module_& m) {
  py::class_<PyScenario>(m, "Scenario", R"doc(
A resolved, validated scenario (DESIGN.md 3).

Load one with ``Scenario.load(path)``; ``with_overrides({path: value})``
gives a variant with ``--set``-style overrides. Scenarios pickle (the file,
the folder it was given relative to and the overrides; loaded again on
unpickling).
)doc")
      .def_static(
          "load",
          [](const fs::path& path, const py::object& overrides) {
            std::error_code ec;
            const fs::path cwd = fs::current_path(ec);
            return load(path.string(), ec ? std::string() : cwd.string(),
                        overrides_from(overrides));
          },
          py::arg("path"), py::arg("overrides") = py::none(),
          "Load, merge and validate a scenario file; overrides as in with_overrides().")
      .def(
          "with_overrides",
          [](const PyScenario& s, const py::object& overrides) {
            std::vector<Override> sets = s.overrides;
            for (Override& o : overrides_from(overrides)) sets.push_back(std::move(o));
            return load(s.path, s.base, std::move(sets));
          },
          py::arg("overrides"),
          "A new scenario: this file with {path: value} overrides applied after this one's "
          "(values as YAML: numbers, strings, lists, dicts).")
      .def_property_readonly(
          "name", [](const PyScenario& s) { return s.scenario->name; }, "The scenario's name.")
      .def_property_readonly("description",
                             [](const PyScenario& s) { return s.scenario->description; })
      .def_property_readonly(
          "path", [](const PyScenario& s) { return s.path; }, "The file as it was given.")
      .def_property_readonly(
          "overrides",
          [](const PyScenario& s) {
            std::vector<std::pair<std::string, std::string>> out;
            for (const Override& o : s.overrides) out.emplace_back(o.path, o.value);
            return out;
          },
          "The overrides applied, as (path, YAML text) pairs in order.")
      .def_property_readonly("roles", [](const PyScenario& s) { return s.scenario->dims.roles; })
      .def_property_readonly("sectors",
                             [](const PyScenario& s) { return s.scenario->dims.sectors; })
      .def_property_readonly(
          "years", [](const PyScenario& s) { return years_of(*s.scenario); },
          "Census years, start_year to end_year.")
      .def_property_readonly(
          "ages",
          [](const PyScenario& s) {
            std::vector<int> out;
            for (int a = s.scenario->dims.min_age; a <= s.scenario->dims.max_age; ++a) {
              out.push_back(a);
            }
            return out;
          },
          "Single ages, min_age to max_age.")
      .def_property_readonly(
          "tenure_bands",
          [](const PyScenario& s) {
            std::vector<std::string> out;
            for (int k = 0; k < s.scenario->dims.n_bands(); ++k) {
              out.push_back(io::tenure_band_label(s.scenario->dims, k));
            }
            return out;
          },
          "Tenure band labels.")
      .def_property_readonly(
          "dims",
          [](const PyScenario& s) {
            py::dict d;
            d["role"] = s.scenario->dims.roles;
            d["sector"] = s.scenario->dims.sectors;
            d["year"] = years_of(*s.scenario);
            return d;
          },
          "Labels of the role, sector and year dimensions.")
      .def_property_readonly("steps_per_year",
                             [](const PyScenario& s) { return s.scenario->time.steps_per_year; })
      .def_property_readonly(
          "lever_names", [](const PyScenario& s) { return lever_names_of(*s.scenario); },
          "Names of the scenario's lever instances.")
      .def_property_readonly(
          "stochastic", [](const PyScenario& s) { return s.scenario->stochastic; },
          "True with process noise (`stochastic: true`).")
      .def_property_readonly(
          "uncertain_parameters",
          [](const PyScenario& s) { return uncertain_parameter_names(*s.scenario); },
          "Names of the `uncertainty:` entries.")
      .def_property_readonly(
          "resolved_yaml", [](const PyScenario& s) { return s.scenario->resolved_yaml; },
          "The merged scenario as YAML text.")
      .def_property_readonly(
          "warnings",
          [](const PyScenario& s) {
            std::vector<std::string> out;
            for (const Diagnostic& d : s.scenario->warnings) out.push_back(d.format());
            return out;
          },
          "Non-fatal findings of validation, as messages.")
      .def(
          "is_ensemble",
          [](const PyScenario& s, std::int64_t draws) {
            if (draws < 1) throw UsageError("draws = " + std::to_string(draws) + ": at least one");
            return staffsim::is_ensemble(*s.scenario, static_cast<std::uint64_t>(draws));
          },
          py::arg("draws") = 1, "True when run(draws=draws) is an ensemble (a `draw` dimension).")
      .def("__eq__",
           [](const PyScenario& a, const py::object& other) -> py::object {
             if (!py::isinstance<PyScenario>(other))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             const auto& b = other.cast<const PyScenario&>();
             // The same merged scenario from files with the same content
             // (however the files were named).
             auto digests = [](const Scenario& sc) {
               std::vector<std::string> out;
               for (const auto& [file, digest] : sc.input_sha256) out.push_back(digest);
               return out;
             };
             return py::bool_(a.scenario->name == b.scenario->name &&
                              a.scenario->resolved_yaml == b.scenario->resolved_yaml &&
                              digests(*a.scenario) == digests(*b.scenario));
           })
      .def("__hash__",
           [](const PyScenario& s) { return py::hash(py::str(s.scenario->resolved_yaml)); })
      .def("__repr__",
           [](const PyScenario& s) {
             std::string text = "<staffsim.Scenario " + s.scenario->name + " from '" + s.path + "'";
             if (!s.overrides.empty()) {
               text += " with " + std::to_string(s.overrides.size()) + " override(s)";
             }
             return text + ">";
           })
      .def(py::pickle(
          [](const PyScenario& s) {
            py::list sets;
            for (const Override& o : s.overrides) sets.append(py::make_tuple(o.path, o.value));
            return py::make_tuple(s.path, s.base, sets);
          },
          [](const py::tuple& t) {
            if (t.size() != 3) throw std::runtime_error("staffsim.Scenario: bad pickle state");
            std::vector<Override> sets;
            for (const auto& item : t[2].cast<py::list>()) {
              const auto pair = item.cast<std::pair<std::string, std::string>>();
              sets.push_back(Override{pair.first, pair.second});
            }
            return load(t[0].cast<std::string>(), t[1].cast<std::string>(), std::move(sets));
          }));
}

void bind_simulation(py::module_& m) {
  py::class_<PySimulation>(m, "Simulation", R"doc(
One draw of a scenario, stepped from Python (DESIGN.md 2.5, 5): run to a
year, change a lever, run on. With uncertain parameters, draw ``draw`` of
``seed`` uses that draw's sampled parameters (as in an ensemble).
)doc")
      .def(py::init<const PyScenario&, std::int64_t, std::int64_t>(), py::arg("scenario"),
           py::arg("seed") = 0, py::arg("draw") = 0)
      .def("step", &PySimulation::step, "Advance one step (1 / steps_per_year years).")
      .def("run_to", &PySimulation::run_to, py::arg("year"),
           "Run until the census of `year` (inclusive).")
      .def("run", &PySimulation::run, "Run to the end year.")
      .def("set_lever", &PySimulation::set_lever, py::arg("instance"), py::arg("value"),
           "From now on, lever `instance` takes `value` (its path up to now is kept).")
      .def_property_readonly("lever_names", &PySimulation::lever_names)
      .def_property_readonly("finished", &PySimulation::finished)
      .def_property_readonly("current_year", &PySimulation::current_year,
                             "start_year + steps done / steps_per_year.")
      .def_property_readonly("step_index", &PySimulation::step_index, "Steps done so far.")
      .def_property_readonly("seed", &PySimulation::seed)
      .def_property_readonly("draw", &PySimulation::draw)
      .def_property_readonly(
          "headcount", &PySimulation::headcount,
          "Staff in post now, shape (roles, sectors, ages, tenure bands); a copy.")
      .def_property_readonly("pipeline", &PySimulation::pipeline,
                             "Trainees now, per programme, shape (course stage, age); copies.")
      .def_property_readonly("scenario", &PySimulation::scenario, "The scenario it runs.")
      .def("results", &PySimulation::results, "Results of the census years reached so far.");
}

}  // namespace

void register_goal(py::module_& m);  // goal.cpp
void register_calibration(py::module_& m);

}  // namespace staffsim::python

PYBIND11_MODULE(_core, m) {
  using namespace staffsim::python;
  m.doc() = "staffsim's engine (C++), bound with pybind11; use the `staffsim` package.";
  m.attr("__version__") = STAFFSIM_VERSION;
  bind_errors(m);
  bind_scenario(m);
  bind_results(m);
  bind_simulation(m);
  register_goal(m);
  register_calibration(m);
  m.def("run", &run, py::arg("scenario"), py::arg("draws") = 1, py::arg("seed") = 0,
        py::arg("threads") = 0, py::arg("first_draw") = 0, py::arg("progress") = py::none(),
        py::arg("samples") = py::none(),
        "Run a scenario: one deterministic run, or an ensemble when draws > 1 or the scenario "
        "has uncertain parameters or process noise. `progress(done, total)` is called after "
        "each block of draws. `samples` (draws x uncertainty entries; NaN: sample as usual) "
        "is an external design for the uncertainty entries. The GIL is released while the "
        "engine runs.");
}
