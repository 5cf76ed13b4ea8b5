// Groups and datasets of the HDF5 wrapper (hdf5_file.hpp).
#include <hdf5_hl.h>

#include <cmath>
#include <limits>

#include "io/hdf5_detail.hpp"
#include "io/hdf5_file.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::io::h5 {

namespace {

using detail::check;
using detail::check_status;
using detail::child;
using detail::fail;

// netCDF's default fill value for NC_INT.
constexpr std::int32_t kIntFill = -2147483647;

std::uint64_t n_points(const Shape& shape) {
  std::uint64_t n = 1;
  for (const std::uint64_t d : shape) n *= d;
  return n;
}

void check_size(const std::string& where, const Shape& shape, std::size_t size) {
  if (n_points(shape) != size) {
    throw IoError(where + ": internal error: " + std::to_string(size) + " values for " +
                  std::to_string(n_points(shape)) + " elements");
  }
}

// The dataset's element class; reading refuses data of another kind.
H5T_class_t element_class(const Dataset& ds) {
  const Handle type(check(H5Dget_type(ds.id()), ds.where(), "cannot read the type"), H5Tclose);
  return H5Tget_class(type.get());
}

template <typename T>
std::vector<T> read_numbers(const Dataset& ds, hid_t mem_type) {
  const H5T_class_t cls = element_class(ds);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw IoError(ds.where() + ": not numeric");
  std::vector<T> out(n_points(ds.shape()));
  if (!out.empty()) {
    check_status(H5Dread(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), ds.where(),
                 "cannot read the values (truncated or corrupt file?)");
  }
  return out;
}

}  // namespace

// ---- Datasets ------------------------------------------------------------------

Shape Dataset::shape() const {
  const Handle space(check(H5Dget_space(id()), where(), "cannot read the shape"), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail(where(), "cannot read the shape");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) {
    fail(where(), "cannot read the shape");
  }
  return {dims.begin(), dims.end()};
}

std::vector<double> Dataset::read_doubles() const {
  return read_numbers<double>(*this, H5T_NATIVE_DOUBLE);
}

std::vector<std::int32_t> Dataset::read_ints() const {
  return read_numbers<std::int32_t>(*this, H5T_NATIVE_INT32);
}

std::vector<std::string> Dataset::read_strings() const {
  const std::string what = "cannot read the text (truncated or corrupt file?)";
  const Handle type(check(H5Dget_type(id()), where(), what), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) throw IoError(where() + ": not text");
  const std::size_t n = n_points(shape());
  std::vector<std::string> out;
  out.reserve(n);
  if (n == 0) return out;
  if (H5Tis_variable_str(type.get()) > 0) {
    const Handle mem = detail::vlen_string_type();
    std::vector<char*> raw(n, nullptr);
    const herr_t status = H5Dread(id(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data());
    for (char* s : raw) {
      out.emplace_back(s == nullptr ? "" : s);
      if (s != nullptr) H5free_memory(s);
    }
    check_status(status, where(), what);
    return out;
  }
  const std::size_t width = H5Tget_size(type.get());
  std::string raw(n * width, '\0');
  check_status(H5Dread(id(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()), where(), what);
  for (std::size_t i = 0; i < n; ++i) {
    std::string s = raw.substr(i * width, width);
    out.push_back(s.substr(0, s.find('\0')));
  }
  return out;
}

void Dataset::make_dimension_scale(const std::string& name) const {
  check_status(H5DSset_scale(id(), name.c_str()), where(), "cannot make a dimension scale");
}

void Dataset::attach_dimension_scale(const Dataset& scale, unsigned index) const {
  check_status(H5DSattach_scale(id(), scale.id(), index), where(),
               "cannot attach dimension scale " + scale.where());
}

// ---- Groups --------------------------------------------------------------------

Group Group::create_group(const std::string& name) const {
  const std::string path = child(where(), name);
  const Handle gcpl(check(H5Pcreate(H5P_GROUP_CREATE), path, "cannot create"), H5Pclose);
  detail::netcdf_object_properties(gcpl.get(), true, path);
  return {Handle(check(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), path,
                       "cannot create the group"),
                 H5Gclose),
          path};
}

Group Group::open_group(const std::string& name) const {
  const std::string path = child(where(), name);
  if (!has(name)) throw IoError(path + ": group is missing");
  return {Handle(check(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), path, "cannot open the group"),
                 H5Gclose),
          path};
}

