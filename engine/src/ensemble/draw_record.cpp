// Flattening a draw's results by the same walk that writes the results file,
// so the ensemble's variables are the single-run file's, name for name.
#include "ensemble/draw_record.hpp"

#include <algorithm>
#include <stdexcept>

#include "io/results_variables.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::ensemble {

const RecordField& RecordLayout::field(const std::string& name) const {
  for (const RecordField& f : fields) {
    if (f.name == name) return f;
  }
  throw std::logic_error("ensemble: the results have no variable '" + name + "'");
}

RecordLayout record_layout(const Results& results) {
  RecordLayout layout;
  io::for_each_variable(results, [&](const io::Variable& v) {
    layout.fields.push_back(
        RecordField{v.name, v.dims, v.units, v.long_name, layout.size, v.values.size()});
    layout.size += v.values.size();
  });
  return layout;
}

void flatten_results(const Results& results, const RecordLayout& layout, std::span<double> out) {
  std::size_t i = 0;
  io::for_each_variable(results, [&](const io::Variable& v) {
    if (i >= layout.fields.size() || layout.fields[i].name != v.name ||
        layout.fields[i].size != v.values.size() ||
        out.size() < layout.fields[i].offset + v.values.size()) {
      throw std::logic_error("ensemble: a draw's variable '" + v.name +
                             "' does not have the shape of draw 0's");
    }
    std::copy(v.values.begin(), v.values.end(),
              out.begin() + static_cast<std::ptrdiff_t>(layout.fields[i].offset));
    ++i;
  });
  if (i != layout.fields.size()) {
    throw std::logic_error("ensemble: a draw has fewer variables than draw 0");
  }
}

}  // namespace staffsim::ensemble
