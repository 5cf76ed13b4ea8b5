// Derives the per-run constants of a Simulation from its Scenario
// (DESIGN.md 2.2): retirement hazards, progression fractions, the promotion
// order and lever bindings.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "model.hpp"
#include "scenario/output_defaults.hpp"

namespace staffsim::detail {

namespace {

// Destination roles of the routes serving sector `s`, in topological order,
// highest first (DESIGN.md 2.2 step 4): a role is processed before any role
// promoted into it, so a promotion out of a role opens posts that routes
// below can fill in the same step. Cycles are checked per sector.
std::vector<Role> promotion_order(const Scenario& sc, Sector s) {
  const int R = sc.dims.n_roles();
  std::vector<int> state(static_cast<std::size_t>(R), 0);  // 0 new, 1 on stack, 2 done
  std::vector<Role> post_order;
  std::function<void(Role)> visit = [&](Role r) {
    state[static_cast<std::size_t>(r)] = 1;
    for (const PromotionRoute& route : sc.promotion) {
      if (route.from != r || !route.serves(s)) continue;
      const auto st = state[static_cast<std::size_t>(route.to)];
      if (st == 1) {
        throw ScenarioError("supply.promotion: the routes form a cycle through '" +
                            sc.dims.roles[static_cast<std::size_t>(route.to)] + "' in sector '" +
                            sc.dims.sectors[static_cast<std::size_t>(s)] + "'");
      }
      if (st == 0) visit(route.to);
    }
    state[static_cast<std::size_t>(r)] = 2;
    post_order.push_back(r);
  };
  for (Role r = 0; r < R; ++r) {
    if (state[static_cast<std::size_t>(r)] == 0) visit(r);
  }
  // Post-order of the from -> to graph lists a role after every role it
  // leads to: the highest roles come first.
  std::vector<Role> order;
  for (const Role r : post_order) {
    for (const PromotionRoute& route : sc.promotion) {
      if (route.to == r && route.serves(s)) {
        order.push_back(r);
        break;
      }
    }
  }
  return order;
}

// Shares accepted within 1e-9 of 1 are made to sum to exactly 1, so that the
// ledger balances to 1e-12 (leavers are split by these shares, hires spread
// over ages by these distributions).
void normalise_shares(Scenario& sc) {
  for (DestinationSplit& split : sc.destinations) {
    double total = split.exit_share;
    for (const Move& mv : split.moves) total += mv.share;
    if (total <= 0.0) continue;
    split.exit_share /= total;
    for (Move& mv : split.moves) mv.share /= total;
  }
  for (Source& src : sc.sources) {
    const double total = src.age_dist.sum();
    if (total > 0.0) src.age_dist /= total;
  }
  // A rule that recruits nothing still has one share per source.
  const auto n_sources = static_cast<Eigen::Index>(sc.sources.size());
  for (RecruitmentRule& rule : sc.recruitment) {
    if (rule.source_shares.size() != n_sources) rule.source_shares.setZero(n_sources);
  }
}

// The flat stream indices of every flow (model.hpp, NoiseLayout).
NoiseLayout noise_layout(const Model& m) {
  NoiseLayout l;
  const std::uint64_t N = static_cast<std::uint64_t>(m.RS) * m.A * m.K;
  const std::uint64_t routes = m.sc.promotion.size();
  const std::uint64_t n_sources = m.sc.sources.size();
  std::uint64_t at = 0;
  const auto take = [&](std::uint64_t size) {
    const std::uint64_t start = at;
    at += size;
    if (at > 0xffffffffULL) throw ScenarioError("too many cells for the process-noise streams");
    return static_cast<std::uint32_t>(start);
  };
  l.exits = take(N);
  l.progression = take(N);
  l.destinations = take(static_cast<std::uint64_t>(m.RS) * m.A);
  l.promotion = take(routes * static_cast<std::uint64_t>(m.S));
  for (const Programme& prog : m.sc.programmes) {
    l.programme.push_back(take((static_cast<std::uint64_t>(prog.duration_steps) + 1) * m.A + 1));
  }
  l.requests = take(static_cast<std::uint64_t>(m.RS));
  l.budgets = take(n_sources);
  l.hire_ages = take(static_cast<std::uint64_t>(m.RS) * n_sources);
  l.end = take(0);
  return l;
}

// Factors of constant inputs that every step used to recompute (pow, exp
// and log1p per route, rule and programme): the same expressions, once.
void precompute_step_factors(Model& m) {
  m.route_step_rate.resize(static_cast<Eigen::Index>(m.sc.promotion.size()));
  for (std::size_t i = 0; i < m.sc.promotion.size(); ++i) {
    m.route_step_rate[static_cast<Eigen::Index>(i)] =
        1.0 - std::pow(1.0 - m.sc.promotion[i].max_rate, m.dt);
  }
  m.fill_fraction.setZero(static_cast<Eigen::Index>(m.sc.recruitment.size()));
  for (std::size_t rs = 0; rs < m.sc.recruitment.size(); ++rs) {
    const RecruitmentRule& rule = m.sc.recruitment[rs];
    if (rule.mode != RecruitMode::fill_vacancies) continue;
    const double lambda = -std::log1p(-rule.fill_rate);
    m.fill_fraction[static_cast<Eigen::Index>(rs)] = 1.0 - std::exp(-lambda * m.dt);
  }
  m.programme_survival.resize(static_cast<Eigen::Index>(m.sc.programmes.size()));
  for (std::size_t p = 0; p < m.sc.programmes.size(); ++p) {
    m.programme_survival[static_cast<Eigen::Index>(p)] =
        std::pow(1.0 - m.sc.programmes[p].attrition, m.dt);
  }
}

}  // namespace

Model make_model(Scenario sc, FlowSwitches on) {
  // Scenarios built in code skip the loader's validation: check them here.
  sc.check();
  normalise_shares(sc);
  // Scenarios built in code may leave the output bands empty.
  if (sc.outputs.age_band.ranges.empty() && sc.outputs.age_band_nmds.ranges.empty()) {
    sc.outputs = config::default_outputs(sc.dims);
  }
  Model m;
  m.sc = std::move(sc);
  m.on = on;
  const Dimensions& d = m.sc.dims;
  m.dt = m.sc.time.dt();
  m.R = d.n_roles();
  m.S = d.n_sectors();
  m.A = d.n_ages();
  m.K = d.n_bands();
  m.RS = d.n_role_sectors();

  if (m.sc.turnover.age_factor.size() == 0) m.sc.turnover.age_factor.setOnes(m.R, m.A);
  if (m.sc.turnover.tenure_factor.size() == 0) m.sc.turnover.tenure_factor.setOnes(m.R, m.K);
  if (m.sc.retirement.q.size() == 0) m.sc.retirement.q.setZero(m.R, m.A);
  m.base = m.sc.turnover.base;
  m.h_ret = -(1.0 - m.sc.retirement.q).log();
  m.h_ret_cumulative.setZero(m.R, m.A + 1);
  for (int a = 0; a < m.A; ++a) {
    m.h_ret_cumulative.col(a + 1) = m.h_ret_cumulative.col(a) + m.h_ret.col(a);
  }
  for (const Lever& lever : m.sc.levers) {
    m.retirement_shifts = m.retirement_shifts || lever.type == LeverType::retirement_shift;
  }

  m.progress.resize(m.K);
  for (int k = 0; k < m.K; ++k) {
    m.progress[k] = k + 1 < m.K ? m.dt / d.band_width(k) : 0.0;
  }
  m.progress_cells = m.progress.replicate(m.A, 1);
  precompute_step_factors(m);
  for (Sector s = 0; s < m.S; ++s) m.promotion_order.push_back(promotion_order(m.sc, s));
  m.routes_into.assign(static_cast<std::size_t>(m.R), {});
  for (std::size_t i = 0; i < m.sc.promotion.size(); ++i) {
    m.routes_into[static_cast<std::size_t>(m.sc.promotion[i].to)].push_back(static_cast<int>(i));
  }
  for (const Lever& lever : m.sc.levers) {
    int src = -1;
    int prog = -1;
    if (lever.type == LeverType::international_recruitment) {
      for (std::size_t j = 0; j < m.sc.sources.size(); ++j) {
        if (m.sc.sources[j].name == lever.source) src = static_cast<int>(j);
      }
      if (src < 0) {
        throw ScenarioError("levers." + lever.name + ": no recruitment source named '" +
                            lever.source + "'");
      }
    }
    if (lever.type == LeverType::training_intake) {
      for (std::size_t j = 0; j < m.sc.programmes.size(); ++j) {
        if (m.sc.programmes[j].name == lever.programme) prog = static_cast<int>(j);
      }
      if (prog < 0) {
        throw ScenarioError("levers." + lever.name + ": no training programme named '" +
                            lever.programme + "'");
      }
    }
    m.source_of_lever.push_back(src);
    m.programme_of_lever.push_back(prog);
  }
  for (const DestinationSplit& split : m.sc.destinations) {
    Eigen::ArrayXd w(static_cast<Eigen::Index>(split.moves.size()) + 1);
    w[0] = split.exit_share;
    for (std::size_t i = 0; i < split.moves.size(); ++i) {
      w[static_cast<Eigen::Index>(i) + 1] = split.moves[i].share;
    }
    m.destination_weights.push_back(std::move(w));
  }
  for (const Programme& prog : m.sc.programmes) {
    Eigen::ArrayXd w(m.S + 1);
    double joined = 0.0;
    for (int s = 0; s < m.S; ++s) {
      w[s] = std::max(0.0, prog.retained * prog.sector_shares[s]);
      joined += w[s];
    }
    w[m.S] = std::max(0.0, 1.0 - joined);
    m.completion_weights.push_back(std::move(w));
  }
  m.noise = noise_layout(m);
  return m;
}

void Scratch::resize_for_noise(const Model& m) {
  const auto n_sources = static_cast<Eigen::Index>(m.sc.sources.size());
  std::size_t longest = static_cast<std::size_t>(std::max({m.A, m.S + 1, 1}));
  Eigen::Index moves = 1;
  for (const Eigen::ArrayXd& w : m.destination_weights) moves = std::max(moves, w.size());
  longest =
      std::max({longest, static_cast<std::size_t>(moves), static_cast<std::size_t>(n_sources)});
  counts.assign(longest, 0);
  tally.setZero(std::max<Eigen::Index>(moves, m.S));
  asked.setZero(n_sources, m.RS);
  hired.setZero(n_sources, m.RS);
}

void integerise(const Noise& opening, std::uint32_t cell0, const Eigen::ArrayXd& x,
                Eigen::Index run, Eigen::ArrayXd& out) {
  out.resize(x.size());
  if (run <= 0) return;
  for (Eigen::Index start = 0; start < x.size(); start += run) {
    const Eigen::Index end = std::min(x.size(), start + run);
    double total = 0.0;
    for (Eigen::Index i = start; i < end; ++i) total += std::max(0.0, x[i]);
    if (total <= 0.0) {
      out.segment(start, end - start).setZero();
      continue;
    }
    // Systematic rounding: out_i = floor(C_i + u) - floor(C_{i-1} + u) with
    // C_i the running sum; E out_i = x_i, the run's total is x's total
    // rounded up with probability its fraction.
    random::RandomStream rng = opening.stream(cell0 + static_cast<std::uint32_t>(start / run));
    const double u = rng.uniform();
    double cumulative = 0.0;
    double below = 0.0;  // floor(C_{i-1} + u), with C_{-1} = 0 and 0 < u < 1
    for (Eigen::Index i = start; i < end; ++i) {
      cumulative += std::max(0.0, x[i]);
      const double upto = x[i] > 0.0 ? std::floor(cumulative + u) : below;
      out[i] = upto - below;
      below = upto;
    }
  }
}

void measure_headcount(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& hc) {
  const Eigen::Index n = m.A * m.K;
  for (int rs = 0; rs < m.RS; ++rs) hc[rs] = H.segment(rs * n, n).sum();
}

void measure_fte(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& fte) {
  const Eigen::Index n = m.A * m.K;
  for (int r = 0; r < m.R; ++r) {
    for (int s = 0; s < m.S; ++s) {
      const int rs = r * m.S + s;
      fte[rs] = H.segment(rs * n, n).sum() * m.sc.fte_factor(r, s);
    }
  }
}

void measure_headcount_and_fte(const Model& m, const Eigen::ArrayXd& H, Eigen::ArrayXd& hc,
                               Eigen::ArrayXd& fte) {
  const Eigen::Index n = m.A * m.K;
  for (int r = 0; r < m.R; ++r) {
    for (int s = 0; s < m.S; ++s) {
      const int rs = r * m.S + s;
      hc[rs] = H.segment(rs * n, n).sum();
      fte[rs] = hc[rs] * m.sc.fte_factor(r, s);
    }
  }
}

}  // namespace staffsim::detail
