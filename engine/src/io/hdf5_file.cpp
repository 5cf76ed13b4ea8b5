#include "io/hdf5_file.hpp"

#include <algorithm>
#include <filesystem>

#include "io/hdf5_detail.hpp"
#include "staffsim/errors.hpp"

namespace staffsim::io::h5 {

namespace detail {

namespace {

// HDF5's most specific reason for the last failure on this thread (the
// deepest entry of its error stack), which is what a user needs to read, e.g.
// "truncated file: eof = 1024, ...". Clears the stack.
std::string hdf5_reason() {
  std::string reason;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned /*n*/, const H5E_error2_t* e, void* data) -> herr_t {
        if (e->desc != nullptr && *e->desc != '\0') *static_cast<std::string*>(data) = e->desc;
        return 0;
      },
      &reason);
  H5Eclear2(H5E_DEFAULT);
  return reason;
}

}  // namespace

// Every failure is an IoError "where: what (HDF5: reason)".
[[noreturn]] void fail(const std::string& where, const std::string& what) {
  const std::string reason = hdf5_reason();
  throw IoError(where + ": " + what + (reason.empty() ? "" : " (HDF5: " + reason + ")"));
}

hid_t check(hid_t id, const std::string& where, const std::string& what) {
  if (id < 0) fail(where, what);
  return id;
}

void check_status(herr_t status, const std::string& where, const std::string& what) {
  if (status < 0) fail(where, what);
}

std::string child(const std::string& where, const std::string& name) {
  return where + (where.back() == '/' ? "" : "/") + name;
}

Handle vlen_string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
  if (t.get() < 0 || H5Tset_size(t.get(), H5T_VARIABLE) < 0 ||
      H5Tset_cset(t.get(), H5T_CSET_UTF8) < 0) {
    fail("HDF5", "cannot make a string type");
  }
  return t;
}

// netCDF-4's object creation: attribute (and, for groups, link) creation
// order tracked and indexed, and no access/modification times, so identical
// content gives identical bytes (DESIGN.md 4).
void netcdf_object_properties(hid_t plist, bool links, const std::string& where) {
  const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check_status(H5Pset_obj_track_times(plist, false), where, "cannot turn off object times");
  check_status(H5Pset_attr_creation_order(plist, order), where, "cannot track attribute order");
  if (links) {
    check_status(H5Pset_link_creation_order(plist, order), where, "cannot track link order");
  }
}

}  // namespace detail

namespace {

using detail::check;
using detail::check_status;
using detail::fail;

// Scalar attribute of a fixed type, created and written in one go.
void write_scalar_attribute(const Node& node, const std::string& name, hid_t file_type,
                            hid_t mem_type, const void* value) {
  const std::string what = "cannot write attribute '" + name + "'";
  const Handle space(check(H5Screate(H5S_SCALAR), node.where(), what), H5Sclose);
  const Handle attr(
      check(H5Acreate2(node.id(), name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            node.where(), what),
      H5Aclose);
  check_status(H5Awrite(attr.get(), mem_type, value), node.where(), what);
}

Handle open_attribute(const Node& node, const std::string& name) {
  if (!node.has_attribute(name)) {
    throw IoError(node.where() + ": attribute '" + name + "' is missing");
  }
  return {check(H5Aopen(node.id(), name.c_str(), H5P_DEFAULT), node.where(),
                "cannot open attribute '" + name + "'"),
          H5Aclose};
}

}  // namespace

Handle::Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = -1;
}

Id Handle::release() {
  const Id id = id_;
  id_ = -1;
  return id;
}

// ---- Attributes -------------------------------------------------------------

void Node::write_attribute(const std::string& name, const std::string& text) const {
  // As netCDF's NC_CHAR: fixed length, the exact size, NUL-terminated padding;
  // an empty text has a null dataspace (HDF5 refuses a zero-size type).
  const std::string what = "cannot write attribute '" + name + "'";
  const Handle type(check(H5Tcopy(H5T_C_S1), where(), what), H5Tclose);
  check_status(H5Tset_size(type.get(), std::max<std::size_t>(text.size(), 1)), where(), what);
  check_status(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), where(), what);
  const Handle space(check(H5Screate(text.empty() ? H5S_NULL : H5S_SCALAR), where(), what),
                     H5Sclose);
  const Handle attr(
      check(H5Acreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
            where(), what),
      H5Aclose);
  if (!text.empty()) check_status(H5Awrite(attr.get(), type.get(), text.data()), where(), what);
}

void Node::write_attribute(const std::string& name, const char* text) const {
  write_attribute(name, std::string(text));
}

