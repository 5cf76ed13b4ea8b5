#pragma once
// The four dimensions of the state H[role, sector, age, tenure band] and the
// flat layout every engine unit shares (DESIGN.md 2.1).
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffsim {

using Role = int;      // index into Dimensions::roles
using Sector = int;    // index into Dimensions::sectors
using AgeIndex = int;  // age - min_age; completed years at the coming census
using Band = int;      // tenure band index; the last band is open

struct Dimensions {
  std::vector<std::string> roles;
  std::vector<std::string> sectors;
  int min_age = 16;
  int max_age = 74;
  // Lower edges of the tenure bands in years, starting at 0; the last band is open.
  std::vector<double> tenure_edges{0.0, 0.5, 2.0, 5.0};

  [[nodiscard]] int n_roles() const { return static_cast<int>(roles.size()); }
  [[nodiscard]] int n_sectors() const { return static_cast<int>(sectors.size()); }
  [[nodiscard]] int n_ages() const { return max_age - min_age + 1; }
  [[nodiscard]] int n_bands() const { return static_cast<int>(tenure_edges.size()); }
  [[nodiscard]] int n_role_sectors() const { return n_roles() * n_sectors(); }
  [[nodiscard]] std::size_t n_cells() const {
    return static_cast<std::size_t>(n_role_sectors()) * static_cast<std::size_t>(n_ages()) *
           static_cast<std::size_t>(n_bands());
  }
  // Row-major: role, sector, age, band (band fastest).
  [[nodiscard]] std::size_t cell(Role r, Sector s, AgeIndex a, Band k) const {
    return ((static_cast<std::size_t>(r) * n_sectors() + s) * n_ages() + a) * n_bands() + k;
  }
  // Index of the (role, sector) pair, row-major.
  [[nodiscard]] int rs(Role r, Sector s) const { return r * n_sectors() + s; }
  // First flat cell of the (role, sector) block; a block holds n_ages()*n_bands() cells.
  [[nodiscard]] std::size_t block(Role r, Sector s) const { return cell(r, s, 0, 0); }
  [[nodiscard]] std::size_t block_size() const {
    return static_cast<std::size_t>(n_ages()) * static_cast<std::size_t>(n_bands());
  }
  // Width of band k in years; infinity for the last (open) band.
  [[nodiscard]] double band_width(Band k) const {
    if (k + 1 >= n_bands()) return std::numeric_limits<double>::infinity();
    return tenure_edges[k + 1] - tenure_edges[k];
  }
  [[nodiscard]] std::optional<Role> find_role(std::string_view name) const;
  [[nodiscard]] std::optional<Sector> find_sector(std::string_view name) const;
};

}  // namespace staffsim
