#include "staffsim/dimensions.hpp"

#include <algorithm>

namespace staffsim {

namespace {
std::optional<int> index_of(const std::vector<std::string>& labels, std::string_view name) {
  const auto it = std::find(labels.begin(), labels.end(), name);
  if (it == labels.end()) return std::nullopt;
  return static_cast<int>(it - labels.begin());
}
}  // namespace

std::optional<Role> Dimensions::find_role(std::string_view name) const {
  return index_of(roles, name);
}
std::optional<Sector> Dimensions::find_sector(std::string_view name) const {
  return index_of(sectors, name);
}

}  // namespace staffsim
