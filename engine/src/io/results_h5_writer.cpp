// Lays the results out in HDF5 as netCDF-4 does (DESIGN.md 4): dimension
// scales with coordinate variables, then the data variables attached to
// them, every one with `_FillValue`, `units` and `long_name`; the scenario's
// provenance in /provenance. One thread writes; nothing records a time but
// `created_utc`, so equal inputs and SOURCE_DATE_EPOCH give equal bytes.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <variant>

#include "io/hdf5_file.hpp"
#include "io/results_h5.hpp"
#include "io/results_variables.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::io {

namespace {

// STAFFSIM_TEST_PAUSE_WRITER_AFTER=N: pause after N data variables (-1: never).
int pause_after() {
  const char* v = std::getenv("STAFFSIM_TEST_PAUSE_WRITER_AFTER");
  if (v == nullptr || *v == '\0') return -1;
  int n = -1;
  const std::string text = v;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() ? n : -1;
}

}  // namespace

void describe(const h5::Node& node, const std::string& units, const std::string& long_name) {
  node.write_attribute("units", units);
  node.write_attribute("long_name", long_name);
}

void write_root_attributes(const h5::Group& root, const Results& results, const Scenario& sc,
                           const RunIdentity& run) {
  for (const Attribute& a : root_attributes(results, sc, run)) {
    std::visit([&](const auto& value) { root.write_attribute(a.name, value); }, a.value);
  }
}

// Coordinate variables first, each made a dimension scale with netCDF's
// `_Netcdf4Dimid`, so netCDF keeps the dimension order.
std::map<std::string, h5::Dataset> write_dimensions(const h5::Group& root, const Results& results,
                                                    std::int32_t& dimid) {
  std::map<std::string, h5::Dataset> scales;
  for (const Dimension& d : results_dimensions(results)) {
    const h5::Shape shape{d.size()};
    h5::Dataset ds = d.name == "year" ? root.write(d.name, shape, std::span<const int>(d.years))
                                      : root.write(d.name, shape, std::span(d.labels));
    ds.make_dimension_scale(d.name);
    ds.write_attribute("_Netcdf4Dimid", dimid++);
    describe(ds, d.units, d.long_name);
    scales.emplace(d.name, std::move(ds));
  }
  return scales;
}

void write_variable(const h5::Group& group, const std::map<std::string, h5::Dataset>& scales,
                    const Variable& v) {
  h5::Shape shape;
  for (const std::string& dim : v.dims) shape.push_back(scales.at(dim).shape().at(0));
  const h5::Dataset ds = group.write(v.name, shape, std::span(v.values));
  for (std::size_t i = 0; i < v.dims.size(); ++i) {
    ds.attach_dimension_scale(scales.at(v.dims[i]), static_cast<unsigned>(i));
  }
  describe(ds, v.units, v.long_name);
}

// /provenance: the resolved scenario and the SHA-256 of every input file, as
// string variables (attributes over 64 KB are not portable).
void write_provenance(const h5::Group& root, const Scenario& sc, std::int32_t& dimid) {
  const h5::Group prov = root.create_group("provenance");
  const std::vector<std::string> yaml{sc.resolved_yaml};
  describe(prov.write("scenario_yaml", {}, std::span(yaml)), "1",
           "the resolved scenario as YAML: every file merged, overrides applied, with its "
           "source and assumed notes");
  std::vector<std::string> files;
  std::vector<std::string> digests;
  for (const auto& [file, digest] : sc.input_sha256) {
    files.push_back(file);
    digests.push_back(digest);
  }
  const h5::Shape shape{files.size()};
  const h5::Dataset input = prov.write("input", shape, std::span(files));
  input.make_dimension_scale("input");
  input.write_attribute("_Netcdf4Dimid", dimid++);
  describe(input, "1", "input file of the scenario, as the scenario names it");
  const h5::Dataset sha = prov.write("sha256", shape, std::span(digests));
  sha.attach_dimension_scale(input, 0);
  describe(sha, "1", "SHA-256 of the input file (hex)");
}

void write_label_variables(const h5::Group& root, const Results& results,
                           const std::map<std::string, h5::Dataset>& scales) {
  for (const LabelBounds& b : label_bounds(results)) {
    const h5::Dataset ds = root.write(b.name, {b.values.size()}, std::span<const int>(b.values));
    ds.attach_dimension_scale(scales.at(b.dim), 0);
    describe(ds, b.units, b.long_name);
  }
  write_variable(root, scales, tenure_band_edges(results));
}

WriteCheckpoint::WriteCheckpoint(const h5::File& file, const WriteOptions& options)
    : file_(file), options_(options), pause_(pause_after()) {}

void WriteCheckpoint::operator()() {
  ++written_;  // data variables written so far
  if (written_ == pause_) {
    file_.flush();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < until &&
           !(options_.cancelled && options_.cancelled())) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (options_.cancelled && options_.cancelled()) throw Interrupted();
}

void write_results_hdf5(const Results& results, const Scenario& scenario,
                        const std::filesystem::path& path, const WriteOptions& options) {
  h5::File file = h5::File::create(path);
  const h5::Group& root = file.root();
  write_root_attributes(root, results, scenario, RunIdentity{});
  std::int32_t dimid = 0;
  const auto scales = write_dimensions(root, results, dimid);
  write_label_variables(root, results, scales);
  WriteCheckpoint check_point(file, options);
  check_point();
  for_each_variable(results, [&](const Variable& v) {
    write_variable(root, scales, v);
    check_point();
  });
  write_provenance(root, scenario, dimid);
  file.close();
}

}  // namespace staffsim::io
