#pragma once
// One draw's results as a flat record of doubles: every variable of the
// results file (io::for_each_variable), one after another, in file order.
// The ensemble reduces records column by column; the layout says which
// columns belong to which variable. Internal header.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "staffsim/results.hpp"

namespace staffsim::ensemble {

struct RecordField {
  std::string name;
  std::vector<std::string> dims;
  std::string units;
  std::string long_name;
  std::size_t offset = 0;
  std::size_t size = 0;
};

struct RecordLayout {
  std::vector<RecordField> fields;
  std::size_t size = 0;  // columns

  // The field called `name`; throws std::logic_error when there is none.
  [[nodiscard]] const RecordField& field(const std::string& name) const;
};

// The layout of a finished draw's results.
[[nodiscard]] RecordLayout record_layout(const Results& results);

// Writes a finished draw's results into `out` (layout.size values). Throws
// std::logic_error when the results do not have the layout's shape.
void flatten_results(const Results& results, const RecordLayout& layout, std::span<double> out);

}  // namespace staffsim::ensemble
