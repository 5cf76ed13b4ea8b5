#pragma once
// The ledger (DESIGN.md 2.2): leavers by destination and starters by origin
// per (role, sector). For every (r,s): H(t+dt) = H(t) + sum(starters) - sum(leavers).
#include <Eigen/Core>
#include <array>
#include <string_view>

namespace staffsim {

enum class Leave : int {
  retired,
  aged_out,
  exit,
  same_sector,
  to_sector,
  to_role,
  to_role_sector,
  promoted,
  count
};
enum class Start : int {
  hire,
  same_sector,
  from_sector,
  from_role,
  from_role_sector,
  promotion,
  training,
  count
};
inline constexpr int kLeaveKinds = static_cast<int>(Leave::count);
inline constexpr int kStartKinds = static_cast<int>(Start::count);

[[nodiscard]] std::string_view to_string(Leave l);
[[nodiscard]] std::string_view to_string(Start s);

struct Ledger {
  Eigen::ArrayXXd leavers;          // (RS, kLeaveKinds)
  Eigen::ArrayXXd starters;         // (RS, kStartKinds)
  Eigen::ArrayXXd hires_by_source;  // (RS, n_sources)

  void resize(int n_rs, int n_sources);
  void clear();
  void add(const Ledger& other);
  double& leave(int rs, Leave l) { return leavers(rs, static_cast<int>(l)); }
  double& start(int rs, Start s) { return starters(rs, static_cast<int>(s)); }
  [[nodiscard]] double leave(int rs, Leave l) const { return leavers(rs, static_cast<int>(l)); }
  [[nodiscard]] double start(int rs, Start s) const { return starters(rs, static_cast<int>(s)); }
  // Employer leavers and starters as NMDS-SC counts them: all but promotion.
  [[nodiscard]] double nmds_leavers(int rs) const;
  [[nodiscard]] double nmds_starters(int rs) const;
  // Net inflow of a cell: every origin minus every destination, promotion included.
  [[nodiscard]] double net(int rs) const;
};

}  // namespace staffsim
