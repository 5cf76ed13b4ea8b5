#include "staffsim/ledger.hpp"

#include <array>

namespace staffsim {

namespace {
constexpr std::array<std::string_view, kLeaveKinds> kLeaveNames{
    "retired",   "aged_out", "exit",           "same_sector",
    "to_sector", "to_role",  "to_role_sector", "promoted"};
constexpr std::array<std::string_view, kStartKinds> kStartNames{
    "hire", "same_sector", "from_sector", "from_role", "from_role_sector", "promotion", "training"};
}  // namespace

std::string_view to_string(Leave l) { return kLeaveNames.at(static_cast<std::size_t>(l)); }
std::string_view to_string(Start s) { return kStartNames.at(static_cast<std::size_t>(s)); }

void Ledger::resize(int n_rs, int n_sources) {
  leavers.setZero(n_rs, kLeaveKinds);
  starters.setZero(n_rs, kStartKinds);
  hires_by_source.setZero(n_rs, n_sources);
}

void Ledger::clear() {
  leavers.setZero();
  starters.setZero();
  hires_by_source.setZero();
}

void Ledger::add(const Ledger& other) {
  leavers += other.leavers;
  starters += other.starters;
  hires_by_source += other.hires_by_source;
}

double Ledger::nmds_leavers(int rs) const {
  return leavers.row(rs).sum() - leave(rs, Leave::promoted);
}
double Ledger::nmds_starters(int rs) const {
  return starters.row(rs).sum() - start(rs, Start::promotion);
}
double Ledger::net(int rs) const { return starters.row(rs).sum() - leavers.row(rs).sum(); }

}  // namespace staffsim
