#pragma once
// The content of the results file (docs/results-format.md): its identity,
// its dimensions and its variables, computed from a Results one variable at
// a time. The HDF5 writer lays them out; the reader and the docs use the same
// names. Internal header.
#include <functional>
#include <string>
#include <vector>

#include "staffsim/results.hpp"

namespace staffsim::io {

inline constexpr const char* kFiletype = "staffsim.results";
// major.minor: a reader refuses another major (kResultsFormatMajor in
// results_reader.hpp); a new minor only adds variables or attributes.
inline constexpr const char* kFormatVersion = "1.1";
inline constexpr const char* kMoneyUnits = "GBP";

// A dimension and its coordinate variable: labels, or years for `year`.
struct Dimension {
  std::string name;
  std::string long_name;
  std::string units;
  std::vector<std::string> labels;
  std::vector<int> years;  // `year` only
  [[nodiscard]] std::size_t size() const { return name == "year" ? years.size() : labels.size(); }
};

// A variable: values in C order over `dims` (year, role, sector[, extra]).
struct Variable {
  std::string name;
  std::vector<std::string> dims;
  std::string units;
  std::string long_name;
  std::vector<double> values;
};

// Integer descriptions of a dimension's labels (e.g. an age band's ages),
// stored as data variables over that dimension.
struct LabelBounds {
  std::string name;
  std::string dim;
  std::string units;
  std::string long_name;
  std::vector<int> values;
};

// The dimensions in file order; labels of every dimension the variables use.
[[nodiscard]] std::vector<Dimension> results_dimensions(const Results& results);
// Age band limits (min_age, max_age of each band) for both band sets.
[[nodiscard]] std::vector<LabelBounds> label_bounds(const Results& results);
// Tenure band lower edges in years (a double variable over tenure_band).
[[nodiscard]] Variable tenure_band_edges(const Results& results);

// Calls `sink` with each data variable in file order, one at a time (so a
// writer holds one variable in memory). Flows of the first year are NaN.
void for_each_variable(const Results& results, const std::function<void(const Variable&)>& sink);

// Labels of a tenure band from its edges: "0-0.5", ..., "5+".
[[nodiscard]] std::string tenure_band_label(const Dimensions& dims, int band);

}  // namespace staffsim::io
