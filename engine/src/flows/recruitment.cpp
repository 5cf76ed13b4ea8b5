// Step 6, recruitment (DESIGN.md 2.2): requests per (r,s), split across
// sources by share; capped sources grant requests pro rata within cap * dt;
// hires enter band 0 with the source's age distribution.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include "model.hpp"
#include "random/samplers.hpp"

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

// Requests per (r,s), in people, into scratch.requests, and the source shares
// after levers into scratch.source_shares; FTE measured now.
void compute_requests(const Model& m, Scratch& scratch, const Eigen::ArrayXd& H, double year) {
  const Dimensions& d = m.sc.dims;
  measure_fte(m, H, scratch.fte);
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
          req = gap / m.sc.fte_factor(r, s) * m.fill_fraction[rs];
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
}

}  // namespace

void apply_recruitment(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger,
                       double year) {
  const auto n_sources = static_cast<Eigen::Index>(m.sc.sources.size());
  scratch.unfilled.setZero();
  if (!m.on.recruitment || n_sources == 0) return;
  compute_requests(m, scratch, H, year);
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

// Stochastic mode (DESIGN.md 2.7). Each (r,s)'s request becomes
// floor(x) + Bernoulli(x - floor(x)) and splits over sources ~ Multinomial
// (stream requests + rs). A source whose integer demand exceeds its budget
// cap * dt draws an integer budget the same way and grants it to a
// systematic sample of the requests (each granted with probability
// budget / demand; stream budgets + j); the rest is unfilled. Hires of
// (rs, j) spread over ages ~ Multinomial (stream hire_ages + rs*n_sources + j).
void apply_recruitment(const Model& m, Scratch& scratch, Eigen::ArrayXd& H, Ledger& ledger,
                       double year, const Noise& noise) {
  const auto n_sources = static_cast<Eigen::Index>(m.sc.sources.size());
  scratch.unfilled.setZero();
  if (!m.on.recruitment || n_sources == 0) return;
  compute_requests(m, scratch, H, year);
  const auto ns = static_cast<std::size_t>(n_sources);
  const std::span<std::int64_t> by_source(scratch.counts.data(), ns);
  scratch.asked.setZero();
  for (int rs = 0; rs < m.RS; ++rs) {
    const double req = scratch.requests[rs];
    if (req <= 0.0 || scratch.source_shares.col(rs).sum() <= 0.0) continue;
    random::RandomStream rng = noise.stream(m.noise.requests + static_cast<std::uint32_t>(rs));
    const std::int64_t n = random::stochastic_round(rng, req);
    if (n == 0) continue;
    random::multinomial(rng, n, std::span<const double>(scratch.source_shares.col(rs).data(), ns),
                        by_source);
    for (std::size_t j = 0; j < ns; ++j) {
      scratch.asked(static_cast<Eigen::Index>(j), rs) = static_cast<double>(by_source[j]);
    }
  }
  scratch.hired = scratch.asked;
  for (Eigen::Index j = 0; j < n_sources; ++j) {
    const double demand = scratch.asked.row(j).sum();
    const double budget = source_cap(m, static_cast<int>(j), year) * m.dt;
    // An integer demand within the real budget is within its rounding too.
    if (!(demand > budget)) continue;
    random::RandomStream rng = noise.stream(m.noise.budgets + static_cast<std::uint32_t>(j));
    const auto granted = static_cast<double>(random::stochastic_round(rng, budget));
    // Systematic sample of the demand's requests, in rs order.
    const double u = rng.uniform();
    double held = 0.0;
    double below = 0.0;
    for (int rs = 0; rs < m.RS; ++rs) {
      const double asked = scratch.asked(j, rs);
      if (asked <= 0.0) continue;
      held += asked;
      const double upto = held == demand ? granted : std::floor(held * granted / demand + u);
      scratch.hired(j, rs) = upto - below;
      below = upto;
    }
  }
  const auto A = static_cast<std::size_t>(m.A);
  const std::span<std::int64_t> by_age(scratch.counts.data(), A);
  for (int rs = 0; rs < m.RS; ++rs) {
    double* block = H.data() + static_cast<std::size_t>(rs) * static_cast<std::size_t>(m.A * m.K);
    for (Eigen::Index j = 0; j < n_sources; ++j) {
      const double asked = scratch.asked(j, rs);
      if (asked <= 0.0) continue;
      const double hired = scratch.hired(j, rs);
      scratch.unfilled[rs] += asked - hired;
      if (hired <= 0.0) continue;
      const Eigen::ArrayXd& ages = m.sc.sources[static_cast<std::size_t>(j)].age_dist;
      random::RandomStream rng =
          noise.stream(m.noise.hire_ages + static_cast<std::uint32_t>(rs * n_sources + j));
      random::multinomial(rng, static_cast<std::int64_t>(hired),
                          std::span<const double>(ages.data(), A), by_age);
      for (int a = 0; a < m.A; ++a)
        block[a * m.K] += static_cast<double>(by_age[static_cast<std::size_t>(a)]);
      ledger.hires_by_source(rs, j) += hired;
      ledger.start(rs, Start::hire) += hired;
    }
  }
}

}  // namespace staffsim::detail
