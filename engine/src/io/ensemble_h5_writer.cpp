// An ensemble's results file (docs/results-format.md, "Ensembles"): the
// single-run file's dimensions plus `draw`, `quantile` and `parameter`; the
// core set per draw as float32, chunked by blocks of draws; every variable's
// quantiles, mean and the mean's standard error; shortfall probabilities;
// the sampled parameters per draw.
#include <algorithm>
#include <cstdint>
#include <numeric>
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
  std::vector<std::int32_t> draws(static_cast<std::size_t>(e.draws));
  std::iota(draws.begin(), draws.end(), static_cast<std::int32_t>(e.first_draw));
  h5::Dataset draw = root.write("draw", {draws.size()}, std::span<const std::int32_t>(draws));
  draw.make_dimension_scale("draw");
  draw.write_attribute("_Netcdf4Dimid", dimid++);
  describe(draw, "1", "Monte Carlo draw (its random streams are keyed by seed and draw)");
  scales.emplace("draw", std::move(draw));

  h5::Dataset q = root.write("quantile", {e.quantile_levels.size()},
                             std::span<const double>(e.quantile_levels));
  q.make_dimension_scale("quantile");
  q.write_attribute("_Netcdf4Dimid", dimid++);
  describe(q, "1", "quantile level over the draws (Hyndman-Fan type 7)");
  scales.emplace("quantile", std::move(q));

  if (e.parameter_names.empty()) return;
  h5::Dataset p = root.write("parameter", {e.parameter_names.size()},
                             std::span<const std::string>(e.parameter_names));
  p.make_dimension_scale("parameter");
  p.write_attribute("_Netcdf4Dimid", dimid++);
  describe(p, "1", "uncertain parameter (an entry of the scenario's uncertainty block)");
  scales.emplace("parameter", std::move(p));
}

void attach(const h5::Dataset& ds, const std::map<std::string, h5::Dataset>& scales,
            const std::vector<std::string>& dims) {
  for (std::size_t i = 0; i < dims.size(); ++i) {
    ds.attach_dimension_scale(scales.at(dims[i]), static_cast<unsigned>(i));
  }
}

h5::Shape shape_of(const std::map<std::string, h5::Dataset>& scales,
                   const std::vector<std::string>& dims) {
  h5::Shape shape;
  for (const std::string& d : dims) shape.push_back(scales.at(d).shape().at(0));
  return shape;
}

void write_per_draw(const h5::Group& root, const std::map<std::string, h5::Dataset>& scales,
                    const DrawVariable& v) {
  std::vector<std::string> dims{"draw"};
  dims.insert(dims.end(), v.dims.begin(), v.dims.end());
  const h5::Shape shape = shape_of(scales, dims);
  h5::Shape chunk = shape;
  chunk[0] = std::min<std::uint64_t>(kDrawChunk, std::max<std::uint64_t>(shape[0], 1));
  const h5::Dataset ds = root.write(v.name, shape, std::span<const float>(v.values), chunk);
  attach(ds, scales, dims);
  describe(ds, v.units, v.long_name + " (per draw)");
}

}  // namespace

void write_ensemble_hdf5(const EnsembleResults& e, const Scenario& scenario,
                         const std::filesystem::path& path, const WriteOptions& options) {
  h5::File file = h5::File::create(path);
  const h5::Group& root = file.root();
  write_root_attributes(root, e.first, scenario, RunIdentity{e.seed, e.draws, e.stochastic});
  root.write_attribute("shortfall_threshold", e.shortfall_threshold);
  std::int32_t dimid = 0;
  auto scales = write_dimensions(root, e.first, dimid);
  add_ensemble_dimensions(root, e, scales, dimid);
  write_label_variables(root, e.first, scales);
  WriteCheckpoint check_point(file, options);
  check_point();
  for (const DrawVariable& v : e.per_draw) {
    write_per_draw(root, scales, v);
    check_point();
  }
  for (const VariableSummary& s : e.summaries) {
    std::vector<std::string> qdims{"quantile"};
    qdims.insert(qdims.end(), s.dims.begin(), s.dims.end());
    write_variable(root, scales,
                   Variable{s.name + "_q", qdims, s.units, s.long_name + ": quantiles over draws",
                            s.quantiles});
    write_variable(
        root, scales,
        Variable{s.name + "_mean", s.dims, s.units, s.long_name + ": mean over draws", s.mean});
    write_variable(root, scales,
                   Variable{s.name + "_mean_se", s.dims, s.units,
                            s.long_name + ": Monte Carlo standard error of the mean", s.mean_se});
    check_point();
  }
  for (const ProbabilityVariable& p : e.probabilities) {
    const h5::Dataset ds = root.write(p.name, shape_of(scales, p.dims), std::span(p.values));
    attach(ds, scales, p.dims);
    describe(ds, "1", p.long_name);
    ds.write_attribute("threshold", e.shortfall_threshold);
  }
  if (!e.parameter_names.empty()) {
    write_variable(root, scales,
                   Variable{"parameter_value",
                            {"draw", "parameter"},
                            "1",
                            "sampled value of each uncertain parameter (the choice's index for a "
                            "discrete one; NaN when it has one value per element)",
                            e.parameter_values});
  }
  write_provenance(root, scenario, dimid);
  file.close();
}

}  // namespace staffsim::io
