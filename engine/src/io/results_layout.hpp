#pragma once
// What a results file holds beyond the single run's variables
// (docs/results-format.md): its root attributes, and an ensemble's extra
// coordinates and variables with their names, units and long names. The
// HDF5 writers lay them out; the Python bindings build the same Dataset
// from them, so the two cannot drift apart. Internal header.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "staffsim/ensemble.hpp"
#include "staffsim/results.hpp"
#include "staffsim/scenario.hpp"

namespace staffsim::io {

// The root attributes' run identity (a single run: seed 0, one draw).
struct RunIdentity {
  std::uint64_t seed = 0;
  std::uint64_t draws = 1;
  bool stochastic = false;
  std::optional<double> shortfall_threshold;  // ensembles
};

[[nodiscard]] RunIdentity run_identity(const EnsembleResults& e);

using AttributeValue = std::variant<std::string, double, std::int32_t, std::uint64_t>;
struct Attribute {
  std::string name;
  AttributeValue value;
};

// The root attributes in file order. `created_utc` is SOURCE_DATE_EPOCH when
// set (UsageError when it is not a whole number of seconds), else now.
[[nodiscard]] std::vector<Attribute> root_attributes(const Results& results, const Scenario& sc,
                                                     const RunIdentity& run);

// An ensemble's extra coordinate: `draw` (ints), `quantile` (reals) or
// `parameter` (labels; only when the scenario has uncertain parameters).
struct Coordinate {
  std::string name;
  std::string units;
  std::string long_name;
  std::vector<std::int32_t> ints;
  std::vector<double> reals;
  std::vector<std::string> labels;
};

[[nodiscard]] std::vector<Coordinate> ensemble_coordinates(const EnsembleResults& e);

// An ensemble variable: float32 per-draw values (the core set) or doubles.
struct EnsembleVariable {
  std::string name;
  std::vector<std::string> dims;
  std::string units;
  std::string long_name;
  std::span<const float> per_draw;  // the core set, first dimension `draw`
  std::span<const double> values;   // everything else
  std::optional<double> threshold;  // the shortfall probabilities
};

// Calls `sink` with each variable in file order: the core set per draw,
// then `X_q`, `X_mean`, `X_mean_se` of every variable, the shortfall
// probabilities and `parameter_value`.
void for_each_ensemble_variable(const EnsembleResults& e,
                                const std::function<void(const EnsembleVariable&)>& sink);

}  // namespace staffsim::io
