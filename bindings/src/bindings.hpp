#pragma once
// Shared by the translation units of staffsim._core: the Python-side
// wrappers of a scenario and of a run's results.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "staffsim/ensemble.hpp"
#include "staffsim/results.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim::python {

namespace py = pybind11;

// A loaded scenario and how to load it again (pickling): the file as given,
// the folder it was given relative to, and the overrides in order.
struct PyScenario {
  std::shared_ptr<const Scenario> scenario;
  std::string path;
  std::string base;
  std::vector<Override> overrides;
};

// Results of a run: one deterministic run, or an ensemble.
struct PyResults {
  std::shared_ptr<const Scenario> scenario;
  std::variant<Results, EnsembleResults> data;
  [[nodiscard]] bool is_ensemble() const { return data.index() == 1; }
  [[nodiscard]] const Results& first() const {
    return is_ensemble() ? std::get<EnsembleResults>(data).first : std::get<Results>(data);
  }
};

// results.cpp: the Results class and the pieces of its xarray Dataset.
void bind_results(py::module_& m);

}  // namespace staffsim::python
