// An ensemble's results file (docs/results-format.md, "Ensembles"): the
// single-run file's dimensions plus the coordinates and variables of
// results_layout.hpp, the per-draw ones as float32 chunked by blocks of draws.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "io/hdf5_file.hpp"
#include "io/results_h5.hpp"

namespace staffsim::io {

namespace {

// Draws per chunk of a per-draw variable (DESIGN.md 4: chunked by blocks of
// draws, uncompressed).
constexpr std::uint64_t kDrawChunk = 64;

void add_ensemble_dimensions(const h5::Group& root, const EnsembleResults& e,
                             std::map<std::string, h5::Dataset>& scales, std::int32_t& dimid) {
  for (const Coordinate& c : ensemble_coordinates(e)) {
    h5::Dataset ds =
        !c.labels.empty() ? root.write(c.name, {c.labels.size()}, std::span(c.labels))
        : !c.reals.empty()
            ? root.write(c.name, {c.reals.size()}, std::span<const double>(c.reals))
            : root.write(c.name, {c.ints.size()}, std::span<const std::int32_t>(c.ints));
    ds.make_dimension_scale(c.name);
    ds.write_attribute("_Netcdf4Dimid", dimid++);
    describe(ds, c.units, c.long_name);
    scales.emplace(c.name, std::move(ds));
  }
}

h5::Shape shape_of(const std::map<std::string, h5::Dataset>& scales,
                   const std::vector<std::string>& dims) {
  h5::Shape shape;
  for (const std::string& d : dims) shape.push_back(scales.at(d).shape().at(0));
  return shape;
}

void write_ensemble_variable(const h5::Group& root,
                             const std::map<std::string, h5::Dataset>& scales,
                             const EnsembleVariable& v) {
  const h5::Shape shape = shape_of(scales, v.dims);
  const h5::Dataset ds = [&] {
    if (v.values.empty() && !v.per_draw.empty()) {
      h5::Shape chunk = shape;
      chunk[0] = std::min<std::uint64_t>(kDrawChunk, std::max<std::uint64_t>(shape[0], 1));
      return root.write(v.name, shape, v.per_draw, chunk);
    }
    return root.write(v.name, shape, v.values);
  }();
  for (std::size_t i = 0; i < v.dims.size(); ++i) {
    ds.attach_dimension_scale(scales.at(v.dims[i]), static_cast<unsigned>(i));
  }
  describe(ds, v.units, v.long_name);
  if (v.threshold) ds.write_attribute("threshold", *v.threshold);
}

}  // namespace

void write_ensemble_hdf5(const EnsembleResults& e, const Scenario& scenario,
                         const std::filesystem::path& path, const WriteOptions& options) {
  h5::File file = h5::File::create(path);
  const h5::Group& root = file.root();
  write_root_attributes(root, e.first, scenario, run_identity(e));
  std::int32_t dimid = 0;
  auto scales = write_dimensions(root, e.first, dimid);
  add_ensemble_dimensions(root, e, scales, dimid);
  write_label_variables(root, e.first, scales);
  WriteCheckpoint check_point(file, options);
  check_point();
  for_each_ensemble_variable(e, [&](const EnsembleVariable& v) {
    write_ensemble_variable(root, scales, v);
    check_point();
  });
  write_provenance(root, scenario, dimid);
  file.close();
}

}  // namespace staffsim::io
