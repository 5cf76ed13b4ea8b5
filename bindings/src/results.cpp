// staffsim.Results: a run's results, saved by the engine's writers or laid
// out as an xarray Dataset with the results file's names, dimensions,
// coordinates and attributes (docs/results-format.md). Arrays cross whole:
// one NumPy array per variable, copied once.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <numeric>
#include <string>

#include "bindings.hpp"
#include "io/results_variables.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/results_writer.hpp"

#ifndef STAFFSIM_GIT_SHA
#define STAFFSIM_GIT_SHA "unknown"
#endif

namespace staffsim::python {

namespace {

// The root attribute `created_utc` as the writer makes it: SOURCE_DATE_EPOCH
// when set, else now.
std::string created_utc() {
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    const std::string text = epoch;
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) {
      throw UsageError("SOURCE_DATE_EPOCH='" + text +
                       "' is not a whole number of seconds since 1970-01-01");
    }
    t = static_cast<std::time_t>(seconds);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

py::object np_scalar(const char* type, py::object value) {
  return py::module_::import("numpy").attr(type)(std::move(value));
}

py::dict var_attrs(const std::string& units, const std::string& long_name) {
  py::dict a;
  a["units"] = units;
  a["long_name"] = long_name;
  return a;
}

template <typename T>
py::array_t<T> array_of(const std::vector<T>& values, const std::vector<py::ssize_t>& shape) {
  py::array_t<T> out(shape);
  if (static_cast<std::size_t>(out.size()) != values.size()) {
    throw std::logic_error("staffsim._core: a variable's values do not fill its dimensions");
  }
  if (!values.empty()) std::memcpy(out.mutable_data(), values.data(), values.size() * sizeof(T));
  return out;
}

// Builds {"attrs", "coords", "data_vars"} for staffsim._xarray.
class Parts {
 public:
  explicit Parts(const PyResults& r) : r_(r) {}

  py::dict build() {
    const Results& first = r_.first();
    root_attributes();
    for (const io::Dimension& d : io::results_dimensions(first)) {
      sizes_[d.name] = static_cast<py::ssize_t>(d.size());
      if (d.name == "year") {
        coord(d.name, array_of<int>(d.years, {sizes_[d.name]}), var_attrs(d.units, d.long_name));
      } else {
        coord(d.name, py::cast(d.labels), var_attrs(d.units, d.long_name));
      }
    }
    if (r_.is_ensemble()) ensemble_dimensions();
    for (const io::LabelBounds& b : io::label_bounds(first)) {
      data_var(b.name, {b.dim}, array_of<int>(b.values, shape({b.dim})),
               var_attrs(b.units, b.long_name));
    }
    variable(io::tenure_band_edges(first));
    if (r_.is_ensemble()) {
      ensemble_variables();
    } else {
      io::for_each_variable(first, [&](const io::Variable& v) { variable(v); });
    }
    py::dict out;
    out["attrs"] = attrs_;
    out["coords"] = coords_;
    out["data_vars"] = data_vars_;
    return out;
  }

 private:
  void root_attributes() {
    const Results& first = r_.first();
    const Scenario& sc = *r_.scenario;
    std::uint64_t seed = 0;
    std::uint64_t draws = 1;
    bool stochastic = false;
    if (r_.is_ensemble()) {
      const auto& e = std::get<EnsembleResults>(r_.data);
      seed = e.seed;
      draws = e.draws;
      stochastic = e.stochastic;
    }
    auto i32 = [](long long v) { return np_scalar("int32", py::int_(v)); };
    attrs_["filetype"] = io::kFiletype;
    attrs_["format_version"] = io::kFormatVersion;
    attrs_["staffsim_version"] = STAFFSIM_VERSION;
    attrs_["git_sha"] = STAFFSIM_GIT_SHA;
    attrs_["created_utc"] = created_utc();
    attrs_["seed"] = np_scalar("uint64", py::int_(seed));
    attrs_["draws"] = i32(static_cast<long long>(draws));
    attrs_["stochastic"] = i32(stochastic ? 1 : 0);
    attrs_["scenario_name"] = sc.name;
    attrs_["scenario_description"] = sc.description;
    attrs_["steps_per_year"] = i32(sc.time.steps_per_year);
    attrs_["min_age"] = i32(first.dims.min_age);
    attrs_["max_age"] = i32(first.dims.max_age);
    attrs_["price_base_year"] = i32(first.price_base_year);
    attrs_["coverage"] = np_scalar("float64", py::float_(sc.demand.coverage));
    attrs_["posts_by_construction"] = i32(first.posts_by_construction ? 1 : 0);
    attrs_["posts_by_construction_note"] =
        first.posts_by_construction
            ? "posts follow an index: a growth target reproduced through the index holds by "
              "construction, not as a finding"
            : "posts are not an index: they are an input or follow need";
    if (r_.is_ensemble()) {
      attrs_["shortfall_threshold"] =
          np_scalar("float64", py::float_(std::get<EnsembleResults>(r_.data).shortfall_threshold));
    }
  }