void Node::write_attribute(const std::string& name, double value) const {
  write_scalar_attribute(*this, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void Node::write_attribute(const std::string& name, std::int32_t value) const {
  write_scalar_attribute(*this, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value);
}

void Node::write_attribute(const std::string& name, std::uint64_t value) const {
  write_scalar_attribute(*this, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value);
}

bool Node::has_attribute(const std::string& name) const {
  const htri_t exists = H5Aexists(id(), name.c_str());
  check_status(exists < 0 ? -1 : 0, where(), "cannot look for attribute '" + name + "'");
  return exists > 0;
}

std::string Node::read_text_attribute(const std::string& name) const {
  const std::string what = "cannot read attribute '" + name + "'";
  const Handle attr = open_attribute(*this, name);
  const Handle type(check(H5Aget_type(attr.get()), where(), what), H5Tclose);
  const Handle space(check(H5Aget_space(attr.get()), where(), what), H5Sclose);
  if (H5Tget_class(type.get()) != H5T_STRING) {
    throw IoError(where() + ": attribute '" + name + "' is not text");
  }
  if (H5Sget_simple_extent_type(space.get()) == H5S_NULL) return "";
  if (H5Sget_simple_extent_npoints(space.get()) != 1) {
    throw IoError(where() + ": attribute '" + name + "' is not a single text");
  }
  if (H5Tis_variable_str(type.get()) > 0) {
    const Handle mem = detail::vlen_string_type();
    char* text = nullptr;
    check_status(H5Aread(attr.get(), mem.get(), &text), where(), what);
    std::string out = text == nullptr ? "" : text;
    H5free_memory(text);
    return out;
  }
  std::string out(H5Tget_size(type.get()), '\0');
  check_status(H5Aread(attr.get(), type.get(), out.data()), where(), what);
  out.resize(std::min(out.size(), out.find('\0')));
  return out;
}

double Node::read_number_attribute(const std::string& name) const {
  const std::string what = "cannot read attribute '" + name + "'";
  const Handle attr = open_attribute(*this, name);
  const Handle type(check(H5Aget_type(attr.get()), where(), what), H5Tclose);
  const Handle space(check(H5Aget_space(attr.get()), where(), what), H5Sclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || H5Sget_simple_extent_npoints(space.get()) != 1) {
    throw IoError(where() + ": attribute '" + name + "' is not a single number");
  }
  double value = 0.0;
  check_status(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value), where(), what);
  return value;
}

// ---- Files --------------------------------------------------------------------

File File::create(const std::filesystem::path& path) {
  // HDF5 prints its error stack by default; errors become IoErrors instead.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string where = path.string();
  const std::string what = "cannot create the file";
  const Handle fcpl(check(H5Pcreate(H5P_FILE_CREATE), where, what), H5Pclose);
  detail::netcdf_object_properties(fcpl.get(), true, where);
  const Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), where, what), H5Pclose);
  // Closing the file closes every object still open in it, so close() is
  // final; file format no newer than HDF5 1.8's, which every reader opens.
  check_status(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), where, what);
  check_status(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18), where, what);
  Handle file(check(H5Fcreate(where.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), where, what),
              H5Fclose);
  Handle root(check(H5Gopen2(file.get(), "/", H5P_DEFAULT), where, what), H5Gclose);
  return {std::move(file), Group(std::move(root), where + ":/"), where};
}

File File::open(const std::filesystem::path& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string where = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw IoError(where + ": " +
                  (std::filesystem::exists(path, ec) ? "not a file" : "no such file"));
  }
  const htri_t is_hdf5 = H5Fis_hdf5(where.c_str());
  if (is_hdf5 == 0) {
    throw IoError(where + ": not an HDF5 file (not a staffsim results file, or corrupt)");
  }
  if (is_hdf5 < 0) fail(where, "cannot read the file");
  const Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), where, "cannot open"), H5Pclose);
  check_status(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), where, "cannot open");
  Handle file(check(H5Fopen(where.c_str(), H5F_ACC_RDONLY, fapl.get()), where,
                    "cannot open the file (truncated or corrupt?)"),
              H5Fclose);
  Handle root(check(H5Gopen2(file.get(), "/", H5P_DEFAULT), where,
                    "cannot open the root group (corrupt file?)"),
              H5Gclose);
  return {std::move(file), Group(std::move(root), where + ":/"), where};
}

void File::flush() const {
  check_status(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), name_, "cannot flush the file");
}

void File::close() {
  root_ = Group(Handle(), name_ + ":/");
  const hid_t id = file_.release();
  if (id >= 0) check_status(H5Fclose(id), name_, "cannot close the file");
}

}  // namespace staffsim::io::h5
