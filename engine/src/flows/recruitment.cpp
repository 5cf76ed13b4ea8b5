// Step 6, recruitment (DESIGN.md 2.2): requests per (r,s), split across
// sources by share; capped sources grant requests pro rata within cap * dt;
// hires enter band 0 with the source's age distribution.
#include <algorithm>
#include <cmath>
#include <limits>

#include "model.hpp"

namespace staffsim::detail {

namespace {

// Source shares of one rule after international_recruitment share levers:
// the lever sets its source's share and the others rescale to sum to 1.
void shares_with_levers(const Model& m, Role r, Sector s, double year, const RecruitmentRule& rule,
                        Eigen::Ref<Eigen::ArrayXd> out) {
  out = rule.source_shares;
  for (std::size_t i = 0; i < m.sc.levers.size(); ++i) {
    const Lever& lever = m.sc.levers[i];
    const int src = m.source_of_lever[i];
    if (src < 0 || lever.acts_on_cap) continue;
    if (!selects(lever.roles, r) || !selects(lever.sectors, s)) continue;
    const double target = lever.path.at(year);
    const double others = out.sum() - out[src];
    const Eigen::Index n = out.size();
    if (others > 0.0) {
      for (Eigen::Index j = 0; j < n; ++j) {
        if (j != src) out[j] *= (1.0 - target) / others;
      }
    } else if (n > 1) {
      for (Eigen::Index j = 0; j < n; ++j) {
        if (j != src) out[j] = (1.0 - target) / static_cast<double>(n - 1);
      }
    }
    out[src] = target;
  }
}

double source_cap(const Model& m, int src, double year) {
  for (std::size_t i = 0; i < m.sc.levers.size(); ++i) {
    if (m.source_of_lever[i] == src && m.sc.levers[i].acts_on_cap) {
      return m.sc.levers[i].path.at(year);
    }
  }
  const auto& cap = m.sc.sources[static_cast<std::size_t>(src)].cap;
  return cap ? *cap : std::numeric_limits<double>::infinity();
}

}  // namespace

void apply_recruitment(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger,
                       double year) {
  const Dimensions& d = m.sc.dims;
  const auto n_sources = static_cast<Eigen::Index>(m.sc.sources.size());
  scratch.unfilled.setZero();
  if (!m.on.recruitment || n_sources == 0) return;
  measure_fte(m, H, scratch.fte);
  // Requests per (r,s), in people.
  for (int r = 0; r < m.R; ++r) {
    for (int s = 0; s < m.S; ++s) {
      const int rs = d.rs(r, s);
      const RecruitmentRule& rule = m.sc.recruitment[static_cast<std::size_t>(rs)];
      double req = 0.0;
      switch (rule.mode) {
        case RecruitMode::none:
          break;
        case RecruitMode::fill_vacancies: {
          const double gap = std::max(0.0, scratch.posts[rs] - scratch.fte[rs]);
          const double lambda = -std::log1p(-rule.fill_rate);
          req = gap / m.sc.fte_factor(r, s) * (1.0 - std::exp(-lambda * m.dt));
          break;
        }
        case RecruitMode::fixed_rate:
          req = rule.rate * scratch.start_headcount[rs] * m.dt;
          break;
        case RecruitMode::fixed_number:
          req = rule.number * m.dt;
          break;
      }
      scratch.requests[rs] = req;
      shares_with_levers(m, r, s, year, rule, scratch.source_shares.col(rs));
    }
  }
  // Capped sources grant pro rata within this step's budget.
  scratch.source_demand.setZero();
  for (int rs = 0; rs < m.RS; ++rs) {
    scratch.source_demand += scratch.source_shares.col(rs) * scratch.requests[rs];
  }
  for (Eigen::Index j = 0; j < n_sources; ++j) {
    scratch.source_budget[j] = source_cap(m, static_cast<int>(j), year) * m.dt;
  }
  for (int rs = 0; rs < m.RS; ++rs) {
    if (scratch.requests[rs] <= 0.0) continue;
    double* block = H.data() + static_cast<std::size_t>(rs) * static_cast<std::size_t>(m.A * m.K);
    for (Eigen::Index j = 0; j < n_sources; ++j) {
      const double asked = scratch.requests[rs] * scratch.source_shares(j, rs);
      if (asked <= 0.0) continue;
      const double demand = scratch.source_demand[j];
      const double grant =
          demand > scratch.source_budget[j] ? scratch.source_budget[j] / demand : 1.0;
      const double hired = asked * grant;
      scratch.unfilled[rs] += asked - hired;
      const Eigen::ArrayXd& ages = m.sc.sources[static_cast<std::size_t>(j)].age_dist;
      for (int a = 0; a < m.A; ++a) block[a * m.K] += hired * ages[a];
      ledger.hires_by_source(rs, j) += hired;
      ledger.start(rs, Start::hire) += hired;
    }
  }
}

}  // namespace staffsim::detail
