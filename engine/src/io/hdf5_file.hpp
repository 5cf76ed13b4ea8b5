#pragma once
// The one wrapper over the HDF5 C API (DESIGN.md 4): RAII handles, typed
// writers and readers for datasets and attributes, and every failure as an
// IoError that names the file, the object and HDF5's own reason. Objects are
// created the way netCDF-4 creates them (creation order tracked and indexed,
// no object times, a fill value property matched by a `_FillValue`
// attribute), so what it writes opens in netCDF tools. The header does not
// include hdf5.h (the engine links HDF5 privately); its types are checked
// against HDF5's in the .cpp.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace staffsim::io::h5 {

using Id = std::int64_t;                   // hid_t
using Status = int;                        // herr_t
using Shape = std::vector<std::uint64_t>;  // of hsize_t (uint64_t or unsigned long long)

// Owns one HDF5 identifier and closes it with the function for its kind.
class Handle {
 public:
  using Closer = Status (*)(Id);
  Handle() = default;
  Handle(Id id, Closer closer) : id_(id), closer_(closer) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  [[nodiscard]] Id get() const { return id_; }
  void reset();  // closes, ignoring errors (destructors must not throw)
  Id release();  // gives up ownership without closing

 private:
  Id id_ = -1;
  Closer closer_ = nullptr;
};

// Anything that carries attributes: a group (the root is the file's) or a
// dataset. `where()` is "file:/path" for messages.
class Node {
 public:
  // Text as netCDF writes NC_CHAR attributes: a scalar fixed-length string.
  void write_attribute(const std::string& name, const std::string& text) const;
  void write_attribute(const std::string& name, const char* text) const;
  void write_attribute(const std::string& name, double value) const;
  void write_attribute(const std::string& name, std::int32_t value) const;
  void write_attribute(const std::string& name, std::uint64_t value) const;

  [[nodiscard]] bool has_attribute(const std::string& name) const;
  // Fixed-length or variable-length text; IoError when missing or not text.
  [[nodiscard]] std::string read_text_attribute(const std::string& name) const;
  [[nodiscard]] double read_number_attribute(const std::string& name) const;

  [[nodiscard]] Id id() const { return handle_.get(); }
  [[nodiscard]] const std::string& where() const { return where_; }

 protected:
  Node(Handle handle, std::string where) : handle_(std::move(handle)), where_(std::move(where)) {}

 private:
  Handle handle_;
  std::string where_;
};

class Dataset : public Node {
 public:
  [[nodiscard]] Shape shape() const;
  [[nodiscard]] std::vector<double> read_doubles() const;  // any numeric type, converted
  [[nodiscard]] std::vector<std::int32_t> read_ints() const;
  [[nodiscard]] std::vector<std::string> read_strings() const;  // variable or fixed length

  // Marks this dataset as the dimension scale `name` (netCDF: a coordinate
  // variable) and attaches a scale to dimension `index` of this dataset.
  void make_dimension_scale(const std::string& name) const;
  void attach_dimension_scale(const Dataset& scale, unsigned index) const;

 private:
  friend class Group;
  Dataset(Handle handle, std::string where) : Node(std::move(handle), std::move(where)) {}
};

class Group : public Node {
 public:
  [[nodiscard]] Group create_group(const std::string& name) const;
  [[nodiscard]] Group open_group(const std::string& name) const;
  [[nodiscard]] bool has(const std::string& name) const;

  // Contiguous, uncompressed datasets of `shape` (empty: a scalar) with the
  // netCDF default fill value of their type (NaN for floating point), stated
  // in a `_FillValue` attribute too, except for integers (see the .cpp).
  Dataset write(const std::string& name, const Shape& shape, std::span<const double> data) const;
  // float32 may be chunked (`chunk`: one extent per dimension; empty:
  // contiguous), uncompressed: per-draw values are read by blocks of draws.
  Dataset write(const std::string& name, const Shape& shape, std::span<const float> data,
                const Shape& chunk = {}) const;
  Dataset write(const std::string& name, const Shape& shape,
                std::span<const std::int32_t> data) const;
  // Variable-length UTF-8 strings (netCDF NC_STRING).
  Dataset write(const std::string& name, const Shape& shape,
                std::span<const std::string> data) const;
  [[nodiscard]] Dataset open_dataset(const std::string& name) const;

 private:
  friend class File;
  Group(Handle handle, std::string where) : Node(std::move(handle), std::move(where)) {}
  Dataset create(const std::string& name, const Shape& shape, Id file_type, Id mem_type,
                 const void* fill, const void* data, bool fill_attribute,
                 const Shape& chunk = {}) const;
};

// An HDF5 file. close() flushes and reports failures; the destructor closes
// quietly (after an error, the caller removes the file anyway).
class File {
 public:
  // Creates or truncates `path` with netCDF-4's creation properties.
  static File create(const std::filesystem::path& path);
  // Opens read-only; IoError when missing, not HDF5, truncated or corrupt.
  static File open(const std::filesystem::path& path);

  [[nodiscard]] const Group& root() const { return root_; }
  void flush() const;
  void close();

 private:
  File(Handle file, Group root, std::string name)
      : file_(std::move(file)), root_(std::move(root)), name_(std::move(name)) {}
  Handle file_;
  Group root_;
  std::string name_;
};

}  // namespace staffsim::io::h5
