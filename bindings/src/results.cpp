// staffsim.Results: a run's results, saved by the engine's writers or laid
// out as an xarray Dataset with the results file's names, dimensions,
// coordinates and attributes (docs/results-format.md). Arrays cross whole:
// one NumPy array per variable, copied once.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstring>
#include <map>
#include <span>
#include <string>
#include <type_traits>
#include <variant>

#include "bindings.hpp"
#include "io/results_layout.hpp"
#include "io/results_variables.hpp"
#include "staffsim/errors.hpp"
#include "staffsim/results_writer.hpp"

namespace staffsim::python {

namespace {

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
py::array_t<T> array_of(std::span<const T> values, const std::vector<py::ssize_t>& shape) {
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
  // The file's root attributes, with NumPy scalars of the file's types.
  void root_attributes() {
    const io::RunIdentity run =
        r_.is_ensemble() ? io::run_identity(std::get<EnsembleResults>(r_.data)) : io::RunIdentity{};
    for (const io::Attribute& a : io::root_attributes(r_.first(), *r_.scenario, run)) {
      attrs_[py::str(a.name)] = std::visit(
          [](const auto& v) -> py::object {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
              return py::str(v);
            } else if constexpr (std::is_same_v<T, double>) {
              return np_scalar("float64", py::float_(v));
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
              return np_scalar("int32", py::int_(v));
            } else {
              return np_scalar("uint64", py::int_(v));
            }
          },
          a.value);
    }
  }

  void ensemble_dimensions() {
    for (const io::Coordinate& c : io::ensemble_coordinates(std::get<EnsembleResults>(r_.data))) {
      const py::dict attrs = var_attrs(c.units, c.long_name);
      if (!c.labels.empty()) {
        sizes_[c.name] = static_cast<py::ssize_t>(c.labels.size());
        coord(c.name, py::cast(c.labels), attrs);
      } else if (!c.reals.empty()) {
        sizes_[c.name] = static_cast<py::ssize_t>(c.reals.size());
        coord(c.name, array_of<double>(c.reals, {sizes_[c.name]}), attrs);
      } else {
        sizes_[c.name] = static_cast<py::ssize_t>(c.ints.size());
        coord(c.name, array_of<std::int32_t>(c.ints, {sizes_[c.name]}), attrs);
      }
    }
  }

  void ensemble_variables() {
    io::for_each_ensemble_variable(
        std::get<EnsembleResults>(r_.data), [&](const io::EnsembleVariable& v) {
          py::dict attrs = var_attrs(v.units, v.long_name);
          if (v.threshold) attrs["threshold"] = np_scalar("float64", py::float_(*v.threshold));
          if (v.values.empty() && !v.per_draw.empty()) {
            data_var(v.name, v.dims, array_of<float>(v.per_draw, shape(v.dims)), attrs);
          } else {
            data_var(v.name, v.dims, array_of<double>(v.values, shape(v.dims)), attrs);
          }
        });
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