  void ensemble_dimensions() {
    const auto& e = std::get<EnsembleResults>(r_.data);
    std::vector<int> draws(static_cast<std::size_t>(e.draws));
    std::iota(draws.begin(), draws.end(), static_cast<int>(e.first_draw));
    sizes_["draw"] = static_cast<py::ssize_t>(draws.size());
    coord("draw", array_of<int>(draws, {sizes_["draw"]}),
          var_attrs("1", "Monte Carlo draw (its random streams are keyed by seed and draw)"));
    sizes_["quantile"] = static_cast<py::ssize_t>(e.quantile_levels.size());
    coord("quantile", array_of<double>(e.quantile_levels, {sizes_["quantile"]}),
          var_attrs("1", "quantile level over the draws (Hyndman-Fan type 7)"));
    if (e.parameter_names.empty()) return;
    sizes_["parameter"] = static_cast<py::ssize_t>(e.parameter_names.size());
    coord("parameter", py::cast(e.parameter_names),
          var_attrs("1", "uncertain parameter (an entry of the scenario's uncertainty block)"));
  }

  void ensemble_variables() {
    const auto& e = std::get<EnsembleResults>(r_.data);
    for (const DrawVariable& v : e.per_draw) {
      std::vector<std::string> dims{"draw"};
      dims.insert(dims.end(), v.dims.begin(), v.dims.end());
      data_var(v.name, dims, array_of<float>(v.values, shape(dims)),
               var_attrs(v.units, v.long_name + " (per draw)"));
    }
    for (const VariableSummary& s : e.summaries) {
      std::vector<std::string> qdims{"quantile"};
      qdims.insert(qdims.end(), s.dims.begin(), s.dims.end());
      variable(io::Variable{s.name + "_q", qdims, s.units, s.long_name + ": quantiles over draws",
                            s.quantiles});
      variable(io::Variable{s.name + "_mean", s.dims, s.units, s.long_name + ": mean over draws",
                            s.mean});
      variable(io::Variable{s.name + "_mean_se", s.dims, s.units,
                            s.long_name + ": Monte Carlo standard error of the mean", s.mean_se});
    }
    for (const ProbabilityVariable& p : e.probabilities) {
      py::dict a = var_attrs("1", p.long_name);
      a["threshold"] = np_scalar("float64", py::float_(e.shortfall_threshold));
      data_var(p.name, p.dims, array_of<double>(p.values, shape(p.dims)), a);
    }
    if (!e.parameter_names.empty()) {
      variable(io::Variable{"parameter_value",
                            {"draw", "parameter"},
                            "1",
                            "sampled value of each uncertain parameter (the choice's index for a "
                            "discrete one; NaN when it has one value per element)",
                            e.parameter_values});
    }
  }

  std::vector<py::ssize_t> shape(const std::vector<std::string>& dims) const {
    std::vector<py::ssize_t> out;
    for (const std::string& d : dims) out.push_back(sizes_.at(d));
    return out;
  }

  void variable(const io::Variable& v) {
    data_var(v.name, v.dims, array_of<double>(v.values, shape(v.dims)),
             var_attrs(v.units, v.long_name));
  }

