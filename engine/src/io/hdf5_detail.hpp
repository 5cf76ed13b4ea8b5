#pragma once
// Helpers shared by the two halves of the HDF5 wrapper (hdf5_file.cpp:
// handles, attributes, files; hdf5_dataset.cpp: groups and datasets).
#include <hdf5.h>

#include <string>
#include <type_traits>

#include "io/hdf5_file.hpp"

namespace staffsim::io::h5 {

static_assert(std::is_same_v<Id, hid_t> && std::is_same_v<Status, herr_t> &&
                  sizeof(Shape::value_type) == sizeof(hsize_t),
              "hdf5_file.hpp's types must be HDF5's");

}  // namespace staffsim::io::h5

namespace staffsim::io::h5::detail {

// Throws IoError "where: what (HDF5: reason)" with HDF5's most specific reason.
[[noreturn]] void fail(const std::string& where, const std::string& what);
// Returns `id`, or fails when it is negative.
hid_t check(hid_t id, const std::string& where, const std::string& what);
void check_status(herr_t status, const std::string& where, const std::string& what);
// "file:/group" + "name" -> "file:/group/name".
[[nodiscard]] std::string child(const std::string& where, const std::string& name);
// netCDF's NC_STRING: variable-length UTF-8.
[[nodiscard]] Handle vlen_string_type();
// netCDF-4's object creation properties on a dataset, group or file creation list.
void netcdf_object_properties(hid_t plist, bool links, const std::string& where);

}  // namespace staffsim::io::h5::detail