bool Group::has(const std::string& name) const {
  const htri_t exists = H5Lexists(id(), name.c_str(), H5P_DEFAULT);
  check_status(exists < 0 ? -1 : 0, where(), "cannot look for '" + name + "'");
  return exists > 0;
}

Dataset Group::open_dataset(const std::string& name) const {
  const std::string path = child(where(), name);
  if (!has(name)) throw IoError(path + ": variable is missing");
  return {Handle(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), path, "cannot open the variable"),
                 H5Dclose),
          path};
}

Dataset Group::create(const std::string& name, const Shape& shape, Id file_type, Id mem_type,
                      const void* fill, const void* data, bool fill_attribute,
                      const Shape& chunk) const {
  const std::string path = child(where(), name);
  const std::string what = "cannot write the variable";
  const std::vector<hsize_t> dims(shape.begin(), shape.end());
  const Handle space(
      check(shape.empty() ? H5Screate(H5S_SCALAR)
                          : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
            path, what),
      H5Sclose);
  const Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), path, what), H5Pclose);
  detail::netcdf_object_properties(dcpl.get(), false, path);
  if (chunk.empty() || n_points(shape) == 0) {
    check_status(H5Pset_layout(dcpl.get(), H5D_CONTIGUOUS), path, what);
  } else {
    const std::vector<hsize_t> extent(chunk.begin(), chunk.end());
    check_status(H5Pset_chunk(dcpl.get(), static_cast<int>(extent.size()), extent.data()), path,
                 what);
  }
  check_status(H5Pset_fill_value(dcpl.get(), mem_type, fill), path, what);
  Dataset ds(Handle(check(H5Dcreate2(id(), name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                     dcpl.get(), H5P_DEFAULT),
                          path, what),
                    H5Dclose),
             path);
  if (n_points(shape) > 0) {
    check_status(H5Dwrite(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path, what);
  }
  if (!fill_attribute) return ds;
  // netCDF: `_FillValue` is a scalar of the variable's own type.
  const Handle fill_space(check(H5Screate(H5S_SCALAR), path, what), H5Sclose);
  const Handle attr(check(H5Acreate2(ds.id(), "_FillValue", file_type, fill_space.get(),
                                     H5P_DEFAULT, H5P_DEFAULT),
                          path, "cannot write attribute '_FillValue'"),
                    H5Aclose);
  check_status(H5Awrite(attr.get(), mem_type, fill), path, "cannot write attribute '_FillValue'");
  return ds;
}

Dataset Group::write(const std::string& name, const Shape& shape,
                     std::span<const double> data) const {
  check_size(child(where(), name), shape, data.size());
  const double fill = std::numeric_limits<double>::quiet_NaN();
  return create(name, shape, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &fill, data.data(), true);
}

Dataset Group::write(const std::string& name, const Shape& shape, std::span<const float> data,
                     const Shape& chunk) const {
  check_size(child(where(), name), shape, data.size());
  const float fill = std::numeric_limits<float>::quiet_NaN();
  return create(name, shape, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, &fill, data.data(), true, chunk);
}

Dataset Group::write(const std::string& name, const Shape& shape,
                     std::span<const std::int32_t> data) const {
  check_size(child(where(), name), shape, data.size());
  // No `_FillValue` attribute: xarray would turn the integers into floats to
  // make room for NaN (xarray writes integer coordinates the same way).
  return create(name, shape, H5T_STD_I32LE, H5T_NATIVE_INT32, &kIntFill, data.data(), false);
}

Dataset Group::write(const std::string& name, const Shape& shape,
                     std::span<const std::string> data) const {
  check_size(child(where(), name), shape, data.size());
  std::vector<const char*> raw;
  raw.reserve(data.size());
  for (const std::string& s : data) raw.push_back(s.c_str());
  const Handle type = detail::vlen_string_type();
  const char* fill = "";  // netCDF's default NC_STRING fill
  return create(name, shape, type.get(), type.get(), static_cast<const void*>(&fill), raw.data(),
                true);
}

}  // namespace staffsim::io::h5