  void coord(const std::string& name, py::object values, py::dict attrs) {
    coords_.append(py::make_tuple(name, std::move(values), std::move(attrs)));
  }

  void data_var(const std::string& name, const std::vector<std::string>& dims, py::object values,
                py::dict attrs) {
    data_vars_.append(
        py::make_tuple(name, py::tuple(py::cast(dims)), std::move(values), std::move(attrs)));
  }

  const PyResults& r_;
  std::map<std::string, py::ssize_t> sizes_;
  py::dict attrs_;
  py::list coords_;
  py::list data_vars_;
};

// Cancellation for the writer: Ctrl-C (a pending SIGINT) abandons the file.
bool python_interrupted() {
  py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) {
    PyErr_Clear();
    return true;
  }
  return false;
}

std::vector<int> recorded_years(const Results& r) {
  std::vector<int> out;
  for (const YearResult& y : r.years) {
    if (y.recorded) out.push_back(y.year);
  }
  return out;
}

}  // namespace

void bind_results(py::module_& m) {
  py::class_<PyResults, std::shared_ptr<PyResults>>(m, "Results", R"doc(
The results of a run: one deterministic run or an ensemble of draws.

``to_xarray()`` gives the Dataset that ``open_results`` reads back from the
file ``save()`` writes (docs/results-format.md).
)doc")
      .def_property_readonly("is_ensemble", &PyResults::is_ensemble,
                             "True for an ensemble (a `draw` dimension).")
      .def_property_readonly(
          "draws",
          [](const PyResults& r) {
            return r.is_ensemble() ? std::get<EnsembleResults>(r.data).draws : std::uint64_t{1};
          },
          "Number of draws (1 for a single run).")
      .def_property_readonly(
          "seed",
          [](const PyResults& r) {
            return r.is_ensemble() ? std::get<EnsembleResults>(r.data).seed : std::uint64_t{0};
          },
          "Seed of the draws' random numbers (0 for a single run).")
      .def_property_readonly(
          "first_draw",
          [](const PyResults& r) {
            return r.is_ensemble() ? std::get<EnsembleResults>(r.data).first_draw
                                   : std::uint64_t{0};
          },
          "Global number of the first draw.")
      .def_property_readonly(
          "years", [](const PyResults& r) { return recorded_years(r.first()); },
          "Census years recorded.")
      .def_property_readonly(
          "scenario_name", [](const PyResults& r) { return r.scenario->name; },
          "The scenario's name.")
      .def_property_readonly(
          "warnings",
          [](const PyResults& r) {
            std::vector<std::string> out;
            for (const Diagnostic& d : r.first().warnings) out.push_back(d.format());
            return out;
          },
          "Findings of the demand calibration, as messages.")
      .def(
          "save",
          [](const PyResults& r, const std::filesystem::path& path) {
            const WriteOptions options{.cancelled = python_interrupted};
            py::gil_scoped_release release;
            if (r.is_ensemble()) {
              write_ensemble_results(std::get<EnsembleResults>(r.data), *r.scenario, path, options);
            } else {
              write_results(std::get<Results>(r.data), *r.scenario, path, options);
            }
          },
          py::arg("path"),
          "Write the results file (.h5/.nc; .csv for a single run) with the engine's writer.")
      .def(
          "to_xarray",
          [](py::object self) {
            return py::module_::import("staffsim._xarray").attr("to_xarray")(self);
          },
          "The results as an xarray Dataset, as open_results() reads the saved file.")
      .def("_dataset_parts", [](const PyResults& r) { return Parts(r).build(); })
      .def("__repr__", [](const PyResults& r) {
        const auto years = recorded_years(r.first());
        std::string text = "<staffsim.Results " + r.scenario->name;
        if (!years.empty()) {
          text += " " + std::to_string(years.front()) + "-" + std::to_string(years.back());
        }
        if (r.is_ensemble()) {
          text += ", " + std::to_string(std::get<EnsembleResults>(r.data).draws) + " draws";
        }
        return text + ">";
      });
}

}  // namespace staffsim::python
